"""Nodes of the named-nodes graph: each logs the name LangGraph users would give it."""

from __future__ import annotations

from typing import Literal, TypedDict

EXAMPLE_INPUT = {"topic": "weather"}
"""An input the example runs and tests use: it goes through the tool nodes."""


class NamedState(TypedDict, total=False):
    topic: str
    log: list[str]


class LogUpdate(TypedDict):
    log: list[str]


class ClassifyUpdate(TypedDict):
    topic: str
    log: list[str]


def first(state: NamedState) -> LogUpdate:
    return {"log": [f"1 saw {state['topic']}"]}


def needs_tool(state: NamedState) -> Literal["Call Tool", "class"]:
    return "Call Tool" if state["topic"] == "weather" else "class"


def call_tool(state: NamedState) -> LogUpdate:
    return {"log": ["Call Tool"]}


def call_tool_again(state: NamedState) -> LogUpdate:
    return {"log": ["Call_Tool"]}


def classify(state: NamedState) -> ClassifyUpdate:
    return {"topic": state["topic"].upper(), "log": ["class"]}
