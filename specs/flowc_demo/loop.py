"""Nodes of the loop graph: one node counts up, a router sends it round again or to END."""

from __future__ import annotations

from typing import Literal, TypedDict

EXAMPLE_INPUT = {"count": 0, "target": 3}
"""An input the example runs and tests use: three turns of the loop."""


class LoopState(TypedDict, total=False):
    count: int
    target: int
    history: list[int]


class CountUpdate(TypedDict):
    count: int
    history: list[int]


def increment(state: LoopState) -> CountUpdate:
    count = state["count"] + 1
    return {"count": count, "history": [count]}


def keep_going(state: LoopState) -> Literal["increment", "__end__"]:
    return "increment" if state["count"] < state["target"] else "__end__"
