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
to it), as LangGraph's v2 parts do. The parts' types are in :mod:`.parts`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from .events import Event, StreamMode

if TYPE_CHECKING:
    # the parts' TypedDicts cost a runner's import a few milliseconds: loaded when asked for
    from .parts import StreamPart

__all__ = [
    "ValuesMapper",
    "Version",
    "ashape_chunks",
    "ashape_parts",
    "shape_chunks",
    "shape_parts",
]

Version: TypeAlias = Literal["v1", "v2"]
"""LangGraph's ``version=`` of ``stream``: v1's chunk shapes or v2's stream parts."""


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
    try:
        async for event in events:
            yield shape(event)
    finally:
        # a consumer that stops early stops the run now: its tasks are cancelled and awaited
        await _aclose(events)


ValuesMapper: TypeAlias = Callable[[dict[str, Any]], Any]
"""What makes a root ``values`` part's ``data`` from the state dict."""


def _part(event: Event, values: ValuesMapper | None) -> StreamPart:
    mode = event.mode
    if mode == "values":
        data: Any = event.data  # type: ignore[union-attr]
        # a subgraph's values stay a dict: LangGraph maps them with the root's
        # class too, which drops the subgraph's own keys or fails
        # (docs/differences-from-langgraph.md)
        if values is not None and not event.ns:
            data = values(data)
        # the state when a task raised an interrupt carries it, as LangGraph's parts do
        interrupts = getattr(event, "interrupts", ())
        return {"type": "values", "ns": event.ns, "data": data, "interrupts": interrupts}
    chunk = event.chunk()
    if values is not None and not event.ns and mode in ("checkpoints", "debug"):
        chunk = _checkpoint_values(chunk, values)
    return {"type": mode, "ns": event.ns, "data": chunk}  # type: ignore[return-value,misc]


def _checkpoint_values(chunk: Any, values: ValuesMapper) -> Any:
    """A ``checkpoints`` payload (or a ``debug`` checkpoint's) with its ``values`` made by
    ``values``, as LangGraph's v2 parts give them — but for the input's checkpoint, whose
    state may lack keys the state class requires."""
    if not isinstance(chunk, dict):
        return chunk
    if chunk.get("type") == "checkpoint" and isinstance(chunk.get("payload"), dict):
        return {**chunk, "payload": _checkpoint_values(chunk["payload"], values)}
    state = chunk.get("values")
    if not isinstance(state, dict) or "__start__" in chunk.get("next", ()):
        return chunk
    return {**chunk, "values": values(state)}


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
    try:
        async for event in events:
            yield _part(event, values)
    finally:
        await _aclose(events)


async def _aclose(events: AsyncIterator[Any]) -> None:
    close = getattr(events, "aclose", None)
    if close is not None:
        await close()
