"""The generated-TypedDict state example declared with decorators: the twin of ``specs/state_typeddict.toml``.

Fields with a default or a description are written with :func:`flowc.dsl.field`;
a reducer with ``Annotated``, as in a LangGraph state.
"""

from __future__ import annotations

import operator
from typing import Annotated

from flowc import END, START, Graph
from flowc.dsl import field
from flowc_demo.state_typeddict import finish, tally

graph = Graph(
    "state_typeddict",
    fields={
        "topic": str,
        "count": field(int, default=0, description="How many times `tally` ran."),
        "log": Annotated[list[str], operator.add],
    },
    kind="typeddict",
    description="Count and log over a generated TypedDict state.",
)
graph.add_node(tally, writes=["count", "log"])
graph.add_node(finish, writes=["topic", "log"])
graph.sequence(START, "tally", "finish", END)
