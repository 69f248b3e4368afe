"""Custom payloads of the wrong type, where the spec declares the type."""

from __future__ import annotations

from flowc.runtime import StreamWriter
from tests.golden import progress
from tests.golden.progress_types import ProgressState, WorkNode, WorkUpdate, get_stream_writer


def work(state: ProgressState, writer: StreamWriter[int]) -> WorkUpdate:
    writer(50)
    return {"done": []}


checked: WorkNode = work


def report() -> None:
    get_stream_writer()({"item": "a", "percent": "half"})


def percents() -> list[int]:
    out: list[int] = []
    for ev in progress.stream({"items": ["a"]}, stream_mode="custom"):
        if not isinstance(ev.data, str):
            out.append(ev.data["percentage"])
    return out
