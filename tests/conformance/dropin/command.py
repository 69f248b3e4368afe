"""Command: a node writes its update and chooses where the run goes (names and Sends)."""

import operator
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


def spread(state: State) -> Command[Literal["tally", "work"]]:
    # a name and Sends at once: the Send tasks run first, in the order sent
    return Command(
        update={"log": ["spread"]},
        goto=[Send("work", {"n": i, "log": []}) for i in range(state["n"])] + ["tally"],
    )


def work(state: State):
    # 100 ms apart: on a loaded machine a thread may start late
    time.sleep(0.1 * (state["n"] + 1))
    return {"log": [f"work{state['n']}"]}


def tally(state: State):
    return {"log": ["tally"]}


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
