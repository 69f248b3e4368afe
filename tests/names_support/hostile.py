"""Nodes and routers for the hostile-spec property: they work with any state, of any kind."""

from __future__ import annotations

from typing import Any, Literal


def noop(state: Any) -> dict[str, Any]:
    return {}


def to_end(state: Any) -> Literal["__end__"]:
    return "__end__"
