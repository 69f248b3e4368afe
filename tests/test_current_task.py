"""Which task is current: inside a node, between a stream's events, across interleaved streams.

Runners set the context variable once for the task they reuse for inline steps
and mark it active only while its node runs; these tests pin down that the
writer, the config and nesting still see exactly the task that runs.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest

from flowc import END, START, Graph, build, get_config, get_stream_writer
from flowc import runtime as rt


class State(TypedDict, total=False):
    seen: list[str]


def _seen(state: State, label: str) -> dict[str, Any]:
    node = get_config()["metadata"]["langgraph_node"]
    return {"seen": [*state.get("seen", []), f"{label}:{node}"]}


def a1(state: State) -> dict[str, Any]:
    return _seen(state, "A")


def a2(state: State) -> dict[str, Any]:
    return _seen(state, "A")


def b1(state: State) -> dict[str, Any]:
    return _seen(state, "B")


def b2(state: State) -> dict[str, Any]:
    return _seen(state, "B")


graph_a = Graph("current_a", State)
graph_a.add_sequence([a1, a2])
graph_a.add_edge(START, "a1")
graph_a.add_edge("a2", END)

graph_b = Graph("current_b", State)
graph_b.add_sequence([b1, b2])
graph_b.add_edge(START, "b1")
graph_b.add_edge("b2", END)


def outer(state: State) -> dict[str, Any]:
    """Walk a graph's stream one event at a time, asking who runs between its events."""
    inner = build(graph_a)
    seen = list(state.get("seen", []))
    for event in inner.stream({}, stream_mode="updates"):
        seen.append(f"{event.node} in {get_config()['metadata']['langgraph_node']}")
    return {"seen": seen}


def last(state: State) -> dict[str, Any]:
    return _seen(state, "O")


def a2_fails(state: State) -> dict[str, Any]:
    raise ValueError(f"fails in {get_config()['metadata']['langgraph_node']}")


graph_fail = Graph("current_fail", State)
graph_fail.add_sequence([a1, ("a2", a2_fails)])
graph_fail.add_edge(START, "a1")
graph_fail.add_edge("a2", END)

graph_outer = Graph("current_outer", State)
graph_outer.add_sequence([outer, last])
graph_outer.add_edge(START, "outer")
graph_outer.add_edge("last", END)


def test_interleaved_streams_each_see_their_own_nodes() -> None:
    a = build(graph_a).stream({"seen": []}, stream_mode="values")
    b = build(graph_b).stream({"seen": []}, stream_mode="values")
    got = []
    for _ in range(3):
        got.append(next(a).data.get("seen", []))
        got.append(next(b).data.get("seen", []))
    assert got == [[], [], ["A:a1"], ["B:b1"], ["A:a1", "A:a2"], ["B:b1", "B:b2"]]


def test_between_a_streams_events_no_task_is_current() -> None:
    for event in build(graph_a).stream({}, stream_mode="updates"):
        assert event.node in ("a1", "a2")
        assert rt.current_task() is None
        with pytest.raises(RuntimeError, match="outside a running flowc graph"):
            get_stream_writer()
        with pytest.raises(RuntimeError, match="outside a running flowc graph"):
            get_config()
    assert rt.current_task() is None
    # nothing of the finished run is left in the context
    assert rt.run.CURRENT_TASK.get() is None


def test_a_graph_run_between_another_streams_events_is_a_root_run() -> None:
    events = []
    for event in build(graph_a).stream({}, stream_mode="updates"):
        events.append(event.node)
        inner = list(build(graph_b).stream({}, stream_mode="updates", subgraphs=True))
        assert [(e.ns, e.node) for e in inner] == [((), "b1"), ((), "b2")]
    assert events == ["a1", "a2"]


def test_a_node_walking_a_nested_stream_stays_the_current_task_between_its_events() -> None:
    result = build(graph_outer).invoke({})
    assert result == {"seen": ["a1 in outer", "a2 in outer", "O:last"]}
    assert rt.run.CURRENT_TASK.get() is None


def test_a_failing_node_leaves_no_current_task() -> None:
    with pytest.raises(ValueError, match="fails in a2"):
        for _ in build(graph_fail).stream({}, stream_mode="updates"):
            assert rt.current_task() is None
    assert rt.run.CURRENT_TASK.get() is None


def test_a_stream_closed_early_leaves_no_current_task() -> None:
    run = build(graph_a).stream({}, stream_mode="updates")
    assert next(run).node == "a1"
    run.close()
    assert rt.run.CURRENT_TASK.get() is None


def test_interleaved_async_streams_each_see_their_own_nodes() -> None:
    async def walk() -> list[list[str]]:
        a = build(graph_a).astream({"seen": []}, stream_mode="values")
        b = build(graph_b).astream({"seen": []}, stream_mode="values")
        got = []
        for _ in range(3):
            got.append((await anext(a)).data.get("seen", []))
            got.append((await anext(b)).data.get("seen", []))
            assert rt.current_task() is None
        return got

    assert asyncio.run(walk()) == [[], [], ["A:a1"], ["B:b1"], ["A:a1", "A:a2"], ["B:b1", "B:b2"]]
