"""Nodes of the reference document's subgraph example."""

from __future__ import annotations

from typing import TypedDict

EXAMPLE_INPUT = {"foo": "foo"}


class ChildState(TypedDict, total=False):
    foo: str
    bar: str


class ParentState(TypedDict, total=False):
    foo: str


def subgraph_node_1(state: ChildState) -> ChildState:
    return {"bar": "bar"}


def subgraph_node_2(state: ChildState) -> ChildState:
    return {"foo": state["foo"] + state["bar"]}


def node_1(state: ParentState) -> ParentState:
    return {"foo": "hi! " + state["foo"]}
