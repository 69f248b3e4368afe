"""A `RunControl` drains a run as LangGraph 1.2.22's does, in every stream mode, sync and async.

The run stops before the first superstep that has tasks once the control asks for a drain
(from a node, another thread or before the run), with `GraphDrained` and its reason, after the
previous superstep's checkpoint is stored under every durability; a run on the thread given
`None` goes on from there, a stateful subgraph's included. The graphs are LangGraph code run as
it is and with its imports swapped.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import types
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .oracle import MODE_ARGS, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "run_control.py"


@cache
def load(impl: str) -> types.ModuleType:
    text = SOURCE.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text).replace(
            "from langgraph.runtime import", "from flowc.langgraph.runtime import"
        )
    module = types.ModuleType(f"run_control_{impl}")
    module.__file__ = str(SOURCE)
    sys.modules[module.__name__] = module
    exec(compile(text, str(SOURCE), "exec", dont_inherit=True), module.__dict__)
    return module


def _drained_then_resumed(
    impl: str, name: str, mode: Any, use_async: bool, durability: str = "async"
) -> list[Any]:
    module = load(impl)
    graph = module.BUILDERS[name]()
    control = module.CONTROL[0] = module.RunControl()
    config = {"configurable": {"thread_id": "t"}}
    options = {"control": control, "durability": durability}
    first = collect_with(graph, {}, mode, config, use_async, options)
    snapshot = graph.get_state(config)
    again = collect_with(graph, None, mode, config, use_async, {"durability": durability})
    return [first, snapshot.values, snapshot.next, again, control.drain_reason]


def collect_with(
    graph: Any, inp: Any, mode: Any, config: Any, use_async: bool, options: dict[str, Any]
) -> list[Any]:
    """``collect`` with run options LangGraph's ``stream`` takes besides the config."""
    items: list[Any] = []

    async def consume() -> None:
        async for item in graph.astream(inp, config, stream_mode=mode, subgraphs=True, **options):
            items.append(item)

    try:
        if use_async:
            asyncio.run(consume())
        else:
            items.extend(graph.stream(inp, config, stream_mode=mode, subgraphs=True, **options))
    except Exception as exc:
        items.append(("<raised>", type(exc).__name__, str(exc)))
    return normalize(items)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", ["chain", "subgraph", "last"])
def test_a_drain_stops_the_run_at_a_superstep_boundary_as_in_langgraph(
    name: str, use_async: bool
) -> None:
    for mode in MODE_ARGS:
        expected = _drained_then_resumed("langgraph", name, mode, use_async)
        assert _drained_then_resumed("flowc", name, mode, use_async) == expected, mode


@pytest.mark.parametrize("durability", ["sync", "exit"])
def test_a_drained_run_stores_the_checkpoint_it_resumes_from_as_in_langgraph(
    durability: str,
) -> None:
    # (under "exit", streamed checkpoints name other parents than LangGraph's: a known
    # difference, see docs/differences-from-langgraph.md)
    mode = ["updates", "values"]
    expected = _drained_then_resumed("langgraph", "chain", mode, False, durability)
    assert _drained_then_resumed("flowc", "chain", mode, False, durability) == expected
    assert expected[2] == ("nb",)


def _from_outside(impl: str) -> list[Any]:
    """A drain requested from another thread while the first node runs; one before the run."""
    module = load(impl)
    started, go_on = threading.Event(), threading.Event()

    def slow(state: Any) -> Any:
        started.set()
        go_on.wait(5)
        return {"a": "A"}

    graph = (
        module.StateGraph(module.State)
        .add_node("slow", slow)
        .add_node("nb", module.nb)
        .add_edge(module.START, "slow")
        .add_edge("slow", "nb")
        .compile()
    )
    control = module.RunControl()
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(graph.invoke({}, control=control))
        except Exception as exc:
            outcome.append((type(exc).__name__, str(exc), getattr(exc, "reason", None)))

    worker = threading.Thread(target=run)
    worker.start()
    started.wait(5)
    control.request_drain("from outside")
    go_on.set()
    worker.join(10)
    early = module.RunControl()
    early.request_drain()
    try:
        outcome.append(graph.invoke({}, control=early))
    except Exception as exc:
        outcome.append((type(exc).__name__, str(exc), getattr(exc, "reason", None)))
    return outcome


def test_a_drain_from_another_thread_or_before_the_run_as_in_langgraph() -> None:
    assert (
        _from_outside("flowc")
        == _from_outside("langgraph")
        == [
            ("GraphDrained", "Graph drained: from outside", "from outside"),
            ("GraphDrained", "Graph drained: shutdown", "shutdown"),
        ]
    )
