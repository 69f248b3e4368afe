"""LangGraph's chunk shapes for flowc events, for code that migrates call sites.

With ``version="v1"`` (LangGraph's default), ``stream()`` shapes each item by
how ``stream_mode`` was given:

=========================  ===================  ======================
``stream_mode``            ``subgraphs=False``  ``subgraphs=True``
=========================  ===================  ======================
a string                   ``chunk``            ``(ns, chunk)``
a list                     ``(mode, chunk)``    ``(ns, mode, chunk)``
a tuple / other sequence   ``chunk``            ``(ns, chunk)``
=========================  ===================  ======================

With ``version="v2"`` every item is a :data:`StreamPart`, a dict
``{"type": mode, "ns": ns, "data": chunk}`` whatever the shape of
``stream_mode`` and ``subgraphs`` (``values`` parts add ``"interrupts"``).
A ``values`` part of the root graph carries the state as the graph's state
class when that is a dataclass or pydantic model (``values`` maps the dict
to it), as LangGraph's v2 parts do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, Literal, NotRequired, TypeAlias, TypedDict, TypeVar

from .events import Event, MessageMetadata, Namespace, StreamMode

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
    "ValuesMapper",
    "ValuesPart",
    "Version",
    "ashape_chunks",
    "ashape_parts",
    "shape_chunks",
    "shape_parts",
]

Version: TypeAlias = Literal["v1", "v2"]
"""LangGraph's ``version=`` of ``stream``: v1's chunk shapes or v2's stream parts."""

# The parts are generic over what flowc knows of a graph's payloads: a
# generated module's ``stream_chunks(..., version="v2")`` fills them in with
# the graph's own types (docs/events.md), ``Any`` gives LangGraph's typing.
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
    """Always ``()``: flowc has no interrupts."""


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


def _shaper(stream_mode: StreamMode | Sequence[StreamMode], subgraphs: bool) -> Any:
    if isinstance(stream_mode, list):
        if subgraphs:
            return lambda ev: (ev.ns, ev.mode, ev.chunk())
        return lambda ev: (ev.mode, ev.chunk())
    if subgraphs:
        return lambda ev: (ev.ns, ev.chunk())
    return lambda ev: ev.chunk()


def shape_chunks(
    events: Iterable[Event], stream_mode: StreamMode | Sequence[StreamMode], subgraphs: bool
) -> Iterator[Any]:
    """LangGraph v1's items for ``events`` streamed with these arguments."""
    shape = _shaper(stream_mode, subgraphs)
    for event in events:
        yield shape(event)


async def ashape_chunks(
    events: AsyncIterator[Event], stream_mode: StreamMode | Sequence[StreamMode], subgraphs: bool
) -> AsyncIterator[Any]:
    """Async twin of :func:`shape_chunks`."""
    shape = _shaper(stream_mode, subgraphs)
    async for event in events:
        yield shape(event)


ValuesMapper: TypeAlias = Callable[[dict[str, Any]], Any]
"""What makes a root ``values`` part's ``data`` from the state dict."""


def _part(event: Event, values: ValuesMapper | None) -> StreamPart:
    mode = event.mode
    if mode == "values":
        data = event.chunk()
        # a subgraph's values stay a dict: LangGraph maps them with the root's
        # class too, which drops the subgraph's own keys or fails
        # (docs/differences-from-langgraph.md)
        if values is not None and not event.ns:
            data = values(data)
        return {"type": "values", "ns": event.ns, "data": data, "interrupts": ()}
    return {"type": mode, "ns": event.ns, "data": event.chunk()}  # type: ignore[return-value,misc]


def shape_parts(
    events: Iterable[Event], values: ValuesMapper | None = None
) -> Iterator[StreamPart]:
    """LangGraph v2's stream parts for ``events``.

    Args:
        events: a run's events.
        values: makes a root ``values`` part's ``data`` from the state dict
            (the state class of a dataclass or pydantic state); ``None``
            keeps the dict.
    """
    for event in events:
        yield _part(event, values)


async def ashape_parts(
    events: AsyncIterator[Event], values: ValuesMapper | None = None
) -> AsyncIterator[StreamPart]:
    """Async twin of :func:`shape_parts`."""
    async for event in events:
        yield _part(event, values)
