"""Nodes of `subgraph_custom`: stream-writer calls at both levels of a graph."""

from __future__ import annotations

from typing import Any, TypedDict

from flowc import get_stream_writer
from flowc.runtime import StreamWriter

EXAMPLE_INPUT = {"items": ["pear", "apple", "fig"]}


class CustomState(TypedDict, total=False):
    items: list[str]
    total: int


def prepare(state: CustomState) -> CustomState:
    get_stream_writer()({"stage": "prepare", "items": len(state["items"])})
    return {"items": sorted(state["items"])}


def count(state: CustomState) -> CustomState:
    write = get_stream_writer()
    for item in state["items"]:
        write({"counted": item})
    return {"total": len(state["items"])}


def announce(state: CustomState, writer: StreamWriter[Any]) -> None:
    writer(f"total is {state['total']}")


def report(state: CustomState, writer: StreamWriter[Any]) -> None:
    writer({"stage": "report", "total": state["total"]})
