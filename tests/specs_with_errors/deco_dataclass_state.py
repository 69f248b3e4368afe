"""A dataclass state: a node must take the dataclass, not a dict of some of its keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from decostate import TopicUpdate

from flowc import END, START, Graph


@dataclass
class Draft:
    topic: str = ""
    count: int = 0


class TopicOnly(TypedDict):
    topic: str


graph = Graph("dataclass_state", Draft)


@graph.node
def refine(state: TopicOnly) -> TopicUpdate:
    return {"topic": state["topic"]}


graph.sequence(START, "refine", END)
