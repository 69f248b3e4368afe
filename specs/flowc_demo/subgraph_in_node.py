"""Nodes of `subgraph_in_node`: each runs `subgraph_child.toml` inside its function."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from flowc_demo.children import achunks, child, chunks

CHILD = "subgraph_child.toml"


EXAMPLE_INPUT = {"foo": "foo"}


class InNodeState(TypedDict, total=False):
    foo: str
    calls: Annotated[list[str], operator.add]


def call_subgraph(state: InNodeState) -> InNodeState:
    out = child(CHILD).invoke({"foo": state["foo"]})
    return {"foo": out["foo"], "calls": ["call_subgraph"]}


def twice(state: InNodeState) -> InNodeState:
    graph = child(CHILD)
    first = graph.invoke({"foo": state["foo"]})
    # the second call is consumed here, in a mode of its own
    updated = [
        node
        for chunk in chunks(graph, {"foo": first["foo"]}, stream_mode="updates")
        for node in chunk
    ]
    return {"foo": first["foo"] + "+" + ",".join(updated), "calls": ["twice"] * 2}


def three_times(state: InNodeState) -> InNodeState:
    graph = child(CHILD)
    foo = state["foo"]
    for _ in range(3):
        foo = graph.invoke({"foo": foo})["foo"]
    return {"foo": foo, "calls": ["three_times"] * 3}


async def acall_subgraph(state: InNodeState) -> InNodeState:
    out = await child(CHILD).ainvoke({"foo": state["foo"]})
    return {"foo": out["foo"], "calls": ["call_subgraph"]}


async def atwice(state: InNodeState) -> InNodeState:
    graph = child(CHILD)
    last = state["foo"]
    async for values in achunks(graph, {"foo": last}, stream_mode="values"):
        last = values["foo"]
    out = await graph.ainvoke({"foo": last})
    return {"foo": out["foo"], "calls": ["twice"] * 2}
