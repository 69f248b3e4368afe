"""A node looping on itself through a conditional edge, and the recursion limit."""

from typing import Literal, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    count: int
    trail: str


def step(state: State):
    return {"count": state["count"] + 1, "trail": state.get("trail", "") + "."}


def again(state: State) -> Literal["step", "__end__"]:
    return "step" if state["count"] < 3 else END


graph = (
    StateGraph(State)
    .add_node(step)
    .add_edge(START, "step")
    .add_conditional_edges("step", again)
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"count": 0}, {"count": 5}]
CONFIGS = [None, {"recursion_limit": 3}, {"recursion_limit": 4}, {"recursion_limit": 5}]
