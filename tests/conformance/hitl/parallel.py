"""Parallel tasks interrupting in one superstep: ids of their own, answered by id or one by one."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def left(state: State):
    answer = interrupt("left?")
    return {"log": [f"left:{answer}"]}


def right(state: State):
    # finishes well after `left` and `done`, so both sides stream the step in one order
    # (even on a loaded machine, where a thread may start late)
    time.sleep(0.2)
    first = interrupt("right?")
    second = interrupt("right again?")
    return {"log": [f"right:{first}:{second}"]}


def done(state: State):
    time.sleep(0.1)
    return {"log": ["done"]}


def join(state: State):
    return {"log": [f"join:{len(state['log'])}"]}


fan = StateGraph(State)
fan.add_node("left", left)
fan.add_node("right", right)
fan.add_node("done", done)
fan.add_node("join", join)
fan.add_edge(START, "left")
fan.add_edge(START, "right")
fan.add_edge(START, "done")
fan.add_edge(["left", "right", "done"], "join")


def answer_left(graph, config):
    pending = graph.get_state(config).interrupts
    return Command(resume={i.id: f"by-id:{i.value}" for i in pending if i.value == "left?"})


def answer_all(graph, config):
    return Command(resume={i.id: "all" for i in graph.get_state(config).interrupts})


GRAPHS = {"fan": (fan, {})}
SCRIPTS = {
    "fan": [
        {"topic": "x"},
        # two interrupts pending: a scalar answer is ambiguous
        Command(resume="which?"),
        answer_left,
        Command(resume="r1"),
        answer_all,
    ]
}
