"""Command(graph=Command.PARENT) from a graph a node invokes: the node's task takes the command.

The node's function stops where the invoked graph raised the command (its code after the call
never runs); the parent writes the command's update and goes where it says, besides the node's
own edges, as LangGraph's.
"""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def jump(state: State):
    if state["n"] > 0:
        return Command(graph=Command.PARENT, goto="second", update={"log": ["jumped"]})
    return {"log": ["stayed"]}


child = StateGraph(State).add_node("jump", jump).add_edge(START, "jump").compile()


def first(state: State):
    done = child.invoke(state)
    # reached only when the child did not jump
    return {"log": [f"first:{len(done['log'])}"]}


def second(state: State):
    # runs beside `after`: finishing last, its chunks come last on both sides
    time.sleep(0.1)
    return {"log": ["second"]}


def after(state: State):
    return {"log": ["after"]}


parent = (
    StateGraph(State)
    .add_node("first", first)
    .add_node("second", second)
    .add_node("after", after)
    .add_edge(START, "first")
    # the node's own edge is taken too, beside the command's goto
    .add_edge("first", "after")
    .add_edge("second", END)
    .add_edge("after", END)
    .compile()
)

GRAPHS = ["parent"]
INPUTS = [{"n": 1, "log": []}, {"n": 0, "log": []}]
