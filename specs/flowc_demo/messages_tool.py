"""A node that calls a LangChain tool, which calls a chat model: the tool's tokens stream too.

The reference document's "use with any LLM" graph, with a LangChain chat model
inside the tool instead of a raw client: ``messages`` mode needs nothing from
the tool, whose model call picks up the node's context.
"""

from __future__ import annotations

import itertools
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.tools import tool

ITEMS = "bed: for sleeping, lamp: for light, wardrobe: for clothes"

EXAMPLE_INPUT = {"place": "bedroom"}

items_model = GenericFakeChatModel(messages=itertools.cycle([ITEMS]), tags=["items"])


@tool
def get_items(place: str) -> str:
    """Use this tool to list items one might find in a place you're asked about."""
    return items_model.invoke(f"List at least 3 items one might find in a {place}.").text


class State(TypedDict, total=False):
    place: str
    items: str


def call_tool(state: State) -> State:
    return {"items": get_items.invoke({"place": state["place"]})}
