"""Typed stream events: one frozen, slotted dataclass per stream mode.

Every event carries ``ns``, the namespace of the graph that produced it (``()``
for the root graph), and can render itself as LangGraph's chunk for its mode
(:meth:`chunk`). Generated modules subclass these per node so that a ``match``
on the class narrows the payload type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Literal,
    NewType,
    Protocol,
    TypeAlias,
    TypedDict,
    TypeVar,
)

if TYPE_CHECKING:
    from .interrupts import Interrupt

from ._eventclass import _frozen_slotted, iso_timestamp

__all__ = [
    "CheckpointDebugEvent",
    "CheckpointEvent",
    "CustomEvent",
    "DebugEvent",
    "Event",
    "InterruptEvent",
    "InterruptValuesEvent",
    "MessageMetadata",
    "MessagesEvent",
    "Namespace",
    "PendingTaskId",
    "ReplayedUpdatesEvent",
    "StreamMode",
    "TaskEvent",
    "TaskId",
    "TaskIds",
    "TaskResultEvent",
    "UpdatesEvent",
    "ValuesEvent",
    "iso_timestamp",
    "pending_task_event",
    "pending_task_result_event",
    "stamped_debug_event",
]

StreamMode: TypeAlias = Literal[
    "values", "updates", "custom", "messages", "tasks", "checkpoints", "debug"
]
Namespace: TypeAlias = tuple[str, ...]
TaskId = NewType("TaskId", str)

S_co = TypeVar("S_co", covariant=True)
N_co = TypeVar("N_co", bound=str, covariant=True)
if TYPE_CHECKING:
    # defaults keep a bare `MessagesEvent` / `MessageMetadata` valid under --strict (as
    # `MessagesEvent[Any, str]`); typing.TypeVar takes `default` from 3.13 only, and
    # typeshed's typing_extensions is always there for a type checker
    from typing_extensions import TypeVar as DefaultTypeVar

    M_co = DefaultTypeVar("M_co", covariant=True, default=Any)
    # an interrupt's value type: a bare `InterruptEvent` is `InterruptEvent[Any]`
    V_co = DefaultTypeVar("V_co", covariant=True, default=Any)
    MN_co = DefaultTypeVar("MN_co", bound=str, covariant=True, default=str)
    MN = DefaultTypeVar("MN", bound=str, default=str)
else:
    M_co = TypeVar("M_co", covariant=True)
    V_co = TypeVar("V_co", covariant=True)
    MN_co = TypeVar("MN_co", bound=str, covariant=True)
    MN = TypeVar("MN", bound=str)
U_co = TypeVar("U_co", covariant=True)
C_co = TypeVar("C_co", covariant=True)
I_co = TypeVar("I_co", covariant=True)


if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    # Event classes are made by a decorator of their own, not by dataclasses':
    # importing dataclasses (which imports inspect, ast, dis and tokenize) and
    # running its decorator seven times took a third of a runner's import time.
    # Type checkers see dataclasses.dataclass; at run time the classes are the
    # same frozen, slotted dataclasses (see _frozen_slotted).

    def dataclass(*, frozen: bool, slots: bool) -> Callable[[type[Any]], type[Any]]:
        """``dataclasses.dataclass(frozen=True, slots=True)`` for the event classes."""
        assert frozen and slots
        return _frozen_slotted


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
class InterruptEvent(Generic[V_co]):
    """A run stopped at interrupts (``updates`` mode): LangGraph's ``{"__interrupt__": ...}`` chunk.

    ``interrupts`` are the :class:`~flowc.runtime.interrupts.Interrupt` s a task
    raised, or ``()`` when the run stopped at an ``interrupt_before`` /
    ``interrupt_after`` breakpoint. Generic over the interrupts' value type: a
    generated module's ``<Graph>Interrupted`` is ``InterruptEvent[Payload]``,
    with the payload types its spec's nodes declare (``interrupts = ...``).
    """

    interrupts: tuple[Interrupt[V_co], ...]
    ns: Namespace = ()
    mode: ClassVar[Literal["updates"]] = "updates"

    @property
    def ids(self) -> tuple[str, ...]:
        """The interrupts' ids: what ``resume({id: answer, ...})`` answers them by."""
        return tuple(i.id for i in self.interrupts)

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{"__interrupt__": interrupts}``."""
        return {"__interrupt__": self.interrupts}


@dataclass(frozen=True, slots=True)
class InterruptValuesEvent(Generic[S_co, V_co]):
    """The state when a task raised an interrupt (``values`` mode), with the interrupts.

    ``data`` is the state before the superstep's writes are applied, as in
    LangGraph, whose chunk is that state plus an ``"__interrupt__"`` key.
    Generic over the state and the interrupts' value type (as :class:`InterruptEvent`).
    """

    data: S_co
    interrupts: tuple[Interrupt[V_co], ...]
    ns: Namespace = ()
    mode: ClassVar[Literal["values"]] = "values"

    @property
    def ids(self) -> tuple[str, ...]:
        """The interrupts' ids."""
        return tuple(i.id for i in self.interrupts)

    def chunk(self) -> Any:
        """LangGraph's chunk: the state dict with ``"__interrupt__"`` added."""
        return {**self.data, "__interrupt__": self.interrupts}  # type: ignore[dict-item]


