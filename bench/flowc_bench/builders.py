"""The graphs of the newer cases, written once against LangGraph's builder API.

The same code builds them with LangGraph (``langgraph.graph``) and with flowc's
drop-in (``flowc.langgraph``): :func:`router12` and :func:`sleep8` take the
module whose ``StateGraph``, ``START`` and ``END`` they use.
"""

from __future__ import annotations

import operator
from types import ModuleType
from typing import Annotated, Any, TypedDict

from . import nodes
from .specs import (
    PARENT,
    ROUTER_FAN,
    ROUTER_HEAD,
    ROUTER_TAIL,
    SUB_WRITER,
    WRITER_AT,
    chain_names,
    sleep_names,
    sub_names,
)


class ItemsState(TypedDict, total=False):
    count: int
    items: Annotated[list[int], operator.add]


class CountState(TypedDict, total=False):
    count: int


def chain(api: ModuleType, n: int) -> Any:
    """A chain of ``n`` nodes calling ``inc``."""
    graph = api.StateGraph(CountState)
    names = chain_names(n)
    for name in names:
        graph.add_node(name, nodes.inc)
    for a, b in zip([api.START, *names], [*names, api.END], strict=True):
        graph.add_edge(a, b)
    return graph.compile()


def chain_one_writer(api: ModuleType, n: int = 10) -> Any:
    """A chain of ``n`` nodes of which one (``WRITER_AT``) calls its writer."""
    graph = api.StateGraph(CountState)
    names = chain_names(n)
    for index, name in enumerate(names):
        graph.add_node(name, nodes.inc_write if index == WRITER_AT else nodes.inc)
    for a, b in zip([api.START, *names], [*names, api.END], strict=True):
        graph.add_edge(a, b)
    return graph.compile()


def streaming_subgraph_parent(api: ModuleType) -> Any:
    """Five plain nodes whose middle one runs a 5-node subgraph in which ``SUB_WRITER``
    calls its writer: the parent's only node that streams is its subgraph node."""
    sub = api.StateGraph(CountState)
    inner = sub_names()
    for name in inner:
        sub.add_node(name, nodes.inc_write if name == SUB_WRITER else nodes.inc)
    for a, b in zip([api.START, *inner], [*inner, api.END], strict=True):
        sub.add_edge(a, b)
    compiled = sub.compile()
    graph = api.StateGraph(CountState)
    for name in PARENT:
        graph.add_node(name, compiled if name == "middle" else nodes.inc)
    for a, b in zip([api.START, *PARENT], [*PARENT, api.END], strict=True):
        graph.add_edge(a, b)
    return graph.compile()


def router12(api: ModuleType) -> Any:
    """The 12-node graph of ``specs.router_toml``: two routers, a 3-way parallel step."""
    graph = api.StateGraph(ItemsState)
    for name in (*ROUTER_HEAD, "b0", *ROUTER_TAIL):
        graph.add_node(name, nodes.inc)
    for name in ROUTER_FAN:
        graph.add_node(name, nodes.fan_write if name == "p0" else nodes.fan)
    for a, b in zip([api.START, *ROUTER_HEAD[:-1]], ROUTER_HEAD, strict=True):
        graph.add_edge(a, b)
    graph.add_conditional_edges("a2", nodes.to_fan, ["b0", api.END])
    for name in ROUTER_FAN:
        graph.add_edge("b0", name)
    graph.add_edge(list(ROUTER_FAN), "c0")
    graph.add_edge("c0", "c1")
    graph.add_conditional_edges("c1", nodes.to_tail, ["c2", api.END])
    graph.add_edge("c2", "d0")
    graph.add_edge("d0", "d1")
    graph.add_edge("d1", api.END)
    return graph.compile()


def sleep8(api: ModuleType) -> Any:
    """The graph of ``specs.sleep_toml``: parallel sleeping nodes, then a join."""
    graph = api.StateGraph(ItemsState)
    names = sleep_names()
    for name in names:
        graph.add_node(name, nodes.nap)
        graph.add_edge(api.START, name)
    graph.add_node("join", nodes.join)
    graph.add_edge(names, "join")
    graph.add_edge("join", api.END)
    return graph.compile()
