"""An async node that raises ``asyncio.CancelledError`` from its own body fails the run with
``NodeCancelledError`` (as in LangGraph 1.2.22), alone in its step or beside other tasks —
where a flowc run used to wait forever for the task's outcome; a run cancelled from outside
still ends with ``CancelledError``. (Sync nodes: ``dropin/cancelled_node.py``.)"""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.graph import START, StateGraph

from flowc.langgraph.graph import StateGraph as FlowcStateGraph

pytestmark = pytest.mark.conformance


class State(TypedDict, total=False):
    vals: Annotated[list[str], operator.add]


async def ok(state: State) -> State:
    return {"vals": ["ok"]}


async def give_up(state: State) -> State:
    await asyncio.sleep(0.01)
    raise asyncio.CancelledError("given up in the node's body")


async def wait_long(state: State) -> State:
    await asyncio.sleep(30)
    return {"vals": ["late"]}


def build(impl: str, shape: str) -> Any:
    builder = (StateGraph if impl == "langgraph" else FlowcStateGraph)(State)
    if shape == "alone":
        builder.add_node("ok", ok).add_node("give_up", give_up)
        builder.add_edge(START, "ok").add_edge("ok", "give_up")
    elif shape == "beside":
        builder.add_node("ok", ok).add_node("give_up", give_up)
        builder.add_edge(START, "ok").add_edge(START, "give_up")
    else:
        builder.add_node("ok", ok).add_node("wait_long", wait_long)
        builder.add_edge(START, "ok").add_edge("ok", "wait_long")
    return builder.compile()


async def outcome(graph: Any, cancel_after: float | None) -> tuple[list[Any], str, str | None]:
    chunks: list[Any] = []

    async def consume() -> None:
        async for chunk in graph.astream({"vals": []}, stream_mode="updates"):
            chunks.append(chunk)

    task = asyncio.ensure_future(consume())
    if cancel_after is not None:
        await asyncio.sleep(cancel_after)
        task.cancel()
    try:
        await asyncio.wait_for(task, 10)
    except BaseException as exc:  # the outcome is what is compared
        return chunks, type(exc).__name__, getattr(exc, "node", None)
    return chunks, "finished", None


@pytest.mark.parametrize("shape", ["alone", "beside"])
def test_an_async_node_raising_cancelled_error_fails_the_run_as_in_langgraph(shape: str) -> None:
    expected = asyncio.run(outcome(build("langgraph", shape), None))
    actual = asyncio.run(outcome(build("flowc", shape), None))
    assert actual == expected
    assert actual[1:] == ("NodeCancelledError", "give_up")


def test_a_run_cancelled_from_outside_ends_with_cancelled_error_as_in_langgraph() -> None:
    expected = asyncio.run(outcome(build("langgraph", "cancelled"), 0.2))
    actual = asyncio.run(outcome(build("flowc", "cancelled"), 0.2))
    assert actual == expected == ([{"ok": {"vals": ["ok"]}}], "CancelledError", None)
