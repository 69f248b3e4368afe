"""A node returning a list of updates with a `Command` in it: every item's writes in order, a
key with a reducer through it each time, the Commands' gotos followed; a root state's list of
values and Commands; a `Command` whose update is a list of pairs writing a key twice. (A key
without a reducer written twice fails with LangGraph's error, at another point of the stream:
tests/test_writes.py.)"""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command


class State(TypedDict):
    foo: Annotated[str, operator.add]
    bar: int


def twice(state: State):
    time.sleep(0.05)  # finishes after `mixed`
    return [Command(update={"foo": "a1"}), Command(update={"foo": "a2", "bar": 1})]


def mixed(state: State):
    return [{"foo": "b"}, Command(update={"foo": "b2"}, goto="last")]


def last(state: State):
    return {"foo": "c"}


def once_each(state: State):
    return [Command(update={"foo": "x"}), {"bar": 2}]


parallel = (
    StateGraph(State)
    .add_node(twice)
    .add_node(mixed)
    .add_node(last)
    .add_node(once_each)
    .add_edge(START, "twice")
    .add_edge(START, "mixed")
    .add_edge("last", "once_each")
    .compile()
)


def root_items(state: list):
    return [Command(update=["a"]), ["b"]]


root = (
    StateGraph(Annotated[list, operator.add])
    .add_node(root_items)
    .add_edge(START, "root_items")
    .compile()
)


def pairs(state: State):
    return Command(update=[("foo", "p1"), ("bar", 3), ("foo", "p2")], goto="after_pairs")


def after_pairs(state: State):
    return {"foo": "q"}


# a Command whose update is a list of (key, value) pairs writing a key twice: each write in turn
paired = StateGraph(State).add_node(pairs).add_node(after_pairs).add_edge(START, "pairs").compile()

GRAPHS = ["parallel", "root", "paired"]
INPUTS = {"parallel": [{"foo": ""}], "root": [["0"]], "paired": [{"foo": "in"}]}
