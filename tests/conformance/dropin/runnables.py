"""LangChain runnables as nodes and routers: called with the state and the run's config.

A chain (`RunnableLambda | RunnablePassthrough.assign(...)`) is a node, and a
`RunnableLambda` a router, as LangGraph coerces them.
"""

from typing import TypedDict

from langchain_core.runnables import RunnableLambda, RunnablePassthrough
from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    n: int
    label: str


def bump(state: State) -> dict:
    return {"n": state["n"] + 1}


def again(state: State) -> str:
    return END if state["n"] > 2 else "step"


chain = RunnableLambda(bump) | RunnablePassthrough.assign(label=lambda s: f"n={s['n']}")

looped = (
    StateGraph(State)
    .add_node("step", chain)
    .add_edge(START, "step")
    .add_conditional_edges("step", RunnableLambda(again), ["step", END])
    .compile()
)

GRAPHS = ["looped"]
INPUTS = [{"n": 0, "label": ""}, {"n": 5, "label": "x"}]
