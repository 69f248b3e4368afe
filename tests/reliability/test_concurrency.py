"""Concurrent runs of one module never mix writers, namespaces or events, and
memory returns to its baseline after many runs."""

from __future__ import annotations

import asyncio
import gc
import threading
import tracemalloc

from .conftest import built


def _expected(run: str, prefix: str = "") -> list[tuple[str, object]]:
    return [
        ("values", {"run": run, "log": []}),
        ("custom", {"run": run}),
        ("updates", {f"{prefix}tag_run": {"log": [run]}}),
        ("values", {"run": run, "log": [run]}),
        ("custom", {"run": run}),
        ("updates", {f"{prefix}tag_again": {"log": [run + "!"]}}),
        ("values", {"run": run, "log": [run, run + "!"]}),
    ]


def _modes() -> list[str]:
    return ["custom", "updates", "values"]


def test_1000_concurrent_astream_runs_keep_their_own_events() -> None:
    runner = built("atagged")

    async def one(i: int) -> list[tuple[str, object]]:
        out = []
        async for event in runner.astream({"run": f"r{i}"}, stream_mode=_modes()):
            out.append((event.mode, event.chunk()))
        return out

    async def main() -> list[list[tuple[str, object]]]:
        return await asyncio.gather(*(one(i) for i in range(1000)))

    results = asyncio.run(main())
    for i, events in enumerate(results):
        assert events == _expected(f"r{i}", prefix="a")


def test_50_threads_each_streaming_keep_their_own_events() -> None:
    runner = built("tagged")
    results: dict[int, list[tuple[str, object]]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    def work(i: int) -> None:
        try:
            start.wait()
            for _ in range(20):
                events = [
                    (e.mode, e.chunk())
                    for e in runner.stream({"run": f"t{i}"}, stream_mode=_modes())
                ]
                assert events == _expected(f"t{i}"), events
            results[i] = events
        except BaseException as exc:  # reported below, with the thread's number
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(50))


def test_memory_returns_to_baseline_after_10000_runs() -> None:
    runner = built("tagged")
    for _ in range(200):  # warm caches, interned strings, lazily created objects
        list(runner.stream({"run": "warm"}, stream_mode=_modes()))
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for i in range(10_000):
            for _event in runner.stream({"run": f"m{i % 7}"}, stream_mode=_modes()):
                pass
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a leak of even 100 bytes per run would show as ~1 MB
    assert after - before < 64 * 1024, f"grew by {after - before} bytes over 10,000 runs"
