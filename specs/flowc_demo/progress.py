"""Nodes of `progress.toml`: writers typed with the payloads the spec declares.

``Progress`` is the graph's custom payload type. The generated types module
imports it from here, so this module imports the generated types for the
type checker only: importing them at run time would be an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from flowc.runtime import StreamWriter
    from tests.golden.progress_types import ProgressState, SummarizeUpdate, WorkUpdate


EXAMPLE_INPUT = {"items": ["apples", "pears", "plums"]}
"""An input the example runs and tests use."""


class Progress(TypedDict):
    """One step of progress: which item, and how far along the run is."""

    item: str
    percent: int


def work(state: ProgressState, writer: StreamWriter[Progress]) -> WorkUpdate:
    items = state["items"]
    for i, item in enumerate(items, 1):
        writer({"item": item, "percent": 100 * i // len(items)})
    return {"done": [item.upper() for item in items]}


def summarize(state: ProgressState, writer: StreamWriter[str]) -> SummarizeUpdate:
    summary = ", ".join(state["done"])
    writer(f"summary: {summary}")
    return {"summary": summary}
