"""Nodes with trace policies: tracers record the processed input and output of their runs
(a processor that raises records the real value); the run itself is unchanged."""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import TracePolicy


class State(TypedDict):
    value: int


def incr(state: State):
    return {"value": state["value"] + 1}


def broken(value):
    raise RuntimeError("processor failed")


graph = (
    StateGraph(State)
    .add_node(
        "scrubbed",
        incr,
        trace_policy=TracePolicy(
            process_inputs=lambda inp: {"seen": sorted(inp)},
            process_outputs=lambda out: {"wrote": sorted(out)},
        ),
    )
    .add_node("failing_processor", incr, trace_policy=TracePolicy(process_inputs=broken))
    .add_node("plain", incr)
    .add_edge(START, "scrubbed")
    .add_edge("scrubbed", "failing_processor")
    .add_edge("failing_processor", "plain")
    .add_edge("plain", END)
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"value": 1}]
