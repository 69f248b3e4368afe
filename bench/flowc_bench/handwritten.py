"""The benchmark graphs as hand-written Python loops: the floor for flowc.

What someone would write for one fixed graph without any framework: call the
same node functions, merge their dicts into the state, yield one small frozen
dataclass per event. No validation, no configuration, no namespaces beyond
what a case needs.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import nodes
from .specs import (
    PARENT,
    ROUTER_FAN,
    ROUTER_HEAD,
    SUB_WRITER,
    WRITER_AT,
    chain_names,
    fan_names,
    sleep_names,
    sub_names,
)

Node = Callable[..., dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Update:
    node: str
    data: dict[str, Any]
    ns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Values:
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Custom:
    data: Any


@dataclass(frozen=True, slots=True)
class Debug:
    step: int
    timestamp: str
    kind: str
    id: str
    name: str
    payload: dict[str, Any]


def chain_nodes(n: int) -> list[tuple[str, Node]]:
    """The nodes of an ``n``-node chain, in order."""
    return [(name, nodes.inc) for name in chain_names(n)]


def chain_updates(chain: list[tuple[str, Node]], state: dict[str, Any]) -> Iterator[Update]:
    """``updates`` mode: one event per node."""
    state = dict(state)
    for name, fn in chain:
        update = fn(state)
        state.update(update)
        yield Update(name, update)


def chain_values(chain: list[tuple[str, Node]], state: dict[str, Any]) -> Iterator[Values]:
    """``values`` mode: the input, then a copy of the state after each node."""
    state = dict(state)
    yield Values(dict(state))
    for _, fn in chain:
        state.update(fn(state))
        yield Values(dict(state))


def chain_debug(chain: list[tuple[str, Node]], state: dict[str, Any]) -> Iterator[Debug]:
    """``debug`` mode: a start and a result event per node, with id and timestamp."""
    state = dict(state)
    for step, (name, fn) in enumerate(chain, start=1):
        task_id = str(uuid.uuid4())
        yield Debug(step, datetime.now(UTC).isoformat(), "task", task_id, name, state)
        update = fn(dict(state))
        state.update(update)
        yield Debug(step, datetime.now(UTC).isoformat(), "task_result", task_id, name, update)


def chain_custom(n: int, state: dict[str, Any]) -> Iterator[Custom]:
    """``custom`` mode: what each node passes to its writer."""
    state = dict(state)
    buffer: list[Any] = []
    writer = buffer.append
    for _ in range(n):
        state.update(nodes.inc_write(state, writer))
        for item in buffer:
            yield Custom(item)
        buffer.clear()


def chain_one_writer(n: int, state: dict[str, Any]) -> Iterator[Custom]:
    """``custom`` mode on a chain where only node ``WRITER_AT`` calls its writer."""
    state = dict(state)
    buffer: list[Any] = []
    for index in range(n):
        if index == WRITER_AT:
            state.update(nodes.inc_write(state, buffer.append))
            for item in buffer:
                yield Custom(item)
            buffer.clear()
        else:
            state.update(nodes.inc(state))


def chain_invoke(chain: list[tuple[str, Node]], state: dict[str, Any]) -> dict[str, Any]:
    """``invoke``: the final state only."""
    state = dict(state)
    for _, fn in chain:
        state.update(fn(state))
    return state


async def achain_updates(
    chain: list[tuple[str, Node]], state: dict[str, Any]
) -> AsyncIterator[Update]:
    """``updates`` mode as an async generator."""
    state = dict(state)
    for name, fn in chain:
        update = fn(state)
        state.update(update)
        yield Update(name, update)


def fanout_updates(state: dict[str, Any]) -> Iterator[Update]:
    """The fan-out: every parallel node sees the same state; writes merge in name order."""
    state = {"items": [], **state}
    updates = []
    for name in fan_names():
        update = nodes.fan(state)
        updates.append(update)
        yield Update(name, update)
    for update in updates:
        state["items"] = state["items"] + update["items"]
    update = nodes.join(state)
    state.update(update)
    yield Update("join", update)


def loop_updates(state: dict[str, Any]) -> Iterator[Update]:
    """The self-loop: run ``tick`` until its router says END."""
    state = dict(state)
    while True:
        update = nodes.inc(state)
        state.update(update)
        yield Update("tick", update)
        if nodes.again(state) == "__end__":
            return


def subgraph_updates(state: dict[str, Any]) -> Iterator[Update]:
    """The parent chain; ``middle`` runs the sub-chain under its own namespace."""
    state = dict(state)
    for name in PARENT:
        if name == "middle":
            ns = (f"middle:{uuid.uuid4()}",)
            inner = dict(state)
            for sub in sub_names():
                update = nodes.inc(inner)
                inner.update(update)
                yield Update(sub, update, ns)
            update = {"count": inner["count"]}
        else:
            update = nodes.inc(state)
        state.update(update)
        yield Update(name, update)


def streaming_subgraph(state: dict[str, Any]) -> Iterator[Update | Custom]:
    """``["updates", "custom"]`` with subgraphs: the parent chain, ``middle`` running the
    sub-chain under its own namespace, ``SUB_WRITER`` writing to the stream."""
    state = dict(state)
    buffer: list[Any] = []
    for name in PARENT:
        if name == "middle":
            ns = (f"middle:{uuid.uuid4()}",)
            inner = dict(state)
            for sub in sub_names():
                if sub == SUB_WRITER:
                    update = nodes.inc_write(inner, buffer.append)
                    for item in buffer:
                        yield Custom(item)
                    buffer.clear()
                else:
                    update = nodes.inc(inner)
                inner.update(update)
                yield Update(sub, update, ns)
            update = {"count": inner["count"]}
        else:
            update = nodes.inc(state)
        state.update(update)
        yield Update(name, update)


def router_modes(state: dict[str, Any]) -> Iterator[Update | Values | Custom]:
    """The router graph in ``["updates", "values", "custom"]``: what each step emits."""
    state = {"items": [], **state}
    yield Values(dict(state))
    buffer: list[Any] = []

    def step(name: str, fn: Node) -> Iterator[Update | Values | Custom]:
        update = fn(state)
        state.update(update)
        yield Update(name, update)
        yield Values(dict(state))

    for name in ROUTER_HEAD:
        yield from step(name, nodes.inc)
    if nodes.to_fan(state) == "b0":
        yield from step("b0", nodes.inc)
        # the parallel step: each node sees the same state; writes merge in name order
        updates = []
        for name in ROUTER_FAN:
            if name == "p0":
                update = nodes.fan_write(state, buffer.append)
                for item in buffer:
                    yield Custom(item)
                buffer.clear()
            else:
                update = nodes.fan(state)
            updates.append((name, update))
        for name, update in updates:
            state["items"] = state["items"] + update["items"]
            yield Update(name, update)
        yield Values(dict(state))
        yield from step("c0", nodes.inc)
        yield from step("c1", nodes.inc)
        if nodes.to_tail(state) == "c2":
            for name in ("c2", "d0", "d1"):
                yield from step(name, nodes.inc)


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=THREADS)
    return _POOL


def sleep_updates(state: dict[str, Any]) -> Iterator[Update]:
    """The parallel sleepers on a thread pool, then the join."""
    state = {"items": [], **state}
    names = sleep_names()
    futures = [_pool().submit(nodes.nap, state) for _ in names]
    updates = [future.result() for future in futures]
    for name, update in zip(names, updates, strict=True):
        yield Update(name, update)
    for update in updates:
        state["items"] = state["items"] + update["items"]
    update = nodes.join(state)
    state.update(update)
    yield Update("join", update)


THREADS = 32
"""Threads of the threads-streaming case (and of this module's pool)."""


def in_threads(run: Callable[[], Iterator[Any]]) -> Callable[[], int]:
    """A case that drains ``THREADS`` runs of ``run`` at once, one per thread; the events seen."""

    def drain() -> int:
        return sum(1 for _ in run())

    def many() -> int:
        pool = _pool()
        return sum(f.result() for f in [pool.submit(drain) for _ in range(THREADS)])

    return many


CONCURRENT = 1000
"""Runs of the concurrent-astream case."""


def concurrently(run: Callable[[], AsyncIterator[Any]]) -> Callable[[], int]:
    """A case that drains ``CONCURRENT`` async runs of ``run`` at once in one event loop."""
    loop = asyncio.new_event_loop()

    async def drain() -> int:
        return sum([1 async for _ in run()])

    async def many() -> int:
        return sum(await asyncio.gather(*(drain() for _ in range(CONCURRENT))))

    return lambda: loop.run_until_complete(many())
