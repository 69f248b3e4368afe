"""What LangGraph's builder accepts and a run settles: two nodes of one superstep writing a key
without a reducer (the run fails with LangGraph's `InvalidUpdateError` after their updates),
a loop of plain edges with no way out (the run stops at the recursion limit), and a node that
takes no state (a run that reaches it fails with Python's `TypeError`)."""

import time
from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    hello: str


def write(name: str, delay: float = 0.0):
    def node(state: State):
        time.sleep(delay)  # `c` finishes after `b`
        return {"hello": name}

    return node


concurrent = (
    StateGraph(State)
    .add_node("a", write("a"))
    .add_node("b", write("b"))
    .add_node("c", write("c", 0.05))
    .add_edge(START, "a")
    .add_edge("a", "b")
    .add_edge("a", "c")
    .compile()
)

loop = (
    StateGraph(State)
    .add_node("human", write("human"))
    .add_node("agent", write("agent"))
    .add_edge(START, "human")
    .add_edge("human", "agent")
    .add_edge("agent", "human")
    .compile()
)


def takes_nothing():
    return {"hello": "never"}


unreached = (
    StateGraph(State)
    .add_node("a", write("a"))
    .add_node("takes_nothing", takes_nothing)
    .add_edge(START, "a")
    .compile()
)
reached = (
    StateGraph(State)
    .add_node("a", write("a"))
    .add_node("takes_nothing", takes_nothing)
    .add_edge(START, "a")
    .add_edge("a", "takes_nothing")
    .compile()
)

GRAPHS = ["concurrent", "loop", "unreached", "reached"]
INPUTS = [{"hello": "there"}]
CONFIGS = [{"recursion_limit": 5}]
