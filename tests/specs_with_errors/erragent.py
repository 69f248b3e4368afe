"""What the bad agent specs name: a model factory, tools flowc cannot describe, a response."""

from __future__ import annotations

import threading


def make_model() -> object:
    """A factory, not a model: the spec must name the model object."""
    return object()


def no_types(city):  # type: ignore[no-untyped-def]
    """A tool whose parameter has no type."""
    return city


def takes_a_lock(lock: threading.Lock) -> str:
    """A tool the model cannot call: a lock has no JSON schema."""
    return "locked"


def fine(city: str) -> str:
    """A good tool."""
    return city


NOT_A_TOOL = 42

Answer = list[str]
