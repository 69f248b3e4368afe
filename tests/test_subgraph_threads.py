"""A subgraph's checkpoints on its parent's thread: read with its own keys, stored as LangGraph's.

``get_state`` and ``get_state_history`` given a subgraph's checkpoint config read it with the
subgraph's state (its keys, not the parent's); under ``durability="exit"`` a subgraph that
finishes stores no checkpoint of its own (its parent's holds its result), one that stops at
an interrupt stores the one a resume goes on from, as LangGraph 1.2.22's.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph import StateGraph
from flowc.savers.memory import InMemorySaver


class Inner(TypedDict):
    key: str
    inner_only: str


class Outer(TypedDict):
    key: str


def inner_1(state: Inner) -> Inner:
    return {"key": state["key"] + " here", "inner_only": state["key"]}


def inner_2(state: Inner) -> Inner:
    return {"key": state["key"] + " there", "inner_only": state["key"]}


def app(builder: Any, saver: Any, **sub: Any) -> Any:
    inner = builder(Inner)
    inner.add_node("inner_1", inner_1)
    inner.add_node("inner_2", inner_2)
    inner.set_entry_point("inner_1")
    inner.add_edge("inner_1", "inner_2")
    outer = builder(Outer)
    outer.add_node("sub", inner.compile(**sub))
    outer.set_entry_point("sub")
    return outer.compile(checkpointer=saver)


IMPLS = {
    "flowc": (StateGraph, InMemorySaver),
    "langgraph": (LangGraphStateGraph, LangGraphSaver),
}


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_a_subgraph_checkpoints_history_is_read_with_the_subgraphs_own_keys(impl: str) -> None:
    builder, saver = IMPLS[impl]
    graph = app(builder, saver(), interrupt_before=["inner_2"])
    config: Any = {"configurable": {"thread_id": "1"}}
    graph.invoke({"key": "x"}, config)
    child = graph.get_state(config).tasks[0].state
    history = list(graph.get_state_history(child))
    assert [(s.values, s.next, s.metadata["step"]) for s in history] == [
        ({"key": "x here", "inner_only": "x"}, ("inner_2",), 1),
        ({"key": "x"}, ("inner_1",), 0),
        ({}, ("__start__",), -1),
    ]
    assert graph.get_state(history[0].config).values == {"key": "x here", "inner_only": "x"}


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_under_exit_durability_a_finished_subgraph_stores_no_checkpoint(impl: str) -> None:
    builder, saver_of = IMPLS[impl]
    saver = saver_of()
    graph = app(builder, saver)
    config: Any = {"configurable": {"thread_id": "1"}}
    assert graph.invoke({"key": "x"}, config, durability="exit") == {"key": "x here there"}
    # listed across namespaces: the root's one checkpoint only
    assert [c.config["configurable"]["checkpoint_ns"] for c in saver.list(config)] == [""]


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_under_exit_durability_a_stopped_subgraph_stores_the_checkpoint_it_resumes_from(
    impl: str,
) -> None:
    builder, saver_of = IMPLS[impl]
    saver = saver_of()
    graph = app(builder, saver, interrupt_before=["inner_2"])
    config: Any = {"configurable": {"thread_id": "1"}}
    assert graph.invoke({"key": "x"}, config, durability="exit") == {"key": "x"}
    # the root's and the subgraph's (in its task's namespace), in whichever order a saver lists
    namespaces = sorted(c.config["configurable"]["checkpoint_ns"] for c in saver.list(config))
    assert len(namespaces) == 2
    assert namespaces[0] == ""
    assert namespaces[1].startswith("sub:")
    assert graph.invoke(None, config, durability="exit") == {"key": "x here there"}


class Count(TypedDict, total=False):
    count: int
    log: list[str]


def counter(builder: Any, name: str, **options: Any) -> Any:
    def bump(state: Count) -> Count:
        return {"count": (state.get("count") or 0) + 1}

    return builder(Count).add_node(name, bump).set_entry_point(name).compile(**options)


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_two_stateful_graphs_invoked_in_one_task_keep_namespaces_of_their_own(impl: str) -> None:
    builder, saver_of = IMPLS[impl]
    saver = saver_of()
    first = counter(builder, "first", checkpointer=True)
    second = counter(builder, "second", checkpointer=True)
    seen: list[tuple[int, int]] = []

    def call_both(state: Count) -> Count:
        seen.append((first.invoke({})["count"], second.invoke({})["count"]))
        return {"log": ["called"]}

    parent = builder(Count).add_node("call_both", call_both).set_entry_point("call_both")
    graph = parent.compile(checkpointer=saver)
    config: Any = {"configurable": {"thread_id": "1"}}
    graph.invoke({}, config)
    graph.invoke({}, config)
    # each keeps its own count from one run of the node to the next
    assert seen == [(1, 1), (2, 2)]
    # the task's second stateful graph in a namespace of its own, as LangGraph names it
    namespaces = {c.config["configurable"]["checkpoint_ns"] for c in saver.list(config)}
    assert namespaces == {"", "call_both", "call_both|1"}


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_a_graph_given_a_thread_of_its_own_inside_a_node_runs_as_a_root_graph(impl: str) -> None:
    builder, saver_of = IMPLS[impl]
    saver = saver_of()
    child = counter(builder, "bump", checkpointer=saver)
    child_config: Any = {"configurable": {"thread_id": "child"}}

    def call(state: Count) -> Count:
        child.invoke({}, child_config)
        return {"log": ["called"]}

    parent = (
        builder(Count).add_node("call", call).set_entry_point("call").compile(checkpointer=saver)
    )
    config: Any = {"configurable": {"thread_id": "parent"}}
    # its chunks are not the parent's subgraph chunks
    assert list(parent.stream({}, config, subgraphs=True)) == [((), {"call": {"log": ["called"]}})]
    parent.invoke({}, config)
    state = child.get_state(child_config)
    assert state.values == {"count": 2}
    assert state.config["configurable"]["checkpoint_ns"] == ""
    # nothing of the child's is on the parent's thread
    assert {c.config["configurable"]["checkpoint_ns"] for c in saver.list(config)} == {""}


class Results(TypedDict, total=False):
    results: list[str]


class Values(TypedDict, total=False):
    value: list[str]


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_a_subgraph_sharing_no_key_runs_from_its_defaults_and_writes_nothing_back(
    impl: str,
) -> None:
    from langgraph import types as langgraph_types

    from flowc.langgraph import types as flowc_types

    builder, saver_of = IMPLS[impl]
    types = flowc_types if impl == "flowc" else langgraph_types
    command, interrupt = types.Command, types.interrupt
    seen: list[Any] = []

    def ask(state: Values) -> Values:
        seen.append(dict(state))
        return {"value": [f"a:{interrupt('question')}"]}

    sub = builder(Values).add_node("ask", ask).set_entry_point("ask").compile(checkpointer=True)

    def parent_node(state: Results) -> Results:
        return {"results": ["p"]}

    graph = (
        builder(Results)
        .add_node("parent_node", parent_node)
        .add_node("sub", sub)
        .set_entry_point("parent_node")
        .add_edge("parent_node", "sub")
        .compile(checkpointer=saver_of())
    )
    config: Any = {"configurable": {"thread_id": "1"}}
    stopped = graph.invoke({"results": []}, config)
    assert stopped["results"] == ["p"]
    assert [i.value for i in stopped["__interrupt__"]] == ["question"]
    assert graph.invoke(command(resume="yes"), config) == {"results": ["p"]}
    assert seen == [{}, {}]
    sub_config = {"configurable": {"thread_id": "1", "checkpoint_ns": "sub"}}
    assert graph.get_state(sub_config).values == {"value": ["a:yes"]}


def _asking(builder: Any, called: list[str], **options: Any) -> Any:
    from langgraph import types as langgraph_types

    from flowc.langgraph import types as flowc_types

    interrupt = (flowc_types if builder is StateGraph else langgraph_types).interrupt

    def step_a(state: Values) -> Values:
        called.append("step_a")
        return {"value": ["a"]}

    def ask(state: Values) -> Values:
        called.append("ask")
        return {"value": [f"human:{interrupt('question')}"]}

    sub = builder(Values).add_node("step_a", step_a).add_node("ask", ask)
    sub = sub.set_entry_point("step_a").add_edge("step_a", "ask").compile(**options)
    parent = builder(Values).add_node("sub", sub).add_node("post", lambda s: {"value": ["post"]})
    return parent.set_entry_point("sub").add_edge("sub", "post")


@pytest.mark.parametrize("stateful", [True, None], ids=["checkpointer_true", "no_checkpointer"])
@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_replaying_a_parent_checkpoint_before_a_subgraph_runs_it_afresh_and_it_asks_again(
    impl: str, stateful: bool | None
) -> None:
    from langgraph import types as langgraph_types

    from flowc.langgraph import types as flowc_types

    builder, saver_of = IMPLS[impl]
    command = (flowc_types if impl == "flowc" else langgraph_types).Command
    called: list[str] = []
    graph = _asking(builder, called, checkpointer=stateful).compile(checkpointer=saver_of())
    config: Any = {"configurable": {"thread_id": "1"}}
    graph.invoke({"value": []}, config)
    # `value` has no reducer: the last write wins
    assert graph.invoke(command(resume="yes"), config) == {"value": ["post"]}
    before = [s for s in graph.get_state_history(config) if s.next == ("sub",)][-1]
    called.clear()
    replayed = graph.invoke(None, before.config)
    # the subgraph's checkpoints made after that one are not where it starts: it asks again
    assert [i.value for i in replayed["__interrupt__"]] == ["question"]
    assert called == ["step_a", "ask"]
    # and a resume answers the question asked now, going on inside the subgraph
    called.clear()
    assert graph.invoke(command(resume="again"), config) == {"value": ["post"]}
    assert called == ["ask"]


@pytest.mark.parametrize("impl", sorted(IMPLS))
def test_under_exit_durability_streamed_checkpoints_name_no_parent(impl: str) -> None:
    builder, saver_of = IMPLS[impl]
    graph = app(builder, saver_of(), interrupt_before=["inner_2"])
    config: Any = {"configurable": {"thread_id": "1"}}

    def parents(input: Any) -> list[bool]:
        chunks = graph.stream(input, config, stream_mode="checkpoints", durability="exit")
        return [chunk["parent_config"] is not None for chunk in chunks]

    # LangGraph 1.2.22 names none, of a new run's checkpoints or of a resumed one's
    assert parents({"key": "x"}) == [False, False]
    assert parents(None) == [False, False]
