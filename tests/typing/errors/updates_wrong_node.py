"""A node name the graph does not have, compared with an updates event's node."""

from __future__ import annotations

from tests.golden import joke


def refined() -> bool:
    return any(ev.node == "refine" for ev in joke.stream({"topic": "ice cream"}))
