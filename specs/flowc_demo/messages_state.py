"""Nodes of a chat graph whose state is a list of messages merged by ``add_messages``.

``chat`` streams a model reply token by token and returns it (it is not
streamed again); ``echo`` returns an ``AIMessage`` of its own, without an id
(it is streamed once, whole, with the uuid4 id it then keeps in the state);
``quiet`` calls a model tagged ``nostream`` (its tokens are not streamed, its
reply is, once, because the node returns it).
"""

from __future__ import annotations

import itertools
from typing import Annotated, TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AnyMessage

from flowc.reducers import add_messages

REPLY = "Hello there, how can I help?"
SUMMARY = "The user said hello."

EXAMPLE_INPUT = {"messages": [{"role": "user", "content": "hi!"}]}

chat_model = GenericFakeChatModel(messages=itertools.cycle([REPLY]))
quiet_model = GenericFakeChatModel(messages=itertools.cycle([SUMMARY]), tags=["nostream"])


class State(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]


def chat(state: State) -> State:
    return {"messages": [chat_model.invoke(state["messages"])]}


def echo(state: State) -> State:
    first = state["messages"][0]
    return {"messages": [AIMessage(content=f"You said: {first.text}")]}


def quiet(state: State) -> State:
    return {"messages": [quiet_model.invoke(state["messages"])]}
