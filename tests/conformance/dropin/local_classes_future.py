"""Classes defined inside a function, under ``from __future__ import annotations``.

The nodes' annotations name those classes and so cannot be resolved later: LangGraph
ignores them (every node reads the whole state), and so does flowc. (A router's that do not
resolve make LangGraph raise ``NameError`` at ``add_conditional_edges``; flowc refuses them.)
"""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def build():
    class State(TypedDict):
        text: str
        steps: Annotated[int, operator.add]

    class Narrow(TypedDict):
        text: str

    def shout(state: State) -> State:
        return {"text": state["text"].upper(), "steps": 1}

    def look(state: Narrow) -> dict:
        return {"text": f"{state['text']} ({len(state)} keys)", "steps": 1}

    def route(state):
        return "look" if state["steps"] < 3 else END

    return (
        StateGraph(State)
        .add_node(shout)
        .add_node(look)
        .add_edge(START, "shout")
        .add_edge("shout", "look")
        .add_conditional_edges("look", route)
        .compile()
    )


graph = build()

GRAPHS = ["graph"]
INPUTS = [{"text": "hi", "steps": 0}, {"text": "x", "steps": 5}]
