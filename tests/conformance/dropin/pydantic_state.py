"""A pydantic state with defaults and an ``Annotated`` reducer; a router with a list path map."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel


class State(BaseModel):
    topic: str
    count: Annotated[int, operator.add] = 0
    tags: Annotated[list[str], operator.add] = []
    done: bool = False


def tag(state: State):
    return {"count": 1, "tags": [f"{state.topic}-{state.count}"]}


def finish(state: State):
    return {"done": True}


def next_step(state: State):
    return "tag" if state.count < 2 else "finish"


graph = (
    StateGraph(State)
    .add_node(tag)
    .add_node(finish)
    .add_edge(START, "tag")
    .add_conditional_edges("tag", next_step, ["tag", "finish"])
    .add_edge("finish", END)
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"topic": "ice cream"}, State(topic="tea", count=1)]
