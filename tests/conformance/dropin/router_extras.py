"""A node's output beside the state's keys reaches its routers that take no schema.

LangGraph drops the write of a key that is no channel, but calls a router whose parameter
has no schema (no annotation, or `dict`) with the node's output under the state; a router
annotated with a TypedDict reads the state alone.
"""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict


class State(TypedDict):
    seen: Annotated[list, operator.add]


def agent(state: State):
    return {"seen": ["agent"], "plan": ["x"] if len(state["seen"]) < 4 else []}


def fan(data: dict):
    # the node's `plan` is no state key: only this router sees it
    return [Send("work", {"seen": [item]}) for item in data["plan"]] or END


def work(state: State):
    return {"seen": ["work"]}


packets = (
    StateGraph(State)
    .add_node(agent)
    .add_node(work)
    .add_edge(START, "agent")
    .add_conditional_edges("agent", fan, ["work", END])
    .add_edge("work", "agent")
    .compile()
)


def anode(state: State):
    return {"seen": ["anode"], "note": "for the router"}


def untyped(data):
    return END if data.get("note") == "for the router" else "anode"


def typed(state: State):
    # a schema: the state only
    return "anode" if "note" not in state else END


untyped_and_typed = (
    StateGraph(State)
    .add_node(anode)
    .add_node("other", lambda state: {"seen": ["other"], "note": 1})
    .add_edge(START, "other")
    .add_conditional_edges("other", typed)
    .add_conditional_edges("anode", untyped)
    .compile()
)

GRAPHS = ["packets", "untyped_and_typed"]
INPUTS = [{"seen": []}, {"seen": ["a", "b"]}]
