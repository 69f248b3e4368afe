"""Nodes of the reference document's "filter by LLM invocation" example.

Two chat models, tagged ``joke`` and ``poem``, are called by one async node
that passes its ``config`` on explicitly; a consumer keeps the tokens whose
``metadata["tags"]`` is ``["joke"]``. LangChain's fake chat model stands in
for ``init_chat_model`` (the same reply on every call, so that any run, by
either backend, sees the same tokens).
"""

from __future__ import annotations

import itertools
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.runnables import RunnableConfig

JOKE = "Why do cats sit on keyboards? To keep an eye on the mouse."
POEM = "Soft paws at dawn, a purr that fills the room."

EXAMPLE_INPUT = {"topic": "cats"}

joke_model = GenericFakeChatModel(messages=itertools.cycle([JOKE]), tags=["joke"])
poem_model = GenericFakeChatModel(messages=itertools.cycle([POEM]), tags=["poem"])


class State(TypedDict, total=False):
    topic: str
    joke: str
    poem: str


async def call_model(state: State, config: RunnableConfig) -> State:
    """Write a joke, then a poem, about the topic."""
    topic = state["topic"]
    joke_response = await joke_model.ainvoke(
        [{"role": "user", "content": f"Write a joke about {topic}"}],
        config,
    )
    poem_response = await poem_model.ainvoke(
        [{"role": "user", "content": f"Write a short poem about {topic}"}],
        config,
    )
    return {"joke": joke_response.text, "poem": poem_response.text}
