"""Nodes of the three-level `nested` graph (`nested` → `nested_child` → `nested_grandchild`)."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from flowc_demo.children import child, chunks

EXAMPLE_INPUT = {"foo": "foo"}


class NestedState(TypedDict, total=False):
    foo: str
    steps: Annotated[list[str], operator.add]
    note: str


class NestedChildState(TypedDict, total=False):
    foo: str
    steps: Annotated[list[str], operator.add]
    bar: str


class NestedGrandchildState(TypedDict, total=False):
    foo: str
    depth: int


def parent_1(state: NestedState) -> NestedState:
    return {
        "foo": state["foo"] + "|parent_1",
        "steps": ["parent_1"],
        "note": "seen by the parent only",
    }


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


def stream_deep(state: NestedState) -> NestedState:
    seen = []
    foo = state["foo"]
    graph = child("nested_child.toml")
    for ns, chunk in chunks(graph, {"foo": foo}, stream_mode="updates", subgraphs=True):
        for node, update in chunk.items():
            seen.append(f"{len(ns)}:{node}")
            if node == "child_2":
                foo = update["foo"]
    return {"foo": foo, "steps": seen}


def stream_shallow(state: NestedState) -> NestedState:
    graph = child("nested_child.toml")
    seen = [
        f"{mode}:{','.join(chunk) if mode == 'updates' else len(chunk)}"
        for mode, chunk in chunks(graph, {"foo": state["foo"]}, stream_mode=["updates", "values"])
    ]
    return {"steps": seen}
