"""The TOML front end: text → GraphSpec, with the position of every part it read."""

from __future__ import annotations

from flowc.dsl.diagnostics import SourceMap, Span
from flowc.dsl.spec import END, START, BranchSpec, DefaultValue, EdgeSpec, FieldSpec, NodeSpec
from flowc.dsl.toml_loader import KEY, index_positions, load_toml

SPEC = """\
# every feature once
[graph]
name = "demo"
description = "All of it."
recursion_limit = 50
custom_type = "dict[str,  Any]"

[state]
kind = "dataclass"

[state.fields]
topic = "str"
count = { type = "int", default = 0, description = "how many" }
log = { type = "list[ str ]", reducer = "add" }

[nodes.refine]
call = "pkg.mod:refine"
tags = ["a", "b"]
metadata = { owner = "me", level = 2 }
writes = ["topic"]
writer = true
custom_type = "str"

[nodes."child"]
subgraph = "child.toml"

[[edges]]
chain = ["START", "refine", "child"]

[[edges]]
from = "child"
to = [
    "refine",  # back again
    "END",
]

[[edges]]
from = ["refine", "child"]
to = "END"

[[branches]]
from = "refine"
router = "pkg.mod:route"
path_map = { yes = "child", no = "END" }
"""


def _under(span: Span | None) -> str:
    """The text a span covers in SPEC."""
    assert span is not None and span.end_col is not None
    return SPEC.splitlines()[span.line - 1][span.col - 1 : span.end_col - 1]


def test_every_feature_becomes_spec_data() -> None:
    result = load_toml(SPEC, "demo.toml")
    assert result.diagnostics == ()
    spec = result.spec
    assert spec is not None
    assert (spec.name, spec.description, spec.recursion_limit) == ("demo", "All of it.", 50)
    # type expressions are kept in one spelling, whatever the spacing
    assert spec.custom_type == "dict[str, Any]"
    assert spec.state.kind == "dataclass"
    assert spec.state.fields == (
        FieldSpec(name="topic", type="str"),
        FieldSpec(name="count", type="int", default=DefaultValue(value=0), description="how many"),
        FieldSpec(name="log", type="list[str]", reducer="add"),
    )
    assert spec.nodes == (
        NodeSpec(
            name="refine",
            call="pkg.mod:refine",
            tags=("a", "b"),
            metadata={"owner": "me", "level": 2},
            writes=("topic",),
            writer=True,
            custom_type="str",
        ),
        NodeSpec(name="child", subgraph="child.toml"),
    )
    # chains and fan-outs become one edge per target; a join keeps its sources together
    assert spec.edges == (
        EdgeSpec(sources=(START,), targets=("refine",)),
        EdgeSpec(sources=("refine",), targets=("child",)),
        EdgeSpec(sources=("child",), targets=("refine",)),
        EdgeSpec(sources=("child",), targets=(END,)),
        EdgeSpec(sources=("refine", "child"), targets=(END,)),
    )
    assert spec.branches == (
        BranchSpec(source="refine", router="pkg.mod:route", path_map={"yes": "child", "no": END}),
    )


def test_split_edges_point_back_at_what_was_written() -> None:
    result = load_toml(SPEC, "demo.toml")
    where = result.source_map
    # the second edge of the chain: `refine` → `child`
    assert where.get(("edges", 1, "from", 0)) == Span("demo.toml", 28, 19, 27)
    assert where.get(("edges", 1, "to", 0)) == Span("demo.toml", 28, 29, 36)
    assert _under(where.get(("edges", 1, "to", 0))) == '"child"'
    # the fan-out's second target, on its own line of a multi-line array
    assert where.get(("edges", 3, "to", 0)) == Span("demo.toml", 34, 5, 10)
    assert _under(where.get(("edges", 3, "to", 0))) == '"END"'
    assert where.get(("edges", 4, "from", 1)) == Span("demo.toml", 38, 19, 26)


def test_positions_of_tables_keys_values_and_elements() -> None:
    smap = SourceMap("demo.toml")
    index_positions(SPEC.splitlines(), smap)
    assert smap.get(("graph",)) == Span("demo.toml", 2, 2, 7)
    assert smap.get(("graph", "name")) == Span("demo.toml", 3, 8, 14)
    assert smap.get(("graph", "name", KEY)) == Span("demo.toml", 3, 1, 5)
    assert smap.get(("state", "fields", "count", "default")) == Span("demo.toml", 13, 35, 36)
    assert smap.get(("state", "fields", "count")) == Span("demo.toml", 13, 1, 6)
    assert smap.get(("nodes", "refine")) == Span("demo.toml", 16, 8, 14)
    assert smap.get(("nodes", "refine", "tags", 1)) == Span("demo.toml", 18, 14, 17)
    assert smap.get(("nodes", "refine", "metadata", "level")) == Span("demo.toml", 19, 36, 37)
    assert smap.get(("nodes", "child")) == Span("demo.toml", 24, 8, 15)
    assert smap.get(("edges", 1)) == Span("demo.toml", 30, 3, 8)
    assert smap.get(("branches", 0, "path_map", "no")) == Span("demo.toml", 44, 34, 39)
    assert _under(smap.get(("branches", 0, "path_map", "no"))) == '"END"'
    # a lookup falls back to the nearest part that has a place
    assert smap.get(("nodes", "refine", "call", "return")) == smap.get(("nodes", "refine", "call"))


def test_positions_count_characters_not_bytes() -> None:
    text = '[graph]\nname = "café"\ndescription = "ünïcode"\n'
    smap = SourceMap("u.toml")
    index_positions(text.splitlines(), smap)
    assert smap.get(("graph", "description")) == Span("u.toml", 3, 15, 24)


def test_multi_line_strings_and_comments_do_not_confuse_positions() -> None:
    text = '[graph]\ndescription = """\n[nodes.fake]\nname = "x"\n"""  # done\nname = "real" # trailing\n'
    smap = SourceMap("m.toml")
    index_positions(text.splitlines(), smap)
    assert ("nodes", "fake") not in smap.spans
    assert smap.get(("graph", "name")) == Span("m.toml", 6, 8, 14)


def test_start_and_end_are_spelt_in_capitals_in_toml() -> None:
    text = '[graph]\nname = "g"\n[state.fields]\nx = "int"\n[[edges]]\nfrom = "START"\nto = "END"\n'
    result = load_toml(text, "g.toml")
    assert result.spec is not None
    assert result.spec.edges == (EdgeSpec(sources=(START,), targets=(END,)),)


def test_a_state_class_with_kind_is_refused() -> None:
    text = '[graph]\nname = "g"\n[state]\nclass = "m:S"\nkind = "pydantic"\n'
    result = load_toml(text, "g.toml")
    assert [(d.code, d.message, d.span) for d in result.diagnostics] == [
        (
            "E004",
            "`kind` applies to `[state.fields]`; a state `class` is used as it is",
            Span("g.toml", 5, 8, 18),
        )
    ]


def test_union_errors_are_reported_once_for_the_shape_the_value_has() -> None:
    text = '[graph]\nname = "g"\n[state.fields]\nx = { typ = "int" }\ny = 3\n'
    result = load_toml(text, "g.toml")
    assert [(d.code, d.message, d.hint) for d in result.diagnostics] == [
        ("E002", "missing required key `type` in `[state.fields.x]`", None),
        ("E003", "unknown key `typ` in `state.fields.x`", "did you mean `type`?"),
        ("E004", "`state.fields.y` must be a string or a table, not an integer", None),
    ]
