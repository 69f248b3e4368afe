"""Code that consumes the events of subgraphs; ``mypy --strict`` accepts every line.

``tests/test_subgraphs_typing.py`` runs mypy over this module and over
``subgraph_errors/``, whose every file holds one mistake. With
``subgraphs=True`` a runner's events include its subgraphs' events (at every
depth), each with its own graph's types: a ``match`` on the event classes
narrows ``data`` to the subgraph node's update and can be proven exhaustive.
"""

from __future__ import annotations

from typing import assert_never, assert_type

from flowc_demo.approval import Approval, ApprovalRequest

from flowc.runtime import Config, InterruptEvent
from flowc.savers.memory import InMemorySaver
from tests.golden import (
    nested,
    nested_child,
    nested_grandchild,
    subgraph,
    subgraph_approval,
    subgraph_child,
)
from tests.golden.nested_grandchild_types import Grandchild1Update
from tests.golden.subgraph_child_types import SubgraphNode1Update, SubgraphNode2Update
from tests.golden.subgraph_types import Node1Update, Node2Update


def reference_example() -> list[str]:
    """The reference document's example: the child's updates have the child's types."""
    out: list[str] = []
    for ev in subgraph.stream({"foo": "foo"}, stream_mode="updates", subgraphs=True):
        match ev:
            case subgraph.Node1Updated(data=data):
                assert_type(data, Node1Update | None)
            case subgraph.Node2Updated(data=data):
                assert_type(data, Node2Update | None)
            case subgraph_child.SubgraphNode1Updated(data=data, ns=ns):
                assert_type(data, SubgraphNode1Update | None)
                assert_type(ns, tuple[str, ...])
                if data is not None:
                    out.append(data["bar"])
            case subgraph_child.SubgraphNode2Updated(data=data):
                assert_type(data, SubgraphNode2Update | None)
                if data is not None:
                    out.append(data["foo"])
            case _:
                assert_never(ev)
    return out


def without_subgraphs() -> list[str]:
    """With ``subgraphs=False`` (the default) only the graph's own nodes can occur."""
    out: list[str] = []
    for ev in subgraph.stream({"foo": "foo"}, stream_mode="updates"):
        match ev:
            case subgraph.Node1Updated() | subgraph.Node2Updated():
                out.append(ev.node)
            case _:
                assert_never(ev)
    return out


def depth_two() -> int:
    """Three levels: the grandchild's events keep the grandchild's types."""
    depth = 0
    for ev in nested.stream({"foo": "x"}, stream_mode="updates", subgraphs=True):
        if isinstance(ev, nested_grandchild.Grandchild1Updated):
            assert_type(ev.data, Grandchild1Update | None)
            if ev.data is not None:
                depth = ev.data["depth"]
        elif isinstance(ev, nested_child.Child1Updated | nested.Parent1Updated):
            depth += len(ev.ns)
    return depth


async def async_child_updates() -> list[str]:
    """``astream`` gives the same union."""
    out: list[str] = []
    async for ev in subgraph.astream({"foo": "foo"}, stream_mode="updates", subgraphs=True):
        if isinstance(ev, subgraph_child.SubgraphNode1Updated) and ev.data is not None:
            out.append(ev.data["bar"])
    return out


def three_modes_without_subgraphs() -> int:
    """Three modes or more, subgraphs off: the graph's own events, not its subgraphs' too."""
    count = 0
    for ev in nested.stream({"foo": "x"}, stream_mode=["values", "updates", "debug"]):
        assert_type(ev, nested.NestedEvent)
        count += 1
    for own in nested.stream(
        {"foo": "x"}, stream_mode=["values", "updates", "debug"], subgraphs=False
    ):
        assert_type(own, nested.NestedEvent)
    for deep in nested.stream(
        {"foo": "x"}, stream_mode=["values", "updates", "debug"], subgraphs=True
    ):
        assert_type(deep, nested.NestedEventWithSubgraphs)
    return count


def approved_in_a_subgraph(config: Config) -> bool:
    """The subgraph's interrupt, read with its declared payload type, answered with its answer's."""
    graph = subgraph_approval.graph.with_checkpointer(InMemorySaver())
    for ev in graph.stream({"action": "old-backups"}, config=config, subgraphs=True):
        if isinstance(ev, InterruptEvent):
            for asked in ev.interrupts:
                assert_type(asked.value, ApprovalRequest)
                print(asked.value["reason"])
    answer: Approval = {"approved": True}
    return graph.resume(answer, config=config)["approved"]
