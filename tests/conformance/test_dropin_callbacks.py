"""LangChain callbacks and event streams of drop-in graphs, against LangGraph.

The same builder code (``dropin/*.py``), run by LangGraph and by flowc.langgraph, gives:

* the same run tree to a LangChain tracer given in ``config["callbacks"]``
  (``invoke``, ``ainvoke``, ``stream``, ``astream``): the graph's chain run, one per
  task, its routers' (and START's ``__start__`` task), the LangChain runnables its
  nodes call, with the same names, tags, metadata, inputs, outputs and errors;
* the same ``astream_events`` events (``version="v2"`` and ``"v1"``) and the same
  ``astream_log`` patches, in the same order.

Run ids, timestamps and task ids are normalised as the chunk conformance tests do
(:func:`~.oracle.normalize`).
"""

from __future__ import annotations

import asyncio
import copy
import warnings
from typing import Any
from uuid import UUID

import pytest
from langchain_core.tracers.base import BaseTracer
from langchain_core.tracers.schemas import Run

from .oracle import normalize
from .test_dropin import context_of, inputs, load

pytestmark = pytest.mark.conformance

CONFORMING = (
    "async_writer",
    "callables",
    "callbacks_in_nodes",
    "custom_writer",
    "input_schema",
    "joke",
    "loop",
    "parallel_join",
    "routers",
    "sequence",
    "subgraph",
    "subgraph_in_node",
    "trace_policy",
)
"""The drop-in files whose runs report alike (see docs/differences-from-langgraph.md for
what others report otherwise)."""


class _Tracer(BaseTracer):
    """Keeps every finished root run."""

    def __init__(self) -> None:
        super().__init__()
        self.roots: list[Run] = []

    def _persist_run(self, run: Run) -> None:
        self.roots.append(run)


def _tree(run: Run) -> dict[str, Any]:
    return {
        "type": run.run_type,
        "name": run.name,
        "tags": run.tags,
        "metadata": run.metadata,
        "inputs": run.inputs,
        "outputs": run.outputs,
        "error": _error(run.error),
        "children": [_tree(child) for child in sorted(run.child_runs, key=_order)],
    }


def _error(error: str | None) -> str | None:
    """The error's ``Type: message`` line (LangGraph notes the task under it)."""
    if error is None:
        return None
    lines = [line for line in error.splitlines() if line and not line.startswith("During task")]
    return lines[-1]


def _order(run: Run) -> Any:
    # siblings by superstep, then name: a superstep's tasks start together, in no set order
    return (run.metadata.get("langgraph_step", -1), run.name, run.dotted_order or "")


def _config(tracer: _Tracer, config: Any) -> dict[str, Any]:
    out = dict(copy.deepcopy(config) or {})
    out["callbacks"] = [tracer]
    return out


def traced_runs(graph: Any, input: Any, config: Any, how: str, context: Any) -> list[Any]:
    """The run trees a tracer got from one run of ``graph`` (``how``: the method)."""
    tracer = _Tracer()
    options = {} if context is None else {"context": context}
    run_config = _config(tracer, config)
    try:
        if how == "invoke":
            graph.invoke(input, run_config, **options)
        elif how == "stream":
            list(graph.stream(input, run_config, **options))
        elif how == "ainvoke":
            asyncio.run(graph.ainvoke(input, run_config, **options))
        else:

            async def consume() -> None:
                async for _ in graph.astream(input, run_config, **options):
                    pass

            asyncio.run(consume())
    except Exception as exc:
        return [("raised", type(exc).__name__), *[_tree(r) for r in tracer.roots]]
    return [_tree(run) for run in tracer.roots]


def event_stream(graph: Any, input: Any, config: Any, version: str, context: Any) -> list[Any]:
    """Every event ``astream_events`` gives for one run (and what it raised)."""
    options = {} if context is None else {"context": context}

    async def consume() -> list[Any]:
        out: list[Any] = []
        try:
            async for event in graph.astream_events(input, config, version=version, **options):
                out.append(dict(event))
        except Exception as exc:
            out.append(("raised", type(exc).__name__))
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LangChain's deprecation of v1
        return asyncio.run(consume())


