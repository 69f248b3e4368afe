"""A stream that ends, fails or is abandoned leaves no task of its run running
or queued, and the nodes' ``finally`` blocks have run; the pool's idle workers
then exit, so the thread count returns to where it was."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Iterator

import pytest

from flowc.runtime import pool

from .conftest import assert_no_job_left, built, quiet_baseline, wait_for_threads
from .graphs import BOOM, CALLS, FINALLY, RELEASE, RELEASED


@pytest.fixture
def one_worker() -> Iterator[None]:
    """At most one worker runs jobs, so that a superstep's later tasks stay queued."""
    previous = pool.set_max_workers(1)
    yield
    pool.set_max_workers(previous)


def test_break_out_of_a_parallel_stream_joins_its_threads() -> None:
    runner = built("slow_parallel")
    baseline = quiet_baseline()
    stream = runner.stream({"run": "r"}, stream_mode=["custom", "updates"])
    first = next(stream)
    assert first.mode == "custom"
    stream.close()
    # close() returns only once every task of the superstep that started has
    # finished (a task still queued when the stream closes never starts)
    assert_no_job_left()
    assert FINALLY and sorted(FINALLY) == sorted(CALLS)
    assert wait_for_threads(baseline) <= baseline


def test_breaking_a_for_loop_is_the_same_as_close() -> None:
    runner = built("slow_parallel")
    baseline = quiet_baseline()
    for event in runner.stream({"run": "r"}, stream_mode="custom"):
        assert event.data in ({"node": "fast"}, {"node": "slow_a"}, {"node": "slow_b"})
        break
    gc.collect()
    assert_no_job_left()
    assert FINALLY and sorted(FINALLY) == sorted(CALLS)
    assert wait_for_threads(baseline) <= baseline


def test_garbage_collected_stream_runs_finally_blocks() -> None:
    runner = built("slow_parallel")
    baseline = quiet_baseline()
    stream = runner.stream({"run": "r"}, stream_mode="custom")
    next(stream)
    del stream
    gc.collect()
    assert_no_job_left()
    assert FINALLY and sorted(FINALLY) == sorted(CALLS)
    assert wait_for_threads(baseline) <= baseline


def test_a_finished_stream_leaves_no_thread() -> None:
    runner = built("slow_parallel")
    baseline = quiet_baseline()
    events = list(runner.stream({"run": "r"}, stream_mode="updates"))
    assert [e.node for e in events][-1] == "after"
    assert sorted(e.node for e in events[:3]) == ["fast", "slow_a", "slow_b"]
    assert_no_job_left()
    assert sorted(FINALLY) == ["after", "fast", "slow_a", "slow_b"]
    assert wait_for_threads(baseline) <= baseline


def test_node_exception_propagates_unchanged_and_leaves_no_thread() -> None:
    runner = built("failing")
    baseline = quiet_baseline()
    seen = []
    with pytest.raises(type(BOOM)) as caught:
        for event in runner.stream({"run": "r"}, stream_mode=["custom", "updates"]):
            seen.append((event.mode, event.chunk()))
    assert caught.value is BOOM
    assert seen == [
        ("custom", {"run": "r"}),
        ("updates", {"tag_run": {"log": ["r"]}}),
        ("custom", {"before": "boom"}),
    ]
    assert_no_job_left()
    assert wait_for_threads(baseline) <= baseline


def _pending_tasks() -> set[asyncio.Task[object]]:
    current = asyncio.current_task()
    return {t for t in asyncio.all_tasks() if t is not current}


def test_aclose_cancels_and_awaits_running_tasks() -> None:
    runner = built("async_parallel")

    async def main() -> None:
        baseline = _pending_tasks()
        stream = runner.astream({"run": "r"}, stream_mode="custom")
        first = await stream.__anext__()
        assert first.data in ({"node": "afast"}, {"node": "aslow"})
        await stream.aclose()
        assert _pending_tasks() == baseline
        assert FINALLY and sorted(FINALLY) == sorted(CALLS)

    asyncio.run(main())


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_aclose_of_a_chunk_stream_cancels_and_awaits_running_tasks(version: str) -> None:
    # LangGraph's chunk shapes (and the drop-in's astream, built on them) close the run too
    runner = built("async_parallel")

    async def main() -> None:
        baseline = _pending_tasks()
        stream = runner.astream_chunks({"run": "r"}, stream_mode="custom", version=version)
        await stream.__anext__()
        await stream.aclose()
        assert _pending_tasks() == baseline
        assert FINALLY and sorted(FINALLY) == sorted(CALLS)

    asyncio.run(main())


def test_cancelling_the_consumer_cancels_the_nodes() -> None:
    runner = built("async_parallel")

    async def consume() -> list[object]:
        return [e async for e in runner.astream({"run": "r"}, stream_mode="custom")]

    async def main() -> None:
        baseline = _pending_tasks()
        consumer = asyncio.create_task(consume())
        # cancel once both nodes are running, however busy the machine is
        while sorted(CALLS) != ["afast", "aslow"]:
            await asyncio.sleep(0.005)
        consumer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await consumer
        assert _pending_tasks() == baseline
        assert sorted(FINALLY) == ["afast", "aslow"]

    asyncio.run(main())


def test_astream_with_sync_parallel_nodes_leaves_no_thread() -> None:
    runner = built("slow_parallel")
    baseline = quiet_baseline()

    async def main() -> list[str]:
        return [e.node async for e in runner.astream({"run": "r"}, stream_mode="updates")]

    nodes = asyncio.run(main())
    assert sorted(nodes[:3]) == ["fast", "slow_a", "slow_b"] and nodes[3] == "after"
    assert_no_job_left()
    assert wait_for_threads(baseline) <= baseline


def test_closing_cancels_queued_tasks_and_waits_for_the_running_one(one_worker: None) -> None:
    runner = built("patient")
    baseline = quiet_baseline()
    stream = runner.stream({"run": "r"}, stream_mode="custom")
    # one worker: wait_a runs (until released), wait_b and wait_c are queued behind it
    assert next(stream).data == {"node": "wait_a"}
    assert pool.stats().queued == 2

    def release_once_cancelled() -> None:
        # close() cancels the queued tasks first, then waits for the running one
        while pool.stats().queued:
            threading.Event().wait(0.001)
        RELEASE.set()

    releaser = threading.Thread(target=release_once_cancelled)
    releaser.start()
    stream.close()
    releaser.join()
    assert_no_job_left()
    assert CALLS == FINALLY == RELEASED == ["wait_a"]
    assert wait_for_threads(baseline) <= baseline


def test_aclose_waits_for_running_sync_nodes_without_blocking_the_event_loop() -> None:
    runner = built("patient")
    baseline = quiet_baseline()

    async def release() -> None:
        RELEASE.set()

    async def main() -> None:
        stream = runner.astream({"run": "r"}, stream_mode="custom")
        first = await stream.__anext__()
        assert first.data["node"] in ("wait_a", "wait_b", "wait_c")
        # the nodes wait for RELEASE, which this task sets: it can run only while
        # aclose() awaits the nodes, not if aclose() blocked the event loop
        releaser = asyncio.create_task(release())
        await stream.aclose()
        assert releaser.done()
        assert_no_job_left()

    asyncio.run(main())
    assert CALLS and sorted(FINALLY) == sorted(RELEASED) == sorted(CALLS)
    assert wait_for_threads(baseline) <= baseline
