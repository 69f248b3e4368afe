"""What a node or router returns to steer a run: :class:`Send` and :class:`Command`.

They mean what LangGraph's ``langgraph.types.Send`` and ``Command`` mean, and
the engine accepts LangGraph's own objects as well (the drop-in runs code
written for LangGraph unchanged).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar

from ._eventclass import _DataclassAttribute

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    # the events' own decorator: the same frozen, slotted dataclass without importing dataclasses
    from .events import dataclass

__all__ = ["PARENT", "Command", "ParentCommand", "Send", "as_command", "as_send"]

N = TypeVar("N", bound=str)
if TYPE_CHECKING:
    # defaults keep a bare `Send` valid under --strict (as `Send[str, Any]`)
    from typing_extensions import TypeVar as DefaultTypeVar

    SN_co = DefaultTypeVar("SN_co", bound=str, covariant=True, default=str)
    SA_co = DefaultTypeVar("SA_co", covariant=True, default=Any)
else:
    SN_co = TypeVar("SN_co", bound=str, covariant=True)
    SA_co = TypeVar("SA_co", covariant=True)

PARENT: Final = "__parent__"
"""``Command(graph=PARENT)``: the command is for the graph that runs this one as a subgraph."""


_COMMAND_FIELDS: dict[str, Any] = {
    "__annotations__": {"graph": "Any", "update": "Any", "resume": "Any", "goto": "Any"},
    "graph": None,
    "update": None,
    "resume": None,
    "goto": (),
}
"""The fields of :class:`Command` as a dataclass's (see ``Command.__dataclass_fields__``)."""


@dataclass(frozen=True, slots=True)
class Send(Generic[SN_co, SA_co]):
    """Run ``node`` once more in the next superstep, on ``arg`` instead of the state.

    A router returns a list of them to fan out (map-reduce): each is a task of
    its own, and the tasks of one superstep's ``Send``s run before the nodes
    its edges trigger, in the order they were sent; their writes are applied
    in that order too. A frozen dataclass, so that a checkpoint that names
    the next superstep's ``Send`` tasks can store them.

    Generic over the node's name and the argument's type: a router annotated
    ``-> list[Send[Literal["worker"], Job]]`` tells ``flowc check`` where it
    sends what (it proves ``worker`` is a node that takes a ``Job``), and mypy
    refuses a ``Send`` in its body to another node or with another argument.
    """

    node: SN_co
    arg: SA_co
    timeout: Any = None
    """A timeout of the pushed task's own, in the place of its node's (LangGraph's
    ``Send(..., timeout=)``): seconds or a ``timedelta`` (a run timeout) or a
    ``TimeoutPolicy``; checked when the ``Send`` is made."""


def _send_hash(self: Send) -> int:
    # an argument is often a dict: hashed by its repr, as before
    return hash((self.node, repr(self.arg), self.timeout))


def _send_repr(self: Send) -> str:
    # LangGraph's: the timeout shown only when there is one
    if self.timeout is None:
        return f"Send(node={self.node!r}, arg={self.arg!r})"
    return f"Send(node={self.node!r}, arg={self.arg!r}, timeout={self.timeout!r})"


_fill_send = Send.__init__


def _send_init(self: Send, node: Any, arg: Any, *, timeout: Any = None) -> None:
    if timeout is not None:
        from .policies import timeout_policy

        timeout = timeout_policy(timeout)
    _fill_send(self, node, arg, timeout)


Send.__repr__ = _send_repr  # type: ignore[method-assign,assignment]
Send.__init__ = _send_init  # type: ignore[method-assign,assignment]
Send.__hash__ = _send_hash  # type: ignore[method-assign,assignment]


class Command(Generic[N]):
    """What a node returns to write ``update`` and go to ``goto`` (besides its edges).

    ``goto`` is a node's name, a :class:`Send`, or a sequence of them; ``update``
    is a dict of state keys (or a list of ``(key, value)`` pairs).
    """

    __slots__ = ("goto", "graph", "resume", "update")

    PARENT: ClassVar[str] = PARENT

    # LangGraph's Command is a dataclass, and node code calls `dataclasses.replace` on one it
    # was sent: the fields that reads are made on first use (a runner imports no dataclasses)
    __dataclass_fields__: ClassVar[Any] = _DataclassAttribute(_COMMAND_FIELDS)
    __dataclass_params__: ClassVar[Any] = _DataclassAttribute(_COMMAND_FIELDS)

    def __init__(
        self,
        *,
        graph: str | None = None,
        update: Any | None = None,
        resume: Any | None = None,
        goto: Send | Sequence[Send | N] | N = (),
    ) -> None:
        self.graph = graph
        self.update = update
        self.resume = resume
        self.goto = goto

    def __repr__(self) -> str:
        parts = [
            f"{name}={value!r}"
            for name in ("graph", "update", "resume", "goto")
            if (value := getattr(self, name)) not in (None, ())
        ]
        return f"Command({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Command) and all(
            getattr(self, name) == getattr(other, name)
            for name in ("graph", "update", "resume", "goto")
        )

    __hash__ = None  # type: ignore[assignment]


class ParentCommand(Exception):
    """A node returned ``Command(graph=PARENT)``: its graph stops, and the command goes up.

    The subgraph node that runs the graph takes the command as its own
    outcome (its ``update`` and ``goto``) in the parent graph.
    """

    def __init__(self, node: str, command: Command[str]) -> None:
        # as in LangGraph's ParentCommand, the error's one argument is the command without its
        # `graph` (what a parent would apply), read as `args[0].goto` where it left the root
        super().__init__(Command(update=command.update, goto=command.goto))
        self.node = node
        self.command = command
        self.receiver: Any = None
        """The task whose graph takes the command (the task the sending graph runs in), set as
        the error leaves that graph's run; ``None`` when that graph is the root."""

    def __str__(self) -> str:
        return (
            f"node {self.node!r} returned Command(graph=Command.PARENT), but its graph is not "
            "run as a subgraph: there is no parent graph to send the command to"
        )


def as_send(value: object) -> Send | None:
    """``value`` as a :class:`Send` if it is one (flowc's or LangGraph's), else ``None``."""
    if type(value) is Send:
        return value
    cls = type(value)
    if cls.__name__ == "Send" and hasattr(value, "node") and hasattr(value, "arg"):
        return Send(value.node, value.arg, timeout=getattr(value, "timeout", None))
    return None


def as_command(value: object) -> Command[str] | None:
    """``value`` as a :class:`Command` if it is one (flowc's or LangGraph's), else ``None``."""
    if type(value) is Command:
        return value
    cls = type(value)
    if cls.__name__ == "Command" and hasattr(value, "goto") and hasattr(value, "update"):
        return Command(
            graph=getattr(value, "graph", None),
            update=value.update,
            resume=getattr(value, "resume", None),
            goto=value.goto,
        )
    return None
