"""Graphs the reliability tests run: slow, failing, parallel and typed ones.

Node functions record what happened (``finally`` blocks, calls) in module-level
lists that the tests read and reset.
"""

from __future__ import annotations

import asyncio
import operator
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Any, TypedDict

from pydantic import BaseModel

from flowc import END, START, Graph, get_stream_writer

FINALLY: list[str] = []
CALLS: list[str] = []
RELEASED: list[str] = []
"""Nodes that stopped waiting because RELEASE was set (not because they ran out of patience)."""
RELEASE = threading.Event()
PATIENCE = 5.0
"""How long a patient node waits for RELEASE."""


class LogState(TypedDict, total=False):
    run: str
    log: Annotated[list[str], operator.add]


def _slow(name: str, seconds: float) -> dict[str, Any]:
    try:
        CALLS.append(name)
        get_stream_writer()({"node": name})
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not RELEASE.is_set():
            time.sleep(0.005)
        return {"log": [name]}
    finally:
        FINALLY.append(name)


def fast(state: LogState) -> dict[str, Any]:
    return _slow("fast", 0.0)


def slow_a(state: LogState) -> dict[str, Any]:
    return _slow("slow_a", 0.3)


def slow_b(state: LogState) -> dict[str, Any]:
    return _slow("slow_b", 0.3)


def after(state: LogState) -> dict[str, Any]:
    return _slow("after", 0.0)


slow_parallel = Graph("slow_parallel", LogState)
for _fn in (fast, slow_a, slow_b, after):
    slow_parallel.node(_fn)
slow_parallel.edge(START, ["fast", "slow_a", "slow_b"])
slow_parallel.edge(["fast", "slow_a", "slow_b"], "after")
slow_parallel.edge("after", END)


def _patient(name: str) -> dict[str, Any]:
    try:
        CALLS.append(name)
        get_stream_writer()({"node": name})
        if RELEASE.wait(PATIENCE):
            RELEASED.append(name)
        return {"log": [name]}
    finally:
        FINALLY.append(name)


def wait_a(state: LogState) -> dict[str, Any]:
    return _patient("wait_a")


def wait_b(state: LogState) -> dict[str, Any]:
    return _patient("wait_b")


def wait_c(state: LogState) -> dict[str, Any]:
    return _patient("wait_c")


patient = Graph("patient", LogState)
for _fn in (wait_a, wait_b, wait_c):
    patient.node(_fn)
patient.edge(START, ["wait_a", "wait_b", "wait_c"])


async def afast(state: LogState) -> dict[str, Any]:
    try:
        CALLS.append("afast")
        get_stream_writer()({"node": "afast"})
        return {"log": ["afast"]}
    finally:
        FINALLY.append("afast")


async def aslow(state: LogState) -> dict[str, Any]:
    try:
        CALLS.append("aslow")
        get_stream_writer()({"node": "aslow"})
        await asyncio.sleep(0.3)
        return {"log": ["aslow"]}
    finally:
        FINALLY.append("aslow")


async_parallel = Graph("async_parallel", LogState)
async_parallel.node(afast)
async_parallel.node(aslow)
async_parallel.edge(START, ["afast", "aslow"])


def tag_run(state: LogState) -> dict[str, Any]:
    get_stream_writer()({"run": state["run"]})
    return {"log": [state["run"]]}


def tag_again(state: LogState) -> dict[str, Any]:
    get_stream_writer()({"run": state["run"]})
    return {"log": [state["run"] + "!"]}


async def atag_run(state: LogState) -> dict[str, Any]:
    get_stream_writer()({"run": state["run"]})
    await asyncio.sleep(0)
    return {"log": [state["run"]]}


async def atag_again(state: LogState) -> dict[str, Any]:
    get_stream_writer()({"run": state["run"]})
    await asyncio.sleep(0)
    return {"log": [state["run"] + "!"]}


tagged = Graph("tagged", LogState)
tagged.node(tag_run)
tagged.node(tag_again)
tagged.sequence(START, "tag_run", "tag_again", END)

atagged = Graph("atagged", LogState)
atagged.node(atag_run)
atagged.node(atag_again)
atagged.sequence(START, "atag_run", "atag_again", END)


class Boom(Exception):
    """The exception a failing node raises."""


BOOM = Boom("node exploded")


def explode(state: LogState) -> dict[str, Any]:
    get_stream_writer()({"before": "boom"})
    raise BOOM


failing = Graph("failing", LogState)
failing.node(tag_run)
failing.node(explode)
failing.sequence(START, "tag_run", "explode", END)


class Typed(BaseModel):
    name: str
    count: int
    note: str = ""


def typed_node(state: Typed) -> dict[str, Any]:
    CALLS.append("typed_node")
    return {"note": f"{state.name}:{state.count}"}


pydantic_graph = Graph("pydantic_graph", Typed)
pydantic_graph.node(typed_node)
pydantic_graph.sequence(START, "typed_node", END)


@dataclass
class DataState:
    name: str
    count: int = 0


def data_node(state: DataState) -> dict[str, Any]:
    CALLS.append("data_node")
    return {"count": state.count + 1}


dataclass_graph = Graph("dataclass_graph", DataState)
dataclass_graph.node(data_node)
dataclass_graph.sequence(START, "data_node", END)


class BigState(TypedDict, total=False):
    text: str
    items: list[int]
    size: int


def measure(state: BigState) -> dict[str, Any]:
    return {"size": len(state["text"]) + len(state["items"]), "items": state["items"] + [1]}


big = Graph("big", BigState)
big.node(measure)
big.sequence(START, "measure", END)


class LoopState(TypedDict, total=False):
    n: int


def tick(state: LoopState) -> dict[str, Any]:
    return {"n": state.get("n", 0) + 1}


def forever(state: LoopState) -> str:
    return "tick"


looping = Graph("looping", LoopState)
looping.node(tick)
looping.edge(START, "tick")
looping.router("tick", targets=["tick", END])(forever)


class DeepState(TypedDict, total=False):
    path: str


def leaf(state: DeepState) -> dict[str, Any]:
    return {"path": state["path"] + "leaf"}


DEPTH = 12
level0 = Graph("level0", DeepState)
level0.node(leaf)
level0.sequence(START, "leaf", END)
for _i in range(1, DEPTH + 1):
    _level: Graph[DeepState] = Graph(f"level{_i}", DeepState)
    globals()[f"level{_i}"] = _level
    _level.subgraph("inner", globals()[f"level{_i - 1}"])
    _level.sequence(START, "inner", END)
deepest = globals()[f"level{DEPTH}"]
