"""A TypedDict state whose one key is `__root__` is a root state, as in LangGraph: nodes and
routers take the value itself, return the update to it, and the graph's chunks show the value.
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, StateGraph


class State(TypedDict):
    __root__: Annotated[list[str], operator.add]


def write(items: list[str]) -> list[str]:
    return [f"item {len(items)}"]


def more(items: list[str]) -> str:
    return "again" if len(items) < 3 else END


def again(items: list[str]) -> list[str]:
    return ["again"]


builder = StateGraph(State)
builder.add_node("write", write)
builder.add_node("again", again)
builder.set_entry_point("write")
builder.add_conditional_edges("write", more, ["again", END])
builder.add_edge("again", "write")
graph = builder.compile()

GRAPHS = ["graph"]
INPUTS = [["start"], []]
