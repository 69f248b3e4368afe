"""The benchmark graphs built directly with LangGraph's ``StateGraph``.

Same node functions, same state keys and reducers, same edges as the TOML
specs of :mod:`flowc_bench.specs`.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph

from . import nodes
from .specs import PARENT, chain_names, fan_names, sub_names


class CountState(TypedDict, total=False):
    count: int


class FanState(TypedDict, total=False):
    count: int
    items: Annotated[list[int], operator.add]


def _chain(names: list[str], fn: Any) -> StateGraph[Any]:
    graph: StateGraph[Any] = StateGraph(CountState)
    for name in names:
        graph.add_node(name, fn)
    for a, b in zip([START, *names], [*names, END], strict=True):
        graph.add_edge(a, b)
    return graph


def chain(n: int, *, writer: bool = False, checkpointer: Any = None) -> Any:
    """A chain of ``n`` nodes (calling ``inc_write`` when ``writer``), with a saver if given."""
    graph = _chain(chain_names(n), nodes.inc_write if writer else nodes.inc)
    return graph.compile(checkpointer=checkpointer)


def fanout() -> Any:
    """Parallel nodes appending to a list, then a join node."""
    graph: StateGraph[Any] = StateGraph(FanState)
    names = fan_names()
    for name in names:
        graph.add_node(name, nodes.fan)
        graph.add_edge(START, name)
    graph.add_node("join", nodes.join)
    graph.add_edge(names, "join")
    graph.add_edge("join", END)
    return graph.compile()


def loop() -> Any:
    """One node routing back to itself."""
    graph: StateGraph[Any] = StateGraph(CountState)
    graph.add_node("tick", nodes.inc)
    graph.add_edge(START, "tick")
    graph.add_conditional_edges("tick", nodes.again, ["tick", END])
    return graph.compile()


def parent() -> Any:
    """Five nodes whose middle one is a compiled 5-node subgraph."""
    sub = _chain(sub_names(), nodes.inc).compile()
    graph: StateGraph[Any] = StateGraph(CountState)
    for name in PARENT:
        graph.add_node(name, sub if name == "middle" else nodes.inc)
    for a, b in zip([START, *PARENT], [*PARENT, END], strict=True):
        graph.add_edge(a, b)
    return graph.compile()
