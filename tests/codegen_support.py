"""Types and nodes for tests/test_codegen.py whose names clash with generated ones."""

from __future__ import annotations

from typing import Any, TypedDict


class Custom(TypedDict):
    """A user's payload type called like the generated ``Custom`` alias."""

    step: int


class Literal:
    """A user's class called like ``typing.Literal``, which runner modules import."""


def step(state: Any) -> dict[str, Any]:
    return {"n": state.get("n", 0) + 1}
