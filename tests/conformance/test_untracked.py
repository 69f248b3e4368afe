"""State fields in LangGraph's `UntrackedValue` channel behave as in LangGraph 1.2.22.

Nodes write and read them, every stream mode shows them (the `checkpoints` chunks too, which
show the run's state), but no stored checkpoint or write holds them: `get_state()`, the
history and a later run on the thread go without them, and a `Send`'s argument is stored
without them. The graphs are LangGraph code run as it is and with its imports swapped.
"""

from __future__ import annotations

import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .oracle import MODE_ARGS, collect, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "untracked_value.py"


@cache
def load(impl: str) -> types.ModuleType:
    text = SOURCE.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    module = types.ModuleType(f"untracked_value_{impl}")
    module.__file__ = str(SOURCE)
    sys.modules[module.__name__] = module
    exec(compile(text, str(SOURCE), "exec", dont_inherit=True), module.__dict__)
    return module


def _thread(index: int) -> dict[str, Any]:
    return {"configurable": {"thread_id": f"t{index}"}}


def _runs(impl: str, name: str, mode: Any, use_async: bool) -> list[Any]:
    """Both inputs streamed on one thread of a fresh graph: the second run starts from the
    first's last checkpoint, which has no untracked value."""
    module = load(impl)
    graph = module.BUILDERS[name]()
    config = _thread(0) if name != "clash" else None
    return [
        normalize(collect(graph, dict(inp), stream_mode=mode, config=config, use_async=use_async))
        for inp in module.INPUTS
    ]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", ["graph", "sent", "clash"])
def test_untracked_values_stream_as_in_langgraph(name: str, use_async: bool) -> None:
    for mode in MODE_ARGS:
        expected = _runs("langgraph", name, mode, use_async)
        assert _runs("flowc", name, mode, use_async) == expected, f"stream_mode={mode}"


def _stored(impl: str, name: str) -> list[Any]:
    """What the thread keeps: each run's result, then the state and the whole history."""
    module = load(impl)
    graph = module.BUILDERS[name]()
    config = _thread(1)
    results = [graph.invoke(dict(inp), config) for inp in module.INPUTS]
    history = [
        (snapshot.values, snapshot.next, [(t.name, t.path) for t in snapshot.tasks])
        for snapshot in graph.get_state_history(config)
    ]
    return [results, graph.get_state(config).values, history]


@pytest.mark.parametrize("name", ["graph", "sent"])
def test_no_checkpoint_holds_an_untracked_value_as_in_langgraph(name: str) -> None:
    expected = _stored("langgraph", name)
    assert _stored("flowc", name) == expected
    # the run's result has it; the thread's state does not
    assert "resource" in expected[0][0]
    assert "resource" not in expected[1]


def _saved_writes(impl: str) -> list[tuple[str, ...]]:
    """The channels of the writes and Sends the saver was given, each once (flowc stores a
    Send task in its checkpoint only, LangGraph in its router's writes too)."""
    module = load(impl)
    graph = module.build_sent()
    graph.invoke(dict(module.INPUTS[0]), _thread(2))
    channels = []
    for saved in graph.checkpointer.list(_thread(2)):
        for _, channel, value in saved.pending_writes or ():
            channels.append((channel, *sorted(getattr(value, "arg", None) or {})))
        for send in saved.checkpoint["channel_values"].get("__pregel_tasks", ()):
            channels.append(("__pregel_tasks", *sorted(send.arg)))
    return sorted(set(channels))


def test_no_stored_write_or_send_holds_an_untracked_value_as_in_langgraph() -> None:
    expected = _saved_writes("langgraph")
    assert _saved_writes("flowc") == expected
    assert not any("resource" in entry for entry in expected)
