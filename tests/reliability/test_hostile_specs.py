"""No text from a spec can change the meaning of the generated module.

Hypothesis writes specs whose free text (description, tags, metadata, defaults,
field and node names, type expressions, references) is hostile: quotes,
newlines, triple quotes, backslashes, unicode look-alikes, keywords, very long
names. Each spec either gets a diagnostic, or compiles to modules that parse
and whose syntax trees equal those of the same spec with every free text
replaced by a harmless one — once string and number constants are blanked.
So spec text only ever lands inside constants.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc.codegen import render_graph
from flowc.dsl.load import check_target

NASTY = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\n",
    "\r\n",
    "\x00",
    "\u2028",
    "\ufeff",
    "#",
    "{{ g }}",
    "{% raw %}",
    "import os",
    "__import__('os').system('echo pwned')",
    '"; import os; x = "',
    '"""\nimport os\n"""',
    '\\"""',
    "\uff49\uff4d\uff50\uff4f\uff52\uff54",  # full-width look-alikes of "import"
    "class",
    "None",
    "lambda: 0",
    "x" * 300,
]
free_text = st.lists(st.sampled_from(NASTY) | st.text(max_size=12), min_size=1, max_size=4).map(
    "".join
)
ident_like = st.sampled_from(
    [
        "ok_name",
        "class",
        "def",
        "None",
        "\uff4e\uff41\uff4d\uff45",
        "a-b",
        "1abc",
        "a b",
        "x" * 200,
        "__start__",
        "END",
        "_ok",
        "ünïcode",
    ]
)
type_exprs = st.sampled_from(
    [
        "str",
        "list[str]",
        "dict[str, int]",
        "Literal['a\"', 'b']",
        "__import__('os').system('x')",
        "str; import os",
        "lambda: str",
        "str if True else int",
        "[x for x in ()]",
        "os.system",
        "list[str]\nimport os",
        "str  # comment",
        "typing.Any",
    ]
)
refs = st.sampled_from(
    [
        "tests.reliability.hostile_nodes:first",
        "tests.reliability.hostile_nodes:first; import os",
        "os:system",
        "tests.reliability.hostile_nodes:__import__",
        "tests.reliability.hostile_nodes:first\nimport os",
        "x:y:z",
        "tests.reliability.hostile_nodes:first.__class__",
    ]
)
json_values = st.recursive(
    st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | free_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(free_text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def hostile_specs(draw: st.DrawFn) -> dict[str, Any]:
    # names, types and references are mostly valid, so that most specs compile and
    # their free text is what is under test; now and then they are hostile too
    def mostly(valid: Any, hostile: st.SearchStrategy[Any]) -> Any:
        return draw(st.sampled_from([valid] * 6 + [draw(hostile)]))

    field = mostly("topic", ident_like)
    node_a = mostly("first_node", ident_like)
    spec: dict[str, Any] = {
        "graph": {"name": mostly("hostile", ident_like), "description": draw(free_text)},
        "state": {
            "fields": {
                field: {"type": mostly("str", type_exprs), "default": draw(free_text)},
                "other": mostly("list[int]", type_exprs),
            }
        },
        "nodes": {
            node_a: {
                "call": mostly("tests.reliability.hostile_nodes:first", refs),
                "description": draw(free_text),
                "tags": draw(st.lists(free_text, max_size=3)),
                "metadata": draw(st.dictionaries(free_text, json_values, max_size=3)),
            },
            "second_node": {"call": "tests.reliability.hostile_nodes:second"},
        },
        "edges": [{"chain": ["START", node_a, "second_node"]}],
        "branches": [
            {
                "from": "second_node",
                "router": mostly("tests.reliability.hostile_nodes:first", refs).replace(
                    ":first", ":route"
                ),
                "targets": ["END"],
            }
        ],
    }
    return spec


def _free_text_replaced(spec: dict[str, Any]) -> dict[str, Any]:
    """The same spec with every free text (not names, types or references) made harmless."""
    twin = copy.deepcopy(spec)
    counter = iter(range(10_000))

    def harmless(value: Any) -> Any:
        if isinstance(value, str):
            return f"text{next(counter)}"
        if isinstance(value, list):
            return [harmless(v) for v in value]
        if isinstance(value, dict):
            return {f"key{next(counter)}": harmless(v) for v in value.values()}
        return value

    twin["graph"]["description"] = "harmless"
    for field in twin["state"]["fields"].values():
        if isinstance(field, dict) and "default" in field:
            field["default"] = "harmless"
    for node in twin["nodes"].values():
        if "description" in node:
            node["description"] = "harmless"
        if "tags" in node:
            node["tags"] = harmless(node["tags"])
        if "metadata" in node:
            node["metadata"] = harmless(node["metadata"])
    return twin


class _Blank(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant(value=type(node.value).__name__)

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        # metadata dicts differ in size between a spec and its twin: keep their shape only
        return ast.Constant(value="dict")

    def visit_List(self, node: ast.List) -> ast.AST:
        return (
            ast.Constant(value="list")
            if all(isinstance(e, ast.Constant) for e in node.elts)
            else self.generic_visit(node)
        )

    def visit_Tuple(self, node: ast.Tuple) -> ast.AST:
        return (
            ast.Constant(value="tuple")
            if all(isinstance(e, ast.Constant) for e in node.elts)
            else self.generic_visit(node)
        )


def _shape(text: str) -> str:
    return ast.dump(_Blank().visit(ast.parse(text)))


def _compile(spec: dict[str, Any], folder: Path) -> list[str] | None:
    path = folder / "spec.toml"
    path.write_text(tomli_w.dumps(spec), encoding="utf-8")
    result = check_target(str(path))
    if result.graph is None:
        assert result.diagnostics, "a spec that does not check must say why"
        return None
    return [f.text for f in render_graph(result.graph)]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=hostile_specs())
def test_hostile_spec_text_never_becomes_code(spec: dict[str, Any], tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    texts = _compile(spec, folder)
    if texts is None:
        return
    twin_texts = _compile(_free_text_replaced(spec), tmp_path_factory.mktemp("twin"))
    assert twin_texts is not None, "the harmless twin of a spec that checks must check"
    for text, twin in zip(texts, twin_texts, strict=True):
        assert _shape(text) == _shape(twin)


def test_rejected_type_expressions_and_references_get_diagnostics(tmp_path: Path) -> None:
    spec = {
        "graph": {"name": "bad"},
        "state": {"fields": {"a": "__import__('os').system('x')", "b": "str; import os"}},
        "nodes": {"n": {"call": "tests.reliability.hostile_nodes:first; import os"}},
        "edges": [{"chain": ["START", "n"]}],
    }
    path = tmp_path / "spec.toml"
    path.write_text(tomli_w.dumps(spec), encoding="utf-8")
    result = check_target(str(path))
    assert result.graph is None
    codes = sorted(d.code for d in result.diagnostics)
    assert codes.count("E302") == 2
    assert len(result.diagnostics) == 3
