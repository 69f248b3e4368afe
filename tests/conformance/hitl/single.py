"""One interrupt: the run stops before `ask` finishes; a scalar resume answers it."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def pre(state: State):
    return {"log": ["pre"]}


def ask(state: State):
    answer = interrupt({"question": "go on?", "topic": state["topic"]})
    return {"log": [f"ask:{answer}"]}


def after(state: State):
    return {"log": ["after"]}


builder = StateGraph(State)
builder.add_node("pre", pre)
builder.add_node("ask", ask)
builder.add_node("after", after)
builder.add_edge(START, "pre")
builder.add_edge("pre", "ask")
builder.add_edge("ask", "after")
builder.add_edge("after", END)


def first_only(state: State):
    answer = interrupt("first?")
    return {"log": [f"first:{answer}"]}


entry = StateGraph(State)
entry.add_node("first_only", first_only)
entry.add_edge(START, "first_only")

GRAPHS = {"builder": (builder, {}), "entry": (entry, {})}
SCRIPTS = {
    "builder": [
        {"topic": "cats"},
        Command(resume="yes"),
        # the thread is done: new input starts a run of its own, which stops again
        {"topic": "dogs"},
        Command(resume={"answer": "a dict is a value, not a map of ids"}),
        # nothing is pending: None goes on from the last checkpoint, which has nothing due
        None,
    ],
    "entry": [
        # a resume before the thread has a checkpoint
        None,
        {"topic": "x"},
        Command(resume=0),
    ],
}
