"""For any hostile spec, ``flowc check`` says ok or gives located errors, and ok means it runs.

Hypothesis writes specs whose names (keywords, builtins, dunders, unicode,
names the generated modules use themselves, attributes of the state class
kind), literals (inf, nan, huge integers, odd strings, deep nesting), file
names (newlines, quotes) and subgraph nesting are hostile. For each:

- ``flowc check`` exits 0 or 1, never with a traceback, and every diagnostic
  names a file and (but for whole-file ones) a line;
- when it exits 0, ``flowc compile`` writes a package into the output folder
  only, and that package imports and runs;
- nothing in the spec runs as code (a canary module is never imported).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from flowc.cli import main
from flowc.dsl.load import check_target

pytestmark = pytest.mark.slow

CANARY = "tests.names_support.canary"
NAMES = [
    "ok",
    "class",
    "match",
    "case",
    "type",
    "_",
    "list",
    "print",
    "id",
    "__init__",
    "__class__",
    "__x",
    "_x",
    "ünïcode",
    "名前",
    "\uff4e\uff41\uff4d\uff45",
    "a-b",
    "1a",
    "",
    "Custom",
    "NAME",
    "NodeName",
    "invoke",
    "stream",
    "rt",
    "sys",
    "annotations",
    "field",
    "Field",
    "dataclass",
    "BaseModel",
    "model_config",
    "model_dump",
    "json",
    "_input",
    "_impl_a",
    "_router_to_next",
    "_reduce_log",
    "START",
    "END",
    "x" * 100,
]
TYPES = {
    "int": 0,
    "str": "",
    "float": 0.5,
    "bool": False,
    "list[int]": [],
    "dict[str, Any]": {},
    "Literal['a', 'b']": "a",
    "int | None": None,
    "tests.names_support.clash._input | None": None,
}
TEXTS = [
    "",
    '"',
    "'''",
    '"""',
    "\\",
    "\n",
    "\r\n",
    "\u2028",
    "\u0085",
    "\x00",
    "{{ g }}",
    f"__import__('{CANARY}')",
    f'"""\nimport {CANARY}\n"""',
    f"\nimport {CANARY}\n",
]
FILE_NAMES = [
    "spec.toml",
    "sp\nec.toml",
    "q\"uo'te.toml",
    "sp ace.toml",
    "ü.toml",
    "import os;.toml",
]

text = st.lists(st.sampled_from(TEXTS) | st.text(max_size=6), max_size=3).map("".join)
huge = st.sampled_from([10**30, -(10**300), 10**4299, 2**63, -(2**64)])
floats = st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -0.0, 5e-324])
scalars = st.integers() | huge | floats | st.booleans() | text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def _fitting(tp: str) -> st.SearchStrategy[Any]:
    """Defaults of type ``tp``, hostile ones first (TOML has no null)."""
    ints = st.integers() | huge
    return {
        "int": ints,
        "str": text,
        "float": floats | st.floats(),
        "bool": st.booleans(),
        "list[int]": st.lists(ints, max_size=3),
        "dict[str, Any]": st.dictionaries(text, values, max_size=3)
        | st.sampled_from([{"deep": _nested(48)}, {"deeper": _nested(60)}]),
        "Literal['a', 'b']": st.sampled_from(["a", "b"]),
        "int | None": ints,
        "tests.names_support.clash._input | None": values,
    }[tp]


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _mostly(draw: st.DrawFn, valid: str, hostile: st.SearchStrategy[str]) -> str:
    return draw(st.sampled_from([valid, valid, valid, draw(hostile)]))


