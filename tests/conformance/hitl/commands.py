"""Command as a run's input: update the paused thread's state, add nodes to run, resume."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send, interrupt


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def pre(state: State):
    return {"log": ["pre"]}


def ask(state: State):
    # finishes after `after` when the two run together, so both sides stream one order
    time.sleep(0.1)
    return {"log": [f"ask:{interrupt('q')}:{state['topic']}"]}


def after(state: State):
    return {"log": ["after"]}


builder = StateGraph(State)
builder.add_node("pre", pre)
builder.add_node("ask", ask)
builder.add_node("after", after)
builder.add_edge(START, "pre")
builder.add_edge("pre", "ask")
builder.add_edge("ask", "after")

GRAPHS = {
    "update": (builder, {}),
    "goto": (builder, {}),
    "edit": (builder, {}),
    "send": (builder, {}),
}
SCRIPTS = {
    # an update and the answer at once
    "update": [{"topic": "x"}, Command(update={"log": ["upd"]}, resume="r")],
    # another node runs with the interrupted one, which interrupts again
    "goto": [{"topic": "x"}, Command(goto="after"), Command(resume="r")],
    # an update alone: the node runs again on the new state, and asks again
    # (an empty Command() fails in LangGraph 1.2.22 with an UnboundLocalError; flowc raises
    # EmptyInputError: tests/test_interrupts.py)
    "edit": [{"topic": "x"}, Command(update={"topic": "t2"}), Command(resume="r")],
    # a Send task of its own (on its own argument) runs first, with the answered node
    "send": [{"topic": "x"}, Command(goto=[Send("after", {"topic": "sent"})], resume="r")],
}
