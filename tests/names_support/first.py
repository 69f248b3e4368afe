"""Nodes and a router called like those of :mod:`tests.names_support.second`."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def step_a(state: Any) -> dict[str, Any]:
    return {"log": ["a"]}


def step_b(state: Any) -> dict[str, Any]:
    return {"log": ["b"]}


def step_c(state: Any) -> dict[str, Any]:
    return {"log": ["c"]}


def to_next(state: Any) -> Literal["b"]:
    return "b"


class Wide(TypedDict, total=False):
    log: Annotated[list[str], operator.add]
    note: str


class NoteUpdate(TypedDict):
    note: str


def writes_note(state: Any) -> NoteUpdate:
    return {"note": "n"}


def returns_wide(state: Any) -> Wide:
    return {"log": ["w"]}


# keys that are not Python names, which the functional syntax allows
KeywordState = TypedDict("KeywordState", {"class": int, "a-b": str, "ok": int}, total=False)


def writes_note_untyped(state: Any):  # type: ignore[no-untyped-def]
    """Writes `note` without saying so in a return type."""
    return {"log": ["a"], "note": "n"}
