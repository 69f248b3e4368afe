"""Functions generated code cannot import: a closure, a lambda, something not callable."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("unimportable", State)


def make_node() -> object:
    def inner(state: State) -> TopicUpdate:
        return {"topic": "inner"}

    return inner


graph.add_node("inner", make_node())  # type: ignore[arg-type]
graph.add_node("constant", 42)  # type: ignore[arg-type]
graph.add_edge(START, "inner")
graph.add_conditional_edges("inner", lambda state: END, [END])
