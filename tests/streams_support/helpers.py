"""Helpers that node functions call through a module attribute."""

from __future__ import annotations

from typing import Any

from flowc.runtime import get_stream_writer


def quiet_helper(state: dict[str, Any]) -> int:
    return int(state["n"]) + 1


def loud_helper(state: dict[str, Any]) -> int:
    get_stream_writer()({"progress": state["n"]})
    return int(state["n"]) + 1
