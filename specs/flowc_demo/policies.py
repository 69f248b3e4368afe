"""Nodes of the policies graph: a flaky fetch that is retried, a cached lookup, a deferred summary.

``fetch`` fails twice in every three calls, as a server that hangs up would:
the spec's retry policy runs it again until it gets through. ``lookup`` is
cached, so a run on an input it saw before takes its writes from the cache.
``summarize`` is deferred: it waits until ``check`` (on the longer path) is done.
"""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

attempts = {"fetch": 0, "lookup": 0}
"""How often ``fetch`` and ``lookup`` were called."""


class PolicyState(TypedDict, total=False):
    topic: str
    pages: Annotated[list[str], operator.add]
    summary: str


def fetch(state: PolicyState) -> PolicyState:
    # two calls in three fail: each run's third attempt gets through
    attempts["fetch"] += 1
    if attempts["fetch"] % 3:
        raise ConnectionError("the server hung up")
    return {"pages": [f"page about {state['topic']}"]}


def lookup(state: PolicyState) -> PolicyState:
    attempts["lookup"] += 1
    return {"pages": [f"entry for {state['topic']}"]}


def check(state: PolicyState) -> PolicyState:
    return {"pages": ["checked"]}


def summarize(state: PolicyState) -> PolicyState:
    return {"summary": " + ".join(state["pages"])}


def by_topic(state: PolicyState) -> str:
    """The cache key of ``lookup``: its topic alone."""
    return state["topic"]
