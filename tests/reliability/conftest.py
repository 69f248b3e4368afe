"""Fixtures of the reliability tests: built graphs, clean recorders, a quick worker pool."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from types import ModuleType

import pytest

from flowc import build
from flowc.runtime import pool

from . import graphs


@pytest.fixture(autouse=True)
def _reset_recorders() -> Iterator[None]:
    graphs.FINALLY.clear()
    graphs.CALLS.clear()
    graphs.RELEASED.clear()
    graphs.RELEASE.clear()
    yield
    graphs.RELEASE.set()


@pytest.fixture(autouse=True)
def _quick_idle_workers() -> Iterator[None]:
    """Idle pool workers exit after 50 ms here (1 s by default), so thread counts settle fast."""
    previous = pool.set_idle_timeout(0.05)
    yield
    pool.set_idle_timeout(previous)


def built(name: str) -> ModuleType:
    """The runner module of ``graphs.<name>``."""
    return build(getattr(graphs, name))


def quiet_baseline(timeout: float = 5.0) -> int:
    """The thread count once no pool worker is left (idle ones exit after the idle timeout)."""
    deadline = time.monotonic() + timeout
    while pool.stats().workers and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.stats() == pool.PoolStats(workers=0, idle=0, running=0, queued=0)
    return threading.active_count()


def assert_no_job_left() -> None:
    """No job is running or queued on the worker pool (idle workers may remain)."""
    stats = pool.stats()
    assert (stats.running, stats.queued) == (0, 0), stats


def wait_for_threads(baseline: int, timeout: float = 5.0) -> int:
    """The thread count once it is back to ``baseline`` (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while threading.active_count() > baseline and time.monotonic() < deadline:
        time.sleep(0.01)
    return threading.active_count()
