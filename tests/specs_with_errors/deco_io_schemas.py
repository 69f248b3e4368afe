"""A graph whose input schema has a key its state lacks, and whose output schema is no class."""

from __future__ import annotations

from typing import TypedDict

from decostate import State, TopicUpdate

from flowc import END, START, Graph


class Question(TypedDict):
    topic: str
    question: str


graph = Graph("deco_io_schemas", State, input_schema=Question, output_schema=int)


def ok(state: State) -> TopicUpdate:
    return {"topic": "ok"}


graph.add_node("a", ok)
graph.add_edge(START, "a")
graph.add_edge("a", END)
