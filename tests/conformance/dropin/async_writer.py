"""The reference document's async node with an injected ``writer: StreamWriter`` parameter.

An async-only graph: streamed synchronously, both raise LangGraph's TypeError.
The second graph mixes an async writer node with a sync node calling ``get_stream_writer()``.
"""

import asyncio
from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.types import StreamWriter


class State(TypedDict):
    topic: str
    joke: str


async def generate_joke(state: State, writer: StreamWriter):
    writer({"custom_key": "Streaming custom data while generating a joke"})
    await asyncio.sleep(0)
    return {"joke": f"This is a joke about {state['topic']}"}


def sync_writer(state: State):
    get_stream_writer()("sync")
    return {"topic": state["topic"].upper()}


async def async_getter(state: State):
    get_stream_writer()({"got": state["topic"]})
    return None


graph = StateGraph(State).add_node(generate_joke).add_edge(START, "generate_joke").compile()

mixed = (
    StateGraph(State)
    .add_node(sync_writer)
    .add_node(async_getter)
    .add_node(generate_joke)
    .add_edge(START, "sync_writer")
    .add_edge("sync_writer", "async_getter")
    .add_edge("async_getter", "generate_joke")
    .compile()
)

GRAPHS = ["graph", "mixed"]
INPUTS = [{"topic": "ice cream"}]
