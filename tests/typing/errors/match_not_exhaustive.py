"""A match over updates events that forgets a node: ``assert_never`` says which."""

from __future__ import annotations

from typing import assert_never

from tests.golden import joke


def names() -> list[str]:
    out: list[str] = []
    for ev in joke.stream({"topic": "ice cream"}, stream_mode="updates"):
        match ev:
            case joke.RefineTopicUpdated():
                out.append(ev.node)
            case _:
                assert_never(ev)
    return out
