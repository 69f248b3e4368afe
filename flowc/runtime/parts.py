"""The TypedDicts of LangGraph's v2 stream parts (``version="v2"``), one per mode.

Generic over what flowc knows of a graph's payloads: a generated module's
``stream_chunks(..., version="v2")`` fills them in with the graph's own types
(docs/events.md); ``Any`` gives LangGraph's typing. Only type annotations need
this module, so the runtime imports it when a name is first asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Literal, NotRequired, TypeAlias, TypedDict, TypeVar

from .events import MessageMetadata, Namespace

__all__ = [
    "CustomPart",
    "DebugPart",
    "DebugTaskPayload",
    "DebugTaskResultPayload",
    "MessagesPart",
    "StreamPart",
    "TaskPayload",
    "TaskResultPayload",
    "TasksPart",
    "UpdatesPart",
    "ValuesPart",
]

S = TypeVar("S")
C = TypeVar("C")
N = TypeVar("N", bound=str)
I = TypeVar("I")  # noqa: E741 - the input, as in TaskEvent
U = TypeVar("U")


class ValuesPart(TypedDict, Generic[S]):
    """A ``values`` stream part: the whole state after a superstep."""

    type: Literal["values"]
    ns: Namespace
    data: S
    interrupts: tuple[Any, ...]
    """The interrupts a task raised in this superstep (its ``Interrupt`` s), else ``()``."""


class UpdatesPart(TypedDict):
    """An ``updates`` stream part: ``{node: what it wrote}``."""

    type: Literal["updates"]
    ns: Namespace
    data: dict[str, Any]


class CustomPart(TypedDict, Generic[C]):
    """A ``custom`` stream part: what a node passed to its stream writer."""

    type: Literal["custom"]
    ns: Namespace
    data: C


class MessagesPart(TypedDict):
    """A ``messages`` stream part: ``(message, metadata)``."""

    type: Literal["messages"]
    ns: Namespace
    data: tuple[Any, MessageMetadata]


class TaskPayload(TypedDict, Generic[N, I]):
    """A task about to run; ``metadata`` only when the node has some."""

    id: str
    name: N
    input: I
    triggers: tuple[str, ...]
    metadata: NotRequired[Mapping[str, Any]]


class TaskResultPayload(TypedDict, Generic[N, U]):
    """A task that finished: its writes (``result``) or its ``error``."""

    id: str
    name: N
    error: BaseException | None
    result: U
    interrupts: list[Any]


class TasksPart(TypedDict, Generic[N, I, U]):
    """A ``tasks`` stream part: a task start or a task result."""

    type: Literal["tasks"]
    ns: Namespace
    data: TaskPayload[N, I] | TaskResultPayload[N, U]


class DebugTaskPayload(TypedDict, Generic[N, I]):
    """A task start as the ``debug`` mode wraps it."""

    step: int
    timestamp: str
    type: Literal["task"]
    payload: TaskPayload[N, I]


class DebugTaskResultPayload(TypedDict, Generic[N, U]):
    """A task result as the ``debug`` mode wraps it."""

    step: int
    timestamp: str
    type: Literal["task_result"]
    payload: TaskResultPayload[N, U]


class DebugPart(TypedDict, Generic[N, I, U]):
    """A ``debug`` stream part (flowc has no checkpointer, hence no checkpoint payloads)."""

    type: Literal["debug"]
    ns: Namespace
    data: DebugTaskPayload[N, I] | DebugTaskResultPayload[N, U]


StreamPart: TypeAlias = (
    ValuesPart[Any]
    | UpdatesPart
    | CustomPart[Any]
    | MessagesPart
    | TasksPart[Any, Any, Any]
    | DebugPart[Any, Any, Any]
)
"""Any v2 stream part; ``part["type"]`` narrows it."""
