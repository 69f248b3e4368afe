"""The joke chain end to end: spec → check → render → module → typed stream."""

from __future__ import annotations

from flowc import build
from flowc.runtime import UpdatesEvent, ValuesEvent

from .conftest import SPECS


def test_joke_chain_streams_typed_updates() -> None:
    joke = build(SPECS / "joke.toml")
    events = list(joke.stream({"topic": "ice cream"}, stream_mode="updates"))
    assert [type(e).__name__ for e in events] == ["RefineTopicUpdated", "GenerateJokeUpdated"]
    assert all(isinstance(e, UpdatesEvent) for e in events)
    assert [(e.node, e.data) for e in events] == [
        ("refine_topic", {"topic": "ice cream and cats"}),
        ("generate_joke", {"joke": "This is a joke about ice cream and cats"}),
    ]


def test_joke_chain_values_and_invoke() -> None:
    joke = build(SPECS / "joke.toml")
    values = [e.data for e in joke.stream({"topic": "ice cream"}, stream_mode="values")]
    assert values == [
        {"topic": "ice cream"},
        {"topic": "ice cream and cats"},
        {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"},
    ]
    assert all(
        isinstance(e, ValuesEvent) for e in joke.stream({"topic": "x"}, stream_mode="values")
    )
    assert joke.invoke({"topic": "ice cream"}) == values[-1]
