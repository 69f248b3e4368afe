"""A router annotated with its own TypedDict gets that schema's keys only, as in LangGraph.

The router's choice depends on which keys it sees; the key it reads is a private channel
(`mood` is no key of the state).
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    count: Annotated[int, operator.add]
    note: str


class Mood(TypedDict):
    mood: str


class Feeling(TypedDict):
    count: Annotated[int, operator.add]
    mood: str


def sense(state: State) -> Feeling:
    return {"count": 1, "mood": "calm" if state["count"] < 3 else "busy"}


def route(state: Mood) -> str:
    # LangGraph passes {"mood": ...} only: a router that saw more would say so
    if sorted(state) != ["mood"]:
        return END
    return "calm" if state["mood"] == "calm" else END


def calm(state: Feeling):
    return {"note": f"{state['mood']} at {state['count']}"}


graph = (
    StateGraph(State)
    .add_node("sense", sense)
    .add_node("calm", calm)
    .add_edge(START, "sense")
    .add_conditional_edges("sense", route, ["calm", END])
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"count": 0, "note": ""}, {"count": 5, "note": ""}]
