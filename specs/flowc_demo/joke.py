"""Nodes of the joke chain (the reference document's first example)."""

from __future__ import annotations

from typing import TypedDict


class JokeState(TypedDict, total=False):
    topic: str
    joke: str


class TopicUpdate(TypedDict):
    topic: str


class JokeUpdate(TypedDict):
    joke: str


def refine_topic(state: JokeState) -> TopicUpdate:
    return {"topic": state["topic"] + " and cats"}


def generate_joke(state: JokeState) -> JokeUpdate:
    return {"joke": f"This is a joke about {state['topic']}"}


EXAMPLE_INPUT = {"topic": "ice cream"}
"""An input the example runs and tests use."""
