"""A graph declared with decorators, for `flowc run cli_graphs:joke`."""

from __future__ import annotations

from typing import TypedDict

from flowc import END, START, Graph


class State(TypedDict, total=False):
    topic: str
    joke: str


class TopicUpdate(TypedDict):
    topic: str


class JokeUpdate(TypedDict):
    joke: str


joke = Graph("deco_joke", State, description="The joke chain, declared with decorators.")


@joke.node
def refine_topic(state: State) -> TopicUpdate:
    return {"topic": state["topic"] + " and cats"}


@joke.node
def generate_joke(state: State) -> JokeUpdate:
    return {"joke": f"This is a joke about {state['topic']}"}


joke.sequence(START, "refine_topic", "generate_joke", END)
