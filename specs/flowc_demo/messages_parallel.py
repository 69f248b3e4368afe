"""Nodes of the reference document's "filter by node" example.

``write_joke`` and ``write_poem`` run in parallel and each calls a chat model
with ``invoke``; a consumer keeps the tokens whose
``metadata["langgraph_node"]`` is ``write_poem``. The reference shares one
``ChatOpenAI``; here each node has a fake chat model with its own canned reply,
so that the filter visibly picks one of two texts.
"""

from __future__ import annotations

import itertools
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

JOKE = "Why did the cat join the choir? It had purr-fect pitch."
POEM = "Whiskers in moonlight, a quiet grace."

EXAMPLE_INPUT = {"topic": "cats"}

joke_model = GenericFakeChatModel(messages=itertools.cycle([JOKE]))
poem_model = GenericFakeChatModel(messages=itertools.cycle([POEM]))


class State(TypedDict, total=False):
    topic: str
    joke: str
    poem: str


def write_joke(state: State) -> State:
    topic = state["topic"]
    joke_response = joke_model.invoke([{"role": "user", "content": f"Write a joke about {topic}"}])
    return {"joke": joke_response.text}


def write_poem(state: State) -> State:
    topic = state["topic"]
    poem_response = poem_model.invoke(
        [{"role": "user", "content": f"Write a short poem about {topic}"}]
    )
    return {"poem": poem_response.text}
