"""A dict of runnables as a node: LangChain's `RunnableParallel` of them, each value run on the
state and the results the node's update."""

from typing import TypedDict

from langchain_core.runnables import RunnableLambda, RunnablePick
from langgraph.graph import START, StateGraph


class State(TypedDict):
    messages: list[str]
    n: int


graph = (
    StateGraph(State)
    .add_node(
        "agent",
        {
            "messages": RunnablePick("messages") | RunnableLambda(lambda m: [*m, "x"]),
            "n": lambda state: state["n"] + 1,
        },
    )
    .add_edge(START, "agent")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"messages": [], "n": 1}]
