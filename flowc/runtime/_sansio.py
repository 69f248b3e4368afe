"""Drivers of a sans-I/O procedure: a generator that yields what it needs done and is sent
the answer.

The rules are written once, as the generator; :func:`drive_sync` and
:func:`drive_async` do what it asks (a saver's or a store's call, a router's
answer), the one by calling, the other by awaiting.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

__all__ = ["drive_async", "drive_sync"]

T = TypeVar("T")


def drive_sync(steps: Generator[tuple[str, Any], Any, T], answer: Callable[[str, Any], Any]) -> T:
    """Run ``steps`` to its end, sending it ``answer(op, args)`` for each ``(op, args)``."""
    try:
        request = next(steps)
        while True:
            request = steps.send(answer(*request))
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


async def drive_async(
    steps: Generator[tuple[str, Any], Any, T], answer: Callable[[str, Any], Awaitable[Any]]
) -> T:
    """:func:`drive_sync` with an awaited ``answer``."""
    try:
        request = next(steps)
        while True:
            request = steps.send(await answer(*request))
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
