"""Node of the reference document's "async LLM call with manual config" example.

An async node takes ``config`` and passes it to ``ainvoke``. On Python 3.11+
the tokens stream without it too; passing it must not change what streams.
"""

from __future__ import annotations

import itertools
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.runnables import RunnableConfig

JOKE = "I told my ice cream a secret. Now it's a little melted about it."

EXAMPLE_INPUT = {"topic": "ice cream"}

llm = GenericFakeChatModel(messages=itertools.cycle([JOKE]))


class State(TypedDict, total=False):
    topic: str
    joke: str


async def call_model(state: State, config: RunnableConfig) -> State:
    topic = state["topic"]
    joke_response = await llm.ainvoke(
        [{"role": "user", "content": f"Write a joke about {topic}"}],
        config,
    )
    return {"joke": joke_response.text}
