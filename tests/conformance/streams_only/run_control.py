"""Runs stopped by a `RunControl`: LangGraph's cooperative drain.

`na` asks the run's control to drain: the run stops before `nb`, with `GraphDrained`, and a
run on the thread given `None` goes on from there. `child` is the same two steps as a stateful
subgraph (its drain stops it and its parent). `last` asks for the drain in the run's last
superstep, which then ends normally.
"""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.runtime import RunControl
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    a: str
    b: str
    c: str


CONTROL = [RunControl()]
"""The control of the run going on (each run gets a fresh one)."""


def na(state: State):
    CONTROL[0].request_drain("sigterm")
    return {"a": "A"}


def nb(state: State):
    return {"b": "B"}


def nc(state: State):
    return {"c": "C"}


def build_chain():
    return (
        StateGraph(State)
        .add_node("na", na)
        .add_node("nb", nb)
        .add_node("nc", nc)
        .add_edge(START, "na")
        .add_edge("na", "nb")
        .add_edge("nb", "nc")
        .compile(checkpointer=InMemorySaver())
    )


def build_subgraph():
    child = (
        StateGraph(State)
        .add_node("na", na)
        .add_node("nb", nb)
        .add_edge(START, "na")
        .add_edge("na", "nb")
        .compile(checkpointer=True)
    )
    return (
        StateGraph(State)
        .add_node("child", child)
        .add_node("nc", nc)
        .add_edge(START, "child")
        .add_edge("child", "nc")
        .compile(checkpointer=InMemorySaver())
    )


def build_last():
    return (
        StateGraph(State)
        .add_node("nb", nb)
        .add_node("na", na)
        .add_edge(START, "nb")
        .add_edge("nb", "na")
        .compile(checkpointer=InMemorySaver())
    )


BUILDERS = {"chain": build_chain, "subgraph": build_subgraph, "last": build_last}
