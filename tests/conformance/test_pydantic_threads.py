"""A pydantic state run on a thread starts its reducer fields as LangGraph 1.2.22 does.

``docs`` is required (no default) but has a reducer: LangGraph's channel starts it empty, so no
input needs it, on a thread as without one. flowc started it empty without a checkpointer, but
on a thread took the state from the checkpoint alone, which holds no ``docs`` before a node
writes it, and the node's model then failed with pydantic's ``docs Field required`` (the first
run, and again the run resumed after a breakpoint).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph as LangGraphStateGraph
from pydantic import BaseModel

from flowc.langgraph.graph import StateGraph
from flowc.savers.memory import InMemorySaver as FlowcSaver

from .oracle import normalize

pytestmark = pytest.mark.conformance


class Ask(BaseModel):
    query: str
    docs: Annotated[list[str], operator.add]
    answer: str | None = None


def rewrite(state: Ask) -> dict[str, Any]:
    return {"query": f"query: {state.query} ({len(state.docs)} docs)"}


def retrieve(state: Ask) -> dict[str, Any]:
    return {"docs": ["doc1", "doc2"]}


def answer(state: Ask) -> dict[str, Any]:
    return {"answer": ",".join(state.docs)}


def build(graph: Any, saver: Any) -> Any:
    builder = graph(Ask)
    builder.add_node("rewrite", rewrite)
    builder.add_node("retrieve", retrieve)
    builder.add_node("answer", answer)
    builder.set_entry_point("rewrite")
    builder.add_edge("rewrite", "retrieve")
    builder.add_edge("retrieve", "answer")
    return builder.compile(checkpointer=saver, interrupt_after=["rewrite"])


def run(app: Any, mode: Any) -> list[Any]:
    config = {"configurable": {"thread_id": "1"}}
    first = list(app.stream({"query": "weather"}, config, stream_mode=mode))
    resumed = list(app.stream(None, config, stream_mode=mode))
    return [first, resumed, app.get_state(config).values]


@pytest.mark.parametrize("mode", ["values", "updates", ["updates", "tasks"]], ids=repr)
def test_a_required_reducer_field_starts_empty_on_a_thread_as_in_langgraph(mode: Any) -> None:
    expected = run(build(LangGraphStateGraph, InMemorySaver()), mode)
    assert normalize(run(build(StateGraph, FlowcSaver()), mode)) == normalize(expected)
    assert normalize(run(build(StateGraph, InMemorySaver()), mode)) == normalize(expected)
    assert expected[2]["docs"] == ["doc1", "doc2"]
