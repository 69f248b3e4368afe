"""The map-reduce graph declared with decorators: the twin of ``specs/mapreduce.toml``."""

from __future__ import annotations

import operator
from typing import Annotated

from flowc import END, START, Graph
from flowc_demo.mapreduce import fan_out, work

graph = Graph(
    "mapreduce",
    fields={"items": list[str], "results": Annotated[list[str], operator.add]},
    description="Send each item to a worker task; gather the results.",
)
graph.add_node(work)
graph.add_conditional_edges(START, fan_out)
graph.add_edge("work", END)
