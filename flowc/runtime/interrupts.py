"""Human in the loop: :func:`interrupt` inside a node, and the answers a resumed run gives it.

A node calls ``interrupt(value)`` to ask for something only a person (or
another program) can give. On a run on a thread (a checkpointer and a
``thread_id``), the first call raises :class:`GraphInterrupt`: the engine
records the :class:`Interrupt` as the task's ``__interrupt__`` write, keeps
the other tasks' writes of that superstep, and the run stops after the
superstep. A later run given ``Command(resume=...)`` runs the task again, and
there the n-th ``interrupt()`` call of the task returns the n-th answer: a
scalar answers the one pending interrupt, a map ``{interrupt_id: value}``
answers interrupts by id. This is LangGraph's protocol (its writes,
``__resume__`` and the null task's resume value), so a thread a LangGraph
program paused can be resumed here, and the other way round.

An interrupt's id is made from the task's namespace (``node:task_id``, which
names one task of one checkpoint) and the number of answers the task already
has: the tasks of one superstep never share one, and a task asks each of its
questions under an id of its own.

Standard library only.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from ._task import running_task

if TYPE_CHECKING:
    from dataclasses import dataclass

else:
    # the events' own decorator: the same frozen, slotted dataclass without importing dataclasses
    from .events import dataclass

__all__ = [
    "PLACEHOLDER_ID",
    "GraphInterrupt",
    "Interrupt",
    "Resumes",
    "as_interrupt",
    "interrupt",
    "interrupt_id",
    "is_invalid_resume",
]

schema_validator: Any = None
"""Makes the validator of a class given as ``response_schema`` (``TypeAdapter(cls)``): set by
the ``flowc`` package, which imports pydantic for it when first called, as the runtime itself
imports only the standard library."""

INVALID_RESUME = "_langgraph_invalid_resume"
"""The attribute that marks an error as a resume value its ``response_schema`` refused
(LangGraph's, so that ``langgraph.errors.is_invalid_resume`` says so of flowc's too)."""

T_co = TypeVar("T_co", covariant=True)
_V = TypeVar("_V")


PLACEHOLDER_ID: Final = "placeholder-id"
"""The id of an interrupt made without one (LangGraph's default)."""


@dataclass(frozen=True, slots=True)
class Interrupt(Generic[T_co]):
    """An interrupt a node raised: what it asks (``value``) and the ``id`` to answer it by.

    LangGraph's ``langgraph.types.Interrupt``, with the same fields; generic over
    the value's type (a spec's ``interrupts = ...``). As LangGraph's, it takes the
    keywords of its 0.x form (``ns``, ``when``, ``resumable``) and drops them, an
    ``ns`` making the id when none is given.
    """

    value: T_co
    id: str
    response_schema: Any

    def __init__(
        self,
        value: T_co,
        id: str = PLACEHOLDER_ID,
        response_schema: Any = None,
        **legacy: Any,
    ) -> None:
        unknown = sorted(set(legacy) - {"ns", "when", "resumable"})
        if unknown:
            raise TypeError(f"Interrupt() got an unexpected keyword argument {unknown[0]!r}")
        ns = legacy.get("ns")
        if id == PLACEHOLDER_ID and isinstance(ns, list | tuple):
            id = interrupt_id("|".join(ns), 0)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "response_schema", response_schema)

    @classmethod
    def from_ns(cls, value: _V, ns: str) -> Interrupt[_V]:
        """The interrupt a task of namespace ``ns`` raises first."""
        return Interrupt(value, interrupt_id(ns, 0))

    @property
    def interrupt_id(self) -> str:
        """``id`` by its 0.x name (deprecated in LangGraph since 1.0)."""
        warnings.warn(
            "`interrupt_id` is deprecated. Use `id` instead.", DeprecationWarning, stacklevel=2
        )
        return self.id


class GraphInterrupt(Exception):
    """Raised by :func:`interrupt` when no answer is there yet: the engine stops the run.

    ``args[0]`` is the tuple of the task's :class:`Interrupt` (one).
    """

    @property
    def interrupts(self) -> tuple[Interrupt[Any], ...]:
        """The interrupts raised."""
        return tuple(self.args[0]) if self.args else ()


def as_interrupt(value: Any) -> Interrupt[Any]:
    """A stored interrupt as flowc's :class:`Interrupt` (LangGraph's own, or its dict form, too)."""
    if type(value) is Interrupt:
        return value
    if isinstance(value, Mapping):
        return Interrupt(value.get("value"), str(value.get("id", "")), value.get("response_schema"))
    return Interrupt(
        getattr(value, "value", value),
        str(getattr(value, "id", "")),
        getattr(value, "response_schema", None),
    )


def interrupt_id(ns: str, answered: int) -> str:
    """The id of the interrupt a task of namespace ``ns`` raises after ``answered`` answers.

    32 hex digits, as LangGraph's (which hashes the same text with xxh3).
    """
    from hashlib import blake2b

    text = f"{ns}|{answered}" if answered else ns
    return blake2b(text.encode(), digest_size=16).hexdigest()


