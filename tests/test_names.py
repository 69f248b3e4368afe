"""Names and literals from a spec reach generated code only as what they can safely be there.

Imports get local names that cannot collide (with each other, with what the
generated modules define, with the names of a user's types); a state field
named like an attribute of its generated class kind is refused with a located
error; every value TOML can hold becomes a literal that means that value.
"""

from __future__ import annotations

import ast
import inspect
import math
import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from flowc import END, START, Graph, build
from flowc.codegen import generate
from flowc.codegen._scope import _template_private
from flowc.dsl.load import check_graph, check_target
from flowc.dsl.names import literal_code, node_identifiers
from flowc.runtime import TaskEvent
from tests.names_support import first, second

from .conftest import SPECS

ROUTERS = """
[graph]
name = "routed"

[state.fields]
log = { type = "list[str]", reducer = "add" }

[nodes.a]
call = "tests.names_support.first:step_a"
[nodes.b]
call = "tests.names_support.first:step_b"
[nodes.c]
call = "tests.names_support.first:step_c"

[[edges]]
from = "START"
to = "a"

[[branches]]
from = "a"
router = "tests.names_support.first:to_next"

[[branches]]
from = "b"
router = "tests.names_support.second:to_next"
"""


def _spec(tmp_path: Path, text: str, name: str = "spec.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_routers_named_alike_in_two_modules_each_route_their_own_way(tmp_path: Path) -> None:
    runner = build(_spec(tmp_path, ROUTERS))
    assert runner.invoke({}) == {"log": ["a", "b", "c"]}


def test_routers_named_alike_in_the_decorator_dsl_each_route_their_own_way() -> None:
    graph = Graph("routed_deco", first.State)
    graph.add_node("a", first.step_a)
    graph.add_node("b", first.step_b)
    graph.add_node("c", first.step_c)
    graph.add_edge(START, "a")
    graph.add_conditional_edges("a", first.to_next)
    graph.add_conditional_edges("b", second.to_next)
    graph.add_edge("c", END)
    assert build(graph).invoke({}) == {"log": ["a", "b", "c"]}


def test_node_names_that_are_no_python_names_get_distinct_identifiers_in_node_order() -> None:
    names = ["Call Tool", "1", "Call_Tool", "class", "", "a-b", "a b", "é", "__x"]
    assert node_identifiers(names) == {
        "Call Tool": "Call_Tool_2",  # `Call_Tool` is a node's own name
        "1": "n1",
        "Call_Tool": "Call_Tool",
        "class": "class",  # only ever written after a prefix (`_node_class`)
        "": "node",
        "a-b": "a_b",
        "a b": "a_b_2",
        "é": "_",
        "__x": "__x",
    }


def test_a_decorator_dsl_graph_runs_nodes_named_as_langgraph_names_them() -> None:
    graph = Graph("named_deco", first.State)
    graph.add_node("Call Tool", first.step_a)
    graph.add_node("Call_Tool", first.step_b)
    graph.add_node("1", first.step_c)
    graph.sequence(START, "Call Tool", "Call_Tool", "1", END)
    runner = build(graph)
    assert [(type(e).__name__, e.node) for e in runner.stream({}, stream_mode="updates")] == [
        ("CallTool2Updated", "Call Tool"),
        ("CallToolUpdated", "Call_Tool"),
        ("N1Updated", "1"),
    ]
    assert runner.invoke({}) == {"log": ["a", "b", "c"]}


def test_one_router_used_twice_is_imported_once(tmp_path: Path) -> None:
    text = (
        ROUTERS.replace("second:to_next", "first:to_next")
        .replace('from = "b"', 'from = "c"')
        .replace('to = "a"', 'to = ["a", "c"]')
    )
    result = check_target(_spec(tmp_path, text))
    assert result.graph is not None
    runner = next(f.text for f in generate(result.graph) if f.name == "routed.py")
    assert runner.count("to_next as _router_to_next") == 1
    assert "_router_to_next_2" not in runner


def test_user_types_named_like_runner_privates_and_aliases_are_imported_under_other_names(
    tmp_path: Path,
) -> None:
    text = (
        ROUTERS.replace("routed", "privates")
        + '\n[state.fields.x]\ntype = "tests.names_support.clash._input | None"\n'
        + '[state.fields.y]\ntype = "tests.names_support.clash._router_to_next | None"\n'
    )
    result = check_target(_spec(tmp_path, text))
    assert result.graph is not None
    files = {f.name: f.text for f in generate(result.graph)}
    assert (
        "from tests.names_support.clash import _input as _u_input\n" in files["privates_types.py"]
    )
    runner = files["privates.py"]
    assert "from tests.names_support.first import to_next as _router_to_next_2\n" in runner
    assert "from tests.names_support.second import to_next as _router_to_next_3\n" in runner
    assert build(result.graph.origin).invoke({}) == {"log": ["a", "b", "c"]}


def test_every_private_name_a_runner_binds_is_known_to_the_import_scope() -> None:
    # the template's own module-level names (and the per-node ones) must never be taken
    # by an import; when the template binds a new one, add it to view._TEMPLATE_PRIVATE
    for spec in sorted(SPECS.glob("*.toml")):
        result = check_target(str(spec))
        assert result.graph is not None, spec
        for file in generate(result.graph):
            if file.template != "runner.py.j2":
                continue
            tree = ast.parse(file.text)
            bound: set[str] = set()
            for stmt in tree.body:
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    bound.add(stmt.name)
                elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    bound.add(stmt.target.id)
                elif isinstance(stmt, ast.Assign):
                    bound.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            private = {n for n in bound if n.startswith("_") and not n.startswith("__")}
            assert {n for n in private if not _template_private(n)} == set(), file.name


# -- state fields named like attributes of their class kind ----------------------------


def _field_spec(kind: str, fields: str) -> str:
    return f"""[graph]
name = "kinds"

[state]
kind = "{kind}"

[state.fields]
{fields}

[nodes.a]
call = "tests.names_support.clash:step"

[[edges]]
chain = ["START", "a", "END"]
"""


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        (
            "pydantic",
            "model_config",
            "state field `model_config` is in pydantic's protected `model_` namespace "
            "(`model_config`, `model_dump`...)",
        ),
        (
            "pydantic",
            "model_dump",
            "state field `model_dump` is in pydantic's protected `model_` namespace "
            "(`model_config`, `model_dump`...)",
        ),
        (
            "pydantic",
            "_x",
            "state field `_x` starts with `_`: a pydantic model takes it for a private "
            "attribute and drops its input value",
        ),
        (
            "pydantic",
            "json",
            "state field `json` would replace the `json()` method of pydantic's `BaseModel`",
        ),
        (
            "pydantic",
            "Field",
            "state field `Field` would rebind `Field`, which the generated pydantic model calls "
            "for mutable defaults",
        ),
        (
            "dataclass",
            "field",
            "state field `field` would rebind `field`, which the generated dataclass calls "
            "for mutable defaults",
        ),
    ],
)
def test_a_field_named_like_an_attribute_of_its_class_kind_is_a_located_error(
    tmp_path: Path, kind: str, field: str, message: str
) -> None:
    fields = f'n = {{ type = "int", default = 0 }}\n{field} = {{ type = "int", default = 7 }}'
    result = check_target(_spec(tmp_path, _field_spec(kind, fields)))
    assert result.graph is None
    [diag] = result.diagnostics
    assert (diag.code, diag.message) == ("E101", message)
    assert diag.span is not None
    assert (diag.span.line, diag.span.col) == (9, 1)


