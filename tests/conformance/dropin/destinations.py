"""`add_node(destinations=...)`: where a node's Command may go, for drawings only.

The node returns a bare `Command` (no `Literal` annotation): the destinations, a tuple of
names or a dict of names to edge labels, are what `get_graph()` draws; the run follows the
returned Command either way.
"""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command


class State(TypedDict):
    n: int
    path: str


def pick(state: State):
    if state["n"] > 5:
        return Command(update={"path": "big"}, goto="big")
    return Command(update={"path": "small"}, goto="small")


def big(state: State):
    return {"n": state["n"] * 10}


def small(state: State):
    return Command(update={"n": state["n"] + 1}, goto=END)


named = (
    StateGraph(State)
    .add_node("pick", pick, destinations=("big", "small"))
    .add_node("big", big)
    .add_node("small", small, destinations=(END,))
    .add_edge(START, "pick")
    .compile()
)

labelled = (
    StateGraph(State)
    .add_node("pick", pick, destinations={"big": "more than 5", "small": "up to 5"})
    .add_node("big", big)
    .add_node("small", small)
    .add_edge(START, "pick")
    .add_edge("big", END)
    .compile()
)

GRAPHS = ["named", "labelled"]
INPUTS = [{"n": 9, "path": ""}, {"n": 1, "path": ""}]
