"""A dataclass state with defaults and a reducer, routed by a router with a ``Literal`` annotation."""

import operator
from dataclasses import dataclass, field
from typing import Annotated, Literal

from langgraph.graph import END, START, StateGraph


@dataclass
class State:
    topic: str
    mood: str = "calm"
    rounds: int = 0
    notes: Annotated[list[str], operator.add] = field(default_factory=list)


def think(state: State):
    return {"rounds": state.rounds + 1, "notes": [f"{state.mood} thought on {state.topic}"]}


def cheer(state: State):
    return {"mood": "happy"}


def route(state: State) -> Literal["think", "cheer", "__end__"]:
    if state.rounds >= 2:
        return END
    return "cheer" if state.mood == "calm" else "think"


graph = (
    StateGraph(State)
    .add_node(think)
    .add_node(cheer)
    .add_edge(START, "think")
    .add_conditional_edges("think", route)
    .add_edge("cheer", "think")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"topic": "ice cream"}, {"topic": "tea", "mood": "grumpy"}, State(topic="cake")]