@st.composite
def hostile_spec(
    draw: st.DrawFn,
) -> tuple[dict[str, Any], str, dict[str, Any], dict[str, dict[str, Any]]]:
    """A spec as data, its file name, the input a run starts from, and its subgraphs' specs
    by file name."""
    names = st.sampled_from(NAMES)
    kind = draw(st.sampled_from(["typeddict", "dataclass", "pydantic"]))
    fields: dict[str, Any] = {}
    run_input: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from([f"f{len(fields)}", draw(names)]))
        tp = draw(st.sampled_from(list(TYPES)))
        field: dict[str, Any] = {"type": tp, "description": draw(text)}
        # a name drawn again declares the field anew: the input follows its last declaration
        run_input.pop(name, None)
        if draw(st.booleans()):
            field["default"] = draw(st.one_of(_fitting(tp), _fitting(tp), values))
        elif kind != "typeddict":
            run_input[name] = TYPES[tp]
        fields[name] = field
    if draw(st.booleans()):
        fields["log"] = {"type": "list[str]", "reducer": "add"}
    node = _mostly(draw, "a", names)
    spec: dict[str, Any] = {
        "graph": {"name": _mostly(draw, "hostile", names), "description": draw(text)},
        "state": {"kind": kind, "fields": fields},
        "nodes": {
            node: {
                "call": "tests.names_support.hostile:noop",
                "description": draw(text),
                "tags": draw(st.lists(text, max_size=2)),
                "metadata": draw(st.dictionaries(text, values, max_size=3)),
            },
            "b": {"call": "tests.names_support.hostile:noop"},
            "c": {"call": "tests.names_support.hostile:noop"},
        },
        "edges": [{"chain": ["START", node]}],
        "branches": [
            {"from": node, "router": "tests.names_support.first:to_next"},
            {"from": "b", "router": "tests.names_support.second:to_next"},
            {"from": "c", "router": "tests.names_support.hostile:to_end"},
        ],
    }
    children: dict[str, dict[str, Any]] = {}
    if draw(st.booleans()):
        # a subgraph in a file with a hostile name, its state the parent's
        child_file = draw(st.sampled_from(FILE_NAMES)).replace(".toml", "_child.toml")
        children[child_file] = {
            "graph": {"name": _mostly(draw, "child", names), "description": draw(text)},
            "state": {"kind": kind, "fields": fields},
            "nodes": {_mostly(draw, "inner", names): {"call": "tests.names_support.hostile:noop"}},
        }
        inner = next(iter(children[child_file]["nodes"]))
        children[child_file]["edges"] = [{"chain": ["START", inner, "END"]}]
        spec["nodes"]["sub"] = {"subgraph": child_file}
        spec["edges"].append({"chain": ["START", "sub", "END"]})
    return spec, draw(st.sampled_from(FILE_NAMES)), run_input, children


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if "__pycache__" not in p.parts}


_COUNTER = iter(range(10**9))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=hostile_spec())
def test_a_hostile_spec_checks_with_located_errors_or_compiles_to_a_package_that_runs(
    case: tuple[dict[str, Any], str, dict[str, Any], dict[str, dict[str, Any]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    spec, file_name, run_input, children = case
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / file_name
    path.write_text(tomli_w.dumps(spec), encoding="utf-8")
    for child_name, child in children.items():
        (folder / child_name).write_text(tomli_w.dumps(child), encoding="utf-8")
    files = {str(folder / name) for name in [file_name, *children]}
    before = _files(folder)

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--color", "never", str(path)])
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    result = check_target(str(path))
    assert (code == 0) == (result.graph is not None)
    for diag in result.diagnostics:
        assert diag.span is not None, diag
        assert diag.span.file in files, diag
    assert CANARY not in sys.modules
    if result.graph is None:
        event("refused: " + ", ".join(sorted({d.code for d in result.diagnostics})))
        assert _files(folder) == before
        return
    event("compiled and ran" + (" (with a subgraph)" if children else ""))

    package = f"hostile_pkg_{next(_COUNTER)}"
    target = folder / package
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["compile", "--color", "never", str(path), "-o", str(target)])
    assert code == 0, err.getvalue()
    written = _files(folder) - before
    assert written and all(p == target or target in p.parents for p in written), written
    sys.path.insert(0, str(folder))
    try:
        runner = importlib.import_module(f"{package}.{result.graph.name}")
        final = runner.invoke(run_input)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
    assert CANARY not in sys.modules
    assert set(run_input) <= set(final)
    assert os.path.exists(path)
