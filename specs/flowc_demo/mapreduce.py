"""Nodes of the map-reduce graph: a router sends each item to ``work`` as a task of its own.

``fan_out``'s return annotation names where its ``Send`` s go and what they
carry, so ``flowc check`` proves ``work`` is a node that takes a ``Job``, and
mypy refuses a ``Send`` in its body to another node or with another argument.
"""

from __future__ import annotations

import operator
from typing import Annotated, Literal, TypedDict

from flowc.runtime import Send


class Job(TypedDict):
    """One item, as a ``work`` task gets it."""

    item: str


class MapState(TypedDict, total=False):
    items: list[str]
    results: Annotated[list[str], operator.add]


class WorkUpdate(TypedDict):
    results: list[str]


def fan_out(state: MapState) -> list[Send[Literal["work"], Job]]:
    return [Send("work", {"item": item}) for item in state["items"]]


def work(job: Job) -> WorkUpdate:
    return {"results": [job["item"].upper()]}


EXAMPLE_INPUT = {"items": ["a", "b", "c"]}
"""An input the example runs and tests use."""
