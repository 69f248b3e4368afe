"""Nodes of the review-batch graph: parallel reviews that each ask a person, then a summary that
asks one question per verdict, in a loop.

``fan_out`` sends each item to ``review``, a task of its own; each task interrupts with a
:class:`ReviewRequest` under an id of its own, so one resume map (``{interrupt_id: Verdict}``)
answers them all. ``summary`` then asks in a loop: the n-th ``interrupt()`` call of its task
gets the n-th answer, one resume at a time.
"""

from __future__ import annotations

import operator
import time
from typing import Annotated, Literal, TypedDict

from flowc.runtime import Send, interrupt


class Item(TypedDict):
    """One item, as a ``review`` task gets it."""

    item: str


class ReviewRequest(TypedDict):
    """What ``review`` and ``summary`` ask."""

    question: str


class Verdict(TypedDict):
    """A person's answer."""

    ok: bool


class BatchState(TypedDict, total=False):
    items: list[str]
    verdicts: Annotated[list[str], operator.add]


class ReviewUpdate(TypedDict):
    verdicts: list[str]


def fan_out(state: BatchState) -> list[Send[Literal["review"], Item]]:
    return [Send("review", {"item": item}) for item in state["items"]]


def review(job: Item) -> ReviewUpdate:
    # the tasks finish in the order they were sent, so that every run streams them alike
    time.sleep(0.05 * (ord(job["item"][0]) - ord("a")))
    request: ReviewRequest = {"question": f"is {job['item']} ok?"}
    verdict: Verdict = interrupt(request)
    return {"verdicts": [f"{job['item']}:{'ok' if verdict['ok'] else 'no'}"]}


def summary(state: BatchState) -> ReviewUpdate:
    confirmed: list[str] = []
    for verdict in sorted(state["verdicts"]):
        request: ReviewRequest = {"question": f"confirm {verdict}?"}
        answer: Verdict = interrupt(request)
        confirmed.append(f"{verdict}={'yes' if answer['ok'] else 'no'}")
    return {"verdicts": [",".join(confirmed)]}


EXAMPLE_INPUT = {"items": ["a", "b"]}
"""An input the example runs and tests use."""
