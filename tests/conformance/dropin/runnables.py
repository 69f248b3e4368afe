"""LangChain runnables as nodes and routers: called with the state and the run's config.

A chain (`RunnableLambda | RunnablePassthrough.assign(...)`) and a runnable class of the
user's are nodes, and a `RunnableLambda` a router, as LangGraph coerces them.
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


class Labeller(RunnableLambda):
    """A runnable class of the user's own (as a custom chat model would be)."""

    def __init__(self) -> None:
        super().__init__(lambda s: {"label": f"labelled {s['n']}"}, name="Labeller")


# both builds of this file name the class alike in `get_graph().to_json()`, which shows its module
Labeller.__module__ = "runnables"

custom = StateGraph(State).add_node("label", Labeller()).add_edge(START, "label").compile()

GRAPHS = ["looped", "custom"]
INPUTS = [{"n": 0, "label": ""}, {"n": 5, "label": "x"}]
