"""A node may return a list of updates holding a ``Command``: each item's writes, in order."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from flowc.langgraph import START, Command, StateGraph
from flowc.runtime import InvalidUpdateError
from flowc.runtime._sequenced import SequencedWrites, sequenced


class State(TypedDict):
    foo: Annotated[str, operator.add]
    bar: int


def test_writes_without_a_repeated_key_are_one_dict() -> None:
    assert sequenced([("foo", "a"), ("bar", 1)], frozenset({"bar"})) == {"foo": "a", "bar": 1}
    assert sequenced([], frozenset()) is None


def test_a_repeated_key_keeps_every_write_in_order() -> None:
    writes = sequenced([("foo", "a1"), ("bar", 1), ("foo", "a2")], frozenset({"bar"}))
    assert type(writes) is SequencedWrites
    assert writes == [{"foo": "a1"}, {"bar": 1}, {"foo": "a2"}]
    assert list(writes.items()) == [("foo", "a1"), ("bar", 1), ("foo", "a2")]
    assert list(writes.keys()) == ["foo", "bar"]
    assert writes.task_result() == {"foo": {"$writes": ["a1", "a2"]}, "bar": 1}


def test_a_key_without_a_reducer_written_twice_is_langgraphs_error() -> None:
    with pytest.raises(InvalidUpdateError, match=r"^At key 'bar': Can receive only one value"):
        sequenced([("bar", 1), ("bar", 2)], frozenset({"bar"}))


def _graph(node: Any) -> Any:
    return StateGraph(State).add_node("node", node).add_edge(START, "node").compile()


def test_each_commands_update_goes_through_the_reducer_in_turn() -> None:
    graph = _graph(lambda s: [Command(update={"foo": "a1"}), {"foo": "a2", "bar": 1}])
    assert graph.invoke({"foo": "x"}) == {"foo": "xa1a2", "bar": 1}
    assert list(graph.stream({"foo": "x"}, stream_mode="updates")) == [
        {"node": [{"foo": "a1"}, {"foo": "a2"}, {"bar": 1}]}
    ]
    _, ended = graph.stream({"foo": "x"}, stream_mode="tasks")
    assert ended["result"] == {"foo": {"$writes": ["a1", "a2"]}, "bar": 1}


def test_a_list_without_a_command_is_no_update() -> None:
    with pytest.raises(InvalidUpdateError, match="node 'node' returned list"):
        _graph(lambda s: [{"foo": "a"}, {"foo": "b"}]).invoke({"foo": ""})


def test_a_plain_key_written_twice_fails_after_the_tasks_failed_result() -> None:
    # LangGraph raises the same error without a task_result: flowc checks the writes as the
    # task ends (docs/differences-from-langgraph.md)
    graph = _graph(lambda s: [Command(update={"bar": 1}), Command(update={"bar": 2})])
    chunks: list[Any] = []
    with pytest.raises(InvalidUpdateError, match="At key 'bar'"):
        chunks.extend(graph.stream({"foo": ""}, stream_mode="tasks"))
    assert [c["name"] for c in chunks] == ["node", "node"]
    assert type(chunks[1]["error"]) is InvalidUpdateError
