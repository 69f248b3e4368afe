"""A graph that adds itself as one of its own nodes."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("self_subgraph", State)


def refine(state: State) -> TopicUpdate:
    return {"topic": "x"}


graph.add_node(refine)
graph.add_node("again", graph)
graph.sequence(START, "refine", "again", END)
