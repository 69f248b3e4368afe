"""The benchmark's chain built with the drop-in builder (``flowc.langgraph``).

The same builder code as :func:`flowc_bench.langgraph_graphs.chain`, with the
import changed: ``compile()`` checks the graph and generates its runner (or
reads it back from flowc's disk cache).
"""

from __future__ import annotations

from typing import Any, TypedDict

from flowc.langgraph import END, START, StateGraph

from . import nodes
from .specs import chain_names


class CountState(TypedDict, total=False):
    count: int


def chain(n: int) -> Any:
    """A chain of ``n`` nodes calling ``inc``."""
    graph: StateGraph[Any] = StateGraph(CountState)
    names = chain_names(n)
    for name in names:
        graph.add_node(name, nodes.inc)
    for a, b in zip([START, *names], [*names, END], strict=True):
        graph.add_edge(a, b)
    return graph.compile()
