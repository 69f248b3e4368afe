"""Builder calls flowc cannot record: each becomes a diagnostic at the call, not a traceback."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("misuse", State)


def refine(state: State) -> TopicUpdate:
    return {"topic": "x"}


def route(state: State) -> str:
    return "refine"


graph.add_node(refine, retry_policy=3)
graph.add_node("summarize")  # type: ignore[call-overload]
graph.add_edge(START, 1)  # type: ignore[arg-type]
graph.add_edge(START, "refine")
graph.add_conditional_edges("refine", route, "refine")  # type: ignore[arg-type]
graph.sequence("refine")
graph.add_edge("refine", END)