@pytest.mark.parametrize("field", ["model_config", "_x", "field", "Field", "model_dump"])
def test_a_typeddict_field_may_have_any_of_those_names(tmp_path: Path, field: str) -> None:
    fields = f'n = "int"\n{field} = "int"'
    runner = build(
        _spec(tmp_path, _field_spec("typeddict", fields).replace("kinds", f"td{abs(hash(field))}"))
    )
    assert runner.invoke({field: 5}) == {field: 5, "n": 1}


@pytest.mark.parametrize("name", ["__init__", "__main__"])
def test_a_graph_named_like_a_python_module_dunder_is_a_located_error(
    tmp_path: Path, name: str
) -> None:
    text = _field_spec("typeddict", 'n = "int"').replace('name = "kinds"', f'name = "{name}"')
    result = check_target(_spec(tmp_path, text))
    assert result.graph is None
    [diag] = result.diagnostics
    assert diag.code == "E101"
    assert diag.message == (
        f"graph name `{name}` is reserved: module names starting with `__` belong to Python "
        "(`__init__`, `__main__`)"
    )
    assert diag.span is not None and (diag.span.line, diag.span.col) == (2, 8)


# -- literals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("inf", math.inf),
        ("-inf", -math.inf),
        ("+inf", math.inf),
        ("1e308", 1e308),
        ("-0.0", -0.0),
        ("123456789012345678901234567890", 123456789012345678901234567890),
    ],
)
def test_a_default_of_any_toml_number_reaches_nodes_as_that_number(
    tmp_path: Path, toml: str, expected: float
) -> None:
    text = _field_spec("typeddict", f'n = "int"\nw = {{ type = "float", default = {toml} }}')
    text = text.replace("kinds", f"num{abs(hash(toml))}").replace(":step", ":echo_w")
    runner = build(_spec(tmp_path, text))
    assert runner.invoke({})["n"] == expected


