"""Command: a node writes its update and chooses where the run goes (names and Sends)."""

import operator
import threading
import time
from typing import Annotated, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def decide(state: State) -> Command[Literal["small", "big", "__end__"]]:
    if state["n"] < 0:
        return Command(update={"log": ["negative"]}, goto=END)
    return Command(
        update={"log": ["decide"]},
        goto="small" if state["n"] < 10 else "big",
    )


def small(state: State):
    return {"log": ["small"]}


def big(state: State):
    return {"log": ["big"]}


choose = (
    StateGraph(State)
    .add_node("decide", decide)
    .add_node("small", small)
    .add_node("big", big)
    .add_edge(START, "decide")
    .add_edge("small", END)
    .add_edge("big", END)
    .compile()
)


class Order:
    """Lets the tasks of one superstep finish in a set order, however loaded the machine is.

    A node sets the order before the tasks start; each task waits until the one before
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


def spread(state: State) -> Command[Literal["tally", "work"]]:
    # a name and Sends at once: the Send tasks run first, in the order sent; tally
    # finishes first, then each work task in turn
    order.start("tally", *(f"work{i}" for i in range(state["n"])))
    return Command(
        update={"log": ["spread"]},
        goto=[Send("work", {"n": i, "log": []}) for i in range(state["n"])] + ["tally"],
    )


def work(state: State):
    name = f"work{state['n']}"
    order.wait(name)
    try:
        return {"log": [name]}
    finally:
        order.done(name)


def tally(state: State):
    try:
        return {"log": ["tally"]}
    finally:
        order.done("tally")


fan = (
    StateGraph(State)
    .add_node("spread", spread)
    .add_node("work", work)
    .add_node("tally", tally)
    .add_edge(START, "spread")
    .add_edge("work", END)
    .add_edge("tally", END)
    .compile()
)

GRAPHS = ["choose", "fan"]
INPUTS = {"choose": [{"n": 3}, {"n": 30}, {"n": -1}], "fan": [{"n": 2}, {"n": 0}]}
