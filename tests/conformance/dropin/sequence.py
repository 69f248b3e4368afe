"""``add_sequence`` (functions and ``(name, function)`` pairs), ``set_entry_point`` and ``set_finish_point``."""

from typing import TypedDict

from langgraph.graph import StateGraph


class State(TypedDict):
    value: int
    steps: list[str]


def double(state: State):
    return {"value": state["value"] * 2, "steps": state["steps"] + ["double"]}


def increment(state: State):
    return {"value": state["value"] + 1, "steps": state["steps"] + ["increment"]}


def noop(state: State):
    return None


builder = StateGraph(State)
builder.add_sequence([double, ("plus_one", increment), noop, ("plus_another", increment)])
builder.set_entry_point("double")
builder.set_finish_point("plus_another")
graph = builder.compile()

GRAPHS = ["graph"]
INPUTS = [{"value": 3, "steps": []}]
