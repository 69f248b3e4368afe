"""Cooperative draining: :class:`RunControl`, which stops a run between supersteps.

A run given a control (``config=with_control(config, control)``, or the
drop-in's ``control=``) checks it before each superstep that has tasks to run,
after the previous one's checkpoint is saved: once ``request_drain()`` was
called, from any thread, the run raises :class:`~.errors.GraphDrained` there
instead of starting the superstep. A run on a thread can then be resumed with
``None`` as its input, as after an interrupt. A superstep that was running
finishes first; a run whose last superstep asked for the drain ends normally.
Subgraphs share their parent's control. It is LangGraph's ``RunControl``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .config import Config, with_configurable
from .errors import GraphDrained

__all__ = ["CONTROL", "RunControl", "control_of", "drained", "with_control"]

CONTROL: Final = "__flowc_control"
"""The ``configurable`` key of a run's :class:`RunControl` (inherited by its subgraphs)."""


class RunControl:
    """The drain switch of one run: create one per run, and call :meth:`request_drain`
    (from any thread) to stop the run at its next superstep boundary."""

    __slots__ = ("_drain_reason",)

    def __init__(self) -> None:
        # one attribute write is the whole signal: no lock is needed to read or set it
        self._drain_reason: str | None = None

    def request_drain(self, reason: str = "shutdown") -> None:
        """Stop the run before its next superstep, with ``reason`` in its ``GraphDrained``."""
        self._drain_reason = reason

    @property
    def drain_requested(self) -> bool:
        """Whether :meth:`request_drain` was called."""
        return self._drain_reason is not None

    @property
    def drain_reason(self) -> str | None:
        """The reason given to :meth:`request_drain`, if it was called."""
        return self._drain_reason


def with_control(config: Mapping[str, Any] | None, control: Any) -> Config:
    """``config`` carrying ``control`` (a new dict; ``config`` is left as it was)."""
    return with_configurable(config, CONTROL, control)


def control_of(config: Any) -> Any:
    """The control a run's config carries (flowc's or LangGraph's ``RunControl``), if any."""
    if not config:
        return None
    configurable = config.get("configurable")
    return configurable.get(CONTROL) if configurable else None


def drained(control: Any) -> GraphDrained | None:
    """The error a run stops with if ``control`` asks it to drain."""
    if not control.drain_requested:
        return None
    return GraphDrained(control.drain_reason or "shutdown")
