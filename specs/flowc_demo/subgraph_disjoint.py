"""Nodes of `subgraph_disjoint`: a parent and a subgraph that share no state key."""

from __future__ import annotations

from typing import TypedDict

EXAMPLE_INPUT = {"topic": "cats", "count": 0}


class ParentState(TypedDict, total=False):
    topic: str
    count: int


class ChildState(TypedDict, total=False):
    query: str
    notes: list[str]


def bump(state: ParentState) -> ParentState:
    return {"count": state["count"] + 1}


def answer(state: ChildState) -> ChildState:
    # the parent's keys never reach the subgraph: it sees only its own empty start
    return {"query": f"seen {sorted(state)}", "notes": [f"{len(state['notes'])} notes"]}
