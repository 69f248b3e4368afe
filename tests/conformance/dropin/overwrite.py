"""`Overwrite` bypasses a reducer: in a sequence, in parallel with a sibling whose write of the
key is then dropped, in LangGraph's dict form, and two Overwrites of one key in a superstep
failing with LangGraph's error."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Overwrite


class State(TypedDict):
    messages: Annotated[list, operator.add]


def a(state: State):
    return {"messages": ["a"]}


def b(state: State):
    return {"messages": Overwrite(["b"])}


def b_dict(state: State):
    return {"messages": {"__overwrite__": ["b"]}}


def b_dict_late(state: State):
    time.sleep(0.05)  # finishes after its sibling
    return {"messages": {"__overwrite__": ["b"]}}


def c(state: State):
    time.sleep(0.05)  # finishes after its sibling
    return {"messages": ["c"]}


def d(state: State):
    return {"messages": ["d"]}


sequence = (
    StateGraph(State)
    .add_sequence([("node_a", a), ("node_b", b), ("node_d", d)])
    .add_edge(START, "node_a")
    .compile()
)


def parallel_graph(overwriting, sibling):
    return (
        StateGraph(State)
        .add_node("node_a", a)
        .add_node("node_b", overwriting)
        .add_node("node_c", sibling)
        .add_node("node_d", d)
        .add_edge(START, "node_a")
        .add_edge("node_a", "node_b")
        .add_edge("node_a", "node_c")
        .add_edge(["node_b", "node_c"], "node_d")
        .compile()
    )


parallel = parallel_graph(b, c)
parallel_dict = parallel_graph(b_dict, c)
twice = parallel_graph(b, b_dict_late)

GRAPHS = ["sequence", "parallel", "parallel_dict", "twice"]
INPUTS = [{"messages": ["START"]}]
