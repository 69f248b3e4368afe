"""The error-handler graph declared with decorators: the twin of ``specs/error_handler.toml``."""

from __future__ import annotations

import operator
from typing import Annotated

from flowc import END, START, Graph
from flowc_demo.error_handler import parse, recover, report

graph = Graph(
    "error_handler",
    fields={"text": str, "number": int, "log": Annotated[list[str], operator.add]},
    description="Parse a number, recovering from text that is not one.",
)
graph.add_node(parse, error_handler=recover)
graph.add_node(report)
graph.sequence(START, "parse", "report", END)
