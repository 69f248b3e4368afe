"""Edges and routers naming nodes nobody declared, and START/END on the wrong end."""

from __future__ import annotations

from typing import Literal

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("unknown_nodes", State)


@graph.node
def refine(state: State) -> TopicUpdate:
    return {"topic": state["topic"] + "!"}


@graph.node
def summarize(state: State) -> TopicUpdate:
    return {"topic": "done"}


def route(state: State) -> Literal["go", "stop"]:
    return "go"


graph.add_edge(START, "refine")
graph.add_edge("refine", "sumarize")
graph.add_edge(["refine", "critic"], "summarize")
graph.add_edge("summarize", START)
graph.add_edge(END, "refine")
graph.add_conditional_edges("refiner", route, {"go": "summarize", "stop": "publish"})
