"""The io_schemas graph declared with decorators: the twin of ``specs/io_schemas.toml``."""

from __future__ import annotations

from flowc import END, START, Graph
from flowc_demo.io_schemas import Answer, AskState, Question, research, respond

graph = Graph(
    "io_schemas",
    AskState,
    description="Answer a question, keeping research notes inside the graph.",
    input_schema=Question,
    output_schema=Answer,
)
graph.add_node(research)
graph.add_node(respond)
graph.sequence(START, "research", "respond", END)
