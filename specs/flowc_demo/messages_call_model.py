"""Nodes of the reference document's first ``messages`` example: one node calls a chat model.

The reference calls ``init_chat_model("openai:gpt-4o-mini")``; here a LangChain
fake chat model replies with a canned joke, so the example runs offline and
the same way every time (``itertools.cycle``: the same reply on every call,
whichever backend runs the graph).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

JOKE = "Why did the ice cream truck break down? It had a rocky road."

EXAMPLE_INPUT = {"topic": "ice cream"}

llm = GenericFakeChatModel(messages=itertools.cycle([JOKE]))


@dataclass
class MyState:
    topic: str
    joke: str = ""


def call_model(state: MyState) -> dict[str, str]:
    """Call the LLM to generate a joke about a topic."""
    llm_response = llm.invoke([{"role": "user", "content": f"Generate a joke about {state.topic}"}])
    return {"joke": llm_response.text}
