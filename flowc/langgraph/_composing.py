"""A compiled graph in LangChain's runnable compositions: ``graph | runnable``,
``runnable | graph`` and ``graph.pipe(...)``, as LangGraph's ``CompiledStateGraph`` (a LangChain
``Runnable``) takes part in them.

flowc's compiled graph is no subclass of ``Runnable`` (the drop-in imports no LangChain until a
run needs it): ``graph | runnable`` wraps it in :func:`as_runnable`, a ``Runnable`` whose
``invoke``, ``ainvoke``, ``stream`` and ``astream`` are the graph's, so a sequence's ``stream``
yields the graph's chunks as they come. For ``runnable | graph`` (where LangChain's ``|`` takes
only its own runnables) the class is registered as a virtual ``Runnable`` once LangChain's
runnables are loaded (:func:`register_as_runnable`), and offers ``transform``/``atransform``,
which a sequence calls on its steps.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from functools import cache
from typing import Any

_registered: list[type[Any]] = []


class _Composing:
    """``|`` and ``pipe`` for :class:`~._compiled.CompiledStateGraph`."""

    def __or__(self, other: Any) -> Any:
        return as_runnable(self) | other

    def __ror__(self, other: Any) -> Any:
        return other | as_runnable(self)

    def pipe(self, *others: Any, name: str | None = None) -> Any:
        """The sequence of this graph and ``others``, as LangChain's ``Runnable.pipe``."""
        return as_runnable(self).pipe(*others, name=name)

    def transform(self, input: Iterator[Any], config: Any = None, **kwargs: Any) -> Iterator[Any]:
        """The graph run on its input's chunks added up, streamed (LangChain's ``transform``)."""
        yield from as_runnable(self).transform(input, config, **kwargs)

    async def atransform(
        self, input: AsyncIterator[Any], config: Any = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`transform`."""
        async for chunk in as_runnable(self).atransform(input, config, **kwargs):
            yield chunk


def register_as_runnable(cls: type[Any]) -> None:
    """Make ``cls`` a virtual subclass of LangChain's ``Runnable`` if LangChain's runnables are
    loaded (code that composes runnables has loaded them), so ``runnable | graph`` takes it."""
    if cls in _registered:
        return
    runnables = sys.modules.get("langchain_core.runnables")
    if runnables is None:
        return
    runnables.Runnable.register(cls)
    _registered.append(cls)


def as_runnable(graph: Any) -> Any:
    """``graph`` as a LangChain ``Runnable`` that runs it."""
    register_as_runnable(type(graph))
    return _runnable_class()(graph)


@cache
def _runnable_class() -> type[Any]:
    from langchain_core.runnables import Runnable

    class GraphRunnable(Runnable[Any, Any]):
        """A flowc graph as a LangChain ``Runnable``: its runs are the graph's."""

        def __init__(self, graph: Any) -> None:
            self.graph = graph
            self.name = graph.name

        def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
            return self.graph.invoke(input, config, **kwargs)

        async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
            return await self.graph.ainvoke(input, config, **kwargs)

        def stream(self, input: Any, config: Any = None, **kwargs: Any) -> Iterator[Any]:
            yield from self.graph.stream(input, config, **kwargs)

        async def astream(
            self, input: Any, config: Any = None, **kwargs: Any
        ) -> AsyncIterator[Any]:
            async for chunk in self.graph.astream(input, config, **kwargs):
                yield chunk

        def __repr__(self) -> str:
            return f"GraphRunnable({self.graph!r})"

    return GraphRunnable
