"""Nodes of the three-level `nested` graph (`nested` → `nested_child` → `nested_grandchild`)."""

from __future__ import annotations

from typing import TypedDict


class NestedState(TypedDict, total=False):
    foo: str
    steps: list[str]
    note: str


class NestedChildState(TypedDict, total=False):
    foo: str
    steps: list[str]
    bar: str


class NestedGrandchildState(TypedDict, total=False):
    foo: str
    depth: int


def parent_1(state: NestedState) -> NestedState:
    return {"foo": state["foo"] + "|parent_1", "steps": ["parent_1"], "note": "seen by the parent only"}


def child_1(state: NestedChildState) -> NestedChildState:
    return {"bar": "bar", "steps": ["child_1"]}


def grandchild_1(state: NestedGrandchildState) -> NestedGrandchildState:
    return {"depth": 2}


def grandchild_2(state: NestedGrandchildState) -> NestedGrandchildState:
    return {"foo": f"{state['foo']}|grandchild@{state['depth']}"}


def child_2(state: NestedChildState) -> NestedChildState:
    return {"foo": state["foo"] + "|" + state["bar"], "steps": ["child_2"]}


def parent_2(state: NestedState) -> NestedState:
    # the subgraph's final `steps` came back through the reducer, so it repeats the input's
    return {"foo": f"{state['foo']}|parent_2 after {len(state['steps'])} steps"}
