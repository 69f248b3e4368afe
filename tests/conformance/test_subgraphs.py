"""Graphs inside graphs stream exactly what LangGraph streams, namespaces included.

Every spec here runs another graph: as a subgraph node (TOML ``subgraph = ...``
or a decorator ``Graph``), or from inside a node function that calls a compiled
graph's ``invoke`` / ``stream`` (through ``flowc_demo.children``, which the
oracle points at LangGraph's twin of the child while LangGraph runs). Each case
compares LangGraph's ``stream()`` with flowc's ``stream_chunks()`` for one
``stream_mode`` argument, ``subgraphs`` on or off, sync or async, after ids are
normalised: the same task gets the same placeholder in its namespace segment
and in its task events.
"""

from __future__ import annotations

import asyncio
import importlib
from functools import cache
from typing import Any, TypedDict

import pytest

from flowc import START, Graph

from ..conftest import SPECS
from .oracle import MODE_ARGS, assert_conforms, build_pair, check_spec, collect, normalize

pytestmark = pytest.mark.conformance

SPEC_NAMES = (
    "subgraph",
    "nested",
    "nested_in_node",
    "subgraph_custom",
    "subgraph_error",
    "subgraph_async",
    "subgraph_in_node",
    "subgraph_in_node_async",
    "subgraph_disjoint",
)
DECORATED = ("flowc_demo.subgraph_decorated:parent", "flowc_demo.subgraph_decorated:top")
EXAMPLES = (*SPEC_NAMES, *DECORATED)


@cache
def target(name: str) -> Any:
    """A spec path, or the decorator ``Graph`` a ``module:attribute`` names."""
    if ":" not in name:
        return SPECS / f"{name}.toml"
    module, attr = name.split(":")
    graph = getattr(importlib.import_module(module), attr)
    assert isinstance(graph, Graph)
    return graph


@cache
def example_input(name: str) -> Any:
    """The ``EXAMPLE_INPUT`` of the module that holds the example's first node."""
    first = next(n.call for n in check_spec(target(name)).nodes if n.call is not None)
    return importlib.import_module(first.module).EXAMPLE_INPUT


def _mode_id(mode: Any) -> str:
    if isinstance(mode, str):
        return mode
    inner = ",".join(mode)
    return f"[{inner}]" if isinstance(mode, list) else f"({inner})"


CASES = [
    pytest.param(
        name,
        mode,
        subgraphs,
        use_async,
        id=f"{name.split(':')[-1]}-{_mode_id(mode)}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
    )
    for name in EXAMPLES
    for mode in MODE_ARGS
    for subgraphs in (False, True)
    for use_async in (False, True)
]


@pytest.mark.parametrize(("name", "mode", "subgraphs", "use_async"), CASES)
def test_nested_graphs_stream_like_langgraph(
    name: str, mode: Any, subgraphs: bool, use_async: bool
) -> None:
    assert_conforms(
        target(name),
        example_input(name),
        stream_mode=mode,
        subgraphs=subgraphs,
        use_async=use_async,
    )


def _completion_ordered(mode: Any) -> bool:
    """Modes whose events from parallel subgraphs come in completion order only.

    The parallel example makes its subgraphs' nodes finish in a fixed order;
    when the subgraphs start (their task events, their first values) is up to
    the threads, in LangGraph as in flowc.
    """
    modes = {mode} if isinstance(mode, str) else set(mode)
    return modes <= {"updates", "custom", "messages", "checkpoints"}


PARALLEL_CASES = [
    pytest.param(
        mode,
        subgraphs,
        use_async,
        id=f"{_mode_id(mode)}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
    )
    for mode in MODE_ARGS
    for subgraphs in (False, True)
    for use_async in (False, True)
    if not subgraphs or _completion_ordered(mode)
]


@pytest.mark.parametrize(("mode", "subgraphs", "use_async"), PARALLEL_CASES)
def test_parallel_subgraphs_stream_like_langgraph(
    mode: Any, subgraphs: bool, use_async: bool
) -> None:
    assert_conforms(
        SPECS / "subgraph_parallel.toml",
        {"topic": "ice cream"},
        stream_mode=mode,
        subgraphs=subgraphs,
        use_async=use_async,
    )


class SharedState(TypedDict, total=False):
    topic: str


def shout(state: SharedState) -> SharedState:
    return {"topic": state["topic"].upper()}


shouting = Graph("shouting", SharedState)
shouting.node(shout)
shouting.sequence(START, "shout")

# two subgraph nodes in one superstep, each writing the plain key they share
both_write = Graph("both_write", SharedState)
both_write.subgraph("first", shouting)
both_write.subgraph("second", shouting)
both_write.edge(START, ["first", "second"])


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_parallel_subgraphs_writing_one_plain_key_fail_as_in_langgraph(use_async: bool) -> None:
    assert_conforms(both_write, {"topic": "t"}, stream_mode="values", use_async=use_async)
    # with subgraphs, the two children's events interleave as their threads run
    for runner in build_pair(both_write):
        items = collect(
            runner, {"topic": "t"}, stream_mode="values", subgraphs=True, use_async=use_async
        )
        assert items[-1] == (
            "<raised>",
            "InvalidUpdateError",
            "At key 'topic': Can receive only one value per step. Use an Annotated key to "
            "handle multiple values.\nFor troubleshooting, visit: "
            "https://docs.langchain.com/oss/python/langgraph/errors/INVALID_CONCURRENT_GRAPH_UPDATE",
        )
        assert len(items) == 6


