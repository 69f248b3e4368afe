"""A key a graph's custom payload does not have, read from a v2 custom part."""

from __future__ import annotations

from tests.golden import progress


def show_progress() -> None:
    for part in progress.stream_chunks({"topic": "t"}, stream_mode="custom", version="v2"):
        data = part["data"]
        if not isinstance(data, str):
            print(data["percentage"])
