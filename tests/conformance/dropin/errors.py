"""A node that fails after writing custom chunks, in a chain and next to a parallel node."""

import time
from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph


class State(TypedDict):
    topic: str
    joke: str


def refine_topic(state: State):
    return {"topic": state["topic"] + " and cats"}


def explode(state: State):
    get_stream_writer()({"status": "about to fail"})
    raise ValueError("joke generator exploded")


def quick(state: State):
    return {"topic": "quick"}


def slow_explode(state: State):
    time.sleep(0.04)
    raise RuntimeError("late failure")


chain = (
    StateGraph(State)
    .add_node(refine_topic)
    .add_node("generate_joke", explode)
    .add_edge(START, "refine_topic")
    .add_edge("refine_topic", "generate_joke")
    .compile()
)

parallel = (
    StateGraph(State)
    .add_node(quick)
    .add_node(slow_explode)
    .add_edge(START, "quick")
    .add_edge(START, "slow_explode")
    .compile()
)

GRAPHS = ["chain", "parallel"]
INPUTS = [{"topic": "ice cream"}, None]
