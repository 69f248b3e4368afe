"""Supersteps that take longer than the graph's `step_timeout`: the run raises `TimeoutError`.

What streamed before stays streamed: the step's task starts and the tasks that finished in
time; the late task has no result, and the step no values.
"""

import asyncio
import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def first(state: State):
    return {"log": ["first"]}


def fast(state: State):
    return {"log": ["fast"]}


def slow(state: State):
    time.sleep(0.4)
    return {"log": ["slow"]}


async def async_slow(state: State):
    await asyncio.sleep(0.4)
    return {"log": ["async slow"]}


def fan(late):
    graph = (
        StateGraph(State)
        .add_node("first", first)
        .add_node("fast", fast)
        .add_node("late", late)
        .add_edge(START, "first")
        .add_edge("first", "fast")
        .add_edge("first", "late")
        .compile()
    )
    graph.step_timeout = 0.2
    return graph


too_slow = fan(slow)
async_too_slow = fan(async_slow)
alone = StateGraph(State).add_node("late", slow).add_edge(START, "late").compile()
alone.step_timeout = 0.2

GRAPHS = ("too_slow", "async_too_slow", "alone")
INPUTS = [{"topic": "cats", "log": []}]
