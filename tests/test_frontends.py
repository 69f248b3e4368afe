"""Both front ends give the same GraphSpec for the same graph.

Each example spec of ``specs/`` listed here has a decorator twin in
``specs/flowc_demo/<name>_graph.py``; loading the two gives equal
:class:`GraphSpec` values, both check, and they generate the same runner
modules (but for the banner line, which names where the spec came from).
"""

from __future__ import annotations

import pytest

from flowc import build
from flowc.codegen import generate
from flowc.dsl.load import check_target, load_target
from flowc.dsl.spec import END, START, EdgeSpec, GraphSpec

from .conftest import ROOT

TWINS = [
    "joke",
    "parallel_join",
    "loop",
    "custom_writer",
    "async_writer",
    "any_llm",
    "state_typeddict",
    "messages_call_model",
    "approval",
    "mapreduce",
    "policies",
    "context",
    "error_handler",
    "io_schemas",
]


def _spec(target: str) -> GraphSpec:
    loaded, _ = load_target(target)
    assert loaded.diagnostics == (), loaded.diagnostics
    assert loaded.spec is not None
    return loaded.spec


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", TWINS)
def test_toml_spec_and_decorator_twin_give_equal_graph_specs(name: str) -> None:
    toml = _spec(f"specs/{name}.toml")
    python = _spec(f"flowc_demo.{name}_graph:graph")
    assert python == toml
    assert python.digest() == toml.digest()


@pytest.mark.parametrize("name", TWINS)
def test_twins_check_and_generate_the_same_modules(name: str) -> None:
    toml = check_target(f"specs/{name}.toml")
    python = check_target(f"flowc_demo.{name}_graph:graph")
    assert toml.diagnostics == python.diagnostics == ()
    assert toml.graph is not None and python.graph is not None
    from_toml = {f.name: f.text.split("\n", 1)[1] for f in generate(toml.graph)}
    from_python = {f.name: f.text.split("\n", 1)[1] for f in generate(python.graph)}
    assert from_python == from_toml


def test_a_decorator_twin_streams_what_its_toml_spec_streams() -> None:
    from flowc_demo.loop_graph import graph

    toml = build(ROOT / "specs" / "loop.toml")
    python = build(graph)
    run = {"count": 0, "target": 3}
    assert [e.data for e in python.stream(dict(run), stream_mode="values")] == [
        e.data for e in toml.stream(dict(run), stream_mode="values")
    ]
    assert python.invoke(dict(run)) == {"count": 3, "target": 3, "history": [1, 2, 3]}


def test_breakpoints_read_alike_in_both_front_ends() -> None:
    from flowc.dsl.decorators import Graph
    from flowc.dsl.toml_loader import load_toml

    text = (
        '[graph]\nname = "g"\ninterrupt_before = "*"\ninterrupt_after = ["a"]\n'
        '[state.fields]\nx = "int"\n'
    )
    toml = load_toml(text, "g.toml")
    assert toml.spec is not None
    assert (toml.spec.interrupt_before, toml.spec.interrupt_after) == (("*",), ("a",))
    graph = Graph("g", fields={"x": int}, interrupt_before="*", interrupt_after=["a"])
    spec, _, diags = graph.to_spec()
    assert (spec.interrupt_before, spec.interrupt_after, diags) == (("*",), ("a",), ())


def test_fan_out_edges_are_one_edge_per_target_in_both_front_ends() -> None:
    spec = _spec("specs/parallel_join.toml")
    assert spec.edges[:3] == tuple(
        EdgeSpec(sources=(START,), targets=(t,)) for t in ("alpha", "mid", "zeta")
    )
    assert spec.edges[3] == EdgeSpec(sources=("alpha", "mid", "zeta"), targets=("summarize",))
    assert spec.edges[4] == EdgeSpec(sources=("summarize",), targets=(END,))


def test_reducers_keep_the_short_name_toml_uses() -> None:
    toml = _spec("specs/loop.toml")
    python = _spec("flowc_demo.loop_graph:graph")
    assert (
        [f.reducer for f in toml.state.fields]
        == [f.reducer for f in python.state.fields]
        == [None, None, "add"]
    )
