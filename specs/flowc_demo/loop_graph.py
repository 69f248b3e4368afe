"""The loop declared with decorators: the twin of ``specs/loop.toml``."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from flowc import START, Graph
from flowc_demo.loop import increment, keep_going


class LoopFields(TypedDict):
    count: int
    target: int
    history: Annotated[list[int], operator.add]


graph = Graph(
    "loop",
    fields=LoopFields,
    description="Count up by looping on one node until the target is reached.",
)
graph.add_node(increment, writes=["count", "history"])
graph.add_edge(START, "increment")
# the router's return annotation, Literal["increment", "__end__"], names its targets
graph.add_conditional_edges("increment", keep_going)
