"""Subgraph nodes whose graphs have their own input and output schemas.

`narrow` takes `topic` only (its input schema) and gives back `answer` only (its output
schema), though it writes `count` and a private `scratch` too; `wide` has an output schema
with keys its state has not (private channels of the subgraph), as LangGraph's map-reduce
examples do.
"""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class Parent(TypedDict):
    topic: str
    count: int
    answer: str
    jokes: Annotated[list[str], operator.add]


class NarrowIn(TypedDict):
    topic: str


class NarrowOut(TypedDict):
    answer: str


class Narrow(TypedDict):
    topic: str
    count: int
    answer: str
    scratch: str


def think(state: Narrow):
    return {"answer": f"about {state['topic']}", "count": 99, "scratch": f"saw {sorted(state)}"}


narrow = (
    StateGraph(Narrow, input_schema=NarrowIn, output_schema=NarrowOut)
    .add_node("think", think)
    .add_edge(START, "think")
    .compile()
)


class Joke(TypedDict):
    topic: str


def joke(state: Joke):
    return {"jokes": [f"joke about {state['topic']}"]}


wide = (
    StateGraph(Joke, output_schema=Parent).add_node("joke", joke).add_edge(START, "joke").compile()
)


def count(state: Parent):
    return {"count": state["count"] + 1}


graph = (
    StateGraph(Parent)
    .add_node("narrow", narrow)
    .add_node("wide", wide)
    .add_node("count", count)
    .add_edge(START, "narrow")
    .add_edge("narrow", "wide")
    .add_edge("wide", "count")
    .compile()
)

INPUTS = [{"topic": "cats", "count": 1, "jokes": []}]
