"""A sync node under ``astream``/``ainvoke`` holds up no other run on the event loop.

An async run calls a lone sync node on the event loop's thread only when the
analysis (:func:`flowc.dsl.streams.may_block`) proves it cannot wait; any
other sync node runs on a worker thread, as LangGraph runs every sync node in
an async run. Shown with orderings, not timings: a run whose node sleeps lets
a second run finish while it sleeps, and the second run's pure node ran on the
loop's thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, ClassVar, TypedDict

import pytest

import flowc
from flowc import END, START, Graph
from flowc.dsl.streams import may_block
from flowc.langgraph.graph import StateGraph
from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import astream
from flowc.runtime._engine import Node, Plan

from .streams_support import waits


@pytest.mark.parametrize("name", waits.PURE)
def test_a_node_that_only_computes_cannot_block(name: str) -> None:
    assert may_block(getattr(waits, name)) is False


@pytest.mark.parametrize("name", waits.WAITING)
def test_a_node_that_sleeps_waits_or_does_io_may_block(name: str) -> None:
    assert may_block(getattr(waits, name)) is True


def test_a_bound_method_and_its_routers_are_read_too() -> None:
    assert may_block(waits.Counter().bump) is False
    assert may_block(waits.pure, waits.pure_lambda) is False
    assert may_block(waits.pure, waits.sleeps) is True


class State(TypedDict):
    n: int


def test_the_generated_plan_marks_only_sync_nodes_proven_not_to_wait() -> None:
    graph = Graph("waiting", State)
    graph.node(waits.pure)
    graph.node(waits.sleeps)
    graph.sequence(START, "pure", "sleeps", END)
    module = flowc.build(graph)
    blocks = {name: node.blocks for name, node in module.PLAN.nodes.items()}
    assert blocks == {"pure": False, "sleeps": True}


class Probe(int):
    """An int that notes the thread adding to it: a pure node's ``state["n"] + 1`` shows
    where the node ran, while its source stays a pure computation."""

    threads: ClassVar[list[int]] = []

    def __add__(self, other: object) -> int:
        Probe.threads.append(threading.get_ident())
        return int(self) + int(other)  # type: ignore[call-overload]


B_DONE = threading.Event()
"""Set by the test once run B has finished (checked by run A's sleeping node)."""


def bump(state: State) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def nap(state: State) -> dict[str, Any]:
    time.sleep(0.2)
    # run B finished while this node slept (or waits for it): only a node off the
    # event loop's thread lets B run meanwhile
    return {"n": state["n"] + int(B_DONE.wait(timeout=30))}


def _dropin(name: str, fn: Any) -> Any:
    builder = StateGraph(State)
    builder.add_node(name, fn)
    builder.add_edge(START, name)
    builder.add_edge(name, END)
    return builder.compile()


def _flowc(name: str, fn: Any) -> Any:
    graph = Graph(f"fair_{name}", State)
    graph.node(fn)
    graph.sequence(START, name, END)
    return flowc.build(graph)


async def _two_runs(a: Any, b: Any) -> tuple[list[Any], list[Any], int]:
    B_DONE.clear()
    Probe.threads.clear()
    loop_thread = threading.get_ident()

    async def run_a() -> list[Any]:
        stream = a.astream({"n": 0}, stream_mode="updates")
        return [item async for item in stream]

    async def run_b() -> list[Any]:
        stream = b.astream({"n": Probe(0)}, stream_mode="updates")
        out = [item async for item in stream]
        B_DONE.set()
        return out

    got_a, got_b = await asyncio.gather(run_a(), run_b())
    return got_a, got_b, loop_thread


def test_two_dropin_astream_runs_do_not_wait_for_each_others_sleeping_node() -> None:
    got_a, got_b, loop_thread = asyncio.run(_two_runs(_dropin("nap", nap), _dropin("bump", bump)))
    # A's node saw B finished: it ran on a worker while B ran on the loop
    assert got_a == [{"nap": {"n": 1}}]
    assert got_b == [{"bump": {"n": 1}}]
    # B's pure node ran inline, on the event loop's thread
    assert Probe.threads == [loop_thread]


def test_two_compiled_astream_runs_do_not_wait_for_each_others_sleeping_node() -> None:
    got_a, got_b, loop_thread = asyncio.run(_two_runs(_flowc("nap", nap), _flowc("bump", bump)))
    assert [(e.node, e.data) for e in got_a] == [("nap", {"n": 1})]
    assert [(e.node, e.data) for e in got_b] == [("bump", {"n": 1})]
    assert Probe.threads == [loop_thread]


def test_ainvoke_runs_a_sleeping_node_off_the_loop_and_a_pure_one_on_it() -> None:
    napper, bumper = _flowc("nap", nap), _flowc("bump", bump)

    async def main() -> tuple[Any, Any, int]:
        B_DONE.clear()
        Probe.threads.clear()

        async def run_b() -> Any:
            out = await bumper.ainvoke({"n": Probe(0)})
            B_DONE.set()
            return out

        a, b = await asyncio.gather(napper.ainvoke({"n": 0}), run_b())
        return a, b, threading.get_ident()

    a, b, loop_thread = asyncio.run(main())
    assert (a, b) == ({"n": 1}, {"n": 1})
    assert Probe.threads == [loop_thread]


def test_the_engine_runs_a_lone_sync_node_on_the_loop_only_if_it_cannot_block() -> None:
    where: dict[str, int] = {}

    def noting(name: str) -> Any:
        return lambda state: where.update({name: threading.get_ident()}) or {"n": 1}

    plan = Plan(
        "fair",
        ("n",),
        (
            Node("calm", UpdatesEvent, plain=noting("calm"), then=("unsure",), blocks=False),
            Node("unsure", UpdatesEvent, plain=noting("unsure")),
        ),
        ("calm",),
    )

    async def main() -> tuple[list[Any], int]:
        events = [e async for e in astream(plan, {"n": 0}, "updates", False, None)]
        return events, threading.get_ident()

    events, loop_thread = asyncio.run(main())
    assert [(e.node, e.data) for e in events] == [("calm", {"n": 1}), ("unsure", {"n": 1})]
    assert where["calm"] == loop_thread
    assert where["unsure"] != loop_thread
