"""`DeltaChannel` fields accumulate on a thread as in LangGraph 1.2.22.

The graph of ``dropin/delta_channel.py`` (compared there in every stream mode, sync and
async) runs three times on one thread: each run's result, the thread's state and its history
are LangGraph's. (LangGraph's saver stores the channel's writes where flowc's stores its
values: what a thread gives back is the same.)
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from .test_dropin import load

pytestmark = pytest.mark.conformance


def _thread_runs(impl: str) -> list[Any]:
    module = load("delta_channel", impl)
    graph = (
        module.StateGraph(module.State)
        .add_node("left", module.left)
        .add_node("right", module.right)
        .add_node("reset", module.reset)
        .add_edge(module.START, "left")
        .add_edge(module.START, "right")
        .add_edge(["left", "right"], "reset")
        .compile(checkpointer=InMemorySaver())
    )
    config = {"configurable": {"thread_id": "t"}}
    results = [graph.invoke({"messages": [("user", f"turn {i}")]}, config) for i in range(3)]

    def shown(values: dict[str, Any]) -> Any:
        return [getattr(m, "content", m) for m in values.get("messages", [])], values.get("items")

    history = [(shown(s.values), s.next) for s in graph.get_state_history(config)]
    return [[shown(r) for r in results], shown(graph.get_state(config).values), history]


def test_a_delta_channel_accumulates_on_a_thread_as_in_langgraph() -> None:
    expected = _thread_runs("langgraph")
    assert _thread_runs("flowc") == expected
    # `right` writes one id each run: add_messages replaces it where it first was
    assert expected[1] == (
        ["turn 0", "left saw 1", "right", "turn 1", "left saw 4", "turn 2", "left saw 6"],
        ["reset"],
    )
