"""A `RunControl` stops a run between supersteps (flowc's DSL and the drop-in's `Runtime`).

The conformance tests (tests/conformance/test_run_control.py) compare the drop-in with
LangGraph; these run flowc's own graphs, given the control through ``with_control``.
"""

from __future__ import annotations

import asyncio
from typing import TypedDict

import pytest

from flowc import END, START, Graph, build
from flowc.langgraph.runtime import Runtime
from flowc.runtime import GraphDrained, RunControl, with_control
from flowc.savers.memory import InMemorySaver


class State(TypedDict, total=False):
    log: list[str]


CONTROLS: list[RunControl] = []


def first(state: State) -> State:
    CONTROLS[-1].request_drain("deploy")
    return {"log": ["first"]}


def second(state: State) -> State:
    return {"log": [*state.get("log", []), "second"]}


chain = Graph("drained_chain", State)
chain.add_node(first)
chain.add_node(second)
chain.sequence(START, "first", "second", END)

last = Graph("drained_last", State)
last.add_node(first)
last.sequence(START, "first", END)


def _control() -> RunControl:
    CONTROLS.append(RunControl())
    return CONTROLS[-1]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_drain_stops_before_the_next_superstep_and_the_thread_resumes(use_async: bool) -> None:
    saver = InMemorySaver()
    graph = build(chain).graph.with_checkpointer(saver)
    thread = {"configurable": {"thread_id": "t"}}
    config = with_control(thread, _control())
    events: list[object] = []

    async def consume() -> None:
        async for event in graph.astream({"log": []}, stream_mode="updates", config=config):
            events.append(event)

    with pytest.raises(GraphDrained) as raised:
        if use_async:
            asyncio.run(consume())
        else:
            events.extend(graph.stream({"log": []}, stream_mode="updates", config=config))
    assert (raised.value.reason, str(raised.value)) == ("deploy", "Graph drained: deploy")
    assert [(e.node, e.data) for e in events] == [("first", {"log": ["first"]})]
    # the checkpoint before `second` is stored: the thread goes on from it
    assert graph.invoke(None, config=thread) == {"log": ["first", "second"]}


def test_a_drain_asked_in_the_last_superstep_lets_the_run_end() -> None:
    control = _control()
    assert build(last).invoke({"log": []}, config=with_control(None, control)) == {"log": ["first"]}
    assert control.drain_requested


def test_a_control_drained_before_the_run_stops_it_before_any_node() -> None:
    control = RunControl()
    control.request_drain()
    with pytest.raises(GraphDrained, match=r"^Graph drained: shutdown$"):
        build(last).invoke({"log": []}, config=with_control(None, control))


def test_a_runtime_tells_a_node_whether_its_run_drains_and_merge_keeps_the_control() -> None:
    control = RunControl()
    runtime = Runtime(control=control)
    assert (runtime.drain_requested, runtime.drain_reason) == (False, None)
    control.request_drain("sigterm")
    assert (runtime.drain_requested, runtime.drain_reason) == (True, "sigterm")
    assert runtime.merge(Runtime(context=None)).control is control
    assert Runtime().drain_requested is False
