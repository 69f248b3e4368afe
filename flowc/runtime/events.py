"""Typed stream events: one frozen, slotted dataclass per stream mode.

Every event carries ``ns``, the namespace of the graph that produced it (``()``
for the root graph), and can render itself as LangGraph's chunk for its mode
(:meth:`chunk`). Generated modules subclass these per node so that a ``match``
on the class narrows the payload type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, NewType, TypeAlias, TypedDict, TypeVar

__all__ = [
    "CustomEvent",
    "DebugEvent",
    "Event",
    "MessageMetadata",
    "MessagesEvent",
    "Namespace",
    "StreamMode",
    "TaskEvent",
    "TaskId",
    "TaskResultEvent",
    "UpdatesEvent",
    "ValuesEvent",
]

StreamMode: TypeAlias = Literal[
    "values", "updates", "custom", "messages", "tasks", "checkpoints", "debug"
]
Namespace: TypeAlias = tuple[str, ...]
TaskId = NewType("TaskId", str)

S_co = TypeVar("S_co", covariant=True)
N_co = TypeVar("N_co", bound=str, covariant=True)
U_co = TypeVar("U_co", covariant=True)
C_co = TypeVar("C_co", covariant=True)
I_co = TypeVar("I_co", covariant=True)


@dataclass(frozen=True, slots=True)
class ValuesEvent(Generic[S_co]):
    """The whole state after a superstep that wrote something (``values`` mode)."""

    data: S_co
    ns: Namespace = ()
    mode: ClassVar[Literal["values"]] = "values"

    def chunk(self) -> Any:
        """LangGraph's chunk: the state dict."""
        return self.data


@dataclass(frozen=True, slots=True)
class UpdatesEvent(Generic[N_co, U_co]):
    """What one node wrote, emitted as soon as it finished (``updates`` mode).

    ``data`` is ``None`` when the node wrote nothing.
    """

    node: N_co
    data: U_co | None
    ns: Namespace = ()
    mode: ClassVar[Literal["updates"]] = "updates"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{node: update}``."""
        return {self.node: self.data}


@dataclass(frozen=True, slots=True)
class CustomEvent(Generic[C_co]):
    """A payload a node passed to its stream writer (``custom`` mode)."""

    data: C_co
    ns: Namespace = ()
    mode: ClassVar[Literal["custom"]] = "custom"

    def chunk(self) -> Any:
        """LangGraph's chunk: the payload itself."""
        return self.data


class MessageMetadata(TypedDict, total=False):
    """Metadata of a ``messages`` event, with LangGraph's keys.

    User metadata (from the run config or the node) is merged in as extra keys.
    """

    thread_id: str
    ls_integration: str
    langgraph_step: int
    langgraph_node: str
    langgraph_triggers: tuple[str, ...]
    langgraph_path: tuple[str, ...]
    langgraph_checkpoint_ns: str
    checkpoint_ns: str
    ls_provider: str
    ls_model_name: str
    ls_model_type: str
    ls_temperature: float
    ls_max_tokens: int
    ls_stop: list[str]
    lc_versions: dict[str, str]
    tags: list[str]


@dataclass(frozen=True, slots=True)
class MessagesEvent:
    """A chat-model token, a whole model reply, or a message a node returned."""

    message: Any
    metadata: MessageMetadata
    ns: Namespace = ()
    mode: ClassVar[Literal["messages"]] = "messages"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``(message, metadata)``."""
        return (self.message, self.metadata)


@dataclass(frozen=True, slots=True)
class TaskEvent(Generic[N_co, I_co]):
    """A task is about to run (``tasks`` mode; wrapped in ``debug`` mode)."""

    id: TaskId
    name: N_co
    input: I_co
    triggers: tuple[str, ...]
    metadata: Mapping[str, Any] | None
    step: int
    ns: Namespace = ()
    mode: ClassVar[Literal["tasks"]] = "tasks"

    def chunk(self) -> Any:
        """LangGraph's payload: ``{'id', 'name', 'input', 'triggers'[, 'metadata']}``."""
        payload: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "input": self.input,
            "triggers": self.triggers,
        }
        if self.metadata is not None:
            payload["metadata"] = self.metadata
        return payload


@dataclass(frozen=True, slots=True)
class TaskResultEvent(Generic[N_co, U_co]):
    """A task finished, with its writes or its error (``tasks`` mode)."""

    id: TaskId
    name: N_co
    error: BaseException | None
    result: U_co
    step: int
    interrupts: tuple[Any, ...] = ()
    ns: Namespace = ()
    mode: ClassVar[Literal["tasks"]] = "tasks"

    def chunk(self) -> Any:
        """LangGraph's payload: ``{'id', 'name', 'error', 'result', 'interrupts'}``."""
        return {
            "id": self.id,
            "name": self.name,
            "error": self.error,
            "result": self.result,
            "interrupts": list(self.interrupts),
        }


@dataclass(frozen=True, slots=True)
class DebugEvent(Generic[N_co]):
    """A task event wrapped with its step and a UTC timestamp (``debug`` mode)."""

    step: int
    timestamp: str
    payload: TaskEvent[N_co, Any] | TaskResultEvent[N_co, Any]
    ns: Namespace = ()
    mode: ClassVar[Literal["debug"]] = "debug"

    @property
    def type(self) -> Literal["task", "task_result"]:
        """``"task"`` for a start, ``"task_result"`` for a result."""
        return "task_result" if isinstance(self.payload, TaskResultEvent) else "task"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{'step', 'timestamp', 'type', 'payload'}``."""
        return {
            "step": self.step,
            "timestamp": self.timestamp,
            "type": self.type,
            "payload": self.payload.chunk(),
        }


def _fast_init(cls: type[Any]) -> None:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    A frozen dataclass's own ``__init__`` goes through ``object.__setattr__``
    for every field; writing through the slots' descriptors is a third faster,
    and events are made once per node step. Assignment after construction
    still raises ``FrozenInstanceError``.
    """
    fields = dataclasses.fields(cls)
    scope: dict[str, Any] = {}
    params = []
    for f in fields:
        # the events' defaults are plain immutable values; a factory would need more
        assert f.default_factory is dataclasses.MISSING, f"{cls.__name__}.{f.name}"
        scope[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in fields)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", scope, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init


for _cls in (
    ValuesEvent,
    UpdatesEvent,
    CustomEvent,
    MessagesEvent,
    TaskEvent,
    TaskResultEvent,
    DebugEvent,
):
    _fast_init(_cls)
del _cls


Event: TypeAlias = (
    ValuesEvent[Any]
    | UpdatesEvent[str, Any]
    | CustomEvent[Any]
    | MessagesEvent
    | TaskEvent[str, Any]
    | TaskResultEvent[str, Any]
    | DebugEvent[str]
)
