"""An input key the state does not have."""

from __future__ import annotations

from tests.golden import joke


def run() -> None:
    joke.invoke({"topics": "ice cream"})
