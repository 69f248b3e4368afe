"""Nodes that read no task, and supersteps of nodes that can neither stream nor wait.

A node the compiler proved quiet (``reads_task`` false) runs its lone step without a
task in a run that shows none; a node only *declared* quiet keeps its task, since it
may still read its config. A superstep whose tasks are all proven quiet and unable to
wait runs in the loop's thread, every task before any outcome is taken.
"""

from __future__ import annotations

import threading
from typing import Any, TypedDict

import pytest

import flowc
from flowc import END, START, Graph
from flowc.runtime import TaskEvent, UpdatesEvent, current_task, get_config
from flowc.runtime._drive import invoke, stream
from flowc.runtime._engine import Node, Plan

from .streams_support import nodes


def _seen_task(seen: list[Any]) -> Node:
    def node(state: dict[str, Any]) -> dict[str, Any]:
        seen.append(current_task())
        return {"n": state["n"] + 1}

    return Node("a", UpdatesEvent, plain=node, streams=False, blocks=False)


def test_quiet_is_streams_and_blocks_false_in_one() -> None:
    def node(state: dict[str, Any]) -> dict[str, Any]:
        return {}

    quiet = Node("a", UpdatesEvent, plain=node, quiet=True)
    spelled = Node("a", UpdatesEvent, plain=node, streams=False, blocks=False)
    loud = Node("a", UpdatesEvent, plain=node)
    facts = ("streams", "blocks", "reads_task", "loop_safe")
    assert [getattr(quiet, name) for name in facts] == [False, False, False, True]
    assert [getattr(spelled, name) for name in facts] == [False, False, False, True]
    assert [getattr(loud, name) for name in facts] == [True, True, True, False]
    declared = Node("a", UpdatesEvent, plain=node, quiet=True, reads_task=True)
    assert [getattr(declared, name) for name in facts] == [False, False, True, True]


def test_a_node_proven_quiet_runs_without_a_task_unless_the_run_shows_tasks() -> None:
    seen: list[Any] = []
    plan = Plan("bare", ("n",), (_seen_task(seen),), ("a",))
    assert [e.data for e in stream(plan, {"n": 0}, "updates", False, None)] == [{"n": 1}]
    assert seen == [None]
    events = list(stream(plan, {"n": 0}, "tasks", False, None))
    assert [e.name for e in events if isinstance(e, TaskEvent)] == ["a"]
    assert seen[1] is not None and seen[1].name == "a"


def test_a_node_declared_quiet_keeps_its_task_and_reads_its_config() -> None:
    def configured(state: dict[str, Any]) -> dict[str, Any]:
        return {"n": get_config()["metadata"]["langgraph_node"]}

    node = Node("a", UpdatesEvent, plain=configured, streams=False, blocks=False, reads_task=True)
    plan = Plan("declared", ("n",), (node,), ("a",))
    assert [e.data for e in stream(plan, {"n": 0}, "updates", False, None)] == [{"n": "a"}]
    assert invoke(plan, {"n": 0}, None) == {"n": "a"}


class State(TypedDict):
    n: int


def test_the_generated_code_keeps_the_task_of_a_node_declared_quiet() -> None:
    graph = Graph("declared_bare", State)
    graph.add_node(nodes.plain)
    graph.add_node(nodes.writes, streams=False)
    graph.sequence(START, "plain", "writes", END)
    module = flowc.build(graph)
    assert {name: n.reads_task for name, n in module.PLAN.nodes.items()} == {
        "plain": False,
        "writes": True,
    }


def _fan(seen: list[tuple[str, int]], blocks: bool, fail: str | None = None) -> Plan:
    def visit(name: str) -> Node:
        def node(state: dict[str, Any]) -> dict[str, Any]:
            seen.append((name, threading.get_ident()))
            if name == fail:
                raise ValueError(name)
            return {"log": [name]}

        return Node(name, UpdatesEvent, plain=node, streams=False, blocks=blocks)

    return Plan(
        "fan",
        ("log",),
        (visit("a"), visit("b"), visit("c")),
        ("a", "b", "c"),
        merge=lambda values, update: values.update(log=values.get("log", []) + update["log"]),
    )


def test_a_superstep_of_nodes_that_can_neither_stream_nor_wait_runs_in_the_loops_thread() -> None:
    seen: list[tuple[str, int]] = []
    events = list(stream(_fan(seen, blocks=False), {}, "updates", False, None))
    assert [e.node for e in events] == ["a", "b", "c"]
    assert {ident for _, ident in seen} == {threading.get_ident()}
    # nodes that may wait still run at once, on workers
    seen.clear()
    assert invoke(_fan(seen, blocks=True), {}, None) == {"log": ["a", "b", "c"]}
    assert threading.get_ident() not in {ident for _, ident in seen}


def test_a_failing_task_of_a_superstep_in_the_loops_thread_does_not_stop_its_siblings() -> None:
    seen: list[tuple[str, int]] = []
    with pytest.raises(ValueError, match="a"):
        list(stream(_fan(seen, blocks=False, fail="a"), {}, "updates", False, None))
    assert [name for name, _ in seen] == ["a", "b", "c"]
