"""The state and update types of the decorator-DSL bad specs of this folder."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict


class State(TypedDict, total=False):
    topic: str
    count: int
    log: Annotated[list[str], operator.add]


class TopicUpdate(TypedDict):
    topic: str


class CountUpdate(TypedDict):
    count: int
