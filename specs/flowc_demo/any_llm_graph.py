"""The "use with any LLM" graph declared with decorators: the twin of ``specs/any_llm.toml``."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from flowc import Graph
from flowc_demo.any_llm import call_tool

graph = Graph(
    "any_llm",
    fields={"messages": Annotated[list[dict[str, Any]], operator.add]},
    description="A tool streams a raw LLM client's reply as custom data.",
)
graph.add_node(call_tool, writes=["messages"])
graph.set_entry_point("call_tool")
graph.set_finish_point("call_tool")