def run_log(graph: Any, input: Any, config: Any, context: Any) -> list[Any]:
    """The ops of every ``astream_log`` patch of one run."""
    options = {} if context is None else {"context": context}

    async def consume() -> list[Any]:
        out: list[Any] = []
        try:
            async for patch in graph.astream_log(input, config, **options):
                out.append(patch.ops)
        except Exception as exc:
            out.append(("raised", type(exc).__name__))
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LangChain's deprecation of astream_log
        return asyncio.run(consume())


def _cases(stem: str) -> list[tuple[str, int]]:
    module = load(stem, "langgraph")
    return [(name, index) for name in module.GRAPHS for index in range(len(inputs(module, name)))]


def both(stem: str, collect: Any, *args: Any) -> list[tuple[str, Any, Any]]:
    """``(where, langgraph's, flowc's)`` of ``collect(graph, input, *args, context)`` for every
    graph and input of a drop-in file, normalised."""
    out = []
    for name, index in _cases(stem):
        got = []
        for impl in ("langgraph", "flowc"):
            module = load(stem, impl)
            input = copy.deepcopy(inputs(module, name)[index])
            got.append(
                normalize(collect(getattr(module, name), input, *args, context_of(module, name)))
            )
        out.append((f"{stem}.{name} input #{index}", got[0], got[1]))
    return out


@pytest.mark.parametrize("how", ["invoke", "stream", "ainvoke", "astream"])
@pytest.mark.parametrize("stem", CONFORMING)
def test_a_tracer_gets_the_run_tree_langgraph_gives(stem: str, how: str) -> None:
    config = {"tags": ["outer"], "metadata": {"user": "ada"}}
    for where, expected, actual in both(stem, traced_runs, config, how):
        assert actual == expected, where


def by_run(events: list[Any]) -> tuple[list[Any], dict[Any, list[Any]]]:
    """The runs in the order they started, and each run's events in order.

    Tasks of one superstep run at once: how their events interleave is up to the
    threads (in LangGraph as in flowc), not what a run reports.
    """
    starts = [e["run_id"] for e in events if isinstance(e, dict) and e["event"].endswith("_start")]
    runs: dict[Any, list[Any]] = {}
    for event in events:
        key = event["run_id"] if isinstance(event, dict) else "<raised>"
        runs.setdefault(key, []).append(event)
    return starts, runs


@pytest.mark.parametrize("version", ["v2", "v1"])
@pytest.mark.parametrize("stem", CONFORMING)
def test_astream_events_gives_langgraphs_events(stem: str, version: str) -> None:
    for where, expected, actual in both(stem, event_stream, None, version):
        assert by_run(actual) == by_run(expected), where


def test_astream_events_of_a_sequence_come_in_langgraphs_order() -> None:
    for where, expected, actual in both("sequence", event_stream, None, "v2"):
        assert actual == expected, where


@pytest.mark.parametrize("stem", ["sequence", "joke", "subgraph"])
def test_astream_log_gives_langgraphs_patches(stem: str) -> None:
    for where, expected, actual in both(stem, run_log, None):
        assert actual == expected, where


@pytest.mark.parametrize("stem", ["sequence", "subgraph"])
def test_a_config_run_id_names_the_graphs_run_and_its_events(stem: str) -> None:
    run_id = UUID(int=7)
    for impl in ("langgraph", "flowc"):
        module = load(stem, impl)
        for name, index in _cases(stem):
            input = copy.deepcopy(inputs(module, name)[index])
            events = event_stream(getattr(module, name), input, {"run_id": run_id}, "v2", None)
            roots = [e for e in events if not e["parent_ids"]]
            assert [e["run_id"] for e in roots] == [str(run_id)] * len(roots), impl
            assert roots[0]["event"] == "on_chain_start"
            assert roots[-1]["event"] == "on_chain_end"


def messages_and_runs(graph: Any, input: Any, config: Any, context: Any) -> list[Any]:
    """The ``messages`` and ``updates`` chunks of an async run given a tracer, and its runs."""
    tracer = _Tracer()

    async def consume() -> list[Any]:
        stream = graph.astream(input, _config(tracer, config), stream_mode=["messages", "updates"])
        return [chunk async for chunk in stream]

    chunks = asyncio.run(consume())
    return [chunks, [_tree(run) for run in tracer.roots]]


def test_a_run_streaming_messages_to_a_tracer_streams_and_reports_as_langgraph() -> None:
    for where, expected, actual in both("callbacks_in_nodes", messages_and_runs, None):
        assert actual == expected, where
