"""``set_conditional_entry_point`` with a dict path map, with a list path map (a fan-out), and ``Literal``."""

import operator
import threading
import time
from typing import Annotated, Literal, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    kind: str
    seen: Annotated[list[str], operator.add]


def small(state: State):
    return {"seen": ["small"]}


def large(state: State):
    return {"seen": ["large"]}


small_done = threading.Event()


def small_first(state: State):
    try:
        return {"seen": ["small"]}
    finally:
        if state["kind"] == "both":
            small_done.set()


def large_second(state: State):
    # runs only next to `small`: finish second, so that both runtimes stream one order
    small_done.wait(timeout=5)
    small_done.clear()
    # small's outcome is on its way to the loop when it returns: large's comes well after
    time.sleep(0.03)
    return {"seen": ["large"]}


def classify(state: State):
    return "short" if len(state["kind"]) < 4 else "long"


def both(state: State):
    return ["small", "large"] if state["kind"] == "both" else ["small"]


def either(state: State) -> Literal["small", "large", "__end__"]:
    return END if state["kind"] == "none" else "large"


by_dict = (
    StateGraph(State)
    .add_node(small)
    .add_node(large)
    .set_conditional_entry_point(classify, {"short": "small", "long": "large"})
    .set_finish_point("small")
    .set_finish_point("large")
    .compile()
)

by_list = (
    StateGraph(State)
    .add_node("small", small_first)
    .add_node("large", large_second)
    .set_conditional_entry_point(both, ["small", "large"])
    .compile()
)

by_literal = (
    StateGraph(State).add_node(small).add_node(large).add_conditional_edges(START, either).compile()
)

GRAPHS = ["by_dict", "by_list", "by_literal"]
INPUTS = [{"kind": "ant"}, {"kind": "both"}, {"kind": "none"}]
