"""A v2 stream part read with a key it does not have."""

from __future__ import annotations

from tests.golden import joke


def show_updates() -> None:
    for part in joke.stream_chunks({"topic": "ice cream"}, stream_mode="updates", version="v2"):
        print(part["update"])
