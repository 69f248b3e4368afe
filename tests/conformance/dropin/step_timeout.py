"""A graph whose supersteps all end within its `step_timeout` streams as without one."""

import operator
from typing import Annotated, TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def first(state: State):
    get_stream_writer()({"first": state["topic"]})
    return {"log": ["first"]}


def second(state: State):
    return {"log": ["second"]}


async def third(state: State):
    return {"log": ["third"]}


in_time = (
    StateGraph(State)
    .add_node("first", first)
    .add_node("second", second)
    .add_edge(START, "first")
    .add_edge("first", "second")
    .compile()
)
in_time.step_timeout = 30

async_in_time = (
    StateGraph(State)
    .add_node("first", first)
    .add_node("third", third)
    .add_edge(START, "first")
    .add_edge("first", "third")
    .compile()
)
async_in_time.step_timeout = 30

GRAPHS = ["in_time", "async_in_time"]
INPUTS = [{"topic": "cats", "log": []}]
