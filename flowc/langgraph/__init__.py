"""LangGraph's builder API on flowc: change the imports, get a checked, compiled graph.

.. code-block:: python

    # from langgraph.graph import StateGraph, START, END
    # from langgraph.config import get_stream_writer
    from flowc.langgraph import END, START, StateGraph, get_stream_writer

    graph = StateGraph(State).add_node(refine_topic).add_edge(START, "refine_topic").compile()
    for chunk in graph.stream({"topic": "ice cream"}, stream_mode="updates"):
        print(chunk)

``add_messages`` and ``MessagesState`` are flowc's (LangGraph's merge by
message id). ``compile()`` runs flowc's checks (one :class:`GraphCompileError` lists every
problem, each at the builder call it is about), generates a runner module and
returns a graph whose ``stream``, ``astream``, ``invoke`` and ``ainvoke``
produce exactly LangGraph v1's chunks and results. LangGraph features flowc
does not support yet fail at ``compile()`` (node options at ``add_node``) with
an :class:`UnsupportedFeatureError` or a diagnostic naming the feature.
"""

from __future__ import annotations

from typing import Any

from flowc.dsl.spec import END, START
from flowc.reducers import add_messages
from flowc.runtime import StreamWriter, get_config, get_stream_writer

from ._builder import StateGraph
from ._compiled import CompiledStateGraph
from ._draw import DrawableGraph
from ._errors import GraphCompileError, UnsupportedFeatureError

__all__ = [
    "END",
    "START",
    "CompiledStateGraph",
    "DrawableGraph",
    "GraphCompileError",
    "MessagesState",
    "StateGraph",
    "StreamWriter",
    "UnsupportedFeatureError",
    "add_messages",
    "get_config",
    "get_stream_writer",
]

_NOT_YET: dict[str, str] = {
    "Send": "`Send` (a dynamic fan-out); return a list of node names from a router instead",
    "Command": "`Command`; return the update from the node and route with add_conditional_edges",
    "interrupt": "`interrupt()` (human in the loop needs a checkpointer)",
    "RetryPolicy": "retry policies",
    "CachePolicy": "cache policies",
    "MessageGraph": "`MessageGraph` (removed from LangGraph 1.x too); use StateGraph",
    "InMemorySaver": "checkpointers",
    "MemorySaver": "checkpointers",
}


def __getattr__(name: str) -> Any:
    if name == "MessagesState":
        from ._messages import MessagesState

        return MessagesState
    what = _NOT_YET.get(name)
    if what is not None:
        raise ImportError(f"flowc.langgraph has no {name}: {what} is not supported by flowc yet")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
