"""Every example spec without a subgraph or an LLM streams exactly what LangGraph streams.

Specs are discovered in ``specs/``; a spec is left to other conformance tests
when it contains a subgraph node or needs an LLM (a node module that imports
LangChain, or an ``add_messages`` field). Each spec's node module provides
``EXAMPLE_INPUT``. Every case compares LangGraph's ``stream()`` with flowc's
``stream_chunks()`` for one ``stream_mode`` argument, ``subgraphs`` on or off,
sync or async.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from flowc.dsl.graph import CheckedGraph

from ..conftest import SPECS
from .oracle import MODE_ARGS, assert_conforms, build_pair, check_spec, collect, normalize

pytestmark = pytest.mark.conformance


def _sources(graph: CheckedGraph) -> list[str]:
    """The source of every module that holds a node or router of ``graph``."""
    refs = [n.call for n in graph.nodes if n.call is not None]
    refs += [b.router for n in graph.nodes for b in n.branches]
    return [inspect.getsource(importlib.import_module(ref.module)) for ref in refs]


def _has_subgraph(graph: CheckedGraph) -> bool:
    """A subgraph node, or a node that runs another spec's graph itself."""
    if any(node.subgraph is not None for node in graph.nodes):
        return True
    return any(re.search(r"\.toml[\"']", source) for source in _sources(graph))


def _needs_llm(graph: CheckedGraph) -> bool:
    if any(f.reducer is not None and f.reducer.attr == "add_messages" for f in graph.state.fields):
        return True
    # LangChain chat models, or flowc's own HTTP chat client
    return any(
        "langchain" in source or "flowc.integrations" in source for source in _sources(graph)
    )


# graphs that interrupt or fan out with Sends, which this file's LangGraph twins do not
# build: tests/conformance/test_typed_dynamic.py compares them with LangGraph's
DYNAMIC = {
    "approval",
    "mapreduce",
    "review_batch",
    "subgraph_approval",
    "subgraph_approval_child",
}  # the child as the subgraph of subgraph_approval
# graphs whose node policies, run context, error handler or input and output schemas this
# file's LangGraph twins do not build: each has a conformance file of its own
# (test_spec_<name>.py)
OWN_FILES = {"policies", "context", "error_handler", "io_schemas"}


@cache
def core_specs() -> tuple[Path, ...]:
    """The specs of ``specs/`` with no subgraph, no LLM, no interrupt and no Send."""
    out = []
    for path in sorted(SPECS.glob("*.toml")):
        graph = check_spec(path)
        if graph.interrupting:
            assert path.stem in DYNAMIC, f"{path.name}: compare it in test_typed_dynamic.py"
        if path.stem in OWN_FILES:
            assert (Path(__file__).parent / f"test_spec_{path.stem}.py").exists(), path.name
            continue
        if path.stem in DYNAMIC:
            continue
        if not _has_subgraph(graph) and not _needs_llm(graph):
            out.append(path)
    return tuple(out)


def example_input(path: Path) -> Any:
    """The ``EXAMPLE_INPUT`` of the module that holds a spec's first node.

    Only the keys the graph's state has are kept: a module shared by a parent
    graph and its subgraph holds the parent's input.
    """
    graph = check_spec(path)
    first = next(n.call for n in graph.nodes if n.call is not None)
    module = importlib.import_module(first.module)
    assert hasattr(module, "EXAMPLE_INPUT"), (
        f"{path.name}: give {first.module} an EXAMPLE_INPUT for the conformance tests"
    )
    keys = {f.name for f in graph.state.fields}
    return {key: value for key, value in module.EXAMPLE_INPUT.items() if key in keys}


CASES = [
    pytest.param(
        path,
        subgraphs,
        use_async,
        id=f"{path.stem}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
    )
    for path in core_specs()
    for subgraphs in (False, True)
    for use_async in (False, True)
]


@pytest.mark.parametrize(("path", "subgraphs", "use_async"), CASES)
def test_spec_streams_like_langgraph_in_every_mode(
    path: Path, subgraphs: bool, use_async: bool
) -> None:
    """One case per stream_mode argument of MODE_ARGS; every mismatch is reported."""
    inp = example_input(path)
    failures = []
    for mode in MODE_ARGS:
        try:
            assert_conforms(path, inp, stream_mode=mode, subgraphs=subgraphs, use_async=use_async)
        except AssertionError as exc:
            failures.append(f"stream_mode={mode!r}:\n{exc}")
    assert not failures, "\n\n".join(failures)


def test_the_example_specs_are_all_covered() -> None:
    names = {path.stem for path in core_specs()}
    assert {"joke", "parallel_join", "loop", "custom_writer", "async_writer", "any_llm"} <= names


@pytest.mark.parametrize("path", core_specs(), ids=lambda p: p.stem)
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_default_stream_mode_is_updates(path: Path, use_async: bool) -> None:
    assert_conforms(path, example_input(path), stream_mode=None, use_async=use_async)


def _outcome(call: Any) -> Any:
    """What ``call()`` returned, or the type and message of what it raised."""
    try:
        return call()
    except Exception as exc:
        return ("<raised>", type(exc).__name__, str(exc))


@pytest.mark.parametrize("path", core_specs(), ids=lambda p: p.stem)
def test_invoke_returns_what_langgraph_returns(path: Path) -> None:
    module, graph = build_pair(path)
    inp = example_input(path)
    assert _outcome(lambda: module.invoke(inp)) == _outcome(lambda: graph.invoke(inp))


@pytest.mark.parametrize("path", core_specs(), ids=lambda p: p.stem)
def test_ainvoke_returns_what_langgraph_returns(path: Path) -> None:
    module, graph = build_pair(path)
    inp = example_input(path)
    flowc_result = _outcome(lambda: asyncio.run(module.ainvoke(inp)))
    assert flowc_result == _outcome(lambda: asyncio.run(graph.ainvoke(inp)))


def test_parallel_join_updates_come_in_completion_order_and_reduce_in_name_order() -> None:
    path = SPECS / "parallel_join.toml"
    module, graph = build_pair(path)
    for target in (graph, module):
        for use_async in (False, True):
            items = normalize(
                collect(
                    target, {"topic": "t"}, stream_mode=["updates", "values"], use_async=use_async
                )
            )
            assert items == [
                ("values", {"topic": "t", "log": []}),
                ("updates", {"zeta": {"log": ["zeta saw t"]}}),
                ("updates", {"mid": {"log": ["mid saw t"]}}),
                ("updates", {"alpha": {"log": ["alpha saw t"]}}),
                ("values", {"topic": "t", "log": ["alpha saw t", "mid saw t", "zeta saw t"]}),
                ("updates", {"summarize": {"summary": "alpha saw t / mid saw t / zeta saw t"}}),
                (
                    "values",
                    {
                        "topic": "t",
                        "log": ["alpha saw t", "mid saw t", "zeta saw t"],
                        "summary": "alpha saw t / mid saw t / zeta saw t",
                    },
                ),
            ]


def test_custom_writer_chunks_come_before_their_nodes_updates() -> None:
    module, _ = build_pair(SPECS / "custom_writer.toml")
    items = list(module.stream_chunks({"query": "q"}, stream_mode=["updates", "custom"]))
    assert items == [
        ("custom", {"custom_key": "Generating custom data inside node"}),
        ("updates", {"node": {"answer": "some data"}}),
        ("custom", {"data": "Retrieved 0/100 records", "type": "progress"}),
        ("custom", {"data": "Retrieved 100/100 records", "type": "progress"}),
        ("updates", {"call_tool": {"records": "some-answer to q"}}),
    ]
