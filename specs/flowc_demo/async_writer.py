"""Node of the async writer graph: an async node that declares a ``writer`` parameter."""

from __future__ import annotations

from typing import TypedDict

from flowc import StreamWriter

EXAMPLE_INPUT = {"topic": "ice cream"}
"""An input the example runs and tests use."""


class State(TypedDict, total=False):
    topic: str
    joke: str


class JokeUpdate(TypedDict):
    joke: str


async def generate_joke(state: State, writer: StreamWriter) -> JokeUpdate:
    writer({"custom_key": "Streaming custom data while generating a joke"})
    return {"joke": f"This is a joke about {state['topic']}"}
