"""The custom-data graph declared with decorators: the twin of ``specs/custom_writer.toml``."""

from __future__ import annotations

from flowc import END, START, Graph
from flowc_demo.custom_writer import call_tool, node

graph = Graph(
    "custom_writer",
    fields={"query": str, "answer": str, "records": str},
    description="Stream custom data from a node and from a tool a node calls.",
)
graph.add_node(node, writes=["answer"])
graph.add_node(call_tool, writes=["records"])
graph.add_edge(START, "node")
graph.add_edge("node", "call_tool")
graph.add_edge("call_tool", END)
