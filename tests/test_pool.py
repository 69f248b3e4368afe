"""The process-wide worker pool: runs share its threads, which start on demand
whenever every worker is busy (or up to a cap, if one is set), serve run after
run, and exit when idle; a group's limit holds its other jobs back."""

from __future__ import annotations

import asyncio
import contextvars
import operator
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any, TypedDict

import pytest

from flowc import START, Graph, build
from flowc.runtime import current_task, get_stream_writer, pool


class LogState(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


SEEN: list[tuple[str, threading.Thread]] = []
"""(node, thread) for every node that ran."""
GO = threading.Event()
PATIENCE = 5.0
_running = 0
_most_running = 0
_count_lock = threading.Lock()


def _node_name() -> str:
    task = current_task()
    assert task is not None
    return task.name


def record(state: LogState) -> dict[str, Any]:
    """Note the node and its thread, and wait for GO while others run too."""
    global _running, _most_running
    name = _node_name()
    SEEN.append((name, threading.current_thread()))
    with _count_lock:
        _running += 1
        _most_running = max(_most_running, _running)
    try:
        GO.wait(PATIENCE)
    finally:
        with _count_lock:
            _running -= 1
    return {"log": [name]}


WIDTH = 50
wide = Graph("wide", LogState)
for _i in range(WIDTH):
    wide.node(record, name=f"n{_i:02d}")
wide.edge(START, [f"n{_i:02d}" for _i in range(WIDTH)])

TRIO = threading.Barrier(3)


def meet(state: LogState) -> dict[str, Any]:
    """Note the node and its thread once all three nodes run at the same time."""
    name = _node_name()
    SEEN.append((name, threading.current_thread()))
    TRIO.wait(PATIENCE)
    return {"log": [name]}


trio = Graph("trio", LogState)
for _name in ("a", "b", "c"):
    trio.node(meet, name=_name)
trio.edge(START, ["a", "b", "c"])


class Failure(Exception):
    """What the failing node raises."""


FAILURE = Failure("node failed")


def fine(state: LogState) -> dict[str, Any]:
    return {"log": ["fine"]}


def fail(state: LogState) -> dict[str, Any]:
    raise FAILURE


failing = Graph("failing_parallel", LogState)
failing.node(fine)
failing.node(fail)
failing.edge(START, ["fine", "fail"])


@pytest.fixture(autouse=True)
def _clean_pool() -> Iterator[None]:
    """Each test starts with no worker and with the recorders empty; settings are restored."""
    global _most_running
    max_workers = pool.max_workers()
    GO.set()  # jobs a failed test left waiting end
    idle_timeout = pool.set_idle_timeout(0.05)
    _wait_for(lambda: pool.stats().workers == 0)
    pool.set_idle_timeout(idle_timeout)
    SEEN.clear()
    GO.clear()
    TRIO.reset()
    _most_running = 0
    yield
    GO.set()
    pool.set_max_workers(max_workers)
    pool.set_idle_timeout(idle_timeout)


def _wait_for(condition: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return bool(condition())


def _updates(runner: Any) -> list[str]:
    return sorted(name for event in runner.stream({}) for name in event.chunk())


def test_there_is_no_cap_on_workers_by_default() -> None:
    assert pool.max_workers() is None


def test_a_job_starts_while_another_groups_jobs_block_every_worker() -> None:
    blocked = pool.Group()
    started = threading.Semaphore(0)

    def hold() -> None:
        started.release()
        GO.wait(PATIENCE)

    for _ in range(WIDTH):
        blocked.submit(hold)
    for _ in range(WIDTH):
        assert started.acquire(timeout=PATIENCE)
    other = pool.Group()
    ran = threading.Event()
    other.submit(ran.set)
    # it ran on a worker of its own while all fifty others still wait for GO
    assert ran.wait(PATIENCE)
    assert blocked.running == WIDTH
    GO.set()
    blocked.wait()
    other.wait()
    assert pool.stats().running == 0


def test_a_groups_limit_holds_its_other_jobs_back_and_starts_them_in_order() -> None:
    group = pool.Group(limit=2)
    order: list[int] = []
    two = threading.Barrier(3)

    def hold(i: int) -> None:
        order.append(i)
        if i < 2:
            two.wait(PATIENCE)
            GO.wait(PATIENCE)

    for i in range(6):
        group.submit(hold, i)
    two.wait(PATIENCE)  # both jobs the limit lets through run
    # the four others are queued in the group: no worker was started for them
    assert pool.stats() == pool.PoolStats(workers=2, idle=0, running=2, queued=4)
    assert sorted(order) == [0, 1]
    GO.set()
    assert _wait_for(lambda: len(order) == 6)
    group.wait()
    assert order[2:] == [2, 3, 4, 5]
    assert pool.stats().workers == 2


def test_cancel_drops_the_jobs_a_limit_held_back() -> None:
    group = pool.Group(limit=1)
    started = threading.Event()
    ran: list[str] = []

    def hold() -> None:
        started.set()
        GO.wait(PATIENCE)
        ran.append("hold")

    group.submit(hold)
    group.submit(ran.append, "held back")
    assert started.wait(PATIENCE)
    assert group.cancel() == 1
    assert pool.stats().queued == 0
    GO.set()
    group.wait()
    assert ran == ["hold"]
    group.submit(ran.append, "after")  # the group serves on
    assert _wait_for(lambda: ran == ["hold", "after"])


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="a group's limit must be at least 1"):
        pool.Group(limit=0)


def test_submit_then_hands_the_result_over_once_the_worker_is_idle() -> None:
    group = pool.Group()
    seen: list[tuple[int, pool.PoolStats]] = []
    group.submit_then(lambda result: seen.append((result, pool.stats())), lambda: 42)
    assert _wait_for(lambda: bool(seen))
    # the worker had parked: a job the result sets off finds it instead of a new thread
    assert seen == [(42, pool.PoolStats(workers=1, idle=1, running=0, queued=0))]


def test_submit_all_then_runs_each_job_under_the_groups_limit_and_hands_each_result_over() -> None:
    group = pool.Group(limit=2)
    results: list[int] = []
    two = threading.Barrier(3)

    def job(i: int) -> int:
        if i < 2:
            two.wait(PATIENCE)
            GO.wait(PATIENCE)
        return i * 10

    group.submit_all_then(results.append, job, [(i,) for i in range(5)])
    two.wait(PATIENCE)  # the two jobs the limit lets through run; the three others wait in it
    assert pool.stats() == pool.PoolStats(workers=2, idle=0, running=2, queued=3)
    GO.set()
    assert _wait_for(lambda: len(results) == 5)
    group.wait()
    assert sorted(results) == [0, 10, 20, 30, 40]


def test_submit_all_then_cancels_the_groups_jobs_when_no_worker_can_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    group = pool.Group()
    ran: list[int] = []
    with pytest.raises(RuntimeError, match="can't start new thread"):
        group.submit_all_then(ran.append, int, [("1",), ("2",), ("3",)])
    # none of them waits for a worker that never comes
    assert (len(group.queued), pool.stats().queued) == (0, 0)
    monkeypatch.undo()
    group.submit_then(ran.append, int, "4")  # the group serves on
    assert _wait_for(lambda: ran == [4])


def test_workers_are_started_on_demand_and_named() -> None:
    assert pool.stats() == pool.PoolStats(workers=0, idle=0, running=0, queued=0)
    assert _updates(build(trio)) == ["a", "b", "c"]
    threads = {thread for _, thread in SEEN}
    # the three nodes met at a barrier, so each had a worker of its own
    assert len(threads) == 3
    assert all(t.name.startswith("flowc-worker-") and t.daemon for t in threads)
    assert threading.main_thread() not in threads
    assert pool.stats() == pool.PoolStats(workers=3, idle=3, running=0, queued=0)


def test_consecutive_runs_reuse_the_same_workers() -> None:
    runner = build(trio)
    idents = []
    for _ in range(3):
        SEEN.clear()
        TRIO.reset()
        assert _updates(runner) == ["a", "b", "c"]
        idents.append({thread.ident for _, thread in SEEN})
    assert len(idents[0]) == 3
    assert idents[1] == idents[0] and idents[2] == idents[0]
    assert pool.stats().workers == 3


def test_workers_grow_to_a_cap_and_no_further() -> None:
    pool.set_max_workers(4)
    runner = build(wide)
    events: list[Any] = []
    consumer = threading.Thread(target=lambda: events.extend(runner.stream({})))
    consumer.start()
    try:
        # four nodes run (and wait for GO); the other 46 are queued, with no worker started for them
        assert _wait_for(lambda: pool.stats().running == 4 and _running == 4)
        assert pool.stats() == pool.PoolStats(workers=4, idle=0, running=4, queued=WIDTH - 4)
    finally:
        GO.set()
        consumer.join(PATIENCE * 2)
    assert sorted(name for event in events for name in event.chunk()) == [
        f"n{i:02d}" for i in range(WIDTH)
    ]
    assert len({thread for _, thread in SEEN}) == 4
    assert _most_running == 4
    assert pool.stats() == pool.PoolStats(workers=4, idle=4, running=0, queued=0)


def test_idle_workers_exit_and_the_thread_count_returns() -> None:
    baseline = threading.active_count()
    pool.set_idle_timeout(0.05)
    assert _updates(build(trio)) == ["a", "b", "c"]
    threads = {thread for _, thread in SEEN}
    assert len(threads) == 3
    assert _wait_for(lambda: not any(t.is_alive() for t in threads))
    assert pool.stats() == pool.PoolStats(workers=0, idle=0, running=0, queued=0)
    assert threading.active_count() == baseline


def test_a_changed_idle_timeout_applies_to_workers_already_idle() -> None:
    pool.set_idle_timeout(60.0)
    assert _updates(build(trio)) == ["a", "b", "c"]
    threads = {thread for _, thread in SEEN}
    pool.set_idle_timeout(0.05)
    assert _wait_for(lambda: not any(t.is_alive() for t in threads))
    assert pool.stats().workers == 0


def test_a_node_exception_reaches_its_run_and_the_workers_serve_on() -> None:
    runner = build(failing)
    for _ in range(2):
        with pytest.raises(Failure) as caught:
            list(runner.stream({}))
        assert caught.value is FAILURE
        assert (pool.stats().running, pool.stats().queued) == (0, 0)
    assert _updates(build(trio)) == ["a", "b", "c"]


def test_a_node_exception_reaches_its_async_run() -> None:
    runner = build(failing)

    async def main() -> None:
        with pytest.raises(Failure) as caught:
            async for _ in runner.astream({}):
                pass
        assert caught.value is FAILURE

    asyncio.run(main())
    assert (pool.stats().running, pool.stats().queued) == (0, 0)


def test_an_exception_escaping_a_job_goes_to_the_thread_excepthook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
    group = pool.Group()
    done = threading.Event()

    def broken() -> None:
        raise FAILURE

    group.submit(broken)
    group.submit(done.set)
    assert done.wait(PATIENCE)
    assert _wait_for(lambda: pool.stats().running == 0)
    assert reported == [FAILURE]


def test_cancelled_jobs_never_run_and_running_ones_are_waited_for() -> None:
    pool.set_max_workers(1)
    group = pool.Group()
    started = threading.Event()
    ran: list[str] = []

    def hold() -> None:
        started.set()
        GO.wait(PATIENCE)
        ran.append("hold")

    group.submit(hold)
    group.submit(ran.append, "queued")
    assert started.wait(PATIENCE)
    assert (len(group.queued), group.running) == (1, 1)
    assert group.cancel() == 1
    assert pool.stats().queued == 0
    threading.Timer(0.01, GO.set).start()
    group.wait()
    assert group.running == 0
    assert ran == ["hold"]


def test_queued_jobs_start_in_the_order_they_were_submitted() -> None:
    pool.set_max_workers(1)
    group = pool.Group()
    started = threading.Event()
    order: list[int] = []
    group.submit(lambda: (started.set(), GO.wait(PATIENCE)))
    assert started.wait(PATIENCE)
    for i in range(5):
        group.submit(order.append, i)
    assert pool.stats().queued == 5
    GO.set()
    assert _wait_for(lambda: len(order) == 5)
    group.wait()
    assert order == [0, 1, 2, 3, 4]


def test_nested_graphs_find_workers_when_the_pool_is_full() -> None:
    from tests.reliability.graphs import DEPTH, deepest

    # every level's node waits on a worker for the level below it, twelve deep
    pool.set_max_workers(2)
    runner = build(deepest)
    events = list(runner.stream({"path": ">"}, stream_mode="updates", subgraphs=True))
    assert [len(e.ns) for e in events] == list(range(DEPTH, -1, -1))
    assert events[-1].chunk() == {"inner": {"path": ">leaf"}}
    assert (pool.stats().running, pool.stats().queued) == (0, 0)


def test_nested_async_graphs_find_workers_when_the_pool_is_full() -> None:
    from tests.reliability.graphs import DEPTH, deepest

    pool.set_max_workers(2)
    runner = build(deepest)

    async def main() -> list[Any]:
        return [e async for e in runner.astream({"path": ">"}, subgraphs=True)]

    events = asyncio.run(main())
    assert [len(e.ns) for e in events] == list(range(DEPTH, -1, -1))
    assert (pool.stats().running, pool.stats().queued) == (0, 0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_forked_child_starts_with_an_empty_pool() -> None:
    runner = build(trio)
    assert _updates(runner) == ["a", "b", "c"]
    assert pool.stats().workers == 3  # threads that do not exist in the child
    pid = os.fork()
    if pid == 0:  # the child: report through the exit code only
        code = 1
        try:
            signal.alarm(20)  # a hang kills the child, which the parent sees
            fresh = pool.stats() == pool.PoolStats(workers=0, idle=0, running=0, queued=0)
            SEEN.clear()
            TRIO.reset()
            ran = _updates(runner) == ["a", "b", "c"]
            workers = {thread for _, thread in SEEN}
            if fresh and ran and len(workers) == 3 and pool.stats().workers == 3:
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


# -- lanes: the worker a live stream keeps for its lone steps ----------------------------


_LANE_VAR: contextvars.ContextVar[str] = contextvars.ContextVar("lane_var", default="unset")


def test_a_lanes_jobs_run_in_order_on_one_worker_in_the_callers_context() -> None:
    pool.set_idle_timeout(5.0)
    lane = pool.Lane()
    seen: list[tuple[int, str, threading.Thread]] = []
    done = threading.Event()

    def job(i: int) -> None:
        seen.append((i, _LANE_VAR.get(), threading.current_thread()))
        if i == 4:
            done.set()

    for i in range(5):
        _LANE_VAR.set(f"v{i}")
        lane.submit(job, i)
    assert done.wait(PATIENCE)
    lane.close()
    assert [(i, value) for i, value, _ in seen] == [(i, f"v{i}") for i in range(5)]
    assert len({thread for _, _, thread in seen}) == 1
    assert seen[0][2] is not threading.current_thread()
    assert pool.stats().running == 0


def test_closing_a_lane_waits_for_its_running_job_and_frees_the_worker() -> None:
    pool.set_idle_timeout(5.0)
    lane = pool.Lane()
    started = threading.Event()
    finished: list[bool] = []

    def slow() -> None:
        started.set()
        time.sleep(0.1)
        finished.append(True)

    lane.submit(slow)
    assert started.wait(PATIENCE)
    lane.close()
    assert finished == [True]
    assert _wait_for(lambda: pool.stats().running == 0)
    assert pool.stats().idle == pool.stats().workers


def test_an_idle_lane_lets_its_worker_go_and_serves_again_when_given_a_job() -> None:
    pool.set_idle_timeout(0.05)
    lane = pool.Lane()
    threads: list[threading.Thread] = []
    lane.submit(lambda: threads.append(threading.current_thread()))
    assert _wait_for(lambda: len(threads) == 1)
    # the lane's wait times out: its worker goes back to the pool, then exits as idle
    assert _wait_for(lambda: pool.stats().workers == 0)
    lane.submit(lambda: threads.append(threading.current_thread()))
    assert _wait_for(lambda: len(threads) == 2)
    lane.close()
    assert pool.stats().running == 0


def write_and_count(state: LogState) -> dict[str, Any]:
    name = _node_name()
    SEEN.append((name, threading.current_thread()))
    get_stream_writer()(name)
    return {"log": [name]}


streaming_chain = Graph("streaming_chain", LogState)
for _name in ("s1", "s2", "s3"):
    streaming_chain.node(write_and_count, name=_name)
streaming_chain.sequence(START, "s1", "s2", "s3")


def test_a_live_streams_lone_steps_share_one_worker_which_the_run_frees_at_its_end() -> None:
    pool.set_idle_timeout(5.0)
    runner = build(streaming_chain)
    chunks = list(runner.stream_chunks({}, stream_mode="custom"))
    assert chunks == ["s1", "s2", "s3"]
    assert [name for name, _ in SEEN] == ["s1", "s2", "s3"]
    assert len({thread for _, thread in SEEN}) == 1
    assert pool.stats() == pool.PoolStats(workers=1, idle=1, running=0, queued=0)