@dataclass(frozen=True, slots=True)
class ReplayedUpdatesEvent(Generic[N_co, U_co]):
    """What a task wrote before its run stopped, handed back to it on resume (``updates`` mode).

    A resumed superstep does not run again the tasks that finished before
    the interrupt: their stored writes are applied, and streamed as LangGraph
    streams them, marked ``"__metadata__": {"cached": True}``.
    """

    node: N_co
    data: U_co | None
    ns: Namespace = ()
    mode: ClassVar[Literal["updates"]] = "updates"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{node: update, "__metadata__": {"cached": True}}``."""
        return {self.node: self.data, "__metadata__": {"cached": True}}


@dataclass(frozen=True, slots=True)
class CustomEvent(Generic[C_co]):
    """A payload a node passed to its stream writer (``custom`` mode)."""

    data: C_co
    ns: Namespace = ()
    mode: ClassVar[Literal["custom"]] = "custom"

    def chunk(self) -> Any:
        """LangGraph's chunk: the payload itself."""
        return self.data


class MessageMetadata(TypedDict, Generic[MN], total=False):
    """Metadata of a ``messages`` event, with LangGraph's keys.

    Generic over the node names (``MessageMetadata[NodeName]`` in a graph's
    runner module, where ``langgraph_node`` is the node-name literal; a bare
    ``MessageMetadata`` has ``str``). User metadata (from the run config or the
    node) is merged in as extra keys.
    """

    thread_id: str
    ls_integration: str
    langgraph_step: int
    langgraph_node: MN
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
class MessagesEvent(Generic[M_co, MN_co]):
    """A chat-model token, a whole model reply, or a message a node returned.

    Generic over the message type and the node names: a runner module's
    ``<Graph>MessagesEvent`` is ``MessagesEvent[Message, NodeName]``, with
    :data:`flowc.integrations.Message` (LangChain's ``BaseMessage`` and flowc's
    OpenAI-client messages, when installed). A bare ``MessagesEvent`` is
    ``MessagesEvent[Any, str]``.
    """

    message: M_co
    metadata: MessageMetadata[MN_co]
    ns: Namespace = ()
    mode: ClassVar[Literal["messages"]] = "messages"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``(message, metadata)``."""
        return (self.message, self.metadata)


class TaskIds(Protocol):
    """What makes task ids: a run (``flowc.runtime.Run``)."""

    def task_id(self, step: int, name: str) -> TaskId:
        """The id of ``name``'s task in ``step``."""
        ...


PendingTaskId: TypeAlias = tuple[TaskIds, int, str]
"""A task id not made yet: the run, the step and the node whose task it is."""


