"""Small graphs for the semantics that the example specs do not show.

Each is declared with the decorator DSL, so that the oracle can build it in
flowc and in LangGraph. Parallel graphs take turns through a relay, so that
their tasks finish in a known order (see ``flowc_demo._order``).
"""

from __future__ import annotations

import asyncio
import operator
import time
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypedDict

from flowc_demo._order import Relay
from pydantic import BaseModel

from flowc import END, START, Graph, StreamWriter, get_stream_writer

# -- nodes that write nothing; reducer keys from the start -----------------------------


class CountState(TypedDict, total=False):
    topic: str
    count: Annotated[int, operator.add]
    log: Annotated[list[str], operator.add]


def returns_none(state: CountState) -> None:
    return None


def returns_empty(state: CountState) -> dict[str, Any]:
    return {}


def adds_one(state: CountState) -> dict[str, Any]:
    return {"count": 1, "log": [f"count was {state['count']}"]}


def same_topic(state: CountState) -> dict[str, Any]:
    # writing a value equal to the old one still counts as a write
    return {"topic": state.get("topic", "")}


empty_writes = Graph("empty_writes", CountState)
empty_writes.node(returns_none)
empty_writes.node(returns_empty)
empty_writes.node(adds_one)
empty_writes.node(same_topic)
empty_writes.sequence(START, "returns_none", "returns_empty", "adds_one", "same_topic", END)


# -- fan-in: separate edges vs a join, on uneven branches -------------------------------


class LogState(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def a(state: LogState) -> dict[str, Any]:
    return {"log": ["a"]}


def a2(state: LogState) -> dict[str, Any]:
    # finish after `c`, which runs in the same superstep in the graph with separate edges
    # (with room for a busy machine to be slow in starting `c`)
    time.sleep(0.15)
    return {"log": ["a2"]}


def b(state: LogState) -> dict[str, Any]:
    # finish after `a`, which runs in the same superstep: both sides then stream one order
    time.sleep(0.05)
    return {"log": ["b"]}


def c(state: LogState) -> dict[str, Any]:
    return {"log": [f"c after {len(state['log'])}"]}


fanin_separate = Graph("fanin_separate", LogState)
fanin_join = Graph("fanin_join", LogState)
for _graph in (fanin_separate, fanin_join):
    for _fn in (a, a2, b, c):
        _graph.node(_fn)
    _graph.edge(START, ["a", "b"])
    _graph.edge("a", "a2")
    _graph.edge("c", END)
fanin_separate.edge("a2", "c")
fanin_separate.edge("b", "c")
fanin_join.edge(["a2", "b"], "c")


# -- parallel nodes finishing in reverse name order (sync and async) --------------------

_sync_relay = Relay(("zeta", "mid", "alpha"))


def _visit(name: str) -> dict[str, Any]:
    _sync_relay.wait_turn(name)
    try:
        get_stream_writer()({"finishing": name})
        return {"log": [name]}
    finally:
        _sync_relay.done()


def alpha(state: LogState) -> dict[str, Any]:
    return _visit("alpha")


def mid(state: LogState) -> dict[str, Any]:
    return _visit("mid")


def zeta(state: LogState) -> dict[str, Any]:
    return _visit("zeta")


class AsyncRelay:
    """:class:`Relay` for async nodes: waits without blocking the event loop."""

    def __init__(self, order: tuple[str, ...]) -> None:
        self.order = order
        self.turn = 0

    async def wait_turn(self, name: str) -> None:
        for _ in range(5000):
            if self.order[self.turn] == name:
                break
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.01)

    def done(self) -> None:
        self.turn = (self.turn + 1) % len(self.order)


_async_relay = AsyncRelay(("zeta", "mid", "alpha"))


async def _avisit(name: str, writer: StreamWriter[Any]) -> dict[str, Any]:
    await _async_relay.wait_turn(name)
    try:
        writer({"finishing": name})
        return {"log": [name]}
    finally:
        _async_relay.done()


async def async_alpha(state: LogState, writer: StreamWriter[Any]) -> dict[str, Any]:
    return await _avisit("alpha", writer)


async def async_mid(state: LogState, writer: StreamWriter[Any]) -> dict[str, Any]:
    return await _avisit("mid", writer)


async def async_zeta(state: LogState, writer: StreamWriter[Any]) -> dict[str, Any]:
    return await _avisit("zeta", writer)


parallel = Graph("parallel", LogState)
for _fn in (alpha, mid, zeta):
    parallel.node(_fn)
parallel.edge(START, ["alpha", "mid", "zeta"])

async_parallel = Graph("async_parallel", LogState)
for _name, _afn in (("alpha", async_alpha), ("mid", async_mid), ("zeta", async_zeta)):
    async_parallel.add_node(_name, _afn)
async_parallel.edge(START, ["alpha", "mid", "zeta"])


# -- dataclass and pydantic states -------------------------------------------------------


@dataclass
class DataState:
    topic: str
    joke: str = "no joke yet"
    log: Annotated[list[str], operator.add] = field(default_factory=list)


def dc_refine(state: DataState) -> dict[str, Any]:
    return {"topic": state.topic + " and cats", "log": [f"joke was {state.joke!r}"]}


def dc_joke(state: DataState) -> dict[str, Any]:
    return {"joke": f"This is a joke about {state.topic}"}


