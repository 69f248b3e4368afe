"""The parallel graph declared with decorators: the twin of ``specs/parallel_join.toml``."""

from __future__ import annotations

import operator
from typing import Annotated

from flowc import END, START, Graph
from flowc_demo.parallel_join import alpha, mid, summarize, zeta

graph = Graph(
    "parallel_join",
    fields={"topic": str, "log": Annotated[list[str], operator.add], "summary": str},
    description="Fan out to three nodes that finish in reverse name order, join them, summarise.",
)
for node in (alpha, mid, zeta):
    graph.add_node(node, writes=["log"])
graph.add_node(summarize, writes=["summary"])

graph.add_edge(START, ["alpha", "mid", "zeta"])
# a join: `summarize` runs once, after all three have finished
graph.add_edge(["alpha", "mid", "zeta"], "summarize")
graph.add_edge("summarize", END)