def _made_task_id(pending: PendingTaskId) -> TaskId:
    ids, step, name = pending
    return ids.task_id(step, name)


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
    # runs give a task's id as (run, step, node) (see pending_task_event): it is made when read
    _made_on_read: ClassVar[Mapping[str, tuple[type[Any], Callable[[Any], Any]]]] = {
        "id": (tuple, _made_task_id)
    }

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
    _made_on_read: ClassVar[Mapping[str, tuple[type[Any], Callable[[Any], Any]]]] = {
        "id": (tuple, _made_task_id)
    }

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
class CheckpointEvent:
    """A checkpoint was saved (``checkpoints`` mode; wrapped in ``debug`` mode).

    Only runs on a thread of a graph compiled with a checkpointer have them.
    """

    config: Mapping[str, Any]
    parent_config: Mapping[str, Any] | None
    values: Mapping[str, Any]
    metadata: Mapping[str, Any]
    next: tuple[str, ...]
    tasks: tuple[Mapping[str, Any], ...]
    step: int
    ns: Namespace = ()
    mode: ClassVar[Literal["checkpoints"]] = "checkpoints"

    def chunk(self) -> Any:
        """LangGraph's payload: ``{'config', 'parent_config', 'values', 'metadata', 'next', 'tasks'}``."""
        return {
            "config": self.config,
            "parent_config": self.parent_config,
            "values": self.values,
            "metadata": self.metadata,
            "next": list(self.next),
            "tasks": list(self.tasks),
        }


@dataclass(frozen=True, slots=True)
class DebugEvent(Generic[N_co]):
    """A task event wrapped with its step and a UTC timestamp (``debug`` mode)."""

    step: int
    timestamp: str
    payload: TaskEvent[N_co, Any] | TaskResultEvent[N_co, Any]
    ns: Namespace = ()
    mode: ClassVar[Literal["debug"]] = "debug"
    # runs stamp their debug events with time.time_ns() (see stamped_debug_event):
    # the ISO string is made when an event's timestamp is first read
    _made_on_read: ClassVar[Mapping[str, tuple[type[Any], Callable[[Any], Any]]]] = {
        "timestamp": (int, iso_timestamp)
    }

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


@dataclass(frozen=True, slots=True)
class CheckpointDebugEvent:
    """A checkpoint event wrapped with its step and a UTC timestamp (``debug`` mode)."""

    step: int
    timestamp: str
    payload: CheckpointEvent
    ns: Namespace = ()
    mode: ClassVar[Literal["debug"]] = "debug"
    _made_on_read: ClassVar[Mapping[str, tuple[type[Any], Callable[[Any], Any]]]] = {
        "timestamp": (int, iso_timestamp)
    }

    @property
    def type(self) -> Literal["checkpoint"]:
        """Always ``"checkpoint"``."""
        return "checkpoint"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{'step', 'timestamp', 'type': 'checkpoint', 'payload'}``."""
        return {
            "step": self.step,
            "timestamp": self.timestamp,
            "type": "checkpoint",
            "payload": self.payload.chunk(),
        }


# What runs make the events of the tasks and debug modes with: the events'
# own classes, whose __init__ takes raw values where a field is made on read.
if TYPE_CHECKING:

    def pending_task_event(
        id: TaskId | PendingTaskId,
        name: str,
        input: Any,
        triggers: tuple[str, ...],
        metadata: Mapping[str, Any] | None,
        step: int,
        ns: Namespace,
    ) -> TaskEvent[str, Any]:
        """A task event whose id, if pending, is made when first read."""

    def pending_task_result_event(
        id: TaskId | PendingTaskId,
        name: str,
        error: BaseException | None,
        result: Any,
        step: int,
        interrupts: tuple[Any, ...],
        ns: Namespace,
    ) -> TaskResultEvent[str, Any]:
        """A task result event whose id, if pending, is made when first read."""

    def stamped_debug_event(
        step: int,
        time_ns: int,
        payload: TaskEvent[str, Any] | TaskResultEvent[str, Any],
        ns: Namespace,
    ) -> DebugEvent[str]:
        """A debug event whose timestamp is ``time_ns`` (``time.time_ns()``), formatted when read."""

else:
    pending_task_event = TaskEvent
    pending_task_result_event = TaskResultEvent
    stamped_debug_event = DebugEvent


Event: TypeAlias = (
    ValuesEvent[Any]
    | UpdatesEvent[str, Any]
    | CustomEvent[Any]
    | MessagesEvent
    | TaskEvent[str, Any]
    | TaskResultEvent[str, Any]
    | DebugEvent[str]
    | CheckpointEvent
    | CheckpointDebugEvent
    | InterruptEvent[Any]
    | InterruptValuesEvent[Any, Any]
    | ReplayedUpdatesEvent[str, Any]
)