class Resumes:
    """One task's answers to its ``interrupt()`` calls, as a resumed run gives them.

    Args:
        ns: the task's namespace (``node:task_id``): its interrupts' ids are made from it.
        answers: the answers the task was given before (its stored ``__resume__``).
        given: the run's scalar resume value, shared by the run's tasks: the first
            ``interrupt()`` call without an answer takes it (a one-item list, or empty).
        by_id: the run's resume map (``{interrupt_id: value}``).
        resuming: the task runs again in a resumed run, to go on where it stopped.
    """

    __slots__ = ("answers", "by_id", "calls", "given", "ns", "resuming", "used")

    def __init__(
        self,
        ns: str,
        answers: list[Any],
        given: list[Any],
        by_id: Mapping[str, Any] | None = None,
        *,
        resuming: bool = False,
    ) -> None:
        self.ns = ns
        self.resuming = resuming
        """The task runs again in a resumed run (a subgraph it runs goes on from its checkpoint)."""
        self.answers = answers
        self.given = given
        self.by_id = by_id
        """The run's resume map: the subgraphs the task runs answer their interrupts from it too."""
        self.calls = 0
        self.used = 0
        """How many answers the task's calls took: what its ``__resume__`` write keeps."""
        if by_id:
            next_id = interrupt_id(ns, len(answers))
            if next_id in by_id:
                answers.append(by_id[next_id])

    def ask(self, value: Any, schema: Any = None, validate: Any = None) -> Any:
        """The answer to the task's next ``interrupt(value)`` call, or :class:`GraphInterrupt`.

        ``validate`` (if any) makes the answer the call returns; what it raises
        propagates, marked (:func:`is_invalid_resume`), and a new answer it
        refused is not kept, so the interrupt can be answered again.
        """
        index = self.calls
        self.calls += 1
        answers = self.answers
        if index < len(answers):
            self.used = index + 1
            return answers[index] if validate is None else _validated(validate, answers[index])
        try:
            answer = self.given.pop()
        except IndexError:
            raised = Interrupt(value, interrupt_id(self.ns, len(answers)), schema)
            raise GraphInterrupt((raised,)) from None
        taken = answer if validate is None else _validated(validate, answer)
        answers.append(answer)
        self.used = len(answers)
        return taken

    def written(self) -> list[Any] | None:
        """The task's ``__resume__`` write: the answers its calls took (``None`` for none)."""
        return self.answers[: self.used] if self.used else None


def _validated(validate: Any, answer: Any) -> Any:
    try:
        return validate(answer)
    except Exception as exc:
        setattr(exc, INVALID_RESUME, True)
        raise


def is_invalid_resume(error: BaseException) -> bool:
    """Whether ``error`` was raised because a resume value did not match ``response_schema``."""
    return getattr(error, INVALID_RESUME, False) is True


def interrupt(value: Any, *, response_schema: Any = None) -> Any:
    """Stop the run here and ask for ``value``'s answer; a resumed run returns it.

    The first call raises :class:`GraphInterrupt`, which ends the run after its
    superstep with the interrupt recorded on the thread. A run resumed with
    ``Command(resume=answer)`` runs the node again from its start, and there
    this call returns ``answer`` (the n-th call of the task the n-th answer).

    Args:
        value: what the interrupt asks (its ``value``).
        response_schema: what the answer must be, as LangGraph 1.2.22 takes it:
            a JSON schema dict is shown with the interrupt (``response_schema``)
            and not checked; a validator (a pydantic ``TypeAdapter``, or any
            object with ``json_schema()`` and ``validate_python(answer)``) shows
            its JSON schema and makes the answer the call returns; so does a
            class (a pydantic model, TypedDict or dataclass), through pydantic's
            ``TypeAdapter``. An answer it refuses raises its error
            (:func:`is_invalid_resume` says so) and is not kept: the interrupt
            can be answered again.

    Raises:
        RuntimeError: outside a running graph, or in a run without a
            checkpointer (an interrupt there could never be answered); a
            subgraph's run uses its root run's.
        TypeError: for a ``response_schema`` that is none of those.
    """
    schema, validate = response_schema, None
    if response_schema is not None and not isinstance(response_schema, Mapping):
        adapter = response_schema
        if not hasattr(adapter, "validate_python"):
            if not isinstance(response_schema, type) or schema_validator is None:
                raise TypeError(
                    f"interrupt(response_schema={response_schema!r}): give a class, a JSON "
                    "schema dict, or a validator such as pydantic.TypeAdapter(...)"
                )
            adapter = schema_validator(response_schema)
        schema, validate = adapter.json_schema(), adapter.validate_python
    task = running_task("interrupt")
    resumes = task.resumes
    if resumes is None:
        # a subgraph's run keeps its checkpoints on its root run's thread: without one, none
        where = "" if task.run.parent is None else f" in subgraph {task.run.graph!r}"
        raise RuntimeError(
            f"node {task.name!r} called interrupt(){where}, which needs a checkpointer: "
            "compile the graph with checkpointer=... and run it on a thread "
            "(config={'configurable': {'thread_id': ...}}) so that the run can be resumed"
        )
    return resumes.ask(value, schema, validate)
