"""Send: a router fans out to one task per item (map-reduce), from START and from a node."""

import operator
import threading
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class State(TypedDict):
    items: list[str]
    done: Annotated[list[str], operator.add]
    summary: str


class Order:
    """Lets the tasks of one superstep finish in a set order, however loaded the machine is.

    A router sets the order before the tasks start; each task waits until the one before
    it has handed over, then 40 ms more, so that the earlier one's chunk is out first.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.handed_over: dict[str, threading.Event] = {}

    def start(self, *names: str) -> None:
        self.names = list(names)
        self.handed_over = {name: threading.Event() for name in names}

    def wait(self, name: str) -> None:
        if name in self.names[1:]:
            self.handed_over[self.names[self.names.index(name) - 1]].wait(5)
            time.sleep(0.04)

    def done(self, name: str) -> None:
        if name in self.handed_over:
            self.handed_over[name].set()


order = Order()


def fan_out(state: State):
    # "b" finishes after "a"
    order.start(*state["items"])
    return [Send("work", {"items": [item], "done": []}) for item in state["items"]]


def work(state: State):
    item = state["items"][0]
    order.wait(item)
    try:
        return {"done": [item.upper()]}
    finally:
        order.done(item)


def summarize(state: State):
    order.wait("summarize")
    try:
        return {"summary": "+".join(state["done"])}
    finally:
        order.done("summarize")


fan = (
    StateGraph(State)
    .add_node("work", work)
    .add_node("summarize", summarize)
    .add_conditional_edges(START, fan_out, ["work"])
    .add_edge("work", "summarize")
    .add_edge("summarize", END)
    .compile()
)


def plan(state: State):
    return {"summary": "planned"}


def route_plan(state: State):
    # a Send to each item and a plain edge to summarize in the same superstep: the items
    # finish after summarize
    order.start("summarize", *state["items"])
    return [Send("work", {"items": [item], "done": []}) for item in state["items"]] + ["summarize"]


from_node = (
    StateGraph(State)
    .add_node("plan", plan)
    .add_node("work", work)
    .add_node("summarize", summarize)
    .add_edge(START, "plan")
    .add_conditional_edges("plan", route_plan, ["work", "summarize"])
    .add_edge("work", END)
    .add_edge("summarize", END)
    .compile()
)

GRAPHS = ["fan", "from_node"]
INPUTS = {"fan": [{"items": ["a", "b"]}, {"items": []}], "from_node": [{"items": ["a"]}]}
