"""``messages`` mode streams exactly what LangGraph streams, metadata and key order included.

Every messages example of the reference document (and a few more call styles)
runs in LangGraph and in flowc with the same node functions and the same
LangChain fake chat models; each case compares the two for one
``stream_mode`` argument (``messages`` alone or with other modes), with
``subgraphs`` on and off, sync and async, with and without a run config
(tags, metadata, a thread id), after ids are normalised.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import pytest

from ..conftest import SPECS
from .oracle import assert_conforms, build_pair, check_spec, collect, normalize

pytestmark = pytest.mark.conformance

SYNC_AND_ASYNC = (
    "messages_call_model",
    "messages_state",
    "messages_models",
    "messages_subgraph",
    "messages_tool",
    "agent",
)
ASYNC_ONLY = (
    "messages_tags",
    "messages_async_config",
    "messages_models_async",
)

MODES: list[Any] = [
    "messages",
    ["messages"],
    ["messages", "updates"],
    ["values", "messages"],
    ["custom", "messages"],
    ["messages", "tasks"],
    ("messages", "updates"),
]

CONFIG = {
    "tags": ["run-tag"],
    "metadata": {"user_id": "u-1"},
    "configurable": {"thread_id": "thread-1"},
}


@cache
def example_input(name: str) -> Any:
    """The ``EXAMPLE_INPUT`` of the module that holds the spec's first node."""
    first = next(n.call for n in check_spec(SPECS / f"{name}.toml").nodes if n.call is not None)
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
        id=f"{name}-{_mode_id(mode)}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
    )
    for name in (*SYNC_AND_ASYNC, *ASYNC_ONLY)
    for mode in MODES
    for subgraphs in (False, True)
    for use_async in ((True,) if name in ASYNC_ONLY else (False, True))
]


@pytest.mark.parametrize(("name", "mode", "subgraphs", "use_async"), CASES)
def test_messages_stream_like_langgraph(
    name: str, mode: Any, subgraphs: bool, use_async: bool
) -> None:
    assert_conforms(
        SPECS / f"{name}.toml",
        example_input(name),
        stream_mode=mode,
        subgraphs=subgraphs,
        use_async=use_async,
    )


@pytest.mark.parametrize("name", [*SYNC_AND_ASYNC, *ASYNC_ONLY])
@pytest.mark.parametrize("subgraphs", [False, True], ids=["root", "sub"])
def test_run_tags_metadata_and_thread_id_reach_message_metadata_as_in_langgraph(
    name: str, subgraphs: bool
) -> None:
    for use_async in (True,) if name in ASYNC_ONLY else (False, True):
        for mode in ("messages", ["messages", "debug"]):
            assert_conforms(
                SPECS / f"{name}.toml",
                example_input(name),
                stream_mode=mode,
                subgraphs=subgraphs,
                config=CONFIG,
                use_async=use_async,
            )


def _by_node(items: list[Any]) -> dict[str, list[Any]]:
    """Items grouped by the node they come from, each group normalised on its own."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        mode, chunk = item
        node = chunk[1]["langgraph_node"] if mode == "messages" else next(iter(chunk))
        groups.setdefault(node, []).append(item)
    return {node: normalize(group) for node, group in groups.items()}


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("config", [None, CONFIG], ids=["plain", "config"])
def test_parallel_nodes_stream_what_langgraph_streams_node_by_node(
    use_async: bool, config: Any
) -> None:
    # the two nodes' tokens interleave in whatever order the threads run, in
    # both implementations; what each node streams, in order, is the same
    module, graph = build_pair(SPECS / "messages_parallel.toml")
    inp = example_input("messages_parallel")
    mode = ["messages", "updates"]
    ours = collect(module, inp, stream_mode=mode, config=config, use_async=use_async)
    theirs = collect(graph, inp, stream_mode=mode, config=config, use_async=use_async)
    assert _by_node(ours) == _by_node(theirs)
    assert sorted(_by_node(ours)) == ["write_joke", "write_poem"]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_filtering_by_tags_keeps_the_joke_models_tokens(use_async: bool) -> None:
    from flowc_demo.messages_tags import JOKE

    module, graph = build_pair(SPECS / "messages_tags.toml")
    for runner in (graph, module):
        items = collect(runner, {"topic": "cats"}, stream_mode="messages", use_async=True)
        joke = "".join(msg.content for msg, metadata in items if metadata.get("tags") == ["joke"])
        assert joke == JOKE
    del use_async


def test_filtering_by_node_keeps_the_poem_nodes_tokens() -> None:
    from flowc_demo.messages_parallel import POEM

    module, graph = build_pair(SPECS / "messages_parallel.toml")
    for runner in (graph, module):
        items = collect(runner, {"topic": "cats"}, stream_mode="messages")
        poem = "".join(
            msg.content
            for msg, metadata in items
            if msg.content and metadata["langgraph_node"] == "write_poem"
        )
        assert poem == POEM
