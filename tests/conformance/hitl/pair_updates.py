"""A `Command` whose update is a list of `(key, value)` pairs writing a key twice, on a thread:
the task's writes are stored and shown in order (`{"$writes": [...]}` in its result), each
applied through the key's reducer, before and after an `interrupt_after` breakpoint."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command


class State(TypedDict):
    foo: Annotated[str, operator.add]
    bar: int


def pairs(state: State):
    return Command(update=[("foo", "p1"), ("bar", 3), ("foo", "p2")])


def after(state: State):
    return {"foo": "q"}


builder = StateGraph(State)
builder.add_node("pairs", pairs)
builder.add_node("after", after)
builder.add_edge(START, "pairs")
builder.add_edge("pairs", "after")

GRAPHS = {"paused": (builder, {"interrupt_after": ["pairs"]})}
SCRIPTS = {"paused": [{"foo": "in"}, None]}
