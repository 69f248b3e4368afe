"""Routers in every form LangGraph takes: a ``Literal`` annotation, a list path map, a dict
path map (with labels and with boolean keys), and none at all (any node or END; here a
fan-out to two nodes that a join edge to END closes, and one to two nodes that clash).
"""

import operator
import threading
import time
from typing import Annotated, Literal, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    start: int
    path: Annotated[list[str], operator.add]


def visit(name):
    def node(state: State):
        return {"path": [name]}

    return node


def n(state: State) -> int:
    return state["start"] + len(state["path"])


def by_literal(state: State) -> Literal["b", "c"]:
    return "b" if n(state) % 2 else "c"


def by_list(state: State):
    return "d" if n(state) < 3 else "e"


def by_dict(state: State):
    return "again" if n(state) < 4 else "stop"


def by_bool(state: State):
    return n(state) > 4


def anywhere(state: State):
    return ["f", "g"] if n(state) < 9 else END


f_done = threading.Event()


def f(state: State):
    try:
        return {"path": ["f"]}
    finally:
        f_done.set()


def g(state: State):
    # runs only next to `f`: finish second, so that both runtimes stream one order
    f_done.wait(timeout=5)
    f_done.clear()
    time.sleep(0.03)
    return {"path": ["g"]}


builder = StateGraph(State)
for name in "abcdeh":
    builder.add_node(name, visit(name))
builder.add_node(f)
builder.add_node(g)
builder.add_edge(START, "a")
builder.add_conditional_edges("a", by_literal)
builder.add_conditional_edges("b", by_list, ["d", "e"])
builder.add_edge("c", "d")
builder.add_conditional_edges("d", by_dict, {"again": "a", "stop": "e"})
builder.add_conditional_edges("e", by_bool, {True: "h", False: "a"})
builder.add_conditional_edges("h", anywhere)
builder.add_edge(["f", "g"], END)
graph = builder.compile()


first_done = threading.Event()


def first_writer(state: State):
    try:
        return {"start": 100}
    finally:
        first_done.set()


def second_writer(state: State):
    # finish second, so that both runtimes stream the two updates in one order
    first_done.wait(timeout=5)
    first_done.clear()
    time.sleep(0.03)
    return {"start": 200}


# two nodes of one superstep write a key without a reducer: InvalidUpdateError
clash = (
    StateGraph(State)
    .add_node(first_writer)
    .add_node(second_writer)
    .add_conditional_edges(START, lambda state: ["first_writer", "second_writer"])
    .compile()
)

GRAPHS = ["graph", "clash"]
INPUTS = {
    "graph": [{"start": 0}, {"start": 1, "path": ["x"]}, {"start": 8}],
    "clash": [{"start": 0}],
}
