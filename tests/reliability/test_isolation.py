"""One run never holds up another: a run whose nodes block holds only the
workers running them, a superstep's tasks run at once (up to the run's
``max_concurrency``), idle workers exit, and closing an abandoned stream never
blocks an event loop."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from flowc import build
from flowc.runtime import pool

from . import isolation_graphs as g
from .conftest import assert_no_job_left, quiet_baseline, wait_for_threads


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    g.reset()
    yield
    g.HOLD.set()  # a failed test must not leave nodes waiting for their patience
    # and the next test's recorders must not hear this test's nodes (one that starts late,
    # on a loaded machine, would count as the next test's) start or let go late
    _wait_until(lambda: len(g.LET_GO) >= len(g.HELD) and pool.stats()[2:] == (0, 0))


def _in_thread(target: Any) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def _wait_until(condition: Any, timeout: float = g.PATIENCE) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.002)
    return bool(condition())


def _hold_eight(stream_mode: str = "updates") -> tuple[threading.Thread, list[Any]]:
    """Start a run of ``blocking`` on its own thread; return once its eight nodes all wait."""
    events: list[Any] = []
    runner = build(g.blocking)
    thread = _in_thread(lambda: events.extend(runner.stream({}, stream_mode=stream_mode)))
    assert _wait_until(lambda: len(g.HELD) == g.WIDTH), g.HELD
    return thread, events


@pytest.mark.slow
def test_a_blocked_run_holds_up_neither_a_parallel_run_nor_a_live_one() -> None:
    unrelated = build(g.unrelated)
    live = build(g.live)
    baseline = quiet_baseline()
    holder, held_events = _hold_eight()

    started = time.monotonic()
    updates = [event.chunk() for event in unrelated.stream({})]
    parallel_took = time.monotonic() - started
    started = time.monotonic()
    said = [event.data for event in live.stream({}, stream_mode="custom")]
    live_took = time.monotonic() - started

    # both finished while every node of the blocked run still waited
    assert g.LET_GO == []
    assert sorted(name for chunk in updates for name in chunk) == ["q1", "q2", "q3"]
    assert said == [{"said": 0}, {"said": 1}, {"said": 2}]
    assert parallel_took < 1.0 and live_took < 1.0, (parallel_took, live_took)

    g.HOLD.set()
    holder.join(g.PATIENCE)
    assert sorted(name for event in held_events for name in event.chunk()) == [
        f"held{i}" for i in range(g.WIDTH)
    ]
    assert_no_job_left()
    # the workers the blocked run needed exit once idle (50 ms in these tests)
    assert wait_for_threads(baseline) == baseline


@pytest.mark.slow
def test_a_blocked_async_run_holds_up_no_other_async_run() -> None:
    unrelated = build(g.unrelated)
    live = build(g.live)
    baseline = quiet_baseline()

    async def main() -> tuple[list[Any], list[Any]]:
        blocked = build(g.blocking).astream({}, stream_mode="custom")
        assert "held" in (await blocked.__anext__()).data
        while len(g.HELD) < g.WIDTH:
            await asyncio.sleep(0.002)
        updates = [event.chunk() async for event in unrelated.astream({})]
        said = [event.data async for event in live.astream({}, stream_mode="custom")]
        assert g.LET_GO == []
        g.HOLD.set()
        rest = [event.data async for event in blocked]
        assert len(rest) == g.WIDTH - 1
        return updates, said

    updates, said = asyncio.run(main())
    assert sorted(name for chunk in updates for name in chunk) == ["q1", "q2", "q3"]
    assert said == [{"said": 0}, {"said": 1}, {"said": 2}]
    assert_no_job_left()
    assert wait_for_threads(baseline) == baseline


def test_a_supersteps_eight_nodes_run_at_once() -> None:
    # each node waits at a barrier for all eight: the step ends only if they overlap
    events = list(build(g.meeting).stream({}))
    assert sorted(name for event in events for name in event.chunk()) == [
        f"meet{i}" for i in range(g.WIDTH)
    ]
    assert g.MEET.broken is False


def test_a_supersteps_eight_async_run_nodes_run_at_once() -> None:
    async def main() -> list[Any]:
        return [event async for event in build(g.meeting).astream({})]

    events = asyncio.run(main())
    assert len(events) == g.WIDTH and g.MEET.broken is False


def test_max_concurrency_2_runs_at_most_two_nodes_at_once_in_order() -> None:
    events = list(build(g.pairs).stream({}, config={"max_concurrency": 2}))
    assert sorted(name for event in events for name in event.chunk()) == list(g.PAIR_NODES)
    # each node ran long enough for a third to start beside it: none did
    assert g.MOST_RUNNING == [2]
    assert [set(g.STARTED[i : i + 2]) for i in (0, 2, 4)] == [
        {"p0", "p1"},
        {"p2", "p3"},
        {"p4", "p5"},
    ]


def test_max_concurrency_counts_async_and_sync_nodes_of_an_async_run_alike() -> None:
    async def main() -> list[Any]:
        runner = build(g.mixed_pairs)
        return [event async for event in runner.astream({}, config={"max_concurrency": 2})]

    events = asyncio.run(main())
    assert sorted(name for event in events for name in event.chunk()) == list(g.PAIR_NODES)
    assert g.MOST_RUNNING == [2]
    assert sorted(g.STARTED[:2]) == ["p0", "p1"]


def test_a_subgraph_run_inherits_max_concurrency() -> None:
    events = list(build(g.nesting).stream({}, config={"max_concurrency": 2}, subgraphs=True))
    assert events[-1].chunk() == {"inner": {"log": list(g.PAIR_NODES)}}
    assert g.MOST_RUNNING == [2]


def test_the_drop_in_passes_max_concurrency_on() -> None:
    from flowc.langgraph import START, StateGraph

    builder = StateGraph(g.LogState)
    for name in g.PAIR_NODES:
        builder.add_node(name, g.pair)
        builder.add_edge(START, name)
    final = builder.compile().invoke({}, {"max_concurrency": 2})
    assert final == {"log": list(g.PAIR_NODES)}
    assert g.MOST_RUNNING == [2]


@pytest.mark.parametrize("bad", [0, -1, 2.5, "2", True])
def test_a_max_concurrency_that_is_not_a_positive_integer_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="max_concurrency must be a positive integer, not "):
        list(build(g.pairs).stream({}, config={"max_concurrency": bad}))
    assert_no_job_left()


class _Cycle:
    """An object that refers to itself, so that only the cycle collector frees it."""

    def __init__(self, stream: Any) -> None:
        self.me = self
        self.stream = stream


def test_gc_of_an_abandoned_async_stream_on_the_loop_does_not_wait_for_its_nodes() -> None:
    runner = build(g.blocking)
    baseline = quiet_baseline()

    async def main() -> list[str]:
        holder = _Cycle(runner.astream({}, stream_mode="custom"))
        assert "held" in (await holder.stream.__anext__()).data
        while len(g.HELD) < g.WIDTH:
            await asyncio.sleep(0.002)
        del holder
        gc.collect()
        # gc.collect() returned with every node still waiting: it did not wait for them
        let_go = list(g.LET_GO)
        g.HOLD.set()
        while len(g.LET_GO) < g.WIDTH:
            await asyncio.sleep(0.005)
        return let_go

    assert asyncio.run(main()) == []
    assert _wait_until(lambda: pool.stats().running == 0)
    assert wait_for_threads(baseline) == baseline


def test_gc_of_an_abandoned_sync_stream_on_an_event_loop_does_not_wait_for_its_nodes() -> None:
    runner = build(g.blocking)
    baseline = quiet_baseline()

    async def main() -> list[str]:
        holder = _Cycle(runner.stream({}, stream_mode="custom"))
        assert "held" in next(holder.stream).data
        while len(g.HELD) < g.WIDTH:
            await asyncio.sleep(0.002)
        del holder
        gc.collect()
        let_go = list(g.LET_GO)
        g.HOLD.set()
        return let_go

    assert asyncio.run(main()) == []
    assert _wait_until(lambda: pool.stats().running == 0)
    assert sorted(g.LET_GO) == [f"held{i}" for i in range(g.WIDTH)]
    assert wait_for_threads(baseline) == baseline
