"""A graph whose input schema has a key its state lacks and whose output schema is no class,
and a node whose schema types a state key otherwise than the state."""

from __future__ import annotations

from typing import TypedDict

from decostate import State, TopicUpdate

from flowc import END, START, Graph


class Question(TypedDict):
    topic: str
    question: str


class Counted(TypedDict):
    count: str


graph = Graph("deco_io_schemas", State, input_schema=Question, output_schema=int)


def ok(state: State) -> TopicUpdate:
    return {"topic": "ok"}


def counted(state: Counted) -> TopicUpdate:
    return {"topic": state["count"]}


graph.add_node("a", ok)
graph.add_node("b", counted)
graph.add_edge(START, "a")
graph.add_edge("a", "b")
graph.add_edge("b", END)
