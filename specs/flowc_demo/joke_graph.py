"""The joke chain declared with decorators: the twin of ``specs/joke.toml``.

The node functions live in :mod:`flowc_demo.joke`; this module only wires
them, the way a LangGraph ``StateGraph`` builder does.
"""

from __future__ import annotations

from flowc import END, START, Graph
from flowc_demo.joke import generate_joke, refine_topic

graph = Graph(
    "joke",
    fields={"topic": str, "joke": str},
    description="Refine a topic, then write a joke about it.",
)
graph.add_node(refine_topic, writes=["topic"])
graph.add_node(generate_joke, writes=["joke"])
graph.sequence(START, "refine_topic", "generate_joke", END)
