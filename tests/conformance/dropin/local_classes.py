"""State and update classes defined inside a function, with nodes annotated by them."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def build():
    class State(TypedDict):
        text: str
        steps: Annotated[int, operator.add]

    class Step(TypedDict):
        steps: int

    def shout(state: State) -> State:
        return {"text": state["text"].upper(), "steps": 1}

    def count(state: State) -> Step:
        return {"steps": 1}

    return (
        StateGraph(State)
        .add_node(shout)
        .add_node(count)
        .add_edge(START, "shout")
        .add_edge("shout", "count")
        .add_edge("count", END)
        .compile()
    )


graph = build()

GRAPHS = ["graph"]
INPUTS = [{"text": "hi", "steps": 0}, {"text": "x", "steps": 5}]
