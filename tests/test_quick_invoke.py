"""``invoke`` as a function call (flowc.runtime._quick): the same run, its first steps cheaper.

A root invoke without a config calls the lone supersteps of quiet plain nodes
itself and hands the run to the engine at the first superstep it cannot take.
Each case runs twice: that way, and through the engine alone (a config given,
which the quick path does not take), and both must agree exactly.
"""

from __future__ import annotations

from operator import add
from typing import Any

import pytest

from flowc.runtime import GraphRecursionError, UpdatesEvent, get_config
from flowc.runtime._drive import invoke
from flowc.runtime._engine import Node, Plan
from flowc.runtime._quick import takes
from flowc.runtime.control import Command, Send
from flowc.runtime.errors import InvalidUpdateError


def _merge_log(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = add(values[key], value) if key == "log" and key in values else value


def _quiet(name: str, **kwargs: Any) -> Node:
    """A quiet plain node that appends its name to ``log``."""
    return Node(name, UpdatesEvent, plain=lambda s: {"log": [name]}, streams=False, **kwargs)


def _both(plan: Plan, values: dict[str, Any]) -> tuple[Any, Any]:
    """The result of the quick invoke and of the engine's (a config keeps it off the quick path)."""
    assert takes(plan, values, None)
    quick = invoke(plan, dict(values), None)
    engine = invoke(plan, dict(values), {"recursion_limit": plan.limit})
    return quick, engine


def test_a_chain_of_quiet_nodes_runs_to_the_end() -> None:
    plan = Plan(
        "chain",
        ("log",),
        (_quiet("a", then=("b",)), _quiet("b", then=("c",)), _quiet("c")),
        ("a",),
        merge=_merge_log,
    )
    quick, engine = _both(plan, {"log": []})
    assert quick == engine == {"log": ["a", "b", "c"]}


def test_a_fan_out_and_a_join_go_on_in_the_engine() -> None:
    plan = Plan(
        "fan",
        ("log",),
        (
            _quiet("a", then=("c", "b")),
            _quiet("b", joins=(0,)),
            _quiet("c", joins=(0,)),
            _quiet("d"),
        ),
        ("a",),
        merge=_merge_log,
        joins=((frozenset(("b", "c")), "d"),),
    )
    quick, engine = _both(plan, {"log": []})
    assert quick == engine == {"log": ["a", "b", "c", "d"]}


def test_a_routers_sends_and_a_commands_goto_are_the_engines_next_superstep() -> None:
    def fan(state: dict[str, Any]) -> tuple[Any, ...]:
        return (Send("work", 1), "zed", Send("work", 2), "tally")

    plan = Plan(
        "push",
        ("log",),
        (
            Node(
                "start",
                UpdatesEvent,
                plain=lambda s: Command(update={"log": ["start"]}, goto=["a"]),
                streams=False,
            ),
            Node("a", UpdatesEvent, plain=lambda s: {"log": ["a"]}, route=fan, streams=False),
            Node("work", UpdatesEvent, plain=lambda i: {"log": [f"w{i}"]}, streams=False),
            _quiet("tally"),
            _quiet("zed"),
        ),
        ("start",),
        merge=_merge_log,
    )
    quick, engine = _both(plan, {"log": []})
    assert quick == engine == {"log": ["start", "a", "tally", "zed", "w1", "w2"]}


def test_a_node_that_streams_gets_its_task_from_the_engine() -> None:
    seen: list[str] = []

    def reads_its_config(state: dict[str, Any]) -> dict[str, Any]:
        seen.append(get_config()["metadata"]["langgraph_node"])
        return {"log": ["b"]}

    plan = Plan(
        "mixed",
        ("log",),
        (
            _quiet("a", then=("b",)),
            Node("b", UpdatesEvent, plain=reads_its_config, then=("c",)),
            _quiet("c"),
        ),
        ("a",),
        merge=_merge_log,
    )
    quick, engine = _both(plan, {"log": []})
    assert quick == engine == {"log": ["a", "b", "c"]}
    assert seen == ["b", "b"]


def test_the_recursion_limit_counts_the_quick_steps() -> None:
    def again(state: dict[str, Any]) -> tuple[str, ...]:
        return ("loop",) if len(state["log"]) < 10 else ()

    plan = Plan(
        "loop",
        ("log",),
        (Node("loop", UpdatesEvent, plain=lambda s: {"log": ["x"]}, route=again, streams=False),),
        ("loop",),
        merge=_merge_log,
        recursion_limit=11,
    )
    quick, engine = _both(plan, {"log": []})
    assert quick == engine == {"log": ["x"] * 10}
    # the step after the tenth fails even with nothing left to run, as in LangGraph
    short = Plan(
        "short",
        ("log",),
        (Node("loop", UpdatesEvent, plain=lambda s: {"log": ["x"]}, route=again, streams=False),),
        ("loop",),
        merge=_merge_log,
        recursion_limit=10,
    )
    with pytest.raises(GraphRecursionError) as quick_error:
        invoke(short, {"log": []}, None)
    with pytest.raises(GraphRecursionError) as engine_error:
        invoke(short, {"log": []}, {"recursion_limit": 10})
    assert str(quick_error.value) == str(engine_error.value)
    assert "Recursion limit of 10 reached" in str(quick_error.value)


def test_a_bad_goto_fails_as_in_the_engine() -> None:
    plan = Plan(
        "bad",
        ("log",),
        (
            _quiet("a", then=("b",)),
            Node(
                "b", UpdatesEvent, plain=lambda s: Command(goto=Send("nowhere", 1)), streams=False
            ),
        ),
        ("a",),
        merge=_merge_log,
    )
    with pytest.raises(InvalidUpdateError) as quick_error:
        invoke(plan, {"log": []}, None)
    with pytest.raises(InvalidUpdateError) as engine_error:
        invoke(plan, {"log": []}, {"recursion_limit": 25})
    assert str(quick_error.value) == str(engine_error.value)
    assert "'b' sent a task to 'nowhere'" in str(quick_error.value)


def test_a_node_error_is_raised_as_it_was_raised() -> None:
    def boom(state: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("missing")

    plan = Plan(
        "boom",
        ("log",),
        (_quiet("a", then=("b",)), Node("b", UpdatesEvent, plain=boom, streams=False)),
        ("a",),
    )
    with pytest.raises(KeyError, match="missing"):
        invoke(plan, {"log": []}, None)


def test_a_run_inside_a_node_or_with_a_config_is_not_quick() -> None:
    plan = Plan("one", ("log",), (_quiet("a"),), ("a",))
    assert takes(plan, {"log": []}, None)
    assert takes(plan, {"log": []}, {})
    assert not takes(plan, {"log": []}, {"recursion_limit": 5})
    assert not takes(plan, None, None)
    inner: list[bool] = []
    outer = Plan(
        "outer",
        ("log",),
        (Node("n", UpdatesEvent, plain=lambda s: inner.append(takes(plan, {}, None)) or None),),
        ("n",),
    )
    invoke(outer, {"log": []}, None)
    assert inner == [False]


def test_past_the_limit_no_node_runs_once_more() -> None:
    calls: list[str] = []

    def counted(state: dict[str, Any]) -> dict[str, Any]:
        calls.append("x")
        return {"log": ["x"]}

    plan = Plan(
        "forever",
        ("log",),
        (Node("loop", UpdatesEvent, plain=counted, then=("loop",), streams=False),),
        ("loop",),
        merge=_merge_log,
        recursion_limit=5,
    )
    with pytest.raises(GraphRecursionError):
        invoke(plan, {"log": []}, None)
    quick = len(calls)
    calls.clear()
    with pytest.raises(GraphRecursionError):
        invoke(plan, {"log": []}, {"recursion_limit": 5})
    assert quick == len(calls) == 5
