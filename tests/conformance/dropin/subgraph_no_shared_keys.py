"""Subgraph nodes whose states share no key with their parent's.

LangGraph runs such a subgraph on an empty input (the parent's keys are none of its channels)
and writes nothing back: its node's update is `None`. A subgraph sharing one key of several
gets that key only, and gives back only that key.
"""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class Parent(TypedDict):
    topic: str
    count: int


class Other(TypedDict):
    query: str
    notes: Annotated[list[str], operator.add]


class Partial(TypedDict):
    count: int
    query: str


def answer(state: Other):
    return {"query": f"seen {sorted(state)}", "notes": [f"{len(state.get('notes', []))} notes"]}


def double(state: Partial):
    return {"count": state["count"] * 2, "query": f"saw {sorted(state)}"}


def bump(state: Parent):
    return {"count": state["count"] + 1}


other = StateGraph(Other).add_node("answer", answer).add_edge(START, "answer").compile()
partial = StateGraph(Partial).add_node("double", double).add_edge(START, "double").compile()

graph = (
    StateGraph(Parent)
    .add_node("before", bump)
    .add_node("other", other)
    .add_node("partial", partial)
    .add_node("after", bump)
    .add_edge(START, "before")
    .add_edge("before", "other")
    .add_edge("other", "partial")
    .add_edge("partial", "after")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"topic": "cats", "count": 1}]
