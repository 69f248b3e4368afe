"""Cache policies with an in-memory cache: the first run of a graph misses, later runs hit.

A hit skips the node (no `custom` chunks, no task result) and streams its update at once,
marked `{"cached": True}`; its routers are not called again either (where it led is cached
with what it wrote). `ttl=0` always misses; a failing node is never cached.
"""

import operator
import time
from typing import Annotated

from langgraph.cache.memory import InMemoryCache
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.types import CachePolicy, Send
from typing_extensions import TypedDict


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def expensive(state: State):
    get_stream_writer()({"computing": state["topic"]})
    return {"log": [f"expensive {state['topic']}"]}


async def async_expensive(state: State):
    return expensive(state)


def slow(state: State):
    # a cached node that misses finishes first
    time.sleep(0.05)
    return {"log": ["slow"]}


def after(state: State):
    return {"log": [f"after {len(state['log'])}"]}


def fails(state: State):
    get_stream_writer()({"failing": True})
    raise ValueError("not cached")


def route(state: State):
    get_stream_writer()({"routing": len(state["log"])})
    return "after" if state["log"] else END


def chain(node, policy, **compile_kwargs):
    return (
        StateGraph(State)
        .add_node("node", node, cache_policy=policy)
        .add_node("after", after)
        .add_edge(START, "node")
        .add_edge("node", "after")
        .compile(cache=InMemoryCache(), **compile_kwargs)
    )


hits_after_the_first_run = chain(expensive, CachePolicy())
keyed_by_topic = chain(expensive, CachePolicy(key_func=lambda state: str(state.get("topic"))))
never_kept = chain(expensive, CachePolicy(ttl=0))
long_ttl = chain(expensive, CachePolicy(ttl=3600))
asynchronous = chain(async_expensive, CachePolicy())
failing = chain(fails, CachePolicy())
no_cache_given = (
    StateGraph(State)
    .add_node("node", expensive, cache_policy=CachePolicy())
    .add_edge(START, "node")
    .compile()
)

parallel = (
    StateGraph(State)
    .add_node("node", expensive, cache_policy=CachePolicy())
    .add_node("slow", slow)
    .add_edge(START, "node")
    .add_edge(START, "slow")
    .compile(cache=InMemoryCache())
)

routed = (
    StateGraph(State)
    .add_node("node", expensive, cache_policy=CachePolicy())
    .add_node("after", after)
    .add_edge(START, "node")
    .add_conditional_edges("node", route, ["after", END])
    .compile(cache=InMemoryCache())
)


def fan_out(state: State):
    return [Send("node", {"topic": t, "log": []}) for t in ("a", "b")]


sent = (
    StateGraph(State)
    .add_node("node", expensive, cache_policy=CachePolicy())
    .add_conditional_edges(START, fan_out)
    .compile(cache=InMemoryCache())
)

defaults = (
    StateGraph(State)
    .set_node_defaults(cache_policy=CachePolicy())
    .add_node("node", expensive)
    .add_node("after", after)
    .add_edge(START, "node")
    .add_edge("node", "after")
    .compile(cache=InMemoryCache())
)

child = StateGraph(State).add_node("inner", expensive).add_edge(START, "inner").compile()
cached_subgraph = (
    StateGraph(State)
    .add_node("child", child, cache_policy=CachePolicy())
    .add_edge(START, "child")
    .compile(cache=InMemoryCache())
)

GRAPHS = [
    "hits_after_the_first_run",
    "keyed_by_topic",
    "never_kept",
    "long_ttl",
    "asynchronous",
    "failing",
    "no_cache_given",
    "parallel",
    "routed",
    "sent",
    "defaults",
    "cached_subgraph",
]
INPUTS = [{"topic": "cats", "log": []}]
