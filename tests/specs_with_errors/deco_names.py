"""Node names that cannot be used: a duplicate, LangGraph's reserved characters, a reserved name."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("names", State)


def refine(state: State) -> TopicUpdate:
    return {"topic": state["topic"]}


graph.add_node(refine)
graph.add_node(refine)
graph.add_node("a|b", refine)
graph.add_node("sub:task", refine)
graph.add_node(END, refine)
graph.sequence(START, "refine", "a|b", "sub:task", END)
