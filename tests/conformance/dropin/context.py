"""A run context (`context_schema`, `context=`) read through `Runtime` and `get_runtime()`.

Nodes, a router and a subgraph's node read it; a dict is made an instance of a dataclass or
pydantic context schema and kept as it is for a TypedDict one.
"""

import operator
from dataclasses import dataclass
from typing import Annotated, TypedDict

import pydantic
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime, get_runtime


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


@dataclass
class Ctx:
    user: str
    polite: bool = True


class ModelCtx(pydantic.BaseModel):
    user: str


class DictCtx(TypedDict):
    user: str


def greet(state: State, runtime: Runtime[Ctx]):
    get_stream_writer()({"greeting": runtime.context.user})
    return {"log": [f"hello {runtime.context.user} ({type(runtime.context).__name__})"]}


def via_get_runtime(state: State):
    context = get_runtime(Ctx).context
    return {"log": [f"get_runtime: {context!r}"]}


def route(state: State, runtime: Runtime[Ctx]):
    return "polite" if runtime.context.polite else END


def polite(state: State, *, runtime: Runtime[Ctx], config=None):
    return {"log": [f"thank you, {runtime.context.user}"]}


dataclass_context = (
    StateGraph(State, context_schema=Ctx)
    .add_node("greet", greet)
    .add_node("via_get_runtime", via_get_runtime)
    .add_node("polite", polite)
    .add_edge(START, "greet")
    .add_edge("greet", "via_get_runtime")
    .add_conditional_edges("via_get_runtime", route, ["polite", END])
    .compile()
)
dataclass_instance = dataclass_context
rude = dataclass_context


def model_node(state: State, runtime: Runtime[ModelCtx]):
    return {"log": [f"{type(runtime.context).__name__}: {runtime.context.user}"]}


pydantic_context = (
    StateGraph(State, context_schema=ModelCtx)
    .add_node("model_node", model_node)
    .add_edge(START, "model_node")
    .compile()
)


def dict_node(state: State, runtime: Runtime[DictCtx]):
    return {"log": [f"{type(runtime.context).__name__}: {runtime.context['user']}"]}


typeddict_context = (
    StateGraph(State, context_schema=DictCtx)
    .add_node("dict_node", dict_node)
    .add_edge(START, "dict_node")
    .compile()
)
no_schema = (
    StateGraph(State).add_node("dict_node", dict_node).add_edge(START, "dict_node").compile()
)


async def async_node(state: State, runtime: Runtime[Ctx]):
    return {"log": [f"async {runtime.context.user}"]}


async_context = (
    StateGraph(State, context_schema=Ctx)
    .add_node("async_node", async_node)
    .add_node("greet", greet)
    .add_edge(START, "async_node")
    .add_edge("async_node", "greet")
    .compile()
)

child = (
    StateGraph(State, context_schema=Ctx)
    .add_node("greet", greet)
    .add_node("via_get_runtime", via_get_runtime)
    .add_edge(START, "greet")
    .add_edge("greet", "via_get_runtime")
    .compile()
)
parent_of_subgraph = (
    StateGraph(State, context_schema=Ctx)
    .add_node("child", child)
    .add_node("after", via_get_runtime)
    .add_edge(START, "child")
    .add_edge("child", "after")
    .compile()
)

GRAPHS = [
    "dataclass_context",
    "dataclass_instance",
    "rude",
    "pydantic_context",
    "typeddict_context",
    "no_schema",
    "async_context",
    "parent_of_subgraph",
]
INPUTS = [{"topic": "cats", "log": []}]
CONTEXTS = {
    "dataclass_context": {"user": "ann"},
    "dataclass_instance": Ctx("bob"),
    "rude": Ctx("cy", polite=False),
    "pydantic_context": {"user": "dee"},
    "typeddict_context": {"user": "eve"},
    "no_schema": {"user": "fay"},
    "async_context": {"user": "hal"},
    "parent_of_subgraph": {"user": "gus"},
}
