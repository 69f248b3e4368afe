"""The context graph declared with decorators: the twin of ``specs/context.toml``."""

from __future__ import annotations

from flowc import END, START, Graph
from flowc_demo.context import UserContext, greet

graph = Graph(
    "context",
    fields={"name": str, "message": str},
    description="Greet someone on behalf of the run's user.",
    context_type=UserContext,
)
graph.add_node(greet)
graph.sequence(START, "greet", END)