dataclass_state = Graph("dataclass_state", DataState)
dataclass_state.add_node("refine", dc_refine)
dataclass_state.add_node("joke", dc_joke)
dataclass_state.sequence(START, "refine", "joke", END)


class ModelState(BaseModel):
    topic: str
    joke: str = "no joke yet"
    log: Annotated[list[str], operator.add] = []


def pm_refine(state: ModelState) -> dict[str, Any]:
    return {"topic": state.topic + " and cats", "log": [f"joke was {state.joke!r}"]}


def pm_joke(state: ModelState) -> dict[str, Any]:
    return {"joke": f"This is a joke about {state.topic}"}


pydantic_state = Graph("pydantic_state", ModelState)
pydantic_state.add_node("refine", pm_refine)
pydantic_state.add_node("joke", pm_joke)
pydantic_state.sequence(START, "refine", "joke", END)


# -- errors -------------------------------------------------------------------------------


class JokeState(TypedDict, total=False):
    topic: str
    joke: str


class Exploded(ValueError):
    """The error the failing nodes raise (its identity is checked)."""


LAST_ERROR: list[BaseException] = []


def refine(state: JokeState) -> dict[str, Any]:
    return {"topic": state["topic"] + " and cats"}


def explode(state: JokeState) -> dict[str, Any]:
    get_stream_writer()({"progress": "about to fail"})
    error = Exploded("joke generator exploded")
    LAST_ERROR.append(error)
    raise error


error_midway = Graph("error_midway", JokeState)
error_midway.node(refine)
error_midway.node(explode)
error_midway.sequence(START, "refine", "explode", END)

_error_relay = Relay(("fast_ok", "boom", "slow_ok"))


def fast_ok(state: LogState) -> dict[str, Any]:
    _error_relay.wait_turn("fast_ok")
    try:
        get_stream_writer()({"from": "fast_ok"})
        return {"log": ["fast_ok"]}
    finally:
        _error_relay.done()


def boom(state: LogState) -> dict[str, Any]:
    _error_relay.wait_turn("boom")
    try:
        get_stream_writer()({"from": "boom"})
        error = Exploded("parallel node exploded")
        LAST_ERROR.append(error)
        raise error
    finally:
        _error_relay.done()


def slow_ok(state: LogState) -> dict[str, Any]:
    _error_relay.wait_turn("slow_ok")
    try:
        return {"log": ["slow_ok"]}
    finally:
        _error_relay.done()


error_parallel = Graph("error_parallel", LogState)
for _fn in (fast_ok, boom, slow_ok):
    error_parallel.node(_fn)
error_parallel.edge(START, ["fast_ok", "boom", "slow_ok"])


# -- routers: from START, several targets, path maps --------------------------------------


class RouteState(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def pick_start(state: RouteState) -> list[Literal["left", "right"]]:
    return ["left", "right"] if state["topic"] == "both" else ["left"]


def left(state: RouteState) -> dict[str, Any]:
    if state["topic"] == "both":
        # finish after `right`, so that the two updates come in a known order
        # (with room for a busy machine to be slow in starting `right`)
        time.sleep(0.15)
    return {"log": ["left"]}


def right(state: RouteState) -> dict[str, Any]:
    return {"log": ["right"]}


def finish(state: RouteState) -> dict[str, Any]:
    return {"log": ["finish"]}


def after_left(state: RouteState) -> str:
    return "done" if len(state["log"]) > 1 else "again"


routed = Graph("routed", RouteState)
for _fn in (left, right, finish):
    routed.node(_fn)
routed.add_conditional_edges(START, pick_start)
routed.add_conditional_edges("left", after_left, {"done": "finish", "again": "right"})
routed.edge("right", "finish")
routed.edge("finish", END)


# -- metadata and a node-specific input schema ------------------------------------------


class TopicOnly(TypedDict):
    topic: str


def narrow(state: TopicOnly) -> dict[str, Any]:
    return {"joke": f"{sorted(state)} -> {state['topic']}"}


def tagged(state: JokeState) -> dict[str, Any]:
    return {"topic": state["topic"] + "!"}


meta = Graph("meta", JokeState)
meta.node(metadata={"node_meta": "gj"})(tagged)
meta.node(narrow)
meta.sequence(START, "tagged", "narrow", END)


# -- async routers --------------------------------------------------------------------------


async def apick_start(state: RouteState) -> Literal["left", "right"]:
    await asyncio.sleep(0)
    return "right" if state["topic"] == "right" else "left"


async def aafter_left(state: RouteState) -> Literal["right", "__end__"]:
    await asyncio.sleep(0)
    return "right" if len(state["log"]) < 2 else "__end__"


async_routed = Graph("async_routed", RouteState)
for _fn in (left, right):
    async_routed.node(_fn)
async_routed.add_conditional_edges(START, apick_start)
async_routed.add_conditional_edges("left", aafter_left)
async_routed.edge("right", END)


# -- a graph with its own recursion limit -----------------------------------------------------


class Counter(TypedDict, total=False):
    count: int


def count_up(state: Counter) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def below_five(state: Counter) -> Literal["count_up", "__end__"]:
    return "count_up" if state["count"] < 5 else "__end__"


limited = Graph("limited", Counter, recursion_limit=3)
limited.node(count_up)
limited.edge(START, "count_up")
limited.add_conditional_edges("count_up", below_five)
