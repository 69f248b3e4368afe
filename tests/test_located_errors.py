"""Every bad input gets a located diagnostic from ``flowc check``, never a traceback.

Limits (on size, nesting and subgraph depth) give an error that names the
limit; line numbers follow TOML's notion of a line; a type expression
resolves only to types, and never by importing a module that acts when
imported.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from flowc.cli import main
from flowc.dsl.diagnostics import render
from flowc.dsl.load import MAX_SPEC_BYTES, check_target

BODY = """
[nodes.a]
call = "tests.names_support.clash:step"

[[edges]]
chain = ["START", "a", "END"]
"""


def _spec(tmp_path: Path, fields: str, name: str = "spec.toml") -> str:
    path = tmp_path / name
    path.write_text(f'[graph]\nname = "g"\n\n[state.fields]\n{fields}\n{BODY}', encoding="utf-8")
    return str(path)


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--color", "never", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _only(target: str) -> tuple[str, str, int, int]:
    result = check_target(target)
    assert result.graph is None
    [diag] = result.diagnostics
    assert diag.span is not None
    return diag.code, diag.message, diag.span.line, diag.span.col


def test_a_union_of_3000_terms_is_a_located_error_naming_the_limit(tmp_path: Path) -> None:
    target = _spec(tmp_path, "n = " + '"' + " | ".join(["int"] * 3000) + '"')
    assert _only(target) == (
        "E302",
        "type `int | int | int | int | int | int | int | int | int | int | ... (17997 characters)` "
        "does not resolve: the type expression is 17997 characters long; the limit is 5000",
        5,
        5,
    )


def test_a_union_nested_past_the_depth_limit_is_a_located_error(tmp_path: Path) -> None:
    target = _spec(tmp_path, "n = " + '"' + "|".join(["int"] * 200) + '"')
    code, message, line, col = _only(target)
    assert (code, line, col) == ("E302", 5, 5)
    assert message.endswith(
        "does not resolve: the type expression nests more than 64 levels deep, the limit "
        "(write a long union as `Union[A, B, ...]`)"
    )


def test_a_5000_digit_integer_is_a_located_error_naming_the_limit(tmp_path: Path) -> None:
    target = _spec(tmp_path, 'n = { type = "int", default = ' + "7" * 5000 + " }")
    assert _only(target) == ("E006", "an integer with more than 4300 digits, the limit", 5, 31)


def test_a_long_digit_string_is_not_mistaken_for_an_integer(tmp_path: Path) -> None:
    target = _spec(
        tmp_path, 'n = { type = "int", default = 1, description = "' + "7" * 5000 + '" }'
    )
    assert check_target(target).graph is not None


def test_arrays_nested_3000_deep_are_a_located_error_naming_the_limit(tmp_path: Path) -> None:
    target = _spec(tmp_path, 'n = { type = "int", default = ' + "[" * 3000 + "]" * 3000 + " }")
    assert _only(target) == (
        "E006",
        "arrays and inline tables nest more than 50 levels deep here, the limit",
        5,
        31 + 49,
    )


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    target = _spec(tmp_path, 'n = { type = "int", default = 1, description = "' + "[" * 99 + '" }')
    assert check_target(target).graph is not None


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_file_is_refused_after_the_size_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _check(capsys, "/dev/zero")
    assert (code, out) == (1, "")
    assert err == (
        "/dev/zero: error[E006]: the spec is larger than 8 MiB, the limit\n"
        "  = hint: a spec is a small TOML file; is this the right path?\n\nfound 1 error\n"
    )
    assert MAX_SPEC_BYTES == 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("os.sep", "`os.sep` is a value (str), not a type"),
        ("sys.maxsize", "`sys.maxsize` is a value (int), not a type"),
        ("os.system", "`os.system` is a function, not a type"),
        ("list[os.sep, int]", "`os.sep` is a value (str), not a type"),
        ("os.path", "`os.path` is a module, not a type"),
        ("dict[str, 1]", "`1` is a value, not a type; only `Literal[...]` takes values"),
    ],
)
def test_a_type_expression_that_names_no_type_is_a_located_error(
    tmp_path: Path, expr: str, why: str
) -> None:
    target = _spec(tmp_path, f'n = "{expr}"')
    assert _only(target) == ("E302", f"type `{expr}` does not resolve: {why}", 5, 5)


def test_a_type_expression_never_imports_a_module_that_acts_on_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "this" not in sys.modules
    target = _spec(tmp_path, 'n = "this.s"')
    code, out, _ = _check(capsys, "--format", "json", target)
    assert "this" not in sys.modules
    assert code == 1
    [diag] = json.loads(out)  # nothing printed into the JSON
    assert (diag["code"], diag["line"], diag["col"]) == ("E302", 5, 5)
    assert diag["message"] == (
        "type `this.s` does not resolve: module `this` acts when it is imported, "
        "so flowc does not import it"
    )


def test_subgraphs_nested_past_the_depth_limit_are_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    depth = 300
    for i in range(depth):
        node = (
            f'subgraph = "g{i + 1}.toml"'
            if i < depth - 1
            else 'call = "tests.names_support.clash:step"'
        )
        (tmp_path / f"g{i}.toml").write_text(
            f'[graph]\nname = "g{i}"\n\n[state.fields]\nn = "int"\n\n[nodes.s]\n{node}\n\n'
            '[[edges]]\nchain = ["START", "s", "END"]\n',
            encoding="utf-8",
        )
    code, out, err = _check(capsys, str(tmp_path / "g0.toml"))
    assert (code, out) == (1, "")
    assert err.startswith(
        f"{tmp_path / 'g31.toml'}:8:12: error[E006]: subgraphs nest more than 32 levels deep here, "
        "the limit\n"
    )
    assert "= hint: g0.toml down to graph `g31` is 32 graphs deep already" in err
    assert err.endswith("found 1 error\n")
    # 32 graphs deep is within the limit
    assert _check(capsys, str(tmp_path / f"g{depth - 32}.toml"))[0] == 0


def test_a_spec_missing_its_state_names_its_file_and_still_reports_a_keyword_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "spec.toml"
    path.write_text('[graph]\nname = "class"\n', encoding="utf-8")
    code, out, _ = _check(capsys, "--format", "json", str(path))
    assert code == 1
    assert [(d["file"], d["line"], d["col"], d["code"], d["message"]) for d in json.loads(out)] == [
        (str(path), None, None, "E002", "missing required key `state`"),
        (str(path), 2, 8, "E101", "graph name `class` is a Python keyword"),
    ]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_unicode_line_separators_in_strings_and_comments_do_not_shift_line_numbers(
    tmp_path: Path, separator: str
) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(
        f'# a comment{separator}with a separator\n[graph]\nname = "g"\n'
        f'description = "one{separator}two"\n\n[state.fields]\nn = "nope"\n{BODY}',
        encoding="utf-8",
    )
    code, _, line, col = _only(str(path))
    assert (code, line, col) == ("E302", 7, 5)


def test_windows_line_ends_keep_lines_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    text = f'[graph]\nname = "g"\n\n[state.fields]\nn = "nope"\n{BODY}'.replace("\n", "\r\n")
    path.write_bytes(text.encode())
    result = check_target(str(path))
    [diag] = result.diagnostics
    assert diag.span is not None and (diag.span.line, diag.span.col) == (5, 5)
    assert result.source_map.texts[str(path)][4] == 'n = "nope"'


def test_a_literal_default_among_its_values_is_accepted(tmp_path: Path) -> None:
    target = _spec(tmp_path, """n = { type = "Literal['a', 'b']", default = "a" }""")
    assert check_target(target).graph is not None


@pytest.mark.parametrize("default", ['"c"', "2", "true"])
def test_a_literal_default_outside_its_values_is_e311(tmp_path: Path, default: str) -> None:
    target = _spec(tmp_path, f"""n = {{ type = "Literal['a', 1]", default = {default} }}""")
    code, _, line, _ = _only(target)
    assert (code, line) == ("E311", 5)


def test_line_separators_in_a_decorator_graphs_module_do_not_shift_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "sep_graph_module.py"
    module.write_text(
        "# a comment\u2028with\u2029separators\u0085in it\n"
        "from tests.names_support.first import State, step_a\n"
        "from flowc import START, Graph\n"
        'graph = Graph("sep", State)\n'
        'graph.add_node("a", step_a)\n'
        'graph.add_edge(START, "nope")\n',
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = check_target("sep_graph_module:graph")
    [diag] = [d for d in result.diagnostics if d.code == "E104"]
    assert diag.span is not None
    assert (diag.span.file, diag.span.line, diag.span.col) == ("sep_graph_module.py", 6, 23)
    shown = render(diag, result.source_map.texts).splitlines()
    assert shown[2] == '6 | graph.add_edge(START, "nope")'
