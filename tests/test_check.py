"""The checker's analyses: what they flag, and what they must not flag."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Literal, TypedDict

from flowc import END, START, Graph
from flowc.dsl.checker import check
from flowc.dsl.diagnostics import SourceMap
from flowc.dsl.load import check_graph
from flowc.dsl.spec import EdgeSpec, FieldSpec, GraphSpec, NodeSpec, StateSpec

if TYPE_CHECKING:  # the types flowc generates for the spec of `test_generated_types...`
    from generated.typed_types import (  # type: ignore[import-not-found]
        RefineUpdate,
        TypedState,
    )

HERE = "tests.test_check"


class State(TypedDict, total=False):
    topic: str
    mood: str
    log: Annotated[list[str], operator.add]


class TopicWrite(TypedDict):
    topic: str


class MaybeTopic(TypedDict, total=False):
    topic: str


class LogWrite(TypedDict):
    log: list[str]


def writes_topic(state: State) -> TopicWrite:
    return {"topic": "t"}


def may_write_topic(state: State) -> MaybeTopic:
    return {}


def writes_log(state: State) -> LogWrite:
    return {"log": ["x"]}


def quiet(state: State) -> None:
    return None


def both_ways(state: State) -> Sequence[Literal["a", "b"]]:
    return ["a", "b"]


def one_way(state: State) -> Literal["a", "b"]:
    return "a"


def loop_or_end(state: State) -> Literal["a", "__end__"]:
    return "__end__"


def any_state(state: dict[str, object]) -> None:
    return None


def _graph(nodes: dict[str, object], *edges: tuple[str, str]) -> Graph[State]:
    graph = Graph("g", State)
    for name, fn in nodes.items():
        graph.add_node(name, fn)  # type: ignore[arg-type]
    for src, dst in edges:
        graph.add_edge(src, dst)
    return graph


def _codes(graph: Graph[State]) -> list[str]:
    return [d.code for d in check_graph(graph).diagnostics]


# -- two writers in one superstep --------------------------------------------------------


def test_parallel_nodes_that_both_write_a_last_value_key_are_refused() -> None:
    graph = _graph({"a": writes_topic, "b": writes_topic}, (START, "a"), (START, "b"))
    diags = check_graph(graph).diagnostics
    assert [(d.code, d.message) for d in diags] == [
        (
            "E401",
            "nodes `a` and `b` can run in the same superstep and both write `topic`, "
            "which keeps only the last value",
        )
    ]


def test_parallel_writes_to_a_reducer_key_are_fine() -> None:
    assert _codes(_graph({"a": writes_log, "b": writes_log}, (START, "a"), (START, "b"))) == []


def test_keys_a_node_only_may_write_are_not_a_conflict() -> None:
    # total=False: the node may leave `topic` alone, so LangGraph need not fail
    graph = _graph({"a": writes_topic, "b": may_write_topic}, (START, "a"), (START, "b"))
    assert _codes(graph) == []


def test_writers_in_different_supersteps_are_fine() -> None:
    graph = _graph(
        {"a": quiet, "b": writes_topic, "c": writes_topic}, (START, "a"), ("a", "b"), (START, "c")
    )
    assert _codes(graph) == []


def test_a_router_returning_several_targets_runs_them_together() -> None:
    graph = _graph({"s": quiet, "a": writes_topic, "b": writes_topic}, (START, "s"))
    graph.add_conditional_edges("s", both_ways)
    assert _codes(graph) == ["E401"]
    single = _graph({"s": quiet, "a": writes_topic, "b": writes_topic}, (START, "s"))
    single.add_conditional_edges("s", one_way)
    assert _codes(single) == []


def test_a_join_target_runs_in_its_own_superstep() -> None:
    graph = _graph(
        {"a": quiet, "b": quiet, "c": writes_topic, "d": writes_topic},
        (START, "a"),
        (START, "b"),
        ("a", "c"),
    )
    graph.add_edge(["a", "b"], "d")
    # c and d both run in the step after a and b
    assert _codes(graph) == ["E401"]


# -- termination -----------------------------------------------------------------------


def test_a_dead_region_is_reported_where_runs_enter_it() -> None:
    graph = _graph({"a": quiet, "b": quiet, "c": quiet}, (START, "a"), ("a", "b"), ("b", "c"))
    graph.add_conditional_edges("c", one_way, {"a": "b", "b": "c"})
    diags = check_graph(graph).diagnostics
    assert [(d.code, d.message) for d in diags] == [
        ("E202", "a run that reaches node `a` can never end")
    ]


def test_a_router_with_an_end_target_makes_a_loop_finite() -> None:
    graph = _graph({"a": quiet}, (START, "a"))
    graph.add_conditional_edges("a", loop_or_end)
    assert _codes(graph) == []


def test_every_cycle_of_plain_edges_is_reported_once() -> None:
    graph = _graph(
        {"a": quiet, "b": quiet, "c": quiet, "d": quiet},
        (START, "a"),
        ("a", "b"),
        ("b", "a"),
        (START, "c"),
        ("c", "d"),
        ("d", "c"),
    )
    messages = [d.message for d in check_graph(graph).diagnostics]
    assert messages == [
        "cycle with no conditional exit: a → b → a",
        "cycle with no conditional exit: c → d → c",
    ]


def test_a_join_may_lead_to_end() -> None:
    graph = _graph({"a": quiet, "b": quiet}, (START, "a"), (START, "b"))
    graph.add_edge(["a", "b"], END)
    assert _codes(graph) == []


def test_a_long_chain_checks_without_recursion() -> None:
    spec = GraphSpec(
        name="chain",
        state=StateSpec(fields=(FieldSpec(name="topic", type="str"),)),
        nodes=tuple(NodeSpec(name=f"n{i}", call=f"{HERE}:any_state") for i in range(3000)),
        edges=(
            EdgeSpec(sources=(START,), targets=("n0",)),
            *(EdgeSpec(sources=(f"n{i}",), targets=(f"n{i + 1}",)) for i in range(2999)),
            EdgeSpec(sources=("n2999",), targets=("n0",)),
        ),
    )
    result = check(spec, SourceMap("<chain>"), "<chain>")
    assert [d.message for d in result.diagnostics] == [
        "cycle with no conditional exit: " + " → ".join(f"n{i}" for i in [*range(3000), 0])
    ]


# -- partial results -------------------------------------------------------------------


def test_a_bad_field_type_does_not_hide_the_nodes_mistakes() -> None:
    spec = GraphSpec(
        name="partial",
        state=StateSpec(
            fields=(FieldSpec(name="topic", type="Strr"), FieldSpec(name="mood", type="str"))
        ),
        nodes=(NodeSpec(name="a", call=f"{HERE}:writes_log"),),
        edges=(
            EdgeSpec(sources=(START,), targets=("a",)),
            EdgeSpec(sources=("a",), targets=(END,)),
        ),
    )
    result = check(spec, SourceMap("<partial>"), "<partial>")
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("E302", "type `Strr` does not resolve: unknown type name `Strr`"),
        ("E305", "node `a` takes `State`, whose key `log` is not in the state"),
    ]
    assert result.graph is None


def _check_text(text: str) -> list[str]:
    from flowc.dsl.load import load_subgraph
    from flowc.dsl.toml_loader import load_toml

    origin = "tests/specs_with_errors/uses_child.toml"
    loaded = load_toml(text, origin)
    assert loaded.spec is not None
    result = check(loaded.spec, loaded.source_map, origin, load_subgraph=load_subgraph)
    return [f"{d.span}: {d.code}" for d in result.diagnostics]


def test_a_subgraph_used_twice_reports_its_mistakes_once() -> None:
    head = '[graph]\nname = "uses_child"\n[state.fields]\ntopic = "str"\n'
    child = 'subgraph = "children/child_broken.toml"\n'
    once = _check_text(f'{head}[nodes.x]\n{child}[[edges]]\nchain = ["START", "x", "END"]\n')
    twice = _check_text(
        f'{head}[nodes.x]\n{child}[nodes.y]\n{child}[[edges]]\nchain = ["START", "x", "y", "END"]\n'
    )
    assert once == twice == ["tests/specs_with_errors/children/child_broken.toml:13:24: E104"]


def test_a_subgraph_node_declares_its_interrupts_but_not_its_writes() -> None:
    # what its subgraph's interrupts ask and take it may declare; what it writes is its
    # subgraph's, refused at the key
    head = '[graph]\nname = "uses_child"\n[state.fields]\ntopic = "str"\n'
    edges = '[[edges]]\nchain = ["START", "x", "END"]\n'
    node = '[nodes.x]\nsubgraph = "children/child_ok.toml"\ninterrupts = "str"\nresumes = "int"\n'
    assert _check_text(f"{head}{node}{edges}") == []
    node = '[nodes.x]\nsubgraph = "children/child_ok.toml"\nwrites = ["topic"]\n'
    assert _check_text(f"{head}{node}{edges}") == [
        "tests/specs_with_errors/uses_child.toml:7:10: E004",
    ]


# -- annotations naming generated types -------------------------------------------------


def refine(state: TypedState) -> RefineUpdate:
    return {"topic": state["topic"]}


def test_node_annotations_may_name_the_types_flowc_generates() -> None:
    spec = GraphSpec(
        name="typed",
        state=StateSpec(fields=(FieldSpec(name="topic", type="str"),)),
        nodes=(NodeSpec(name="refine", call=f"{HERE}:refine", writes=("topic",)),),
        edges=(
            EdgeSpec(sources=(START,), targets=("refine",)),
            EdgeSpec(sources=("refine",), targets=(END,)),
        ),
    )
    result = check(spec, SourceMap("<typed>"), "<typed>")
    assert result.diagnostics == ()
    assert result.graph is not None
    assert result.graph.node("refine").writes == ("topic",)
