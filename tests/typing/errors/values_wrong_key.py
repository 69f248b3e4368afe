"""A key the state does not have, read from a values event."""

from __future__ import annotations

from tests.golden import joke


def show_jokes() -> None:
    for ev in joke.stream({"topic": "ice cream"}, stream_mode="values"):
        print(ev.data["jokes"])
