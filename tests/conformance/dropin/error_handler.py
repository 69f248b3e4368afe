"""Node error handlers (`error_handler=`, `set_node_defaults(error_handler=...)`).

A failed node's handler runs in the same superstep with the node's input and the error
(`error: NodeError`); it streams its updates and its result under its own name
(`__error_handler__<node>`), no task start; its writes stand in for the node's, whose edges
are not followed; a `Command` from it goes on where it says. A handler that fails fails the
run; retries come first.
"""

import asyncio
import operator
import threading
import time
from typing import Annotated, TypedDict

from langgraph.config import get_stream_writer
from langgraph.errors import NodeError
from langgraph.graph import START, StateGraph
from langgraph.types import Command, RetryPolicy, Send


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def bad(state: State):
    # the Send task "b" fails after "a" has been handled (its handler returned, then 100 ms)
    if state["topic"] == "b":
        A_HANDLED.wait(5)
        time.sleep(0.1)
    get_stream_writer()({"failing": state["topic"]})
    raise ValueError(f"boom on {state['topic']}")


async def async_bad(state: State):
    raise KeyError("async boom")


def handler(state: State, error: NodeError):
    get_stream_writer()({"handling": error.node})
    return {"log": [f"handled {error.node}: {error.error!r} (input {state['topic']})"]}


def handler_before_b(state: State, error: NodeError):
    try:
        return handler(state, error)
    finally:
        if state["topic"] == "a":
            A_HANDLED.set()


def handler_before_sibling(state: State, error: NodeError):
    # only the graphs with a `slow` sibling set HANDLED: a set that no sibling clears would
    # let the next run's sibling go on before its failing node was handled
    try:
        return handler(state, error)
    finally:
        HANDLED.set()


async def async_handler(state: State, error: NodeError):
    await asyncio.sleep(0)
    return {"log": [f"async handled {error.node}: {type(error.error).__name__}"]}


def go_on(state: State, error: NodeError):
    try:
        return Command(update={"log": [f"recovered from {error.node}"]}, goto="after")
    finally:
        HANDLED.set()


def failing_handler(state: State, error: NodeError):
    raise RuntimeError(f"handler failed too, after {error.error}")


def after(state: State):
    return {"log": [f"after {len(state['log'])}"]}


def fast(state: State):
    return {"log": ["fast"]}


A_HANDLED = threading.Event()
"""Set when the handler of the Send task "a" has returned (cleared by the router each run)."""

HANDLED = threading.Event()
"""Set by a handler: the sibling of a failing node finishes after the failure was handled, so
that the order of the chunks does not depend on how loaded the machine is."""


def slow(state: State):
    HANDLED.wait(5)
    HANDLED.clear()
    # and the handler has returned (its updates chunk is out: 40 ms raced under load)
    time.sleep(0.1)
    return {"log": ["slow"]}


def fan(node, handler, *, sibling=None, **options):
    builder = (
        StateGraph(State)
        .add_node("node", node, error_handler=handler, **options)
        .add_node("after", after)
        .add_edge(START, "node")
        .add_edge("node", "after")
    )
    if sibling is not None:
        builder.add_node("sibling", sibling).add_edge(START, "sibling")
    return builder.compile()


handled = fan(bad, handler_before_sibling, sibling=slow)
handled_async = fan(async_bad, async_handler)
command = (
    StateGraph(State)
    .add_node("node", bad, error_handler=go_on)
    .add_node("sibling", slow)
    .add_node("after", after)
    .add_edge(START, "node")
    .add_edge(START, "sibling")
    .add_edge("sibling", "after")
    .compile()
)
handler_fails = fan(bad, failing_handler)
retried_first = fan(
    bad,
    handler,
    retry_policy=RetryPolicy(
        retry_on=ValueError, max_attempts=2, initial_interval=0.001, jitter=False
    ),
)
alone = (
    StateGraph(State)
    .add_node("node", bad, error_handler=handler)
    .add_node("after", after)
    .add_edge(START, "node")
    .add_edge("node", "after")
    .compile()
)
defaults = (
    StateGraph(State)
    .set_node_defaults(error_handler=handler_before_sibling)
    .add_node("node", bad)
    .add_node("sibling", slow)
    .add_node("after", after)
    .add_edge(START, "node")
    .add_edge(START, "sibling")
    .add_edge("sibling", "after")
    .compile()
)


def fan_out(state: State):
    A_HANDLED.clear()
    return [Send("node", {"topic": t, "log": []}) for t in ("a", "b")]


sent = (
    StateGraph(State)
    .add_node("node", bad, error_handler=handler_before_b)
    .add_conditional_edges(START, fan_out)
    .compile()
)

GRAPHS = [
    "handled",
    "handled_async",
    "command",
    "handler_fails",
    "retried_first",
    "alone",
    "defaults",
    "sent",
]
INPUTS = [{"topic": "cats", "log": []}]
