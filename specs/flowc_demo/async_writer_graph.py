"""The async writer graph declared with decorators: the twin of ``specs/async_writer.toml``."""

from __future__ import annotations

from flowc import Graph
from flowc_demo.async_writer import generate_joke

graph = Graph(
    "async_writer",
    fields={"topic": str, "joke": str},
    description="An async node streams custom data through its writer parameter.",
)
graph.add_node(generate_joke, writes=["joke"])
graph.set_entry_point("generate_joke")
graph.set_finish_point("generate_joke")
