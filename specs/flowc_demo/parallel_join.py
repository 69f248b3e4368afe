"""Nodes of the parallel graph: three nodes run at once, a join waits for all of them.

The three nodes finish in the reverse order of their names (``zeta``, ``mid``,
``alpha``), so the ``updates`` chunks come in that order while the ``log``
reducer still receives the writes in node-name order (``alpha``, ``mid``,
``zeta``).
"""

from __future__ import annotations

from typing import TypedDict

from flowc_demo._order import Relay

EXAMPLE_INPUT = {"topic": "ice cream"}
"""An input the example runs and tests use."""


class ParallelState(TypedDict, total=False):
    topic: str
    log: list[str]
    summary: str


class LogUpdate(TypedDict):
    log: list[str]


class SummaryUpdate(TypedDict):
    summary: str


_relay = Relay(("zeta", "mid", "alpha"))


def _visit(name: str, state: ParallelState) -> LogUpdate:
    _relay.wait_turn(name)
    try:
        return {"log": [f"{name} saw {state['topic']}"]}
    finally:
        _relay.done()


def alpha(state: ParallelState) -> LogUpdate:
    return _visit("alpha", state)


def mid(state: ParallelState) -> LogUpdate:
    return _visit("mid", state)


def zeta(state: ParallelState) -> LogUpdate:
    return _visit("zeta", state)


def summarize(state: ParallelState) -> SummaryUpdate:
    return {"summary": " / ".join(state["log"])}
