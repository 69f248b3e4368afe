"""Supersteps that take longer than the graph's `step_timeout`, and async nodes that take
longer than their own `timeout=`.

Past a `step_timeout` the run raises `TimeoutError`: what streamed before stays streamed (the
step's task starts and the tasks that finished in time); the late task has no result, and the
step no values. Past a node's timeout the attempt fails with `NodeTimeoutError` (its task
result shows it), which a retry policy may retry; `custom` chunks keep an idle timeout off;
a sync run of a timed node fails with LangGraph's `ValueError`. A `Send` with a timeout of its
own limits its task in the place of the node's (a tight one fails the task, a loose one lets a
node with a tight timeout finish).
"""

import asyncio
import operator
import time
from typing import Annotated, TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy, Send, TimeoutPolicy


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def first(state: State):
    return {"log": ["first"]}


def fast(state: State):
    return {"log": ["fast"]}


def fast_after_a_while(state: State):
    # in a sync run the async `late` fails at once; LangGraph does not wait for its siblings,
    # so `fast` must still be running then for the chunks to come in one order
    time.sleep(0.05)
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
        .add_node("fast", fast_after_a_while)
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


async def chatty(state: State):
    write = get_stream_writer()
    for tick in range(4):
        write({"tick": tick})
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.4)
    return {"log": ["chatty"]}


attempts = {"n": 0}


async def late_once(state: State):
    attempts["n"] += 1
    # every other attempt is late: the first of a run, then its retry is in time
    await asyncio.sleep(0.4 if attempts["n"] % 2 else 0)
    return {"log": [f"attempt {attempts['n'] % 2 + 1}"]}


def timed(node, timeout, *, sibling=False, **options):
    builder = (
        StateGraph(State).add_node("node", node, timeout=timeout, **options).add_edge(START, "node")
    )
    if sibling:
        # still running when a sync run fails the timed node at once (LangGraph does not wait)
        builder.add_node("fast", fast_after_a_while).add_edge(START, "fast")
    return builder.compile()


node_run_timeout = timed(async_slow, 0.2, sibling=True)
node_idle_timeout = timed(chatty, TimeoutPolicy(idle_timeout=0.2))
node_retried = timed(late_once, 0.2, retry_policy=RetryPolicy(initial_interval=0.001, jitter=False))


async def waits(state: State):
    await asyncio.sleep(0.3)
    return {"log": [f"waited for {state['topic']}"]}


def sends_with_a_tighter_timeout(state: State):
    return [
        Send("fast", state),
        Send("waits", {"topic": "own", "log": []}, timeout=TimeoutPolicy(idle_timeout=0.1)),
    ]


send_timeout_tighter = (
    StateGraph(State)
    .add_node("fast", fast_after_a_while)
    .add_node("waits", waits, timeout=TimeoutPolicy(run_timeout=1.0))
    .add_conditional_edges(START, sends_with_a_tighter_timeout, ["fast", "waits"])
    .compile()
)
send_timeout_looser = (
    StateGraph(State)
    .add_node("waits", waits, timeout=0.1)
    .add_conditional_edges(
        START, lambda state: [Send("waits", {"topic": "own", "log": []}, timeout=2.0)], ["waits"]
    )
    .compile()
)

GRAPHS = (
    "send_timeout_tighter",
    "send_timeout_looser",
    "too_slow",
    "async_too_slow",
    "alone",
    "node_run_timeout",
    "node_idle_timeout",
    "node_retried",
)
INPUTS = [{"topic": "cats", "log": []}]
