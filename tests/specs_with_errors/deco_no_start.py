"""A graph with nodes and edges, but no edge out of START."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, Graph

graph = Graph("no_start", State)


@graph.node
def only(state: State) -> TopicUpdate:
    return {"topic": "x"}


graph.add_edge("only", END)
