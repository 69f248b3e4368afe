"""A compiled graph composed with LangChain runnables (``graph | runnable``, ``runnable |
graph``, ``graph.pipe(...)``) runs as LangGraph's does: the same results from ``invoke`` and
``ainvoke``, the same chunks, as they come, from ``stream`` and ``astream``."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest
from langchain_core.runnables import RunnableLambda, RunnablePassthrough
from langgraph.graph import START
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph.graph import StateGraph as FlowcStateGraph

pytestmark = pytest.mark.conformance


class State(TypedDict):
    text: str


def shout(state: State) -> State:
    return {"text": state["text"] + "!"}


def repeat(state: State) -> State:
    return {"text": state["text"] * 2}


def graph(impl: str) -> Any:
    builder = (LangGraphStateGraph if impl == "langgraph" else FlowcStateGraph)(State)
    builder.add_node(shout).add_node(repeat)
    builder.add_edge(START, "shout").add_edge("shout", "repeat")
    return builder.compile()


def compositions(app: Any) -> dict[str, Any]:
    return {
        "graph | passthrough": app | RunnablePassthrough(),
        "lambda | graph": RunnableLambda(lambda text: {"text": text}) | app,
        "pipe": app.pipe(RunnableLambda(sorted)),
    }


INPUTS = {"graph | passthrough": {"text": "hi"}, "lambda | graph": "yo", "pipe": {"text": "a"}}


def outcomes(impl: str) -> dict[str, Any]:
    async def asynchronous(chain: Any, inp: Any) -> tuple[Any, list[Any]]:
        return await chain.ainvoke(inp), [chunk async for chunk in chain.astream(inp)]

    found = {}
    for name, chain in compositions(graph(impl)).items():
        inp = INPUTS[name]
        found[name] = (
            chain.invoke(inp),
            list(chain.stream(inp)),
            asyncio.run(asynchronous(chain, inp)),
        )
    return found


def test_a_graph_composed_with_runnables_runs_as_langgraphs() -> None:
    expected = outcomes("langgraph")
    assert outcomes("flowc") == expected
    assert expected["lambda | graph"] == (
        {"text": "yo!yo!"},
        [{"shout": {"text": "yo!"}}, {"repeat": {"text": "yo!yo!"}}],
        ({"text": "yo!yo!"}, [{"shout": {"text": "yo!"}}, {"repeat": {"text": "yo!yo!"}}]),
    )
