"""Private channels: keys of a node's schema that the graph's state has not.

One node writes ``secret`` (its return type says so), another reads only it (its parameter's
TypedDict), and a node without an annotation reads the state alone; in ``routed`` only a
router's TypedDict names the private channel. LangGraph streams the
private channel in ``values`` but leaves it out of ``invoke``'s result; flowc streams it the
same, so this graph is compared stream by stream (see docs/differences-from-langgraph.md).
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


class Secret(TypedDict):
    secret: str
    hops: Annotated[int, operator.add]


def hide(state: State) -> Secret:
    return {"secret": state["topic"] + "!", "hops": 1}


def reveal(state: Secret) -> State:
    return {"topic": state["secret"] * 2, "log": [f"hops={state['hops']}"]}


def plain(state):
    return {"log": [f"keys={sorted(state)}"]}


graph = (
    StateGraph(State)
    .add_node(hide)
    .add_node(reveal)
    .add_node(plain)
    .add_edge(START, "hide")
    .add_edge("hide", "reveal")
    .add_edge("reveal", "plain")
    .add_edge("plain", END)
    .compile()
)


def check(state: Secret):
    return "plain" if state["hops"] == 1 else END


# only a router reads the private channels that `hide` writes
routed = (
    StateGraph(State)
    .add_node(hide)
    .add_node(plain)
    .add_edge(START, "hide")
    .add_conditional_edges("hide", check, ["plain", END])
    .add_edge("plain", END)
    .compile()
)

GRAPHS = ["graph", "routed"]
INPUTS = [{"topic": "x", "log": []}, {"topic": "y", "log": ["start"]}]
