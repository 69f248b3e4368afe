"""A node's return type writes a key its declared `writes` leaves out."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("deco_writes", State)


@graph.node(writes=["count"])
def refine(state: State) -> TopicUpdate:
    return {"topic": "cats"}


graph.add_edge(START, "refine")
graph.add_edge("refine", END)
