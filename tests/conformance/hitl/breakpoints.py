"""interrupt_before / interrupt_after, given to compile() and to a run."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def one(state: State):
    return {"log": ["one"]}


def two(state: State):
    return {"log": ["two"]}


def three(state: State):
    return {"log": ["three"]}


builder = StateGraph(State)
builder.add_node("one", one)
builder.add_node("two", two)
builder.add_node("three", three)
builder.add_edge(START, "one")
builder.add_edge("one", "two")
builder.add_edge("two", "three")
builder.add_edge("three", END)

GRAPHS = {
    "before": (builder, {"interrupt_before": ["two"]}),
    "after": (builder, {"interrupt_after": ["one", "three"]}),
    "per_run": (builder, {}),
}
SCRIPTS = {
    "before": [{"topic": "x"}, None, {"topic": "y"}, Command(resume="ignored")],
    "after": [{"topic": "x"}, None, None],
    "per_run": [
        ({"topic": "x"}, {"interrupt_before": "*"}),
        (None, {"interrupt_after": ["two"]}),
        None,
    ],
}
