"""The compiled graphs that nodes run inside their own function.

A node that calls another graph's ``invoke`` or ``stream`` looks that graph up
here, by spec file name. By default it gets flowc's runner module for the spec
(built in memory); :func:`resolving` swaps in another implementation for the
code running inside it, which is how the conformance tests run the very same
node functions under LangGraph with LangGraph's compiled child graph.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import flowc

__all__ = ["achunks", "child", "chunks", "resolving"]

SPECS = Path(__file__).resolve().parent.parent

_resolver: ContextVar[Callable[[str], Any] | None] = ContextVar("flowc_demo_children", default=None)


@functools.cache
def _flowc_child(spec: str) -> Any:
    return flowc.build(SPECS / spec)


def child(spec: str) -> Any:
    """The compiled graph of ``spec`` (a file under ``specs/``) for the current context."""
    resolve = _resolver.get()
    return _flowc_child(spec) if resolve is None else resolve(spec)


@contextmanager
def resolving(resolve: Callable[[str], Any]) -> Iterator[None]:
    """Inside this block (and the threads and tasks it starts), :func:`child` asks ``resolve``."""
    token = _resolver.set(resolve)
    try:
        yield
    finally:
        _resolver.reset(token)


def chunks(graph: Any, input: Any, **options: Any) -> Iterator[Any]:
    """LangGraph-shaped items of ``graph.stream``, whichever implementation ``graph`` is."""
    if hasattr(graph, "stream_chunks"):
        return graph.stream_chunks(input, **options)  # type: ignore[no-any-return]
    return graph.stream(input, **options)  # type: ignore[no-any-return]


def achunks(graph: Any, input: Any, **options: Any) -> AsyncIterator[Any]:
    """Async twin of :func:`chunks`."""
    if hasattr(graph, "astream_chunks"):
        return graph.astream_chunks(input, **options)  # type: ignore[no-any-return]
    return graph.astream(input, **options)  # type: ignore[no-any-return]
