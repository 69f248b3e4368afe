"""The calls a :class:`~._plan.Node` makes of a plain function, of an async-only node in a sync
run, and of a node that cannot run (a sync run of a timed node)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .run import no_sync

if TYPE_CHECKING:
    from ._task import Task


def _plain_call(plain: Callable[[Any], object]) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        return plain(inp)

    return call


def _async_only(name: str) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        raise no_sync(name)

    call.async_only = True  # type: ignore[attr-defined]
    return call


def _failing_call(message: str) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        raise ValueError(message)

    return call