def test_a_nan_default_reaches_nodes_as_nan(tmp_path: Path) -> None:
    text = _field_spec("typeddict", 'n = "float"\nw = { type = "float", default = nan }')
    text = text.replace(":step", ":echo_w")
    runner = build(_spec(tmp_path, text))
    assert math.isnan(runner.invoke({})["n"])


def test_metadata_holding_inf_and_nan_reaches_the_node_config(tmp_path: Path) -> None:
    text = _field_spec("typeddict", 'n = "int"')
    text = text.replace("kinds", "meta").replace(
        'call = "tests.names_support.clash:step"',
        'call = "tests.names_support.clash:step"\nmetadata = { w = nan, big = inf, deep = [-inf] }',
    )
    runner = build(_spec(tmp_path, text))
    [meta] = [
        e.metadata for e in runner.stream({}, stream_mode="tasks") if isinstance(e, TaskEvent)
    ]
    assert meta is not None
    assert math.isnan(meta["w"])
    assert (meta["big"], meta["deep"]) == (math.inf, [-math.inf])


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        -(10**5000),
        10**4400,
        1.5,
        math.inf,
        -math.inf,
        "a'\"\\\n\u2028\ud800",
        [1, [2, {"k": math.nan}]],
        {"a": {"b": [math.inf, None]}},
        (1,),
        (),
    ],
    ids=lambda v: type(v).__name__,
)
def test_literal_code_evaluates_to_the_value_it_renders(value: Any) -> None:
    code = literal_code(value)
    tree = ast.parse(code, mode="eval")
    # names nothing: no binding in a generated module can change its meaning
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    back = eval(compile(tree, "<literal>", "eval"), {"__builtins__": {}})
    assert _same(back, value)


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def test_literal_code_refuses_values_without_a_literal() -> None:
    with pytest.raises(ValueError, match="object values cannot be written in generated code"):
        literal_code(object())


