"""Nodes and routers that are not module functions: closures, lambdas, bound methods,
callable objects (sync and async), ``functools.partial``; node metadata.
"""

import asyncio
import functools
import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def make_adder(k):
    def add(state: State):
        return {"n": state["n"] + k, "log": [f"add {k}"]}

    return add


class Counter:
    def __init__(self, step):
        self.step = step

    def bump(self, state: State):
        return {"n": state["n"] + self.step, "log": ["bump"]}

    def is_big(self, state: State):
        return "big" if state["n"] > 10 else "small"


class Doubler:
    def __call__(self, state: State):
        return {"n": state["n"] * 2, "log": ["double"]}


class AsyncTripler:
    async def __call__(self, state: State):
        await asyncio.sleep(0)
        return {"n": state["n"] * 3, "log": ["triple"]}


def scaled(state: State, factor: int = 1):
    return {"log": [f"scaled {state['n'] * factor}"]}


counter = Counter(5)
threshold = 20
builder = StateGraph(State)
builder.add_node("closure", make_adder(3), metadata={"kind": "closure", "rank": 1})
builder.add_node("lam", lambda state: {"n": state["n"] - 1, "log": ["lambda"]})
builder.add_node("bound", counter.bump)
builder.add_node("obj", Doubler())
builder.add_node("big", functools.partial(scaled, factor=10))
builder.add_node("small", make_adder(100))
builder.add_edge(START, "closure")
builder.add_edge("closure", "lam")
builder.add_conditional_edges("lam", lambda state: "bound" if state["n"] % 2 else "obj")
builder.add_edge("bound", "obj")
builder.add_conditional_edges("obj", counter.is_big, {"big": "big", "small": "small"})
builder.add_conditional_edges("small", lambda state: END if state["n"] > threshold else "closure")
graph = builder.compile()


async def async_route(state: State):
    return "obj" if state["n"] < 10 else END


sync_and_async = (
    StateGraph(State)
    .add_node("obj", Doubler())
    .add_node("aobj", AsyncTripler())
    .add_edge(START, "obj")
    .add_edge("obj", "aobj")
    .add_conditional_edges("aobj", async_route, ["obj", END])
    .compile()
)

GRAPHS = ["graph", "sync_and_async"]
INPUTS = [{"n": 1}, {"n": 4}]
