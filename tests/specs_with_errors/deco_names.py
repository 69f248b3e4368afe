"""Node names that cannot be used: a duplicate, a keyword, a dash, a reserved name."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("names", State)


def refine(state: State) -> TopicUpdate:
    return {"topic": state["topic"]}


graph.add_node(refine)
graph.add_node(refine)
graph.add_node("class", refine)
graph.add_node("my-node", refine)
graph.add_node(END, refine)
graph.sequence(START, "refine", "class", "my-node", END)
