"""Generated-state fields declared in Python: a default of the wrong type, an unfit reducer."""

from __future__ import annotations

from typing import Annotated

from decostate import TopicUpdate

from flowc import END, START, Graph
from flowc.dsl.decorators import field


def keep(current: list[str]) -> list[str]:
    return current


graph = Graph(
    "fields",
    fields={
        "topic": str,
        "count": field(int, default="zero"),
        "log": Annotated[list[str], keep],
    },
)


def refine(state: dict[str, object]) -> TopicUpdate:
    return {"topic": "x"}


graph.add_node(refine)
graph.sequence(START, "refine", END)
