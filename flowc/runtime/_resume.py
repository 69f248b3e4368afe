"""Resuming a thread: what a run given ``None`` or a ``Command`` picks up from its checkpoint.

A run on a thread whose input is ``None`` or a ``Command`` does not start
from new input: it goes on from the thread's latest checkpoint, at the
superstep that checkpoint names (LangGraph's "resuming"). What it needs of
the checkpoint's pending writes is read here, once, into a :class:`Resumed`:

- the tasks that finished before the run stopped (their writes go back to
  them instead of their running again: :attr:`Resumed.finished`);
- the answers each interrupted task was given before (``__resume__``);
- the interrupts still waiting for an answer, which decide whether a scalar
  ``Command(resume=...)`` is allowed (one pending) or ambiguous (several).

The rules of which write means what are LangGraph's (``read_task_statuses``):
a task finished if and only if it stored a write that is not a control
write (``__interrupt__``, ``__resume__``, ``__error__``); a finished task
with nothing to write stores ``__no_writes__``.

Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from ._persist import BRANCH, INTERRUPT, NULL_TASK_ID, RESUME, TASKS, Thread, thread_sends
from .control import Send, as_command, as_send
from .errors import EmptyInputError, InvalidUpdateError
from .interrupts import Interrupt, as_interrupt

__all__ = ["CONTROL", "Resumed", "TaskStatus", "is_resume", "task_statuses"]

ERROR: Final = "__error__"
CONTROL: Final = frozenset((ERROR, INTERRUPT, RESUME, "__error_source_node__"))
"""Writes that say what happened to a task rather than what it produced."""

_MULTIPLE: Final = (
    "When there are multiple pending interrupts, you must specify the interrupt id when "
    "resuming. Docs: https://docs.langchain.com/oss/python/langgraph/interrupts"
    "#handling-multiple-interrupts."
)


def is_resume(input: Any) -> bool:
    """Whether a run's input goes on from its thread's checkpoint: ``None`` or a ``Command``."""
    return input is None or (type(input) is not dict and as_command(input) is not None)


class TaskStatus:
    """What one task's stored writes say: its output, its interrupts, its answers, its error."""

    __slots__ = ("answers", "error", "interrupts", "output")

    def __init__(self) -> None:
        self.output: list[tuple[str, Any]] = []
        self.interrupts: tuple[Interrupt[Any], ...] = ()
        self.answers: list[Any] = []
        self.error: Any = None

    @property
    def finished(self) -> bool:
        """Whether the task ran to its end (it stored an output write)."""
        return bool(self.output)

    @property
    def pending(self) -> tuple[Interrupt[Any], ...]:
        """Its interrupts still waiting for an answer (none once it finished)."""
        return () if self.output else self.interrupts


def task_statuses(pending_writes: Sequence[tuple[str, str, Any]]) -> dict[str, TaskStatus]:
    """Each task's status, by task id, from a checkpoint's pending writes (the null task's left out)."""
    statuses: dict[str, TaskStatus] = {}
    for tid, channel, value in pending_writes:
        if tid == NULL_TASK_ID:
            continue
        status = statuses.get(tid)
        if status is None:
            status = statuses[tid] = TaskStatus()
        if channel == INTERRUPT:
            raised = value if isinstance(value, list | tuple) else (value,)
            status.interrupts = tuple(as_interrupt(item) for item in raised)
        elif channel == RESUME:
            status.answers = list(value) if isinstance(value, list) else [value]
        elif channel == ERROR:
            status.error = value
        elif channel not in CONTROL:
            status.output.append((channel, value))
    return statuses


