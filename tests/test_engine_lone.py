"""The engine's lone-task step and its first superstep, on hand-built plans.

A lone task that returns a plain dict of state keys takes the short path; a
``Command``, a list of updates or ``None`` takes the outcome path; both must
lead to the same places and keep the state's keys in declaration order. The
first superstep of START's plain edges is sorted once per plan, and every
run of the plan starts with it.
"""

from __future__ import annotations

from typing import Any

from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import invoke, stream
from flowc.runtime._engine import Node, Plan
from flowc.runtime.control import Command


def _writes(name: str, key: str = "log") -> Node:
    """A node that writes its name into ``key`` (the plan's fields say the key order)."""
    return Node(name, UpdatesEvent, plain=lambda state: {key: name})


def _names(plan: Plan, input: dict[str, Any]) -> list[str]:
    return [event.node for event in stream(plan, input, "updates", False, None)]


def test_every_run_of_a_plan_starts_with_starts_edges_in_name_order() -> None:
    plan = Plan("fan", ("log",), (_writes("c"), _writes("b"), _writes("a")), entry=("c", "b"))
    assert plan.entry_ready is None
    assert sorted(_names(plan, {})) == ["b", "c"]
    assert [node.name for node in plan.entry_ready or ()] == ["b", "c"]
    # the second run takes the superstep the first made
    assert [e.data for e in stream(plan, {}, "updates", False, None)] == [
        {"log": "b"},
        {"log": "c"},
    ]
    assert invoke(plan, {"log": ""}, None) == {"log": "c"}


def test_a_first_write_of_a_key_by_a_lone_task_keeps_the_declaration_order() -> None:
    plan = Plan(
        "order",
        ("a", "b", "c"),
        (Node("n", UpdatesEvent, plain=lambda state: {"a": 1}, then=("m",)), _writes("m", "b")),
        ("n",),
    )
    result = invoke(plan, {"c": 3}, None)
    assert list(result.items()) == [("a", 1), ("b", "m"), ("c", 3)]


def test_a_lone_tasks_command_goes_to_its_router_and_its_goto() -> None:
    seen: list[dict[str, Any]] = []

    def router(values: dict[str, Any]) -> tuple[str, ...]:
        seen.append(dict(values))
        return ("b",)

    plan = Plan(
        "routed",
        ("log",),
        (
            Node(
                "a",
                UpdatesEvent,
                plain=lambda s: Command(update={"log": "a"}, goto="c"),
                route=router,
            ),
            _writes("b"),
            _writes("c"),
        ),
        ("a",),
    )
    events = list(stream(plan, {"log": ""}, "updates", False, None))
    assert [(e.node, e.data) for e in events] == [
        ("a", {"log": "a"}),
        ("b", {"log": "b"}),
        ("c", {"log": "c"}),
    ]
    # the router saw the Command's update applied
    assert seen == [{"log": "a"}]


def test_a_lone_task_that_writes_nothing_goes_on_along_its_edges() -> None:
    plan = Plan(
        "quiet",
        ("log",),
        (Node("a", UpdatesEvent, plain=lambda s: None, then=("b",)), _writes("b")),
        ("a",),
    )
    events = list(stream(plan, {"log": "in"}, "updates", False, None))
    assert [(e.node, e.data) for e in events] == [("a", None), ("b", {"log": "b"})]


def test_a_lone_tasks_direct_router_names_the_next_node_after_a_plain_write() -> None:
    def again(values: dict[str, Any]) -> tuple[str, ...]:
        return ("tick",) if values["count"] < 3 else ()

    plan = Plan(
        "loop",
        ("count",),
        (Node("tick", UpdatesEvent, plain=lambda s: {"count": s["count"] + 1}, route=again),),
        ("tick",),
    )
    assert [e.data for e in stream(plan, {"count": 0}, "updates", False, None)] == [
        {"count": 1},
        {"count": 2},
        {"count": 3},
    ]
