"""Which nodes can stream while they run (flowc.dsl.streams), and what the engine does with it.

A node proven quiet runs in the superstep loop in every mode; anything the
analysis cannot see through counts as streaming, so that no event is ever
delivered later than LangGraph delivers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

import pytest

import flowc
from flowc import END, START, Graph
from flowc.dsl.diagnostics import DiagnosticError
from flowc.dsl.streams import may_stream
from flowc.runtime import CustomEvent, UpdatesEvent, get_stream_writer
from flowc.runtime._drive import stream
from flowc.runtime._engine import Node, Plan

from .streams_support import nodes

QUIET = [
    "plain",
    "builtins_and_values",
    "standard_library",
    "state_classes",
    "through_a_quiet_helper",
    "recursive",
    "quiet_lambda",
    "quiet_partial",
    "quiet_closure",
]
LOUD = [
    "writes",
    "through_a_helper",
    "through_a_module_attribute",
    "looked_up_at_run_time",
    "calls_a_parameter",
    "calls_an_unknown_method",
    "third_party",
    "makes_a_loud_object",
    "generator",
    "decorated",
    "takes_a_writer",
    "loud_lambda",
    "loud_partial",
    "loud_closure",
]


@pytest.mark.parametrize("name", QUIET)
def test_a_node_that_calls_only_quiet_code_is_proven_quiet(name: str) -> None:
    assert may_stream(getattr(nodes, name)) is False


@pytest.mark.parametrize("name", LOUD)
def test_a_node_that_streams_or_cannot_be_seen_through_may_stream(name: str) -> None:
    assert may_stream(getattr(nodes, name)) is True


def test_bound_methods_and_callable_objects() -> None:
    assert may_stream(nodes.counter.quiet) is False
    # a method of `self` is an unknown object's method
    assert may_stream(nodes.counter.calls_itself) is True
    # an instance is called through its class's __call__, which the analysis does not follow
    assert may_stream(nodes.counter) is True


def test_a_node_is_quiet_only_if_its_routers_are() -> None:
    assert may_stream(nodes.plain, nodes.quiet_lambda) is False
    assert may_stream(nodes.plain, nodes.writes) is True


class State(TypedDict):
    n: int


def _built(*fns: Any) -> Any:
    graph = Graph("analysed", State)
    for fn in fns:
        graph.node(fn)
    graph.sequence(START, *(fn.__name__ for fn in fns), END)
    return flowc.build(graph)


def test_the_generated_plan_marks_only_proven_nodes_quiet() -> None:
    module = _built(nodes.plain, nodes.takes_a_writer, nodes.writes)
    streams = {name: node.streams for name, node in module.PLAN.nodes.items()}
    assert streams == {"plain": False, "takes_a_writer": True, "writes": True}


def test_quiet_nodes_run_on_the_callers_thread_and_streaming_ones_live_in_custom_mode() -> None:
    nodes.WHERE.clear()
    module = _built(nodes.quiet, nodes.loud)
    chunks = list(module.stream_chunks({"n": 0}, stream_mode=["custom", "updates"]))
    assert chunks == [
        ("updates", {"quiet": {"n": 1}}),
        ("custom", {"at": 1}),
        ("updates", {"loud": {"n": 2}}),
    ]
    assert nodes.WHERE == {"quiet": True, "loud": False}


def test_a_node_wrongly_marked_quiet_still_delivers_its_events_before_its_update() -> None:
    def loud(state: dict[str, Any]) -> dict[str, Any]:
        get_stream_writer()("first")
        get_stream_writer()("second")
        return {"n": state["n"] + 1}

    plan = Plan(
        "marked", ("n",), (Node("loud", UpdatesEvent, plain=loud, streams=False),), ("loud",)
    )
    events = list(stream(plan, {"n": 0}, ["custom", "updates"], False, None))
    assert events == [
        CustomEvent("first", ()),
        CustomEvent("second", ()),
        UpdatesEvent("loud", {"n": 1}, ()),
    ]


def _plan_streams(module: Any) -> dict[str, bool]:
    return {name: node.streams for name, node in module.PLAN.nodes.items()}


def test_a_declared_streams_overrides_the_analysis_in_the_decorator_dsl() -> None:
    graph = Graph("declared", State)
    graph.add_node(nodes.plain, streams=True)
    graph.add_node(nodes.writes, streams=False)
    graph.sequence(START, "plain", "writes", END)
    module = flowc.build(graph)
    assert _plan_streams(module) == {"plain": True, "writes": False}
    # forced into the loop, the writing node's events still come, before its update
    assert list(module.stream_chunks({"n": 0}, stream_mode=["custom", "updates"])) == [
        ("updates", {"plain": {"n": 1}}),
        ("custom", {"n": 1}),
        ("updates", {"writes": {"n": 1}}),
    ]


def test_a_declared_streams_overrides_the_analysis_in_toml(tmp_path: Path) -> None:
    spec = tmp_path / "declared.toml"
    spec.write_text(
        "\n".join(
            [
                "[graph]",
                'name = "declared_toml"',
                "[state.fields]",
                'n = "int"',
                "[nodes.plain]",
                'call = "tests.streams_support.nodes:plain"',
                "streams = true",
                "[nodes.writes]",
                'call = "tests.streams_support.nodes:writes"',
                "streams = false",
                "[[edges]]",
                'chain = ["START", "plain", "writes", "END"]',
            ]
        ),
        encoding="utf-8",
    )
    assert _plan_streams(flowc.build(spec)) == {"plain": True, "writes": False}


def test_a_streams_that_is_not_a_bool_is_an_error_at_its_value() -> None:
    graph = Graph("wrongly_declared", State)
    graph.add_node(nodes.plain, streams="no")  # type: ignore[arg-type]  # mark: streams
    graph.sequence(START, "plain", END)
    with pytest.raises(DiagnosticError) as info:
        flowc.build(graph)
    diag = info.value.diagnostics[0]
    assert (diag.code, diag.message) == (
        "E004",
        "node `plain`: `streams` must be True or False, not a string",
    )
    assert diag.span is not None
    source = Path(__file__).read_text(encoding="utf-8").splitlines()
    assert "# mark: streams" in source[diag.span.line - 1]
    assert source[diag.span.line - 1][diag.span.col - 1 :].startswith('"no"')
