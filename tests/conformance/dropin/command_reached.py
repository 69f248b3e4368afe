"""Nodes that no edge leads to, reached only by a returned Command or a Send.

LangGraph's builder accepts such nodes (it cannot know where a Command goes), so the
drop-in does too: flowc's unreachable-node check is a warning here, not an error.
"""

import operator
import threading
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def first(state: State):
    # no annotation: where the Command goes is known only when it runs
    if state["n"] > 1:
        return Command(update={"log": ["first"]}, goto="second")
    return Command(update={"log": ["first"]}, goto=END)


def second(state: State):
    return Command(update={"log": ["second"], "n": state["n"] - 1}, goto="first")


hops = (
    StateGraph(State)
    .add_node("first", first)
    .add_node("second", second)
    .add_edge(START, "first")
    .compile()
)


done = [threading.Event() for _ in range(3)]


def spread(state: State):
    for event in done:
        event.clear()
    return Command(
        update={"log": ["spread"]}, goto=[Send("job", {"n": i}) for i in range(state["n"])]
    )


def job(state: dict):
    # each job finishes after the one sent before it, so that both runtimes stream one order
    n = state["n"]
    try:
        if n > 0:
            done[n - 1].wait(timeout=5)
            done[n - 1].clear()
        return {"log": [f"job{n}"]}
    finally:
        done[n].set()


sends = (
    StateGraph(State)
    .add_node("spread", spread)
    .add_node("job", job)
    .add_edge(START, "spread")
    .compile()
)

GRAPHS = ["hops", "sends"]
INPUTS = [{"n": 3, "log": []}, {"n": 1, "log": []}]