STATE_KINDS = (
    "flowc_demo.subgraph_states:dataclass_parent",
    "flowc_demo.subgraph_states:pydantic_parent",
    "flowc_demo.subgraph_states:typeddict_parent",
)


@pytest.mark.parametrize("name", STATE_KINDS, ids=lambda n: n.split(":")[-1])
@pytest.mark.parametrize("mode", [["values", "updates", "tasks"], "debug", "values"], ids=_mode_id)
@pytest.mark.parametrize("subgraphs", [False, True])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_subgraph_gets_the_shared_keys_of_its_nodes_input_whatever_the_state_class(
    name: str, mode: Any, subgraphs: bool, use_async: bool
) -> None:
    # a dataclass or pydantic parent hands over defaulted fields it never wrote
    assert_conforms(
        target(name),
        example_input(name),
        stream_mode=mode,
        subgraphs=subgraphs,
        use_async=use_async,
    )


CONFIG = {"metadata": {"user_id": "u-1"}, "tags": ["run-tag"]}


@pytest.mark.parametrize("name", EXAMPLES, ids=lambda n: n.split(":")[-1])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_task_metadata_reaches_nested_tasks_as_in_langgraph(name: str, use_async: bool) -> None:
    # run tags and metadata, and a subgraph node's own metadata, are inherited by the child's tasks
    for mode in (["tasks", "updates"], "debug"):
        assert_conforms(
            target(name),
            example_input(name),
            stream_mode=mode,
            subgraphs=True,
            config=CONFIG,
            use_async=use_async,
        )


@pytest.mark.parametrize("name", EXAMPLES, ids=lambda n: n.split(":")[-1])
def test_invoke_returns_what_langgraph_returns(name: str) -> None:
    module, graph = build_pair(target(name))
    inp = example_input(name)
    for use_async in (False, True):
        ours = normalize(collect(module, inp, stream_mode="values", use_async=use_async))
        theirs = normalize(collect(graph, inp, stream_mode="values", use_async=use_async))
        assert ours == theirs
        if theirs and isinstance(theirs[-1], tuple) and theirs[-1][0] == "<raised>":
            continue
        final = asyncio.run(module.ainvoke(inp)) if use_async else module.invoke(inp)
        assert final == theirs[-1]


def test_the_reference_example_streams_the_documented_chunks() -> None:
    module, graph = build_pair(SPECS / "subgraph.toml")
    for runner in (graph, module):
        items = normalize(collect(runner, {"foo": "foo"}, stream_mode="updates", subgraphs=True))
        assert items == [
            ((), {"node_1": {"foo": "hi! foo"}}),
            (("node_2:<id0>",), {"subgraph_node_1": {"bar": "bar"}}),
            (("node_2:<id0>",), {"subgraph_node_2": {"foo": "hi! foobar"}}),
            ((), {"node_2": {"foo": "hi! foobar"}}),
        ]


def test_second_and_third_calls_in_one_task_get_numbered_namespaces() -> None:
    module, graph = build_pair(SPECS / "subgraph_in_node.toml")
    for runner in (graph, module):
        items = normalize(collect(runner, {"foo": "f"}, stream_mode="updates", subgraphs=True))
        assert [ns for ns, _ in items] == [
            ("call_subgraph:<id0>",),
            ("call_subgraph:<id0>",),
            (),
            ("twice:<id1>",),
            ("twice:<id1>",),
            ("twice:<id1>", "1"),
            ("twice:<id1>", "1"),
            (),
            ("three_times:<id2>",),
            ("three_times:<id2>",),
            ("three_times:<id2>", "1"),
            ("three_times:<id2>", "1"),
            ("three_times:<id2>", "2"),
            ("three_times:<id2>", "2"),
            (),
        ]


def test_a_namespace_names_the_task_that_ran_the_subgraph_at_every_depth() -> None:
    module, graph = build_pair(SPECS / "nested.toml")
    for runner in (graph, module):
        items = normalize(collect(runner, {"foo": "f"}, stream_mode="tasks", subgraphs=True))
        starts = [(ns, chunk["name"], chunk["id"]) for ns, chunk in items if "input" in chunk]
        assert starts == [
            ((), "parent_1", "<id0>"),
            ((), "child_graph", "<id1>"),
            (("child_graph:<id1>",), "child_1", "<id2>"),
            (("child_graph:<id1>",), "grandchild_graph", "<id3>"),
            (("child_graph:<id1>", "grandchild_graph:<id3>"), "grandchild_1", "<id4>"),
            (("child_graph:<id1>", "grandchild_graph:<id3>"), "grandchild_2", "<id5>"),
            (("child_graph:<id1>",), "child_2", "<id6>"),
            ((), "parent_2", "<id7>"),
        ]


def test_a_node_streaming_a_graph_sees_its_subgraphs_only_when_it_asks() -> None:
    module, graph = build_pair(SPECS / "nested_in_node.toml")
    for runner in (graph, module):
        items = collect(runner, {"foo": "f"}, stream_mode="updates")
        assert items == [
            {
                "deep": {
                    "foo": "f|grandchild@2|bar",
                    "steps": [
                        "1:child_1",
                        "2:grandchild_1",
                        "2:grandchild_2",
                        "1:grandchild_graph",
                        "1:child_2",
                    ],
                }
            },
            {
                "shallow": {
                    "steps": [
                        "values:2",
                        "updates:child_1",
                        "values:3",
                        "updates:grandchild_graph",
                        "values:3",
                        "updates:child_2",
                        "values:3",
                    ]
                }
            },
        ]
