"""Send: a router fans out to one task per item (map-reduce), from START and from a node."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class State(TypedDict):
    items: list[str]
    done: Annotated[list[str], operator.add]
    summary: str


def fan_out(state: State):
    return [Send("work", {"items": [item], "done": []}) for item in state["items"]]


def work(state: State):
    item = state["items"][0]
    # "b" finishes after "a", and any item after a task that does not sleep
    time.sleep(0.2 if item == "b" else 0.1)
    return {"done": [item.upper()]}


def summarize(state: State):
    return {"summary": "+".join(state["done"])}


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
    # a Send to each item and a plain edge to summarize in the same superstep
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
