"""Fixtures of the reliability tests: built graphs and clean recorders."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from types import ModuleType

import pytest

from flowc import build

from . import graphs


@pytest.fixture(autouse=True)
def _reset_recorders() -> Iterator[None]:
    graphs.FINALLY.clear()
    graphs.CALLS.clear()
    graphs.RELEASE.clear()
    yield
    graphs.RELEASE.set()


def built(name: str) -> ModuleType:
    """The runner module of ``graphs.<name>``."""
    return build(getattr(graphs, name))


def wait_for_threads(baseline: int, timeout: float = 5.0) -> int:
    """The thread count once it is back to ``baseline`` (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while threading.active_count() > baseline and time.monotonic() < deadline:
        time.sleep(0.01)
    return threading.active_count()