class _Typed(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def _metadata_list(g: Graph[Any]) -> None:
    g.add_node("a", first.step_a, metadata=[1, 2])  # type: ignore[arg-type]


def _tags_string(g: Graph[Any]) -> None:
    g.add_node("a", first.step_a, tags="abc")


def _tags_ints(g: Graph[Any]) -> None:
    g.add_node("a", first.step_a, tags=[1])  # type: ignore[list-item]


def _custom_type_int(g: Graph[Any]) -> None:
    g.add_node("a", first.step_a, custom_type=5)


def _writes_string(g: Graph[Any]) -> None:
    g.add_node("a", first.step_a, writes="log")


@pytest.mark.parametrize(
    ("declare", "written", "message"),
    [
        (_metadata_list, "metadata=[1, 2]", "node `a`: `metadata` must be a dict, not a list"),
        (_tags_string, 'tags="abc"', "node `a`: `tags` must be a list of strings, not a string"),
        (_tags_ints, "tags=[1]", "node `a`: `tags` must be a list of strings, not a list"),
        (
            _custom_type_int,
            "custom_type=5",
            "node `a`: `custom_type` must be a type, not an integer",
        ),
        (
            _writes_string,
            'writes="log"',
            "node `a`: `writes` must be a list of state keys, not a string",
        ),
    ],
    ids=lambda v: getattr(v, "__name__", "")[1:] or None,
)
def test_a_decorator_dsl_node_option_of_the_wrong_kind_is_a_located_error(
    declare: Any, written: str, message: str
) -> None:
    graph = Graph("options_deco", _Typed)
    declare(graph)
    graph.add_edge(START, "a")
    result = check_graph(graph)
    assert result.graph is None
    [diag] = [d for d in result.diagnostics if d.code == "E004"]
    assert diag.message == message
    assert diag.span is not None
    line = inspect.getsourcelines(declare)[1] + 1
    assert (diag.span.file, diag.span.line) == ("tests/test_names.py", line)
    source = Path(__file__).read_text(encoding="utf-8").splitlines()[line - 1]
    assert source[diag.span.col - 1 : diag.span.end_col - 1] == written.partition("=")[2]


@pytest.mark.parametrize("kind", ["dataclass", "pydantic"])
def test_a_field_whose_default_would_hide_a_name_another_fields_type_uses_is_a_located_error(
    tmp_path: Path, kind: str
) -> None:
    # `list = 0` in the class body would make `log: list[str]` mean `0[str]`
    fields = 'n = "int"\nlist = { type = "int", default = 0 }\nlog = { type = "list[str]", reducer = "add" }'
    result = check_target(_spec(tmp_path, _field_spec(kind, fields)))
    assert result.graph is None
    [diag] = result.diagnostics
    what = "dataclass" if kind == "dataclass" else "pydantic model"
    assert (diag.code, diag.message) == (
        "E101",
        f"state field `list` has a default, so in the generated {what} it would hide `list` "
        "from the type of field `log` (`list[str]`)",
    )
    assert diag.span is not None and (diag.span.line, diag.span.col) == (9, 1)


def test_a_field_named_like_a_type_without_a_default_is_fine(tmp_path: Path) -> None:
    fields = 'n = "int"\nlist = "int"\nlog = { type = "list[str]", default = ["x"] }'
    text = _field_spec("pydantic", fields).replace("kinds", "typenamed")
    runner = build(_spec(tmp_path, text))
    assert runner.invoke({"n": 1, "list": 2}) == {"n": 1, "list": 2}


@pytest.mark.parametrize("kind", ["typeddict", "dataclass", "pydantic"])
@pytest.mark.parametrize("field", ["__x", "__init__", "__class__"])
def test_a_field_starting_with_two_underscores_is_a_located_error(
    tmp_path: Path, kind: str, field: str
) -> None:
    fields = f'n = "int"\n{field} = "int"'
    result = check_target(_spec(tmp_path, _field_spec(kind, fields)))
    assert result.graph is None
    [diag] = result.diagnostics
    assert diag.code == "E101"
    assert diag.message == (
        f"state field `{field}` starts with `__`: in a generated class Python would rename it "
        "(`__x` becomes `_<Class>__x`) or take it for the class's own attribute"
    )


def test_a_pydantic_field_of_a_type_pydantic_cannot_validate_is_a_located_error(
    tmp_path: Path,
) -> None:
    fields = 'n = "int"\nthing = "tests.names_support.clash._input | None"'
    result = check_target(_spec(tmp_path, _field_spec("pydantic", fields)))
    assert result.graph is None
    [diag] = result.diagnostics
    assert diag.code == "E302"
    assert diag.message.startswith(
        "the type of state field `thing`, `_input | None`, cannot be a field of a pydantic model: "
        "Unable to generate pydantic-core schema for <class 'tests.names_support.clash._input'>"
    )
    assert diag.span is not None and (diag.span.line, diag.span.col) == (9, 9)
    # the same field is fine in a TypedDict state
    typed = _field_spec("typeddict", fields).replace("kinds", "arbitrary")
    assert build(_spec(tmp_path, typed, "typed.toml")).invoke({"n": 1}) == {"n": 1}


def test_a_state_class_whose_keys_are_not_python_names_is_a_located_error(tmp_path: Path) -> None:
    text = (
        '[graph]\nname = "keyed"\n\n[state]\nclass = "tests.names_support.first:KeywordState"\n'
        '\n[nodes.a]\ncall = "tests.names_support.clash:step"\n\n[[edges]]\nchain = ["START", "a", "END"]\n'
    )
    result = check_target(_spec(tmp_path, text))
    assert result.graph is None
    assert [(d.code, d.message, d.span.line if d.span else None) for d in result.diagnostics] == [
        ("E101", "state field `class` of `KeywordState` is a Python keyword", 5),
        ("E101", "state field `a-b` of `KeywordState` is not a Python identifier", 5),
    ]


def test_a_decorator_graph_custom_type_that_is_not_a_type_is_a_located_error() -> None:
    graph = Graph("custom_deco", _Typed, custom_type=5)  # type: ignore[call-overload]
    graph.add_node("a", first.step_a)
    graph.add_edge(START, "a")
    result = check_graph(graph)
    assert result.graph is None
    [diag] = result.diagnostics
    assert (diag.code, diag.message) == ("E004", "`custom_type` must be a type, not an integer")
    assert diag.span is not None
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if 'Graph("custom_deco"' in text)
    assert (diag.span.file, diag.span.line) == ("tests/test_names.py", line)
