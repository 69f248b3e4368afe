"""Node functions whose signature or annotations do not fit the state."""

from __future__ import annotations

from typing import TypedDict

from decostate import State, TopicUpdate

from flowc import END, START, Graph


class Typos(TypedDict):
    topik: str


class WrongType(TypedDict):
    count: str


class Mood(TypedDict):
    mood: str


graph = Graph("signatures", State)


@graph.node
def no_params() -> TopicUpdate:
    return {"topic": "x"}


@graph.node
def extra(state: State, retries: int) -> TopicUpdate:
    return {"topic": "x"}


@graph.node
def as_int(state: int) -> TopicUpdate:
    return {"topic": "x"}


@graph.node
def moody(state: Mood) -> TopicUpdate:
    return {"topic": state["mood"]}


@graph.node
def typos(state: State) -> Typos:
    return {"topik": "x"}


@graph.node
def wrong_type(state: State) -> WrongType:
    return {"count": "one"}


@graph.node(name="text")
def returns_text(state: State) -> str:
    return "x"


graph.sequence(START, "no_params", "extra", "as_int", "moody", "typos", "wrong_type", "text", END)
