"""Benign node and router functions the hostile-spec tests point their specs at."""

from __future__ import annotations

from typing import Any


def first(state: dict[str, Any]) -> dict[str, Any]:
    return {}


def second(state: dict[str, Any]) -> dict[str, Any]:
    return {}


def route(state: dict[str, Any]) -> str:
    return "__end__"
