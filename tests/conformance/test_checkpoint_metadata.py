"""The run config's keys go into each checkpoint's metadata as LangGraph's savers put them.

LangGraph's savers add the scalar values of a run's ``metadata`` and ``configurable`` (but
for the thread's own keys and ``__`` keys) to the metadata of every checkpoint they store,
the subgraphs' and ``update_state``'s included; flowc's thread does the same for every
saver. Compared on LangGraph's saver and flowc's, sync and async.
"""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.graph import START as LG_START
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph import START, StateGraph
from flowc.savers.memory import InMemorySaver as FlowcSaver

pytestmark = pytest.mark.conformance


class State(TypedDict):
    log: Annotated[list[str], operator.add]


RUN_CONFIG = {
    "configurable": {
        "thread_id": "t",
        "user": "ada",
        "attempt": 2,
        "strict": True,
        "ratio": 0.5,
        "nested": {"not": "a scalar"},
        "__private": "left out",
        "checkpoint_ns": "",
    },
    "metadata": {"request": "r-1", "user": "from metadata", "step": 99},
}


def build(graph_class: Any, start: str) -> Any:
    inner = graph_class(State)
    inner.add_node("inner_step", lambda s: {"log": ["inner"]})
    inner.add_edge(start, "inner_step")
    outer = graph_class(State)
    outer.add_node("first", lambda s: {"log": ["first"]})
    outer.add_node("sub", inner.compile())
    outer.add_edge(start, "first")
    outer.add_edge("first", "sub")
    return outer


def metadata_of(graph_class: Any, start: str, saver: Any, use_async: bool) -> list[Any]:
    graph = build(graph_class, start).compile(checkpointer=saver)

    async def arun() -> None:
        await graph.ainvoke({"log": []}, RUN_CONFIG)
        await graph.aupdate_state({"configurable": {"thread_id": "t", "edit": "e"}}, {"log": ["x"]})

    if use_async:
        asyncio.run(arun())
    else:
        graph.invoke({"log": []}, RUN_CONFIG)
        graph.update_state({"configurable": {"thread_id": "t", "edit": "e"}}, {"log": ["x"]})
    thread = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    found = [t.metadata for t in saver.list(thread)]
    # the subgraph's own checkpoints, in its namespace
    namespaces = sorted(
        {t.config["configurable"]["checkpoint_ns"] for t in saver.list(None)} - {""}
    )
    for ns in namespaces:
        sub = {"configurable": {"thread_id": "t", "checkpoint_ns": ns}}
        found += [{k: v for k, v in t.metadata.items() if k != "parents"} for t in saver.list(sub)]
    return found


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("saver", ["langgraph", "flowc"])
def test_checkpoint_metadata_takes_the_run_configs_keys_as_langgraphs(
    saver: str, use_async: bool
) -> None:
    expected = metadata_of(LangGraphStateGraph, LG_START, LangGraphSaver(), use_async)
    given = LangGraphSaver() if saver == "langgraph" else FlowcSaver()
    actual = metadata_of(StateGraph, START, given, use_async)
    assert actual == expected
    # what LangGraph gives, spelled out: the metadata's keys first, then configurable's
    assert expected[0] == {"source": "update", "step": 3, "parents": {}, "edit": "e"}
    assert expected[1] == {
        "source": "loop",
        "step": 2,
        "parents": {},
        "request": "r-1",
        "user": "from metadata",
        "attempt": 2,
        "strict": True,
        "ratio": 0.5,
    }
    # the subgraph's first checkpoint (its "parents" left out), with the root run's keys
    assert len(expected) == 8
    assert expected[-1] == {
        "source": "input",
        "step": -1,
        "request": "r-1",
        "user": "from metadata",
        "attempt": 2,
        "strict": True,
        "ratio": 0.5,
    }
