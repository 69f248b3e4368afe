"""A compiled graph invoked inside a node, once and twice in one task, and a named subgraph node."""

from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph


class Inner(TypedDict):
    text: str


def shout(state: Inner):
    get_stream_writer()({"shouting": state["text"]})
    return {"text": state["text"].upper() + "!"}


inner = (
    StateGraph(Inner)
    .add_node(shout)
    .add_edge(START, "shout")
    .add_edge("shout", END)
    .compile(name="inner")
)


class Outer(TypedDict):
    text: str
    echoes: int


def call_once(state: Outer):
    result = inner.invoke({"text": state["text"]})
    return {"text": result["text"]}


def call_twice(state: Outer):
    first = inner.invoke({"text": state["text"]})
    second = inner.invoke({"text": first["text"]})
    return {"text": second["text"], "echoes": 2}


graph = (
    StateGraph(Outer)
    .add_node(call_once)
    .add_node(call_twice)
    .add_node(inner)
    .add_edge(START, "call_once")
    .add_edge("call_once", "call_twice")
    .add_edge("call_twice", "inner")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"text": "hey"}]
