"""The reference document's "Stream custom data": a node and a tool write custom chunks.

``node`` calls ``get_stream_writer()`` itself; ``call_tool`` calls a plain function
that gets the writer and reports progress, as the reference's "tool" example does.
"""

from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph


class State(TypedDict):
    query: str
    answer: str


def node(state: State):
    writer = get_stream_writer()
    writer({"custom_key": "Generating custom data inside node"})
    return {"answer": "some data"}


def query_database(query: str) -> str:
    writer = get_stream_writer()
    writer({"data": "Retrieved 0/100 records", "type": "progress"})
    writer({"data": "Retrieved 100/100 records", "type": "progress"})
    return f"some-answer to {query}"


def call_tool(state: State):
    return {"answer": query_database(state["query"])}


graph = StateGraph(State).add_node(node).add_edge(START, "node").compile()

tool_graph = (
    StateGraph(State)
    .add_node(node)
    .add_node(call_tool)
    .add_edge(START, "node")
    .add_edge("node", "call_tool")
    .compile()
)

GRAPHS = ["graph", "tool_graph"]
INPUTS = [{"query": "example"}]
