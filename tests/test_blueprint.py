"""One builder core: both builders make a frozen Blueprint that one lowering turns into a
GraphSpec and its source map."""

from __future__ import annotations

import dataclasses
import inspect
from typing import TypedDict

import pytest

from flowc import END, START, Graph
from flowc.dsl.blueprint import Blueprint, Part, Schema, lower
from flowc.dsl.diagnostics import Span
from flowc.dsl.spec import EdgeSpec, NodeSpec, StateSpec
from flowc.langgraph import StateGraph
from flowc.langgraph._lower import blueprint_tree


class State(TypedDict):
    topic: str


def shout(state: State) -> State:
    return {"topic": state["topic"].upper()}


def test_lower_places_each_parts_spans_under_the_parts_place() -> None:
    at = Span("g.py", 3, 5, 9)
    bp = Blueprint(
        name="g",
        file="g.py",
        state=StateSpec.model_validate({"class": "m:State"}),
        nodes=(Part(NodeSpec(name="a", call="m:a"), (((), at), (("call",), at))),),
        edges=(Part(EdgeSpec(sources=("__start__",), targets=("a",)), ((("to",), at),)),),
        schemas=(Part(Schema("input", ("topic",)), (((), at),)),),
        options=(("recursion_limit", 7),),
        spans=((("graph", "name"), at),),
        texts=(("g.py", ("line",)),),
    )
    spec, smap = lower(bp)
    assert spec.input_keys == ("topic",)
    assert spec.recursion_limit == 7
    assert spec.model_fields_set >= {"recursion_limit", "input_keys"}
    assert "description" not in spec.model_fields_set
    assert smap.spans == {
        ("graph", "name"): at,
        ("nodes", "a"): at,
        ("nodes", "a", "call"): at,
        ("edges", 0, "to"): at,
        ("graph", "input_keys"): at,
    }
    assert smap.texts == {"g.py": ["line"]}


def test_a_blueprint_is_frozen() -> None:
    bp = Blueprint(name="g", file="g.py", state=StateSpec())
    with pytest.raises(dataclasses.FrozenInstanceError):
        bp.name = "h"  # type: ignore[misc]


def test_the_decorator_graph_lowers_through_its_blueprint() -> None:
    graph = Graph("deco", State)
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    graph.add_node(shout)
    graph.add_edge(START, "shout")
    graph.add_edge("shout", END)
    bp = graph.blueprint()
    assert [part.spec.name for part in bp.nodes] == ["shout"]
    # the node's span is the add_node call's argument, its callable's too
    node_spans = dict(bp.nodes[0].spans)
    assert (node_spans[()].line, node_spans[("call",)].line) == (line, line)
    assert [dict(edge.spans)[("to",)].line for edge in bp.edges] == [line + 1, line + 2]
    spec, smap, diags = graph.to_spec()
    assert diags == ()
    assert (spec, smap.spans) == (lower(bp)[0], lower(bp)[1].spans)


def test_the_drop_in_builder_lowers_through_a_blueprint_of_its_own_conventions() -> None:
    child = StateGraph(State)
    child.add_node(shout)
    child.add_edge(START, "shout")
    parent = StateGraph(State)
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    parent.add_node("sub", child.compile())
    parent.add_edge(START, "sub")
    parent.add_edge("sub", END)
    compiled = parent.compile()
    made, diags, _, _ = blueprint_tree(compiled.blueprint)
    assert diags == []
    # every part's span is the whole builder call; an edge's ends are the call too
    assert [dict(node.spans)[()].line for node in made.nodes] == [line]
    edge_spans = dict(made.edges[0].spans)
    assert edge_spans[()] == edge_spans[("from",)] == edge_spans[("to",)]
    assert edge_spans[()].line == line + 1
    # the subgraph's blueprint travels in the tree, under the reference its node names
    ((ref, sub),) = made.tree()
    assert made.nodes[0].spec.subgraph == ref
    assert ref.startswith("<StateGraph ")
    assert [node.spec.name for node in sub.nodes] == ["shout"]
    assert compiled.invoke({"topic": "cats"}) == {"topic": "CATS"}
