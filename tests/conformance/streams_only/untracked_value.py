"""State fields LangGraph keeps in an `UntrackedValue` channel: never checkpointed.

`graph` writes the untracked `resource` at its input and in `first`; `second` reads it.
`sent` passes the whole state, the untracked key with it, to a `Send` task; `clash` has two
nodes of one superstep write the untracked key. Each compiled graph gets its own saver.
"""

import operator
import time
from typing import Annotated

from langgraph.channels import UntrackedValue
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list[str], operator.add]
    resource: Annotated[str, UntrackedValue]


def first(state: State):
    return {"log": [f"first saw {state.get('resource')}"], "resource": "opened by first"}


def second(state: State):
    return {"log": [f"second saw {state.get('resource')}"]}


def build():
    return (
        StateGraph(State)
        .add_node("first", first)
        .add_node("second", second)
        .add_edge(START, "first")
        .add_edge("first", "second")
        .compile(checkpointer=InMemorySaver())
    )


def to_worker(state: State):
    return [Send("worker", state)]


def worker(state: State):
    return {"log": [f"worker saw {state.get('resource')}"], "resource": "replaced by worker"}


def build_sent():
    return (
        StateGraph(State)
        .add_node("first", first)
        .add_node("worker", worker)
        .add_edge(START, "first")
        .add_conditional_edges("first", to_worker)
        .compile(checkpointer=InMemorySaver())
    )


def late(state: State):
    # finishes after `first`, so that both libraries stream the two in one order
    time.sleep(0.05)
    return {"resource": "opened by late"}


def build_clash():
    return (
        StateGraph(State)
        .add_node("first", first)
        .add_node("late", late)
        .add_edge(START, "first")
        .add_edge(START, "late")
        .compile()
    )


BUILDERS = {"graph": build, "sent": build_sent, "clash": build_clash}
INPUTS = [{"log": [], "resource": "given"}, {"log": []}]
