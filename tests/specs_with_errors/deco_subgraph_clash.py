"""A subgraph named like the graph that contains it: both would be module `clash`."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph


def refine(state: State) -> TopicUpdate:
    return {"topic": "x"}


inner = Graph("clash", State)
inner.add_node(refine)
inner.sequence(START, "refine", END)

graph = Graph("clash", State)
graph.add_node("inner", inner)
graph.sequence(START, "inner", END)
