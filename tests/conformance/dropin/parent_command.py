"""Command(graph=Command.PARENT): a subgraph's node stops its graph and steers the parent."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def inner1(state: State):
    return {"log": ["inner1"]}


def inner2(state: State):
    if state["n"] > 0:
        # the subgraph ends here; the parent writes the update and goes on to `big`
        return Command(graph=Command.PARENT, goto="big", update={"log": ["to-parent"]})
    return {"log": ["inner2"]}


def inner3(state: State):
    return {"log": ["inner3"]}


child = (
    StateGraph(State)
    .add_node("inner1", inner1)
    .add_node("inner2", inner2)
    .add_node("inner3", inner3)
    .add_edge(START, "inner1")
    .add_edge("inner1", "inner2")
    .add_edge("inner2", "inner3")
    .compile()
)


def big(state: State):
    return {"log": ["big"]}


parent = (
    StateGraph(State)
    # where the subgraph's Command(graph=PARENT) may send the run: for drawing and checking
    .add_node("child", child, destinations=("big",))
    .add_node("big", big)
    .add_edge(START, "child")
    .add_edge("big", END)
    .compile()
)

GRAPHS = ["parent"]
INPUTS = [{"n": 1, "log": []}, {"n": 0, "log": []}]
