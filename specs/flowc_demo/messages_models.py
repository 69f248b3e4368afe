"""Nodes that call chat models every way LangChain allows, for ``messages`` mode.

* ``streamed`` iterates ``model.stream()``: one event per token, none at the end;
* ``whole`` calls a model that cannot stream (``FakeMessagesListChatModel``):
  one event with the whole ``AIMessage``;
* ``disabled`` calls a streaming model built with ``disable_streaming=True``:
  one whole ``AIMessage`` too.

The async twins (``astreamed``, ``awhole``, ``ainvoked``) use ``astream`` and
``ainvoke`` without passing a config.
"""

from __future__ import annotations

import itertools
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import (
    FakeMessagesListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

STREAMED = "tokens one by one"
WHOLE = "a reply in one piece"
DISABLED = "streaming switched off"

EXAMPLE_INPUT = {"topic": "models"}

streaming_model = GenericFakeChatModel(messages=itertools.cycle([STREAMED]), tags=["streamed"])
whole_model = FakeMessagesListChatModel(responses=[AIMessage(content=WHOLE, id="whole-reply")])
disabled_model = GenericFakeChatModel(messages=itertools.cycle([DISABLED]), disable_streaming=True)


class State(TypedDict, total=False):
    topic: str
    streamed: str
    whole: str
    disabled: str


def streamed(state: State) -> State:
    text = "".join(chunk.text for chunk in streaming_model.stream(state["topic"]))
    return {"streamed": text}


def whole(state: State) -> State:
    return {"whole": whole_model.invoke(state["topic"]).text}


def disabled(state: State) -> State:
    return {"disabled": disabled_model.invoke(state["topic"]).text}


async def astreamed(state: State) -> State:
    text = ""
    async for chunk in streaming_model.astream(state["topic"]):
        text += chunk.text
    return {"streamed": text}


async def awhole(state: State) -> State:
    reply = await whole_model.ainvoke(state["topic"])
    return {"whole": reply.text}


async def ainvoked(state: State) -> State:
    reply = await disabled_model.ainvoke(state["topic"])
    return {"disabled": reply.text}
