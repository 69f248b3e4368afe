"""LangGraph's chunk shapes for flowc events, for code that migrates call sites.

LangGraph's ``stream()`` shapes each item by how ``stream_mode`` was given:

=========================  ===================  ======================
``stream_mode``            ``subgraphs=False``  ``subgraphs=True``
=========================  ===================  ======================
a string                   ``chunk``            ``(ns, chunk)``
a list                     ``(mode, chunk)``    ``(ns, mode, chunk)``
a tuple / other sequence   ``chunk``            ``(ns, chunk)``
=========================  ===================  ======================
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import Any

from .events import Event, StreamMode

__all__ = ["ashape_chunks", "shape_chunks"]


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
