"""Writes to keys the state has not are dropped, as LangGraph drops them: from a dict, a
`Command`'s update and a subgraph's node; a node that writes only such keys wrote nothing."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command


class State(TypedDict):
    foo: Annotated[int, operator.add]
    bar: str


def first(state: State):
    return {"foo": 1, "junk": 1}


def second(state: State):
    return {"foo": 1, "bar": "b", "something_else": "meow"}


def nothing_known(state: State):
    return {"zzz": 1}


def command(state: State):
    return Command(update={"foo": 5, "nope": 2})


inner = (
    StateGraph(State)
    .add_node("deep", lambda state: {"bar": "x", "extra": 3})
    .add_edge(START, "deep")
    .compile()
)
graph = (
    StateGraph(State)
    .add_sequence([first, second, nothing_known, command, ("sub", inner)])
    .add_edge(START, "first")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"foo": 0}]
