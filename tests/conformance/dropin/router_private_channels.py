"""A router that reads the state gets the state's keys only, not the graph's private channels,
as in LangGraph.

`draft` writes `scratch`, a key of its own TypedDict that the state lacks (a private channel);
`review` reads it. The router after `review` reads the state: it would end the run if it saw
`scratch`. Its twin without an annotation reads the state too.
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    count: Annotated[int, operator.add]
    note: str


class Scratch(TypedDict):
    scratch: str


def draft(state: State) -> Scratch:
    return {"scratch": f"draft {state['count']}"}


def review(state: Scratch):
    return {"count": 1, "note": state["scratch"]}


def route(state: State) -> str:
    return END if "scratch" in state else "again"


def route_plain(state) -> str:
    return END if "scratch" in state or state["count"] > 2 else "again"


def again(state: State):
    return {"count": 1}


graph = (
    StateGraph(State)
    .add_node("draft", draft)
    .add_node("review", review)
    .add_node("again", again)
    .add_edge(START, "draft")
    .add_edge("draft", "review")
    .add_conditional_edges("review", route, ["again", END])
    .add_conditional_edges("again", route_plain, ["again", END])
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"count": 0, "note": ""}]
