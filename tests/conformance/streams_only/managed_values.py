"""Managed values in a state: `RemainingSteps` and `IsLastStep`, read by nodes and routers.

They count down the supersteps the recursion limit still allows; no output, stream part or
update shows them, and a node's write of one is dropped.
"""

import asyncio
import operator
from typing import Annotated, Literal, NotRequired

from langgraph.graph import END, START, StateGraph
from langgraph.managed import IsLastStep, RemainingSteps
from typing_extensions import TypedDict


class State(TypedDict):
    seen: Annotated[list, operator.add]
    remaining: RemainingSteps
    last: NotRequired[IsLastStep]


def step(state: State):
    return {"seen": [("step", state["remaining"], state["last"])]}


def again(state: State) -> Literal["step", "__end__"]:
    # the router reads the values of its node's superstep
    return END if state["last"] or len(state["seen"]) > 3 else "step"


loop = (
    StateGraph(State)
    .add_node(step)
    .add_edge(START, "step")
    .add_conditional_edges("step", again)
    .compile()
)


async def astep(state: State):
    await asyncio.sleep(0)
    return {"seen": [("astep", state["remaining"])]}


def writes_managed(state: State):
    # not a channel: the write is dropped, the next step reads the managed value again
    return {"seen": [("writes", state["remaining"])], "remaining": 100}


def fan(state: State):
    return {"seen": [("fan", state["remaining"])]}


def b(state: State):
    return {"seen": [("b", state["remaining"], state["last"])]}


def c(state: State):
    return {"seen": [("c", state["remaining"])]}


fan_out = (
    StateGraph(State)
    .add_node(writes_managed)
    .add_node(fan)
    .add_node(b)
    .add_node(c)
    .add_edge(START, "writes_managed")
    .add_edge("writes_managed", "fan")
    .add_edge("fan", "b")
    .add_edge("fan", "c")
    .add_edge(["b", "c"], END)
    .compile()
)


async_loop = (
    StateGraph(State)
    .add_node(astep)
    .add_edge(START, "astep")
    .add_conditional_edges("astep", lambda state: END if len(state["seen"]) > 2 else "astep")
    .compile()
)


inner = (
    StateGraph(State)
    .add_node("inner_step", step)
    .add_edge(START, "inner_step")
    .add_edge("inner_step", END)
    .compile()
)

with_subgraph = (
    StateGraph(State)
    .add_node(fan)
    .add_node("inner", inner)
    .add_node(c)
    .add_edge(START, "fan")
    .add_edge("fan", "inner")
    .add_edge("inner", "c")
    .compile()
)

GRAPHS = ["loop", "fan_out", "async_loop", "with_subgraph"]
INPUTS = [{"seen": []}, {"seen": ["given"]}]
CONFIGS = [None, {"recursion_limit": 3}, {"recursion_limit": 4}, {"recursion_limit": 7}]
