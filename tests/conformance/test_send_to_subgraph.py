"""A Send to a subgraph node under pydantic states starts the subgraph from the Send's argument,
as LangGraph 1.2.22 does (the TypedDict twin is ``dropin/send_to_subgraph.py``).

The child's ``prompt`` is a key its parent lacks: LangGraph validates the child's model from the
Send's argument; flowc did from the keys the two states share, and failed with pydantic's
``prompt Field required``.
"""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any

import pytest
from langgraph.graph import START as LG_START
from langgraph.graph import StateGraph as LangGraphStateGraph
from langgraph.types import Send as LangGraphSend
from pydantic import BaseModel, Field

from flowc.langgraph.graph import START, StateGraph
from flowc.langgraph.types import Send

from .oracle import both_agreeing, normalize

pytestmark = pytest.mark.conformance


class Child(BaseModel):
    prompt: str
    answers: Annotated[list[str], operator.add] = Field(default_factory=list)


class Parent(BaseModel):
    prompts: list[str]
    answers: Annotated[list[str], operator.add] = Field(default_factory=list)


def ask(state: Child) -> dict[str, Any]:
    return {"answers": [f"{state.prompt.upper()} ({len(state.answers)})"]}


def build(graph: Any, start: Any, send: Any) -> Any:
    child = graph(Child).add_node("ask", ask).add_edge(start, "ask").compile()

    def assign(state: Parent) -> list[Any]:
        return [send("child", {"prompt": p}) for p in state.prompts]

    return (
        graph(Parent).add_node("child", child).add_conditional_edges(start, assign, ["child"])
    ).compile()


@pytest.mark.parametrize("mode", ["values", "updates", ["updates", "tasks"], "debug"], ids=repr)
def test_a_sends_argument_starts_a_pydantic_subgraph_as_in_langgraph(mode: Any) -> None:
    expected = build(LangGraphStateGraph, LG_START, LangGraphSend)
    actual = build(StateGraph, START, Send)
    given = {"prompts": ["a", "b"], "answers": ["kept"]}
    assert actual.invoke(dict(given)) == expected.invoke(dict(given))
    assert actual.invoke(dict(given)) == {
        "prompts": ["a", "b"],
        "answers": ["kept", "A (0)", "B (0)"],
    }
    # the two Send tasks run in parallel on both sides: which finishes first is a race
    got, want = both_agreeing(
        lambda: normalize(list(expected.stream(dict(given), stream_mode=mode))),
        lambda: normalize(list(actual.stream(dict(given), stream_mode=mode))),
    )
    assert got == want


def test_the_async_run_starts_it_the_same() -> None:
    expected = build(LangGraphStateGraph, LG_START, LangGraphSend)
    actual = build(StateGraph, START, Send)
    given = {"prompts": ["a"]}
    assert asyncio.run(actual.ainvoke(dict(given))) == asyncio.run(expected.ainvoke(dict(given)))
