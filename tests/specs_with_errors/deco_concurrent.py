"""Three nodes of one superstep write the same last-value key; two others share a step later."""

from __future__ import annotations

from decostate import CountUpdate, State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("concurrent", State)


@graph.node
def left(state: State) -> TopicUpdate:
    return {"topic": "left"}


@graph.node
def middle(state: State) -> TopicUpdate:
    return {"topic": "middle"}


@graph.node
def right(state: State) -> TopicUpdate:
    return {"topic": "right"}


@graph.node
def tally(state: State) -> CountUpdate:
    return {"count": 1}


@graph.node
def recount(state: State) -> CountUpdate:
    return {"count": 2}


graph.add_edge(START, ["left", "middle", "right"])
graph.add_edge("left", "tally")
graph.add_edge("right", "recount")
graph.add_edge(["tally", "recount"], END)
graph.add_edge("middle", END)
