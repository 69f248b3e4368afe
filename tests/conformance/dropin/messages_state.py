"""Messages a node returns (emitted once, by id), a model called with the node's ``config``,
an ``add_messages`` field next to other fields, and node metadata.
"""

import itertools
from typing import Annotated, TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langgraph.graph import START, StateGraph, add_messages

llm = GenericFakeChatModel(messages=itertools.cycle(["A joke about bees", "Another one"]))


class State(TypedDict):
    topic: str
    messages: Annotated[list[AnyMessage], add_messages]
    joke: str


def write(state: State, config):
    reply = llm.invoke([("user", f"a joke about {state['topic']}")], config)
    return {"joke": reply.content, "messages": [AIMessage("written", id="w-1")]}


def review(state: State):
    return {"messages": [AIMessage(f"reviewed {len(state['messages'])}", id="r-1")]}


graph = (
    StateGraph(State)
    .add_node("write", write, metadata={"kind": "writer"})
    .add_node(review)
    .add_edge(START, "write")
    .add_edge("write", "review")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"topic": "bees"}]
CONFIGS = [None, {"tags": ["t"], "metadata": {"user_id": "u-1"}}]
