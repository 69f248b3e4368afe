"""A state class whose reducers do not fit their fields, and a field type that does not resolve."""

from __future__ import annotations

from typing import Annotated, TypedDict

from decostate import TopicUpdate

from flowc import END, START, Graph


def merge_ints(current: list[int], update: list[int]) -> list[int]:
    return current + update


def keep(current: list[str]) -> list[str]:
    return current


class State(TypedDict, total=False):
    topic: str
    ints: Annotated[list[str], merge_ints]
    one: Annotated[list[str], keep]
    mood: Moood  # type: ignore[name-defined]  # noqa: F821


graph = Graph("state_class", State)


@graph.node
def refine(state: State) -> TopicUpdate:
    return {"topic": "x"}


graph.sequence(START, "refine", END)
