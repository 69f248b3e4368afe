"""Node names that are no Python names (`1`, `Chart Generator`, `class`, `Call Tool` beside
`Call_Tool`, `<lambda>`), reached by edges, a path map, `Send`, and a subgraph's name."""

import operator
from typing import Annotated, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def logger(name: str):
    def node(state: State):
        return {"log": [name]}

    return node


def route(state: State) -> str:
    return "tool" if len(state["log"]) < 3 else "end"


def fan_out(state: State):
    return [Send("2", {"topic": topic, "log": []}) for topic in ("x", "y")]


def to_class(state: State) -> Literal["class"]:
    return "class"


inner = (
    StateGraph(State)
    .add_node("deep node", logger("deep node"))
    .add_edge(START, "deep node")
    .compile(name="inner graph")
)

builder = StateGraph(State)
builder.add_node("1", logger("1"))
builder.add_node("Chart Generator", logger("Chart Generator"))
builder.add_node("Call Tool", logger("Call Tool"))
builder.add_node("Call_Tool", logger("Call_Tool"))
builder.add_node("2", logger("2"))
builder.add_node("class", logger("class"))
builder.add_node(inner)
builder.add_node("fan out", logger("fan out"))
builder.add_edge(START, "1")
builder.add_edge("1", "Chart Generator")
builder.add_conditional_edges("Chart Generator", route, {"tool": "Call Tool", "end": "inner graph"})
builder.add_edge("Call Tool", "Call_Tool")
builder.add_edge("Call_Tool", "Chart Generator")
builder.add_edge("inner graph", "fan out")
builder.add_conditional_edges("fan out", fan_out, ["2"])
builder.add_conditional_edges("2", to_class)
builder.add_edge("class", END)
graph = builder.compile()

lambda_graph = (
    StateGraph(State)
    .add_node(lambda state: {"log": ["<lambda>"]})
    .add_edge(START, "<lambda>")
    .compile()
)

GRAPHS = ["graph", "lambda_graph"]
# flowc draws `<lambda>` as `#60;lambda#62;` (docs/differences-from-langgraph.md)
DRAWN = ["graph"]
INPUTS = [{"topic": "t", "log": []}]
