"""A spec's run context reaches its nodes as LangGraph 1.2.22's ``context=`` does.

``specs/context.toml`` declares ``context_type``; its node reads the run's
context with ``get_context()``. The same graph built with LangGraph's
``StateGraph(..., context_schema=UserContext)``, whose node reads
``get_runtime(UserContext).context``, streams the same chunks in every
``stream_mode`` argument of the oracle, sync and async, given the same context.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from flowc_demo.context import GreetState, UserContext
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import get_runtime

from tests.golden import context, context_types

from .oracle import MODE_ARGS, _key_order, normalize

pytestmark = pytest.mark.conformance

ALICE = UserContext("u-alice", greeting="Good morning")


def greet(state: GreetState) -> GreetState:
    runtime = get_runtime(UserContext)
    user = runtime.context
    return {"message": f"{user.greeting}, {state['name']} (for {user.user_id})"}


def langgraph_context() -> Any:
    builder = StateGraph(GreetState, context_schema=UserContext)
    builder.add_node("greet", greet)
    builder.add_edge(START, "greet")
    builder.add_edge("greet", END)
    return builder.compile()


@pytest.mark.parametrize("mode", MODE_ARGS, ids=repr)
def test_a_specs_context_reaches_its_node_as_in_langgraph(mode: Any) -> None:
    expected = list(langgraph_context().stream({"name": "Ada"}, stream_mode=mode, context=ALICE))
    actual = list(context.graph.stream_chunks({"name": "Ada"}, stream_mode=mode, context=ALICE))
    assert normalize(actual) == normalize(expected)
    assert _key_order(actual) == _key_order(expected)


def test_the_async_run_takes_its_context_too() -> None:
    async def both() -> tuple[list[Any], list[Any]]:
        lg = [c async for c in langgraph_context().astream({"name": "Ada"}, context=ALICE)]
        fl = [c async for c in context.graph.astream_chunks({"name": "Ada"}, context=ALICE)]
        return lg, fl

    expected, actual = asyncio.run(both())
    assert actual == expected == [{"greet": {"message": "Good morning, Ada (for u-alice)"}}]


def test_typed_invoke_and_get_context_outside_a_run() -> None:
    assert context.invoke({"name": "Ada"}, context=UserContext("u1")) == {
        "name": "Ada",
        "message": "Hello, Ada (for u1)",
    }
    with pytest.raises(RuntimeError, match="get_context\\(\\) was called outside a running"):
        context_types.get_context()
