"""Node policies in the runtime: retries, deferred nodes, caches, step and node timeouts and
error handlers (hand-built plans, no codegen)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, TypedDict

import pytest

from flowc.runtime import TaskEvent, TaskResultEvent, UpdatesEvent
from flowc.runtime._drive import ainvoke, invoke, stream
from flowc.runtime._engine import STEP_TIMEOUT, Node, Plan
from flowc.runtime.caches import InMemoryCache, SqliteCache
from flowc.runtime.control import Command
from flowc.runtime.policies import (
    CACHE,
    CachePolicy,
    NodeTimeoutError,
    RetryPolicy,
    TimeoutPolicy,
    cache_key,
    default_cache_key,
    default_retry_on,
    heartbeat,
    matching_policy,
    retry_delay,
    retrying,
    timeout_policy,
)


class Flaky(Exception):
    pass


class Asked(TypedDict, total=False):
    answer: str


def failing_then(result: Any, failures: int, error: type[Exception] = Flaky) -> Any:
    """A node function that raises ``error`` ``failures`` times, then returns ``result``."""
    calls: list[str] = []

    def node(state: Any) -> Any:
        calls.append(threading.current_thread().name)
        if len(calls) <= failures:
            raise error(f"attempt {len(calls)}")
        return result

    node.calls = calls  # type: ignore[attr-defined]
    return node


FAST = RetryPolicy(initial_interval=0.0, jitter=False)


def test_a_failed_attempt_is_run_again_up_to_max_attempts() -> None:
    fn = failing_then("ok", 2)
    assert retrying((FAST,), fn)(None) == "ok"
    assert len(fn.calls) == 3
    fn = failing_then("ok", 3)
    with pytest.raises(Flaky, match="attempt 3"):
        retrying((FAST,), fn)(None)
    assert len(fn.calls) == 3


def test_the_waits_grow_by_the_backoff_factor_up_to_max_interval() -> None:
    slept: list[float] = []
    policy = RetryPolicy(
        initial_interval=1.0, backoff_factor=2.0, max_interval=3.0, max_attempts=5, jitter=False
    )
    with pytest.raises(Flaky):
        retrying((policy,), failing_then("ok", 9), sleep=slept.append)(None)
    assert slept == [1.0, 2.0, 3.0, 3.0]


def test_a_run_waits_through_time_sleep_looked_up_at_each_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # LangGraph's users speed up their retry tests by patching time.sleep: a policy built
    # before the patch still waits through the patched function
    policy = RetryPolicy(initial_interval=0.5, backoff_factor=2.0, max_attempts=3, jitter=False)
    retried = retrying((policy,), failing_then("ok", 2))
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    assert retried(None) == "ok"
    assert slept == [0.5, 1.0]


def test_jitter_adds_less_than_a_second() -> None:
    policy = RetryPolicy(initial_interval=2.0, jitter=True)
    delays = [retry_delay(policy, 1) for _ in range(50)]
    assert all(2.0 <= d < 3.0 for d in delays)
    assert len(set(delays)) > 1


def test_retry_on_takes_a_class_a_sequence_of_classes_or_a_function() -> None:
    key, value = KeyError("k"), ValueError("v")
    assert matching_policy((RetryPolicy(retry_on=KeyError),), key) is not None
    assert matching_policy((RetryPolicy(retry_on=KeyError),), value) is None
    assert matching_policy((RetryPolicy(retry_on=(KeyError, ValueError)),), value) is not None
    assert matching_policy((RetryPolicy(retry_on=lambda e: "v" in str(e)),), value) is not None
    assert matching_policy((RetryPolicy(retry_on=lambda e: False),), value) is None
    with pytest.raises(TypeError, match="retry_on must be an Exception class"):
        matching_policy((RetryPolicy(retry_on=3),), value)  # type: ignore[arg-type]


def test_the_first_matching_policy_decides_and_failures_count_across_policies() -> None:
    first = RetryPolicy(retry_on=ValueError, max_attempts=5, initial_interval=0.0, jitter=False)
    second = RetryPolicy(retry_on=KeyError, max_attempts=2, initial_interval=0.0, jitter=False)
    fn = failing_then("ok", 9, KeyError)
    with pytest.raises(KeyError):
        retrying((first, second), fn)(None)
    assert len(fn.calls) == 2


def test_an_interrupting_base_exception_is_never_retried() -> None:
    calls = []

    def stop(state: Any) -> Any:
        calls.append(1)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        retrying((RetryPolicy(retry_on=lambda e: True, initial_interval=0.0),), stop)(None)
    assert calls == [1]


def test_an_interrupt_or_a_command_for_the_parent_is_never_retried() -> None:
    # LangGraph never retries them: they steer the run, and a policy that retries on anything
    # (its default retries most errors) would run the node again up to max_attempts
    from flowc.runtime.control import ParentCommand
    from flowc.runtime.interrupts import GraphInterrupt, Interrupt

    everything = (RetryPolicy(retry_on=lambda e: True, initial_interval=0.0),)
    for error in (
        GraphInterrupt((Interrupt("q", "i"),)),
        ParentCommand("node", Command(goto="elsewhere")),
    ):
        calls: list[int] = []

        def steer(state: Any, error: Exception = error, calls: list[int] = calls) -> Any:
            calls.append(1)
            raise error

        assert matching_policy(everything, error) is None
        assert matching_policy((RetryPolicy(),), error) is None
        with pytest.raises(type(error)):
            retrying(everything, steer)(None)
        assert calls == [1]


@pytest.mark.parametrize("checkpointer", [False, True], ids=["no-checkpointer", "on-a-thread"])
def test_a_drop_in_node_with_a_retry_policy_asks_its_interrupt_once(checkpointer: bool) -> None:
    from flowc.langgraph import START, StateGraph
    from flowc.langgraph.types import interrupt
    from flowc.savers.memory import InMemorySaver

    calls: list[str] = []

    def ask(state: dict[str, Any]) -> Any:
        calls.append("ask")
        return {"answer": interrupt("go?")}

    builder = StateGraph(Asked)
    builder.add_node("ask", ask, retry_policy=RetryPolicy(initial_interval=0.0))
    builder.add_edge(START, "ask")
    graph = builder.compile(checkpointer=InMemorySaver() if checkpointer else None)
    config = {"configurable": {"thread_id": "t"}} if checkpointer else None
    result = graph.invoke({}, config)
    assert [i.value for i in result["__interrupt__"]] == ["go?"]
    assert calls == ["ask"]


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (ConnectionError(), True),
        (ConnectionResetError(), True),
        (Flaky(), True),
        (TimeoutError(), False),  # an OSError
        (ValueError(), False),
        (TypeError(), False),
        (KeyError(), False),
        (ZeroDivisionError(), False),
        (RuntimeError(), False),
        (NameError(), False),
        (ImportError(), False),
    ],
)
def test_the_default_retries_what_langgraphs_default_retries(
    error: Exception, retried: bool
) -> None:
    assert default_retry_on(error) is retried


def test_http_errors_are_retried_only_for_a_5xx_status() -> None:
    import httpx

    request = httpx.Request("GET", "http://x")

    def status(code: int) -> httpx.HTTPStatusError:
        return httpx.HTTPStatusError("e", request=request, response=httpx.Response(code))

    assert default_retry_on(status(503)) is True
    assert default_retry_on(status(404)) is False


def _plan(fn: Any, *, retry: tuple[RetryPolicy, ...] = (FAST,), sibling: bool = False) -> Plan:
    nodes = [Node("flaky", UpdatesEvent, plain=fn, retry=retry)]
    entry: tuple[str, ...] = ("flaky",)
    if sibling:
        nodes.append(Node("other", UpdatesEvent, plain=lambda state: {"other": 1}))
        entry = ("flaky", "other")
    return Plan("retry", ("x", "other"), tuple(nodes), entry=entry)


def test_a_retried_lone_task_starts_and_ends_once_with_the_last_attempts_writes() -> None:
    fn = failing_then({"x": 3}, 2)
    events = list(stream(_plan(fn), {}, ("tasks", "updates"), False, None))
    assert [type(e).__name__ for e in events] == ["TaskEvent", "UpdatesEvent", "TaskResultEvent"]
    assert isinstance(events[2], TaskResultEvent)
    assert events[2].result == {"x": 3}
    assert len(fn.calls) == 3


def test_a_retried_task_in_a_superstep_of_several() -> None:
    fn = failing_then({"x": 3}, 2)
    assert invoke(_plan(fn, sibling=True), {}, None) == {"x": 3, "other": 1}
    assert len(fn.calls) == 3


def test_an_exhausted_retry_ends_the_task_with_the_last_error() -> None:
    fn = failing_then({"x": 3}, 5)
    events: list[Any] = []
    with pytest.raises(Flaky, match="attempt 3"):
        events.extend(stream(_plan(fn), {}, "tasks", False, None))
    assert [type(e) for e in events] == [TaskEvent, TaskResultEvent]
    assert str(events[1].error) == "attempt 3"


def test_an_async_run_retries_a_lone_sync_node_on_a_worker_not_on_the_event_loop() -> None:
    fn = failing_then({"x": 1}, 1)
    loop_thread = threading.current_thread().name
    assert asyncio.run(ainvoke(_plan(fn), {}, None)) == {"x": 1}
    assert len(fn.calls) == 2
    assert loop_thread not in fn.calls


def test_an_async_node_is_retried_with_asyncio_sleep() -> None:
    calls = []

    async def node(state: Any) -> Any:
        calls.append(1)
        if len(calls) < 3:
            raise Flaky("again")
        return {"x": len(calls)}

    plan = Plan(
        "retry",
        ("x",),
        (Node("a", UpdatesEvent, acall=lambda t, i, v: node(i), retry=(FAST,)),),
        entry=("a",),
    )
    assert asyncio.run(ainvoke(plan, {}, None)) == {"x": 3}


def test_a_plan_without_policies_keeps_its_lone_sync_tasks_inline_in_async_runs() -> None:
    threads: list[str] = []
    plan = Plan(
        "plain",
        ("x",),
        # a node known not to wait (blocks=False): one that may wait runs on a worker anyway
        (
            Node(
                "a",
                UpdatesEvent,
                plain=lambda s: threads.append(threading.current_thread().name),
                blocks=False,
            ),
        ),
        entry=("a",),
    )
    assert not plan.guarded
    asyncio.run(ainvoke(plan, {}, None))
    assert threads == [threading.current_thread().name]


def test_guard_gives_a_built_plans_node_its_retry_policies() -> None:
    fn = failing_then({"x": 2}, 1)
    plan = Plan("later", ("x",), (Node("flaky", UpdatesEvent, plain=fn),), entry=("flaky",))
    assert not plan.guarded
    plan.guard("flaky", retry=(FAST,))
    assert plan.guarded
    assert plan.nodes["flaky"].plain is None
    assert invoke(plan, {}, None) == {"x": 2}


def test_a_router_error_is_not_retried_with_its_node() -> None:
    fn = failing_then({"x": 1}, 0)
    routes: list[int] = []

    def route(values: dict[str, Any]) -> tuple[str, ...]:
        routes.append(1)
        raise Flaky("router")

    plan = Plan(
        "routed",
        ("x",),
        (Node("flaky", UpdatesEvent, plain=fn, route=route, retry=(FAST,)),),
        entry=("flaky",),
    )
    with pytest.raises(Flaky, match="router"):
        invoke(plan, {}, None)
    assert (len(fn.calls), len(routes)) == (1, 1)


# -- deferred nodes


def _logging(name: str, **kwargs: Any) -> Node:
    return Node(name, UpdatesEvent, plain=lambda state: {"log": [name]}, **kwargs)


def _merge_log(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = values.get(key, []) + value if key == "log" else value


def test_a_deferred_node_waits_until_no_other_node_is_left() -> None:
    plan = Plan(
        "deferred",
        ("log",),
        (
            _logging("a", then=("b", "summary")),
            _logging("b", then=("c",)),
            _logging("c", then=("summary",)),
            _logging("summary", defer=True),
        ),
        entry=("a",),
        merge=_merge_log,
    )
    assert plan.deferring
    events = list(stream(plan, {"log": []}, "debug", False, None))
    steps = [(e.step, e.payload.name) for e in events if e.type == "task"]
    assert steps == [(1, "a"), (2, "b"), (3, "c"), (4, "summary")]
    assert invoke(plan, {"log": []}, None) == {"log": ["a", "b", "c", "summary"]}
    assert asyncio.run(ainvoke(plan, {"log": []}, None)) == {"log": ["a", "b", "c", "summary"]}


def test_a_deferred_node_reached_alone_runs_at_once() -> None:
    plan = Plan(
        "deferred",
        ("log",),
        (_logging("a", then=("summary",)), _logging("summary", defer=True)),
        entry=("a",),
        merge=_merge_log,
    )
    assert invoke(plan, {"log": []}, None) == {"log": ["a", "summary"]}


def test_guard_defers_a_built_plans_node() -> None:
    plan = Plan(
        "later",
        ("log",),
        (_logging("a", then=("b", "d")), _logging("b"), _logging("d")),
        entry=("a",),
        merge=_merge_log,
    )
    assert invoke(plan, {"log": []}, None) == {"log": ["a", "b", "d"]}
    plan.guard("b", defer=True)
    assert (plan.deferring, plan.guarded) == (True, False)
    assert invoke(plan, {"log": []}, None) == {"log": ["a", "d", "b"]}


def test_a_deferred_node_triggered_steps_before_gets_dotted_edges_from_the_step_before() -> None:
    from tests.conformance.test_dropin import load

    graph = load("defer", "flowc").two_deferred.get_graph()
    edges = sorted((e.source, e.target, e.conditional) for e in graph.edges)
    # as LangGraph's dry run: c -.-> first and c -.-> second instead of c --> __end__
    assert ("c", "__end__", False) not in edges
    assert ("c", "first", True) in edges
    assert ("c", "second", True) in edges


# -- caches


def _cached_plan(calls: list[Any], **policy: Any) -> Plan:
    def node(state: Any) -> Any:
        calls.append(state["x"])
        return {"y": state["x"] * 2}

    plan = Plan(
        "cached", ("x", "y"), (Node("double", UpdatesEvent, plain=node),), entry=("double",)
    )
    plan.guard("double", cache=CachePolicy(**policy))
    return plan


def _with_cache(cache: Any) -> Any:
    return {"configurable": {CACHE: cache}}


@pytest.mark.parametrize("make", [InMemoryCache, SqliteCache], ids=["memory", "sqlite"])
def test_a_cached_node_runs_once_per_input(make: Any) -> None:
    calls: list[Any] = []
    plan, config = _cached_plan(calls), _with_cache(make())
    assert invoke(plan, {"x": 1}, config) == {"x": 1, "y": 2}
    assert invoke(plan, {"x": 1}, config) == {"x": 1, "y": 2}
    assert asyncio.run(ainvoke(plan, {"x": 1}, config)) == {"x": 1, "y": 2}
    assert invoke(plan, {"x": 2}, config) == {"x": 2, "y": 4}
    assert calls == [1, 2]


def test_a_hit_streams_its_update_marked_cached_and_no_task_result() -> None:
    plan, config = _cached_plan([]), _with_cache(InMemoryCache())
    first = list(stream(plan, {"x": 1}, ["tasks", "updates"], False, config))
    again = list(stream(plan, {"x": 1}, ["tasks", "updates"], False, config))
    assert [type(e).__name__ for e in first] == ["TaskEvent", "UpdatesEvent", "TaskResultEvent"]
    assert [type(e).__name__ for e in again] == ["TaskEvent", "CachedUpdates"]
    assert again[1].chunk() == {"double": {"y": 2}, "__metadata__": {"cached": True}}
    assert (again[1].mode, again[1].node, again[1].data) == ("updates", "double", {"y": 2})


def test_a_run_without_a_cache_runs_a_cached_node_every_time() -> None:
    calls: list[Any] = []
    plan = _cached_plan(calls)
    invoke(plan, {"x": 1}, None)
    invoke(plan, {"x": 1}, None)
    assert calls == [1, 1]


def test_an_entry_expires_after_its_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    import flowc.runtime.caches as caches

    now = [1000.0]
    monkeypatch.setattr(caches.time, "time", lambda: now[0])
    for cache in (InMemoryCache(), SqliteCache()):
        key = (("ns",), "k")
        cache.set({key: ({"v": 1}, 10)})
        now[0] += 9.9
        assert cache.get([key]) == {key: {"v": 1}}
        now[0] += 0.1
        assert cache.get([key]) == {}
        now[0] = 1000.0


def test_a_sqlite_cache_keeps_its_entries_across_instances(tmp_path: Any) -> None:
    path = tmp_path / "cache.db"
    calls: list[Any] = []
    plan = _cached_plan(calls)
    first = SqliteCache(path)
    invoke(plan, {"x": 3}, _with_cache(first))
    first.close()
    invoke(plan, {"x": 3}, _with_cache(SqliteCache(path)))
    assert calls == [3]


def test_clear_drops_the_entries_of_the_namespaces_given() -> None:
    for cache in (InMemoryCache(), SqliteCache()):
        a, b = (("a",), "k"), (("b",), "k")
        cache.set({a: (1, None), b: (2, None)})
        cache.clear([("a",)])
        assert cache.get([a, b]) == {b: 2}
        cache.clear()
        assert cache.get([a, b]) == {}


def test_a_value_the_cache_cannot_encode_is_not_cached_and_the_run_goes_on() -> None:
    calls: list[Any] = []

    def node(state: Any) -> Any:
        calls.append(1)
        return {"y": object()}

    plan = Plan("odd", ("x", "y"), (Node("n", UpdatesEvent, plain=node),), entry=("n",))
    plan.guard("n", cache=CachePolicy())
    config = _with_cache(InMemoryCache())
    with pytest.warns(RuntimeWarning, match="not caching an entry of 'n'"):
        invoke(plan, {"x": 1}, config)
    with pytest.warns(RuntimeWarning):
        invoke(plan, {"x": 1}, config)
    assert calls == [1, 1]


def test_reading_a_cache_file_runs_no_code(tmp_path: Any) -> None:
    import pickle

    cache = SqliteCache(tmp_path / "c.db")
    cache._conn.execute(
        "INSERT INTO flowc_node_cache VALUES (?, ?, 'pickle', ?, NULL)",
        ('["ns"]', "k", pickle.dumps(1)),
    )
    with pytest.raises(TypeError, match="loading pickles is off"):
        cache.get([(("ns",), "k")])


def test_the_default_key_is_langgraphs_byte_for_byte() -> None:
    from langgraph._internal._cache import default_cache_key as langgraphs

    for value in ({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, "text", [{"x": {1, 2}}]):
        assert default_cache_key(value) == langgraphs(value)
        assert default_cache_key(state=value) == langgraphs(state=value)
    policy = CachePolicy()
    assert cache_key(policy, ("ns",), {"a": 1}) != cache_key(policy, ("ns",), {"a": 2})
    text, data = CachePolicy(key_func=lambda s: "same"), CachePolicy(key_func=lambda s: b"same")
    assert cache_key(text, ("ns",), {"a": 1}) == cache_key(data, ("ns",), {"a": 2})


def test_a_cache_hit_replays_where_the_node_led_without_calling_its_router() -> None:
    routes: list[int] = []

    def route(values: dict[str, Any]) -> tuple[str, ...]:
        routes.append(1)
        return ("b",)

    plan = Plan(
        "routed",
        ("log",),
        (_logging("a", route=route), _logging("b")),
        entry=("a",),
        merge=_merge_log,
    )
    plan.guard("a", cache=CachePolicy())
    config = _with_cache(InMemoryCache())
    assert invoke(plan, {"log": []}, config) == {"log": ["a", "b"]}
    assert invoke(plan, {"log": []}, config) == {"log": ["a", "b"]}
    assert routes == [1]


# -- step timeouts


def _timed_plan(seconds: float) -> Plan:
    def slow(state: Any) -> Any:
        time.sleep(seconds)
        return {"x": 1}

    plan = Plan("timed", ("x",), (Node("slow", UpdatesEvent, plain=slow),), entry=("slow",))
    plan.timing = True
    return plan


def _timeout(plan: Plan, seconds: float) -> Any:
    return {"configurable": {STEP_TIMEOUT: (plan, seconds)}}


def test_a_superstep_past_the_step_timeout_raises_timeout_error() -> None:
    plan = _timed_plan(0.3)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"^Timed out$"):
        invoke(plan, {}, _timeout(plan, 0.05))
    # the run ends once its late task has (nothing is left running)
    assert time.monotonic() - started >= 0.3
    with pytest.raises(TimeoutError) as info:
        asyncio.run(ainvoke(plan, {}, _timeout(plan, 0.05)))
    assert str(info.value) == ""


def test_an_async_task_past_the_step_timeout_is_cancelled() -> None:
    finished: list[str] = []

    async def slow(task: Any, inp: Any, values: Any) -> Any:
        try:
            await asyncio.sleep(5)
        finally:
            finished.append("cleaned up")
        return {"x": 1}

    plan = Plan("timed", ("x",), (Node("slow", UpdatesEvent, acall=slow),), entry=("slow",))
    plan.timing = True
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        asyncio.run(ainvoke(plan, {}, _timeout(plan, 0.05)))
    assert time.monotonic() - started < 2
    assert finished == ["cleaned up"]


def test_supersteps_within_the_step_timeout_run_as_without_one() -> None:
    plan = _timed_plan(0.0)
    assert invoke(plan, {}, _timeout(plan, 5)) == {"x": 1}
    assert asyncio.run(ainvoke(plan, {}, _timeout(plan, 5))) == {"x": 1}


def test_a_step_timeout_applies_to_its_own_plan_only_and_zero_means_none() -> None:
    plan = _timed_plan(0.1)
    other = _timed_plan(0.0)
    assert invoke(plan, {}, _timeout(other, 0.01)) == {"x": 1}
    assert invoke(plan, {}, _timeout(plan, 0)) == {"x": 1}


def test_a_plan_that_never_times_ignores_a_step_timeout_in_its_config() -> None:
    plan = _timed_plan(0.1)
    plan.timing = False
    assert invoke(plan, {}, _timeout(plan, 0.01)) == {"x": 1}


# -- error handlers


HANDLED: dict[str, list[Any]] = {}
"""What each handler made by _handler was called with, by handler node id."""


def _handler(result: Any = None, name: str = "__error_handler__bad") -> Node:
    seen: list[Any] = []

    def call(task: Any, inp: Any, values: Any, failure: Any) -> Any:
        seen.append((inp, failure[0], str(failure[1])))
        if isinstance(result, Exception):
            raise result
        return result if result is not None else {"log": [f"handled {failure[0]}"]}

    node = Node(name, UpdatesEvent, call)  # type: ignore[arg-type]
    HANDLED[str(id(node))] = seen
    return node


def _failing(name: str = "bad", error: BaseException | None = None, **kwargs: Any) -> Node:
    def fail(state: Any) -> Any:
        raise error if error is not None else ValueError(f"{name} failed")

    return Node(name, UpdatesEvent, plain=fail, **kwargs)


def _handled_plan(handler: Node, *nodes: Node, entry: tuple[str, ...] = ("bad",)) -> Plan:
    plan = Plan(
        "handled",
        ("log",),
        (_failing(then=("after",)), _logging("after"), *nodes),
        entry=entry,
        merge=_merge_log,
    )
    plan.guard("bad", error_handler=handler)
    return plan


def test_a_failed_nodes_handler_writes_in_its_place_and_its_edges_are_not_followed() -> None:
    handler = _handler()
    plan = _handled_plan(handler)
    assert plan.handling
    events = list(stream(plan, {"log": []}, ["tasks", "updates"], False, None))
    shown = [(type(e).__name__, getattr(e, "name", getattr(e, "node", None))) for e in events]
    assert shown == [
        ("TaskEvent", "bad"),
        ("TaskResultEvent", "bad"),
        ("UpdatesEvent", "__error_handler__bad"),
        ("TaskResultEvent", "__error_handler__bad"),
    ]
    assert str(events[1].error) == "bad failed"
    assert HANDLED[str(id(handler))] == [({"log": []}, "bad", "bad failed")]
    assert invoke(plan, {"log": []}, None) == {"log": ["handled bad"]}
    assert asyncio.run(ainvoke(plan, {"log": []}, None)) == {"log": ["handled bad"]}


def test_a_handlers_command_goes_where_it_says() -> None:
    plan = _handled_plan(_handler(Command(update={"log": ["recovered"]}, goto="after")))
    assert invoke(plan, {"log": []}, None) == {"log": ["recovered", "after"]}
    assert asyncio.run(ainvoke(plan, {"log": []}, None)) == {"log": ["recovered", "after"]}


def test_a_handler_that_fails_fails_the_run() -> None:
    plan = _handled_plan(_handler(RuntimeError("handler failed")))
    with pytest.raises(RuntimeError, match="handler failed"):
        invoke(plan, {"log": []}, None)
    with pytest.raises(RuntimeError, match="handler failed"):
        asyncio.run(ainvoke(plan, {"log": []}, None))


def test_only_an_exception_is_handled() -> None:
    plan = Plan("stop", ("log",), (_failing(error=KeyboardInterrupt()),), entry=("bad",))
    handler = _handler()
    plan.guard("bad", error_handler=handler)
    with pytest.raises(KeyboardInterrupt):
        invoke(plan, {"log": []}, None)
    assert HANDLED[str(id(handler))] == []


def test_a_handled_failure_runs_its_handler_next_to_the_steps_other_tasks() -> None:
    plan = _handled_plan(_handler(), _logging("other"), entry=("bad", "other"))
    assert invoke(plan, {"log": []}, None) == {"log": ["handled bad", "other"]}
    assert asyncio.run(ainvoke(plan, {"log": []}, None)) == {"log": ["handled bad", "other"]}


def test_a_failed_node_does_not_count_for_its_join() -> None:
    plan = Plan(
        "joined",
        ("log",),
        (_failing(joins=(0,)), _logging("b", joins=(0,)), _logging("d")),
        entry=("bad", "b"),
        merge=_merge_log,
        joins=((frozenset(("bad", "b")), "d"),),
    )
    plan.guard("bad", error_handler=_handler())
    # d never runs: its join waits for bad, whose handler stands in for its writes only
    assert invoke(plan, {"log": []}, None) == {"log": ["b", "handled bad"]}


# -- node timeouts


def _timed_node(body: Any, policy: TimeoutPolicy, **kwargs: Any) -> Plan:
    async def acall(task: Any, inp: Any, values: Any) -> Any:
        return await body(task)

    plan = Plan("timed", ("x",), (Node("n", UpdatesEvent, acall=acall),), entry=("n",))
    plan.guard("n", timeout=policy, **kwargs)
    return plan


def test_an_attempt_past_its_run_timeout_fails_with_node_timeout_error() -> None:
    async def slow(task: Any) -> Any:
        await asyncio.sleep(5)

    started = time.monotonic()
    with pytest.raises(NodeTimeoutError) as info:
        asyncio.run(ainvoke(_timed_node(slow, TimeoutPolicy(run_timeout=0.05)), {}, None))
    assert time.monotonic() - started < 2
    error = info.value
    assert (error.node, error.kind, error.timeout, error.run_timeout) == ("n", "run", 0.05, 0.05)
    assert str(error).startswith("Node 'n' exceeded its run timeout of 0.050s (elapsed: 0.0")
    assert default_retry_on(error) is True


def test_progress_keeps_an_idle_timeout_off_and_heartbeat_only_counts_heartbeats() -> None:
    async def chatty(task: Any) -> Any:
        for _ in range(4):
            task.writer({"tick": 1})
            await asyncio.sleep(0.04)
        return {"x": 1}

    async def beating(task: Any) -> Any:
        for _ in range(4):
            heartbeat()
            await asyncio.sleep(0.04)
        return {"x": 2}

    idle = TimeoutPolicy(idle_timeout=0.1)
    assert asyncio.run(ainvoke(_timed_node(chatty, idle), {}, None)) == {"x": 1}
    assert asyncio.run(ainvoke(_timed_node(beating, idle), {}, None)) == {"x": 2}
    only_beats = TimeoutPolicy(idle_timeout=0.1, refresh_on="heartbeat")
    assert asyncio.run(ainvoke(_timed_node(beating, only_beats), {}, None)) == {"x": 2}
    with pytest.raises(NodeTimeoutError, match=r"idle timeout of 0\.100s without making progress"):
        asyncio.run(ainvoke(_timed_node(chatty, only_beats), {}, None))


def test_a_timed_attempt_is_retried_and_each_attempt_is_timed() -> None:
    attempts: list[int] = []

    async def late_once(task: Any) -> Any:
        attempts.append(1)
        await asyncio.sleep(5 if len(attempts) == 1 else 0)
        return {"x": len(attempts)}

    plan = _timed_node(late_once, TimeoutPolicy(run_timeout=0.05), retry=(FAST,))
    assert asyncio.run(ainvoke(plan, {}, None)) == {"x": 2}


def test_a_sync_run_of_a_timed_node_fails_as_in_langgraph() -> None:
    async def quick(task: Any) -> Any:
        return {"x": 1}

    with pytest.raises(ValueError, match="Node timeouts are only supported for async nodes"):
        invoke(_timed_node(quick, TimeoutPolicy(run_timeout=1)), {}, None)


def test_a_cancelled_timed_attempt_cancels_the_node() -> None:
    cleaned: list[str] = []

    async def slow(task: Any) -> Any:
        try:
            await asyncio.sleep(5)
        finally:
            cleaned.append("node")

    async def main() -> None:
        run = asyncio.ensure_future(
            ainvoke(_timed_node(slow, TimeoutPolicy(run_timeout=10)), {}, None)
        )
        await asyncio.sleep(0.05)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run

    asyncio.run(main())
    assert cleaned == ["node"]


def test_timeout_policy_reads_seconds_and_timedeltas_and_refuses_what_is_not_positive() -> None:
    import datetime

    assert timeout_policy(None) is None
    assert timeout_policy(2) == TimeoutPolicy(run_timeout=2.0)
    assert timeout_policy(datetime.timedelta(milliseconds=500)) == TimeoutPolicy(run_timeout=0.5)
    assert timeout_policy(TimeoutPolicy(idle_timeout=1)) == TimeoutPolicy(idle_timeout=1.0)
    assert timeout_policy(TimeoutPolicy()) is None
    with pytest.raises(ValueError, match="run_timeout must be greater than 0"):
        timeout_policy(0)
    with pytest.raises(ValueError, match="refresh_on must be 'auto' or 'heartbeat'"):
        timeout_policy(TimeoutPolicy(run_timeout=1, refresh_on="never"))


# -- what policies cost: plans that need the executor take every superstep there


def _thread_of_lone_node(configure: Any, config: Any = None) -> str:
    threads: list[str] = []

    def node(state: Any) -> Any:
        threads.append(threading.current_thread().name)
        return {"x": 1}

    plan = Plan("where", ("x",), (Node("n", UpdatesEvent, plain=node),), entry=("n",))
    configure(plan)
    invoke(plan, {}, config(plan) if callable(config) else config)
    return threads[0]


def test_a_cached_plan_with_a_cache_runs_its_lone_tasks_on_workers() -> None:
    here = threading.current_thread().name

    def cache(plan: Plan) -> None:
        plan.guard("n", cache=CachePolicy())

    assert _thread_of_lone_node(cache) == here
    assert _thread_of_lone_node(cache, _with_cache(InMemoryCache())) != here


def test_a_plan_with_an_error_handler_or_a_step_timeout_runs_its_lone_tasks_on_workers() -> None:
    here = threading.current_thread().name

    def handled(plan: Plan) -> None:
        plan.guard("n", error_handler=_handler())

    def timed(plan: Plan) -> None:
        plan.timing = True

    assert _thread_of_lone_node(handled) != here
    assert _thread_of_lone_node(timed) == here
    assert _thread_of_lone_node(timed, lambda plan: _timeout(plan, 5)) != here


def test_an_exhausted_retrys_error_carries_no_notes() -> None:
    fn = failing_then({"x": 1}, 5)
    with pytest.raises(Flaky) as info:
        invoke(_plan(fn), {}, None)
    assert not hasattr(info.value, "__notes__")


def test_an_async_run_past_its_step_timeout_waits_for_a_late_sync_task() -> None:
    plan = _timed_plan(0.3)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        asyncio.run(ainvoke(plan, {}, _timeout(plan, 0.05)))
    # LangGraph raises at once and leaves the node running on its thread
    assert time.monotonic() - started >= 0.3
