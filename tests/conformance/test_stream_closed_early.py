"""An async stream its consumer closes early (``aclosing(graph.astream(...))`` and ``break``) has
the nodes still running cancelled, and their ``CancelledError`` handled, before its ``aclose()``
returns, as in LangGraph 1.2.22: with and without a checkpointer, and with ``debug=True`` (whose
printing wraps the stream). The drop-in used to leave them to the garbage collector."""

from __future__ import annotations

import asyncio
import operator
from contextlib import aclosing
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph

from flowc.langgraph.graph import StateGraph as FlowcStateGraph

pytestmark = pytest.mark.conformance


class State(TypedDict, total=False):
    value: Annotated[int, operator.add]


def build(impl: str, saver: bool, log: list[str]) -> Any:
    async def long(state: State) -> State:
        log.append("long started")
        try:
            await asyncio.sleep(1.5)
        except asyncio.CancelledError:
            log.append("long cancelled")
            raise
        return {"value": 10}

    async def short(state: State) -> State:
        await asyncio.sleep(0.3)
        return {"value": 2}

    builder = (StateGraph if impl == "langgraph" else FlowcStateGraph)(State)
    builder.add_node("long", long).add_node("short", short)
    builder.add_edge(START, "long").add_edge(START, "short")
    return builder.compile(checkpointer=InMemorySaver() if saver else None)


async def closed_after_first(graph: Any, debug: bool, log: list[str]) -> tuple[Any, list[str]]:
    """The first chunk, and the log as it is when ``aclose()`` returned (``asyncio.run``
    would close a stream left open when it ends, too late to tell)."""
    config = {"configurable": {"thread_id": "1"}}
    async with aclosing(graph.astream({"value": 1}, config, debug=debug)) as stream:
        async for chunk in stream:
            first = chunk
            break
    return first, list(log)


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
@pytest.mark.parametrize("saver", [False, True], ids=["no-saver", "saver"])
def test_closing_a_stream_early_cancels_its_running_nodes_before_aclose_returns(
    saver: bool, debug: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = {}
    for impl in ("langgraph", "flowc"):
        log: list[str] = []
        seen[impl] = asyncio.run(closed_after_first(build(impl, saver, log), debug, log))
    capsys.readouterr()
    assert seen["flowc"] == seen["langgraph"]
    assert seen["flowc"] == ({"short": {"value": 2}}, ["long started", "long cancelled"])
