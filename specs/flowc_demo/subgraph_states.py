"""Subgraphs whose parent and child hold their state in different kinds of class.

A subgraph node hands its graph the shared keys of what the node receives: of
a dataclass or pydantic parent state, an instance with the defaults filled in,
so the child also gets the keys the parent never wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from pydantic import BaseModel

from flowc import END, START, Graph

EXAMPLE_INPUT = {"topic": "ice cream"}


class Counted(TypedDict, total=False):
    topic: str
    count: int
    note: str | None


def count_up(state: Counted) -> Counted:
    return {"count": state.get("count", -1) + 1, "note": f"{state.get('note')} seen"}


counter = Graph("mixed_counter", Counted)
counter.node(count_up)
counter.sequence(START, "count_up")


@dataclass
class DataclassParent:
    topic: str = ""
    count: int = 10
    note: str | None = None


def shout(state: DataclassParent) -> Counted:
    return {"topic": state.topic.upper()}


# the child gets `count` (10) and `note` (None), which the parent never wrote
dataclass_parent = Graph("mixed_dataclass", DataclassParent)
dataclass_parent.node(shout)
dataclass_parent.subgraph("count", counter)
dataclass_parent.sequence(START, "shout", "count", END)


class PydanticParent(BaseModel):
    topic: str
    count: int = 3
    note: str | None = None


def whisper(state: PydanticParent) -> Counted:
    return {"topic": state.topic.lower()}


# a `None` left at its default stays behind; the defaulted `count` goes along
pydantic_parent = Graph("mixed_pydantic", PydanticParent)
pydantic_parent.node(whisper)
pydantic_parent.subgraph("count", counter)
pydantic_parent.sequence(START, "whisper", "count", END)


class PydanticChild(BaseModel):
    topic: str
    count: int = 5


class CountUpdate(TypedDict):
    count: int


def add_one(state: PydanticChild) -> CountUpdate:
    return {"count": state.count + 1}


pydantic_child = Graph("mixed_pydantic_child", PydanticChild)
pydantic_child.node(add_one)
pydantic_child.sequence(START, "add_one")

typeddict_parent = Graph("mixed_typeddict", Counted)
typeddict_parent.node(count_up, name="first_count")
typeddict_parent.subgraph("validated", pydantic_child)
typeddict_parent.sequence(START, "first_count", "validated", END)
