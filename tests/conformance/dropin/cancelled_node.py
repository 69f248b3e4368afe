"""A node that raises ``asyncio.CancelledError`` from its own body: alone in its step, and
beside a node that succeeds. The run fails with ``NodeCancelledError`` naming the node; it
does not pass for a cancelled run, nor wait for a task that never reports."""

import asyncio
import time
from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    topic: str


def prepare(state: State):
    return {"topic": state["topic"] + " and cats"}


def give_up(state: State):
    raise asyncio.CancelledError("given up in the node's body")


def quick(state: State):
    return {"topic": "quick"}


def slow_give_up(state: State):
    time.sleep(0.03)
    raise asyncio.CancelledError("given up later")


chain = (
    StateGraph(State)
    .add_node(prepare)
    .add_node("give_up", give_up)
    .add_edge(START, "prepare")
    .add_edge("prepare", "give_up")
    .compile()
)

parallel = (
    StateGraph(State)
    .add_node(quick)
    .add_node(slow_give_up)
    .add_edge(START, "quick")
    .add_edge(START, "slow_give_up")
    .compile()
)

GRAPHS = ["chain", "parallel"]
INPUTS = [{"topic": "ice cream"}]