class Resumed:
    """What a resumed run takes from its thread's checkpoint (see the module's docstring).

    Args:
        thread: the run's thread, loaded (:meth:`Thread.load`).
        pending_writes: the checkpoint's pending writes.
        input: the run's input: ``None`` or a ``Command``.
        fields: the state's keys.
        nodes: the graph's nodes, which a ``Command``'s ``goto`` must name (checked before
            anything is stored).

    Raises:
        EmptyInputError: on a thread with no checkpoint, as LangGraph's.
        RuntimeError: for a scalar resume value while several interrupts are pending.
        InvalidUpdateError: for a ``goto`` (a name or a ``Send``) that is not a node.
    """

    __slots__ = ("by_id", "finished", "given", "goto", "sends", "statuses", "update")

    def __init__(
        self,
        thread: Thread,
        pending_writes: Sequence[tuple[str, str, Any]],
        input: Any,
        fields: Sequence[str],
        nodes: Collection[str] | None = None,
    ) -> None:
        self.statuses = task_statuses(pending_writes)
        command = None if input is None else as_command(input)
        # the null task's writes accumulate at a checkpoint: those of earlier resumes stay
        stale = [
            (channel, value)
            for tid, channel, value in pending_writes
            if tid == NULL_TASK_ID and channel not in CONTROL
        ]
        self.update: list[tuple[str, Any]] = []
        """The run's writes of state keys (a ``Command``'s ``update``, and those an earlier
        resume at this checkpoint stored), applied in order before the tasks run."""
        self.goto: tuple[str, ...] = ()
        """Nodes that run with the checkpoint's due tasks (a ``Command``'s ``goto``)."""
        self.given: list[Any] = []
        """The run's scalar resume value (a one-item list, emptied by the call that takes it)."""
        self.by_id: Mapping[str, Any] | None = None
        """The run's resume map, ``{interrupt_id: value}``."""
        # LangGraph's null-task writes of the Command, in its order: goto, update, then resume
        null: list[tuple[str, Any]] = []
        answer: list[tuple[str, Any]] = []
        if command is not None:
            if command.resume is None and not command.update and not command.goto:
                raise EmptyInputError("Received empty Command input")
            goto = _goto(command.goto, thread)
            for target, _ in goto:
                if nodes is not None and target not in nodes:
                    raise InvalidUpdateError(
                        f"Command(goto={target!r}) as input: {target!r} is not a node of the graph"
                    )
            null.extend(write for _, write in goto)
        resume = None if command is None else command.resume
        if resume is not None:
            if isinstance(resume, Mapping) and resume and all(_is_id(k) for k in resume):
                self.by_id = dict(resume)
            else:
                pending = [i for s in self.statuses.values() for i in s.pending]
                if len(pending) > 1:
                    raise RuntimeError(_MULTIPLE)
                self.given = [resume]
                answer.append((RESUME, resume))
        if command is not None and command.update:
            update = command.update
            pairs = list(update.items()) if isinstance(update, Mapping) else list(update)
            unknown = [key for key, _ in pairs if key not in fields]
            if unknown:
                raise InvalidUpdateError(
                    f"Command(update=...) wrote {unknown[0]!r}, which the state does not have "
                    f"(state keys: {', '.join(fields)})"
                )
            null.extend(pairs)
        if null or answer:
            thread.put_null_writes(stale + null + answer)
        keys = frozenset(fields)
        written = stale + null
        # the next checkpoint stores what they wrote, as it stores what tasks wrote
        thread.written.update(channel for channel, _ in written)
        self.update = [(channel, value) for channel, value in written if channel in keys]
        self.goto = tuple(
            dict.fromkeys(c[len(BRANCH) :] for c, _ in written if c.startswith(BRANCH))
        )
        self.sends: tuple[Send, ...] = tuple(
            send for c, value in written if c == TASKS and (send := as_send(value)) is not None
        )
        """The ``Send`` s of the run's ``Command(goto=...)``: tasks of the first superstep, before
        the checkpoint's own (LangGraph's null-task ``__pregel_tasks`` writes)."""
        self.finished = {
            tid: status.output for tid, status in self.statuses.items() if status.finished
        }
        """The writes of each task that finished before the run stopped, by task id."""

    def answers(self, tid: str) -> list[Any]:
        """The answers task ``tid`` was given before (a new list the task may add to)."""
        status = self.statuses.get(tid)
        return list(status.answers) if status is not None else []


def stored_goto(output: Sequence[tuple[str, Any]]) -> tuple[Any, ...]:
    """Where a finished task's stored writes lead: its ``branch:to:`` writes, and the ``Send`` s
    of its ``__pregel_tasks`` writes, in the order it wrote them (a goto, as a router's)."""
    out: list[str | Send] = []
    for channel, value in output:
        if channel.startswith(BRANCH):
            out.append(channel[len(BRANCH) :])
        elif channel == TASKS:
            send = as_send(value)
            if send is not None:
                out.append(send)
    return tuple(out)


def stored_update(
    output: Sequence[tuple[str, Any]], fields: Sequence[str]
) -> dict[str, Any] | None:
    """A finished task's stored writes of state keys, as its update (``None`` for none)."""
    keys = frozenset(fields)
    update = {channel: value for channel, value in output if channel in keys}
    return update or None


def no_checkpoint() -> EmptyInputError:
    """The error of resuming a thread that has no checkpoint (LangGraph's)."""
    return EmptyInputError("Received no input for __start__")


def _goto(goto: Any, thread: Thread) -> list[tuple[str, tuple[str, Any]]]:
    """A ``Command``'s ``goto`` as the null task's writes, in its order, each with the node it
    names: a node name (END left out) as its ``branch:to:`` trigger, a ``Send`` as a
    ``__pregel_tasks`` write."""
    targets = goto if isinstance(goto, list | tuple) else (goto,) if goto else ()
    out: list[tuple[str, tuple[str, Any]]] = []
    for target in targets:
        if isinstance(target, str):
            if target not in ("__end__", "END"):
                out.append((target, (BRANCH + target, "__start__")))
            continue
        send = as_send(target)
        if send is None:
            raise InvalidUpdateError(
                f"Command(goto={target!r}) as input: goto takes node names and Sends"
            )
        # stored as the thread's saver stores a checkpoint's Send tasks
        out.append((send.node, (TASKS, thread_sends(thread, [send])[0])))
    return out


def _is_id(key: object) -> bool:
    return isinstance(key, str) and len(key) == 32 and all(c in "0123456789abcdef" for c in key)
