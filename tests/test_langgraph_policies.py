"""The drop-in's node policies: what add_node, set_node_defaults and compile take, and the
runner modules they make (the behaviour against LangGraph is in tests/conformance/dropin/)."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

from flowc.langgraph import START, CachePolicy, RetryPolicy, StateGraph
from flowc.langgraph.cache.memory import InMemoryCache
from flowc.langgraph.cache.sqlite import SqliteCache


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


calls: list[str] = []


def first(state: State) -> dict[str, Any]:
    calls.append("first")
    return {"log": ["first"]}


def second(state: State) -> dict[str, Any]:
    return {"log": ["second"]}


def third(state: State) -> dict[str, Any]:
    return {"log": ["third"]}


def _fan(**first_options: Any) -> StateGraph[State]:
    return (
        StateGraph(State)
        .add_node("first", first, **first_options)
        .add_node("second", second)
        .add_node("third", third)
        .add_edge(START, "first")
        .add_edge(START, "second")
        .add_edge("second", "third")
    )


def test_the_same_nodes_with_other_policies_get_a_runner_of_their_own() -> None:
    plain, deferred = _fan().compile(), _fan(defer=True).compile()
    assert plain.module is not deferred.module
    assert plain.invoke({"n": 0})["log"] == ["first", "second", "third"]
    assert deferred.invoke({"n": 0})["log"] == ["second", "third", "first"]
    # and compiling again reuses each one's runner
    assert _fan(defer=True).compile().module is deferred.module
    assert _fan().compile().module is plain.module


def test_langgraphs_own_policies_and_cache_are_taken() -> None:
    from langgraph.cache.memory import InMemoryCache as LangGraphsCache
    from langgraph.types import CachePolicy as LangGraphsCachePolicy
    from langgraph.types import RetryPolicy as LangGraphsRetryPolicy

    attempts: list[int] = []

    def flaky(state: State) -> dict[str, Any]:
        attempts.append(1)
        if len(attempts) < 2:
            raise ConnectionError("again")
        return {"n": state["n"] + 1}

    graph = (
        StateGraph(State)
        .add_node(
            "flaky",
            flaky,
            retry_policy=LangGraphsRetryPolicy(initial_interval=0, jitter=False),
            cache_policy=LangGraphsCachePolicy(),
        )
        .add_edge(START, "flaky")
        .compile(cache=LangGraphsCache())
    )
    assert graph.invoke({"n": 1}) == {"n": 2, "log": []}
    assert graph.invoke({"n": 1}) == {"n": 2, "log": []}
    assert len(attempts) == 2


def test_clear_cache_drops_the_entries_of_the_nodes_given() -> None:
    calls.clear()
    graph = _fan(cache_policy=CachePolicy()).compile(cache=InMemoryCache())
    graph.invoke({"n": 0})
    graph.invoke({"n": 0})
    assert calls == ["first"]
    graph.clear_cache(["second"])
    graph.invoke({"n": 0})
    assert calls == ["first"]
    graph.clear_cache(["first"])
    graph.invoke({"n": 0})
    asyncio.run(graph.aclear_cache())
    graph.invoke({"n": 0})
    assert calls == ["first", "first", "first"]


def test_clear_cache_without_a_cache_fails_as_in_langgraph() -> None:
    with pytest.raises(ValueError, match="No cache is set for this graph"):
        _fan().compile().clear_cache()


def test_a_sqlite_cache_keeps_a_drop_in_nodes_writes_across_graphs(tmp_path: Any) -> None:
    calls.clear()
    path = tmp_path / "cache.db"
    _fan(cache_policy=CachePolicy()).compile(cache=SqliteCache(path)).invoke({"n": 5})
    again = _fan(cache_policy=CachePolicy()).compile(cache=SqliteCache(path))
    assert again.invoke({"n": 5})["log"] == ["first", "second", "third"]
    assert calls == ["first"]


def test_set_node_defaults_gives_policies_only_to_nodes_without_their_own() -> None:
    own = RetryPolicy(max_attempts=7)
    builder = (
        StateGraph(State)
        .set_node_defaults(
            retry_policy=RetryPolicy(max_attempts=2), cache_policy=CachePolicy(ttl=5)
        )
        .add_node("first", first, retry_policy=own)
        .add_node("second", second)
        .add_edge(START, "first")
        .add_edge(START, "second")
    )
    nodes = builder.compile().module.PLAN.nodes
    assert nodes["first"].retry == (own,)
    assert nodes["second"].retry == (RetryPolicy(max_attempts=2),)
    assert nodes["first"].cache == nodes["second"].cache == CachePolicy(ttl=5)


def test_a_default_error_handler_beside_a_node_of_its_name_fails_at_compile_as_langgraphs() -> None:
    from langgraph.graph import StateGraph as LangGraphStateGraph

    def handler(state: State, error: Any) -> dict[str, Any]:
        return {"log": ["handled"]}

    messages = []
    for builder_class in (LangGraphStateGraph, StateGraph):
        builder = (
            builder_class(State)
            .set_node_defaults(error_handler=handler)
            .add_node("__default_error_handler__", first)
            .add_edge(START, "__default_error_handler__")
        )
        with pytest.raises(ValueError) as raised:
            builder.compile()
        messages.append(str(raised.value))
    assert (
        messages[1]
        == messages[0]
        == ("Auto-generated default error handler node `__default_error_handler__` already exists.")
    )
    # without the default handler, the name is a node like any other
    assert StateGraph(State).add_node("__default_error_handler__", first).add_edge(
        START, "__default_error_handler__"
    ).compile().invoke({"n": 1, "log": []})["log"] == ["first"]


def test_a_retry_policy_of_another_type_fails_at_add_node() -> None:
    with pytest.raises(TypeError, match="retry_policy takes a RetryPolicy or a list of them"):
        StateGraph(State).add_node("first", first, retry_policy=3)
    with pytest.raises(TypeError, match="cache_policy takes a CachePolicy"):
        StateGraph(State).add_node("first", first, cache_policy="yes")


def test_step_timeout_set_after_compile_fails_a_slow_run() -> None:
    import time

    def slow(state: State) -> dict[str, Any]:
        time.sleep(0.3)
        return {"n": 1}

    graph = StateGraph(State).add_node("slow", slow).add_edge(START, "slow").compile()
    assert graph.step_timeout is None
    graph.step_timeout = 0.05
    with pytest.raises(TimeoutError, match="Timed out"):
        graph.invoke({"n": 0})
    graph.step_timeout = None
    assert graph.invoke({"n": 0}) == {"n": 1, "log": []}


def test_a_node_reached_only_through_an_error_handlers_command_runs_as_in_langgraph() -> None:
    from langgraph.graph import StateGraph as LangGraphStateGraph
    from langgraph.types import Command as LangGraphCommand

    from flowc.langgraph import Command

    def fails(state: State) -> dict[str, Any]:
        raise ValueError("no")

    def handler_of(command: Any) -> Any:
        def handler(state: State) -> Any:
            return command(goto="second")

        return handler

    results = []
    for builder_class, command in ((StateGraph, Command), (LangGraphStateGraph, LangGraphCommand)):
        handler = handler_of(command)
        builder = (
            builder_class(State)
            .add_node("first", fails, error_handler=handler)
            .add_node("second", second)
            .add_edge(START, "first")
        )
        results.append(builder.compile().invoke({"n": 0}))
    assert results[0] == results[1]


def test_an_error_handler_gets_the_error_config_and_writer_by_name() -> None:
    from flowc.langgraph.errors import NodeError

    seen: list[Any] = []

    def fails(state: State) -> dict[str, Any]:
        raise KeyError("gone")

    def handler(state: State, error: NodeError, config: Any, writer: Any) -> dict[str, Any]:
        writer({"handling": error.node})
        seen.append((error, config["metadata"]["langgraph_node"]))
        return {"n": -1}

    graph = (
        StateGraph(State)
        .add_node("first", fails, error_handler=handler)
        .add_edge(START, "first")
        .compile()
    )
    chunks = list(graph.stream({"n": 0}, stream_mode=["custom", "updates"]))
    assert chunks == [
        ("custom", {"handling": "first"}),
        ("updates", {"__error_handler__first": {"n": -1}}),
    ]
    error, node = seen[0]
    assert (error.node, type(error.error), node) == ("first", KeyError, "__error_handler__first")


def test_a_timeout_on_a_sync_node_fails_at_compile_as_in_langgraph() -> None:
    builder = StateGraph(State).add_node("first", first, timeout=1.0).add_edge(START, "first")
    with pytest.raises(ValueError, match="Node timeouts are only supported for async nodes"):
        builder.compile()
    defaults = StateGraph(State).set_node_defaults(timeout=1.0).add_node("first", first)
    with pytest.raises(ValueError, match="Node 'first' is sync"):
        defaults.add_edge(START, "first").compile()


def test_langgraphs_timeout_policy_is_taken() -> None:
    from langgraph.types import TimeoutPolicy as LangGraphsTimeoutPolicy

    from flowc.langgraph.errors import NodeTimeoutError

    async def slow(state: State) -> dict[str, Any]:
        await asyncio.sleep(5)
        return {"n": 1}

    graph = (
        StateGraph(State)
        .add_node("slow", slow, timeout=LangGraphsTimeoutPolicy(run_timeout=0.05))
        .add_edge(START, "slow")
        .compile()
    )
    with pytest.raises(NodeTimeoutError, match=r"exceeded its run timeout of 0\.050s"):
        asyncio.run(graph.ainvoke({"n": 0}))


def test_a_nodes_cache_entries_live_under_flowcs_namespace() -> None:
    cache = InMemoryCache()
    graph = _fan(cache_policy=CachePolicy()).compile(cache=cache)
    graph.invoke({"n": 0})
    assert list(cache._entries) == [("__flowc_writes", f"{__name__}.first", "first")]


def test_an_error_handler_gets_no_timeout_from_the_defaults() -> None:
    async def fails(state: State) -> dict[str, Any]:
        raise ValueError("no")

    async def handler(state: State) -> dict[str, Any]:
        await asyncio.sleep(0.2)
        return {"n": -1}

    graph = (
        StateGraph(State)
        .set_node_defaults(timeout=0.05)
        .add_node("first", fails, error_handler=handler)
        .add_edge(START, "first")
        .compile()
    )
    # LangGraph's handler would time out after 0.05 s
    assert asyncio.run(graph.ainvoke({"n": 0})) == {"n": -1, "log": []}
