"""The superstep engine on its own: hand-built plans, no codegen.

The engine (``flowc.runtime._engine``) plans supersteps, takes outcomes and
makes events without calling a node; these tests drive it by hand, the way
the drivers do, and then through the drivers (``flowc.runtime._drive``).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from operator import add
from typing import Any

import pytest

from flowc.runtime import (
    GraphRecursionError,
    InvalidInputError,
    InvalidUpdateError,
    TaskEvent,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
    current_task,
)
from flowc.runtime._drive import adrive, drive, invoke, stream, subgraph_node
from flowc.runtime._engine import Engine, Node, Plan, keyed_input
from flowc.runtime.run import CURRENT_TASK, Run

from .conftest import ROOT


def _merge_log(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = add(values[key], value) if key == "log" and key in values else value


def _node(name: str, **kwargs: Any) -> Node:
    """A node that appends its name to ``log``."""
    return Node(name, UpdatesEvent, plain=lambda state: {"log": [name]}, **kwargs)


def fan_plan(**kwargs: Any) -> Plan:
    """a -> (c, b) -> d, with d joining b and c; ``log`` appends."""
    return Plan(
        "fan",
        ("log", "x"),
        (
            _node("a", then=("c", "b")),
            _node("b", joins=(0,)),
            _node("c", joins=(0,)),
            _node("d"),
        ),
        entry=("a",),
        merge=_merge_log,
        joins=((frozenset(("b", "c")), "d"),),
        **kwargs,
    )


def engine_for(plan: Plan, modes: set[str], values: dict[str, Any] | None = None) -> Engine:
    return Engine(plan, Run(plan.name, frozenset(modes)), values or {})


def superstep(engine: Engine, *names: str, step: int = 2) -> tuple[Any, ...]:
    """The tasks of a superstep of ``names``, as the loop plans it."""
    engine.ready = engine.nodes(names)
    return engine.tasks_of(engine.ready, step)


def run_steps(plan: Plan, modes: set[str], values: dict[str, Any]) -> tuple[list[Any], Engine]:
    """Every event of a sync run of ``plan`` from ``values``, and its engine."""
    engine = engine_for(plan, modes, values)
    return list(engine.steps(bool(values))), engine


# -- planning ----------------------------------------------------------------------------


def test_a_superstep_of_several_tasks_is_planned_in_node_name_order() -> None:
    engine = engine_for(fan_plan(), {"updates"})
    tasks = superstep(engine, "c", "b", "c")
    assert [(t.name, t.step) for t in tasks] == [("b", 2), ("c", 2)]
    events, _ = run_steps(fan_plan(), {"tasks"}, {"log": []})
    started = [(e.step, e.name) for e in events if isinstance(e, TaskEvent)]
    assert started == [(1, "a"), (2, "b"), (2, "c"), (3, "d")]


def test_a_lone_task_object_is_reused_from_step_to_step() -> None:
    seen: list[Any] = []

    def visit(name: str) -> Node:
        return Node(name, UpdatesEvent, plain=lambda s: seen.append(current_task()) or None)

    first, second = visit("a"), visit("b")
    first.then = ("b",)
    plan = Plan("chain", ("log",), (first, second), ("a",))
    _, engine = run_steps(plan, set(), {"log": []})
    assert seen[0] is seen[1] is engine.lone
    assert engine.lone is not None
    assert (engine.lone.name, engine.lone.step, engine.lone.triggers) == ("b", 2, ("branch:to:b",))


def test_the_run_ends_when_no_node_is_triggered_and_its_result_is_the_state() -> None:
    plan = Plan("one", ("log",), (_node("a"),), ("a",))
    events, engine = run_steps(plan, {"updates"}, {"log": []})
    assert events == [UpdatesEvent("a", {"log": ["a"]})]
    assert engine.run.result == {"log": ["a"]}
    assert engine.step == 2


# -- writes ------------------------------------------------------------------------------


def test_writes_are_applied_in_node_name_order_whatever_order_tasks_finish_in() -> None:
    engine = engine_for(fan_plan(), {"updates"}, {"log": ["a"]})
    b, c = superstep(engine, "b", "c")
    engine.record(c, {"log": ["c"]}, ())
    engine.record(b, {"log": ["b"]}, ())
    assert [t.name for t in engine.writes] == ["c", "b"], "recorded as they finish"
    assert engine.values == {"log": ["a"]}, "writes wait for the end of the superstep"
    engine.settle()
    assert engine.values == {"log": ["a", "b", "c"]}
    assert engine.writes == {}


def test_keys_stay_in_declaration_order_when_first_written() -> None:
    plan = Plan("order", ("a", "b", "c"), (_node("n"),), ("n",))
    values = {"c": 3}
    plan.apply(values, {"a": 1})
    assert list(values) == ["a", "c"]


def test_two_tasks_writing_one_plain_key_fail_as_in_langgraph() -> None:
    plan = Plan(
        "clash",
        ("x",),
        (_node("a"), _node("b")),
        ("a", "b"),
        last_value=frozenset(("x",)),
    )
    engine = engine_for(plan, set())
    a, b = superstep(engine, "a", "b")
    engine.record(a, {"x": 1}, ())
    engine.record(b, {"x": 2}, ())
    with pytest.raises(InvalidUpdateError, match="At key 'x': Can receive only one value per step"):
        engine.settle()


def test_what_a_node_returns_is_checked_against_the_state_keys() -> None:
    plan = Plan("keys", ("x",), (_node("a"),), ("a",))
    assert plan.check("a", {"x": 1}) == {"x": 1}
    assert plan.check("a", None) is None
    assert plan.check("a", {}) is None
    with pytest.raises(
        InvalidUpdateError, match="node 'a' wrote 'y', which the state does not have"
    ):
        plan.check("a", {"y": 1})
    with pytest.raises(InvalidUpdateError, match="node 'a' returned int"):
        plan.check("a", 3)


def test_the_input_is_checked_before_the_run_starts() -> None:
    plan = Plan("in", ("x", "y"), (_node("a"),), ("a",))
    assert plan.start({"y": 2, "x": 1}) == ({"x": 1, "y": 2}, True)
    assert plan.start({}) == ({}, False)
    with pytest.raises(InvalidInputError, match="graph 'in' has no state key 'z'"):
        plan.start({"z": 1})
    with pytest.raises(InvalidInputError, match="takes a mapping of state keys as input, not list"):
        plan.start([1])


def test_a_node_with_an_input_schema_receives_only_its_keys() -> None:
    shape = keyed_input(("b",), {"b": 0})
    assert shape({"a": 1}) == {"b": 0}
    assert shape({"a": 1, "b": 2}) == {"b": 2}
    assert keyed_input(("b",))({"a": 1}) == {}


# -- triggers, joins, routing ------------------------------------------------------------


def test_a_join_runs_once_all_its_sources_have_run() -> None:
    ran: list[str] = []
    plan = fan_plan()
    for node in plan.nodes.values():
        node.plain = (lambda name: lambda state: ran.append(name) or None)(node.name)
    # a leads to b alone, b back to a; a second time, a leads to c: d waits for both
    plan.nodes["a"].route = lambda state: ("b",) if ran.count("a") == 1 else ("c",)
    plan.nodes["a"].routed = True
    plan.nodes["a"].after = None
    plan.nodes["b"].then = ("a",)
    plan.nodes["b"].after = None
    run_steps(plan, set(), {"log": []})
    assert ran == ["a", "b", "a", "c", "d"]


def test_a_join_fed_in_one_superstep_triggers_its_target_in_the_next() -> None:
    engine = engine_for(fan_plan(), set())
    b, c = superstep(engine, "b", "c")
    engine.record(b, None, ())
    engine.record(c, None, ())
    engine.settle()
    assert engine.ready == (engine.plan.nodes["d"],)
    assert engine.seen == [set()]


def test_where_tasks_lead_is_deduplicated_and_sorted() -> None:
    engine = engine_for(fan_plan(), set())
    assert [n.name for n in engine.nodes(("c", "b", "c"))] == ["b", "c"]
    b, c = superstep(engine, "b", "c")
    engine.record(b, None, ("d", "b"))
    engine.record(c, None, ("b",))
    engine.settle()
    assert [n.name for n in engine.ready] == ["b", "d"]


def test_routers_of_a_parallel_task_see_its_own_writes_only() -> None:
    seen: list[dict[str, Any]] = []

    def route(state: dict[str, Any]) -> tuple[str, ...]:
        seen.append(dict(state))
        return ()

    plan = Plan(
        "routes",
        ("log", "x"),
        (
            Node("a", UpdatesEvent, plain=lambda s: {"x": 1}, route=route),
            Node("b", UpdatesEvent, plain=lambda s: {"log": ["b"]}),
        ),
        ("a", "b"),
        merge=_merge_log,
    )
    events = list(stream(plan, {"log": []}, "values", False, None))
    assert seen == [{"log": [], "x": 1}]
    assert events[-1] == ValuesEvent({"log": ["b"], "x": 1})


# -- limits, errors, cancellation --------------------------------------------------------


def test_a_recursion_limit_of_n_allows_n_supersteps() -> None:
    loop = Plan("loop", ("log",), (_node("a", then=("a",)),), ("a",), merge=_merge_log)
    with pytest.raises(GraphRecursionError, match="Recursion limit of 3 reached"):
        invoke(loop, {"log": []}, {"recursion_limit": 3})
    three = Plan(
        "three",
        ("log",),
        (_node("a", then=("b",)), _node("b", then=("c",)), _node("c")),
        ("a",),
        merge=_merge_log,
    )
    assert invoke(three, {"log": []}, {"recursion_limit": 4}) == {"log": ["a", "b", "c"]}
    with pytest.raises(GraphRecursionError):
        invoke(three, {"log": []}, {"recursion_limit": 3})


def test_a_failed_task_gets_its_result_event_and_the_error_goes_through() -> None:
    def boom(state: dict[str, Any]) -> None:
        raise ValueError("boom")

    plan = Plan("fails", ("x",), (Node("a", UpdatesEvent, plain=boom),), ("a",))
    events: list[Any] = []
    with pytest.raises(ValueError, match="boom"):
        events.extend(stream(plan, {"x": 1}, "tasks", False, None))
    start, result = events
    assert isinstance(start, TaskEvent) and start.name == "a"
    assert isinstance(result, TaskResultEvent) and repr(result.error) == "ValueError('boom')"
    assert current_task() is None
    assert CURRENT_TASK.get() is None


def test_a_stream_closed_early_runs_no_further_node_and_leaves_no_current_task() -> None:
    ran: list[str] = []

    def visit(name: str) -> Node:
        return Node(name, UpdatesEvent, plain=lambda s: ran.append(name) or {"log": [name]})

    nodes = (visit("a"), visit("b"), visit("c"))
    nodes[0].then, nodes[1].then = ("b",), ("c",)
    plan = Plan("stop", ("log",), nodes, ("a",), merge=_merge_log)
    events = stream(plan, {"log": []}, "updates", False, None)
    assert next(events) == UpdatesEvent("a", {"log": ["a"]})
    events.close()  # type: ignore[attr-defined]
    assert ran == ["a"]
    assert CURRENT_TASK.get() is None


# -- events per mode ---------------------------------------------------------------------


def test_events_of_each_mode_for_a_lone_task() -> None:
    plan = Plan("one", ("x",), (Node("a", UpdatesEvent, plain=lambda s: {"x": 1}),), ("a",))
    for modes, kinds in (
        ({"updates"}, [UpdatesEvent]),
        ({"values"}, [ValuesEvent]),
        ({"updates", "values"}, [UpdatesEvent, ValuesEvent]),
        ({"tasks"}, [TaskEvent, TaskResultEvent]),
        (set(), []),
    ):
        events, _ = run_steps(plan, modes, {})
        assert [type(e) for e in events] == kinds, modes


def test_the_input_values_event_comes_only_when_the_input_wrote_something() -> None:
    plan = Plan("one", ("x",), (Node("a", UpdatesEvent, plain=lambda s: None),), ("a",))
    assert run_steps(plan, {"values"}, {"x": 1})[0] == [ValuesEvent({"x": 1})]
    assert run_steps(plan, {"values"}, {})[0] == []
    assert run_steps(plan, {"updates"}, {"x": 1})[0] == [UpdatesEvent("a", None)]


def test_a_superstep_of_several_tasks_gives_one_values_event_after_its_writes() -> None:
    engine = engine_for(fan_plan(), {"updates", "values"}, {"log": []})
    b, c = superstep(engine, "b", "c")
    assert engine.record(c, {"log": ["c"]}, ()) == (UpdatesEvent("c", {"log": ["c"]}),)
    assert engine.record(b, {"log": ["b"]}, ()) == (UpdatesEvent("b", {"log": ["b"]}),)
    assert engine.settle() == (ValuesEvent({"log": ["b", "c"]}),)


# -- the drivers -------------------------------------------------------------------------


def _collect_async(plan: Plan, modes: Any) -> list[Any]:
    async def main() -> list[Any]:
        run = Run(plan.name, frozenset(modes))
        values, wrote = plan.start({"log": []})
        return [event async for event in adrive(plan, run, values, wrote)]

    return asyncio.run(main())


def _fan_plan_b_first() -> Plan:
    """:func:`fan_plan` whose ``c`` finishes well after ``b``: one order of their updates."""
    b_ran = threading.Event()

    def b(state: Any) -> dict[str, Any]:
        b_ran.set()
        return {"log": ["b"]}

    def c(state: Any) -> dict[str, Any]:
        b_ran.wait(5)
        # b's outcome is on its way to the loop when b returns: c's comes later
        time.sleep(0.05)
        b_ran.clear()
        return {"log": ["c"]}

    return Plan(
        "fan",
        ("log", "x"),
        (
            _node("a", then=("c", "b")),
            Node("b", UpdatesEvent, plain=b, joins=(0,)),
            Node("c", UpdatesEvent, plain=c, joins=(0,)),
            _node("d"),
        ),
        entry=("a",),
        merge=_merge_log,
        joins=((frozenset(("b", "c")), "d"),),
    )


def test_the_sync_and_async_drivers_give_the_same_events() -> None:
    plan = _fan_plan_b_first()
    run = Run(plan.name, frozenset({"updates", "values"}))
    values, wrote = plan.start({"log": []})
    sync = list(drive(plan, run, values, wrote))
    assert sync == _collect_async(plan, {"updates", "values"})
    assert [e.chunk() for e in sync] == [
        {"log": []},
        {"a": {"log": ["a"]}},
        {"log": ["a"]},
        {"b": {"log": ["b"]}},
        {"c": {"log": ["c"]}},
        {"log": ["a", "b", "c"]},
        {"d": {"log": ["d"]}},
        {"log": ["a", "b", "c", "d"]},
    ]


def test_async_nodes_are_awaited_and_refused_by_a_sync_run() -> None:
    async def slow(task: Any, inp: Any, values: Any) -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"log": ["slow"]}

    plan = Plan("aio", ("log",), (Node("slow", UpdatesEvent, acall=slow),), ("slow",))
    assert [e.chunk() for e in _collect_async(plan, {"updates"})] == [{"slow": {"log": ["slow"]}}]
    with pytest.raises(TypeError, match='No synchronous function provided to "slow"'):
        invoke(plan, {"log": []}, None)


def test_a_subgraph_node_runs_its_plan_on_the_shared_keys() -> None:
    child = Plan(
        "child",
        ("log", "private"),
        (Node("inner", UpdatesEvent, plain=lambda s: {"log": ["inner"], "private": 1}),),
        ("inner",),
        merge=_merge_log,
    )
    parent = Plan(
        "parent",
        ("log",),
        (subgraph_node("sub", UpdatesEvent, child, ("log",)),),
        ("sub",),
        merge=_merge_log,
    )
    assert invoke(parent, {"log": ["start"]}, None) == {"log": ["start", "start", "inner"]}
    deep = list(stream(parent, {"log": []}, "updates", True, None))
    assert [(e.ns[0].split(":")[0] if e.ns else "", e.chunk()) for e in deep] == [
        ("sub", {"inner": {"log": ["inner"], "private": 1}}),
        ("", {"sub": {"log": ["inner"]}}),
    ]


def test_the_typed_facade_is_what_its_script_writes() -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/gen_graph_types.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_each_lone_step_reports_its_own_node_though_one_task_object_serves_them_all() -> None:
    plan = Plan("chain", ("log",), (_node("a", then=("b",)), _node("b")), ("a",), merge=_merge_log)
    events = [e for e in stream(plan, {"log": []}, "tasks", False, None)]
    assert [(type(e).__name__, e.name, e.step) for e in events] == [
        ("TaskEvent", "a", 1),
        ("TaskResultEvent", "a", 1),
        ("TaskEvent", "b", 2),
        ("TaskResultEvent", "b", 2),
    ]
    assert events[0].id == events[1].id != events[2].id == events[3].id


def test_a_failing_task_of_a_parallel_superstep_fails_the_run_with_its_events() -> None:
    def boom(state: dict[str, Any]) -> None:
        raise KeyError("b broke")

    plan = Plan(
        "fails",
        ("log",),
        (_node("a"), Node("b", UpdatesEvent, plain=boom)),
        ("a", "b"),
        merge=_merge_log,
    )
    events: list[Any] = []
    with pytest.raises(KeyError, match="b broke"):
        events.extend(stream(plan, {"log": []}, ["tasks", "values"], False, None))
    failed = [e for e in events if isinstance(e, TaskResultEvent) and e.error is not None]
    assert [(e.name, repr(e.error)) for e in failed] == [("b", "KeyError('b broke')")]
    # the writes of a failed superstep are never applied: only the input's values came out
    assert [e.data for e in events if isinstance(e, ValuesEvent)] == [{"log": []}]
    assert CURRENT_TASK.get() is None


def test_an_async_run_cancelled_mid_node_runs_no_further_node() -> None:
    ran: list[str] = []
    started = asyncio.Event()

    async def hang(task: Any, inp: Any, values: Any) -> dict[str, Any]:
        ran.append("hang")
        started.set()
        await asyncio.sleep(10)
        return {"log": ["hang"]}

    plan = Plan(
        "cancel",
        ("log",),
        (Node("hang", UpdatesEvent, acall=hang, then=("after",)), _node("after")),
        ("hang",),
        merge=_merge_log,
    )

    async def main() -> None:
        async def consume() -> None:
            run = Run(plan.name, frozenset({"updates"}))
            async for _ in adrive(plan, run, {"log": []}, False):
                ran.append("event")

        job = asyncio.ensure_future(consume())
        await started.wait()
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(main())
    assert ran == ["hang"]
    assert CURRENT_TASK.get() is None


def test_an_async_run_gives_a_lone_async_nodes_error_its_task_events() -> None:
    async def boom(task: Any, inp: Any, values: Any) -> None:
        raise RuntimeError("async boom")

    plan = Plan("aboom", ("log",), (Node("n", UpdatesEvent, acall=boom),), ("n",))

    async def main() -> list[Any]:
        run = Run(plan.name, frozenset({"tasks"}))
        out: list[Any] = []
        with pytest.raises(RuntimeError, match="async boom"):
            async for event in adrive(plan, run, {"log": []}, False):
                out.append(event)
        return out

    events = asyncio.run(main())
    assert [(type(e).__name__, e.name) for e in events] == [
        ("TaskEvent", "n"),
        ("TaskResultEvent", "n"),
    ]
    assert repr(events[1].error) == "RuntimeError('async boom')"


def test_send_tasks_start_first_and_their_writes_apply_after_the_triggered_nodes() -> None:
    from flowc.runtime.control import Send

    def fan(state: dict[str, Any]) -> tuple[Any, ...]:
        return (Send("work", 1), "zed", Send("work", 2), "tally")

    plan = Plan(
        "push",
        ("log",),
        (
            Node("a", UpdatesEvent, plain=lambda s: {"log": ["a"]}, route=fan),
            Node("work", UpdatesEvent, plain=lambda i: {"log": [f"w{i}"]}),
            _node("tally"),
            _node("zed"),
        ),
        ("a",),
        merge=_merge_log,
    )
    events = list(stream(plan, {"log": []}, ["tasks", "values"], False, None))
    started = [(e.name, e.input, e.triggers) for e in events if isinstance(e, TaskEvent)]
    assert started[1:] == [
        ("work", 1, ("__pregel_push",)),
        ("work", 2, ("__pregel_push",)),
        ("tally", {"log": ["a"]}, ("branch:to:tally",)),
        ("zed", {"log": ["a"]}, ("branch:to:zed",)),
    ]
    ids = [e.id for e in events if isinstance(e, TaskEvent)]
    assert len(set(ids)) == 5, "two Sends to one node are two tasks with ids of their own"
    assert invoke(plan, {"log": []}, None) == {"log": ["a", "tally", "zed", "w1", "w2"]}


def test_a_command_writes_its_update_and_adds_its_goto_to_the_nodes_edges() -> None:
    from flowc.runtime.control import Command

    plan = Plan(
        "cmd",
        ("log",),
        (
            Node(
                "a",
                UpdatesEvent,
                plain=lambda s: Command(update={"log": ["a"]}, goto=["c"]),
                then=("b",),
            ),
            _node("b"),
            _node("c"),
        ),
        ("a",),
        merge=_merge_log,
    )
    first = next(iter(stream(plan, {"log": []}, "updates", False, None)))
    assert first.chunk() == {"a": {"log": ["a"]}}
    assert invoke(plan, {"log": []}, None) == {"log": ["a", "b", "c"]}
    bad = Plan(
        "bad", ("log",), (Node("a", UpdatesEvent, plain=lambda s: Command(goto="x")),), ("a",)
    )
    with pytest.raises(InvalidUpdateError, match="Command to go to 'x', which is not a node"):
        invoke(bad, {"log": []}, None)
