"""Nodes of a graph whose chat model runs inside a subgraph.

``joke_graph`` is the subgraph ``messages_subgraph_child.toml`` as a node;
``retell`` runs the same child graph from inside its own function. With
``subgraphs=True`` the model's tokens stream under the subgraph's namespace;
with ``subgraphs=False`` they do not, but the reply the child keeps in its
own ``notes`` list comes out once, whole, when ``joke_graph`` finishes.
"""

from __future__ import annotations

import itertools
from typing import Annotated, TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AnyMessage

from flowc.reducers import add_messages
from flowc_demo.children import child

JOKE = "Parallel lines have so much in common. It's a shame they'll never meet."

EXAMPLE_INPUT = {"topic": "geometry"}

llm = GenericFakeChatModel(messages=itertools.cycle([JOKE]), tags=["joke"])


class ParentState(TypedDict, total=False):
    topic: str
    joke: str


class ChildState(TypedDict, total=False):
    topic: str
    joke: str
    notes: Annotated[list[AnyMessage], add_messages]


def refine_topic(state: ParentState) -> ParentState:
    return {"topic": state["topic"] + " and math"}


def call_model(state: ChildState) -> ChildState:
    reply = llm.invoke([{"role": "user", "content": f"Tell a joke about {state['topic']}"}])
    return {"joke": reply.text, "notes": [reply]}


def retell(state: ParentState) -> ParentState:
    out = child("messages_subgraph_child.toml").invoke({"topic": state["topic"]})
    return {"joke": out["joke"]}
