"""``TracePolicy``: what a node's task run records to tracers (LangGraph's, same fields)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["TracePolicy", "omit_payload"]


@dataclass(frozen=True, slots=True)
class TracePolicy:
    """How a node's run is recorded by tracers given in a run's ``callbacks``.

    Each processor gets the node's real input (or output) and returns what tracers
    record instead; other callback handlers and event streams get the real value. A
    processor that raises is logged and the real value recorded. Runs without
    callbacks call no processor. Not a way to redact secrets across runs.
    """

    process_inputs: Callable[[Any], Any] | None = None
    """Transforms the node's input before tracers record it."""
    process_outputs: Callable[[Any], Any] | None = None
    """Transforms the node's output before tracers record it."""


def omit_payload(_value: Any) -> dict[str, Any]:
    """A processor that records an empty payload."""
    return {}
