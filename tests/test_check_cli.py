"""``flowc check``: exit codes 0/1/2, the text report, and ``--format json`` exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flowc.cli import main

from .conftest import ROOT

ERRORS = "tests/specs_with_errors"


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--color", "never", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_a_clean_spec_exits_0_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, "specs/joke.toml") == (0, "all good: 1 spec checked\n", "")


def test_toml_specs_and_python_graphs_are_checked_together(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = check(
        capsys, "specs/joke.toml", "flowc_demo.joke_graph:graph", "specs/loop.toml"
    )
    assert (code, out, err) == (0, "all good: 3 specs checked\n", "")


def test_a_spec_with_errors_exits_1_with_every_diagnostic(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = check(capsys, f"{ERRORS}/e204_no_start.toml")
    assert code == 1
    assert out == ""
    assert err == (
        f"{ERRORS}/e204_no_start.toml:4:8: error[E204]: nothing starts graph `no_start`: no edge leaves START\n"
        "  |\n"
        '4 | name = "no_start"\n'
        "  |        ^^^^^^^^^^\n"
        "  = hint: add an edge from START to the first node\n"
        "\n"
        "found 1 error\n"
    )


def test_one_bad_spec_among_good_ones_makes_the_run_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = check(capsys, "specs/joke.toml", f"{ERRORS}/e204_no_start.toml")
    assert code == 1
    assert err.endswith("found 1 error\n")


def test_json_format_lists_every_diagnostic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, "--format", "json", f"{ERRORS}/e104_unknown_nodes.toml")
    assert (code, err) == (1, "")
    file = f"{ERRORS}/e104_unknown_nodes.toml"
    assert json.loads(out) == [
        {
            "file": file,
            "line": 18,
            "col": 29,
            "end_col": 39,
            "severity": "error",
            "code": "E104",
            "message": "unknown node `sumarize`",
            "hint": "did you mean `summarize`?",
        },
        {
            "file": file,
            "line": 21,
            "col": 19,
            "end_col": 27,
            "severity": "error",
            "code": "E104",
            "message": "unknown node `critic`",
            "hint": "declare it as a node first",
        },
        {
            "file": file,
            "line": 25,
            "col": 8,
            "end_col": 17,
            "severity": "error",
            "code": "E104",
            "message": "unknown node `refiner`",
            "hint": "did you mean `refine`?",
        },
        {
            "file": file,
            "line": 27,
            "col": 32,
            "end_col": 41,
            "severity": "error",
            "code": "E104",
            "message": "unknown node `publish`",
            "hint": "declare it as a node first",
        },
    ]


def test_json_text_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(capsys, "--format", "json", f"{ERRORS}/e203_plain_cycle.toml")
    assert code == 1
    assert out == (
        "[\n"
        "  {\n"
        f'    "file": "{ERRORS}/e203_plain_cycle.toml",\n'
        '    "line": 21,\n'
        '    "col": 34,\n'
        '    "end_col": 37,\n'
        '    "severity": "error",\n'
        '    "code": "E203",\n'
        '    "message": "cycle with no conditional exit: a \\u2192 b \\u2192 c \\u2192 a",\n'
        '    "hint": "plain edges always fire, so this loop never stops; leave it through a router"\n'
        "  }\n"
        "]\n"
    )


def test_json_format_of_a_clean_spec_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, "--format", "json", "specs/joke.toml") == (0, "[]\n", "")


def test_json_gives_the_file_and_null_line_for_a_diagnostic_about_a_whole_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = check(capsys, "--format", "json", "no/such/spec.toml")
    assert code == 1
    assert json.loads(out) == [
        {
            "file": "no/such/spec.toml",
            "line": None,
            "col": None,
            "end_col": None,
            "severity": "error",
            "code": "E000",
            "message": "no such file: no/such/spec.toml",
            "hint": None,
        }
    ]


def test_a_missing_file_is_a_diagnostic_not_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert check(capsys, "no/such/spec.toml") == (
        1,
        "",
        "no/such/spec.toml: error[E000]: no such file: no/such/spec.toml\n\nfound 1 error\n",
    )


def test_a_python_file_path_is_refused_with_the_form_to_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = check(capsys, "specs/flowc_demo/joke_graph.py")
    assert code == 1
    assert err == (
        "error[E000]: `specs/flowc_demo/joke_graph.py` is a Python file, not a graph\n"
        "  = hint: name the graph in it (`specs/flowc_demo/joke_graph.py:graph`), "
        "or by module (`package.module:graph`)\n"
        "\n"
        "found 1 error\n"
    )


@pytest.mark.parametrize(
    "args",
    [["--format", "yaml", "specs/joke.toml"], ["--no-such-option"], []],
    ids=["bad-format", "unknown-option", "nothing-to-check"],
)
def test_usage_errors_exit_2(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml with [tool.flowc] specs here
    code, out, err = check(capsys, *args)
    assert code == 2
    assert out == ""
    assert "flowc" in err and "error" in err


def test_configured_specs_are_checked_when_none_is_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.flowc]\nspecs = ["graphs/*.toml"]\n', encoding="utf-8"
    )
    (tmp_path / "graphs").mkdir()
    bad = (ROOT / ERRORS / "e204_no_start.toml").read_text(encoding="utf-8")
    (tmp_path / "graphs" / "g.toml").write_text(bad, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    code, _, err = check(capsys)
    assert code == 1
    assert err.startswith("graphs/g.toml:4:8: error[E204]")


def test_color_always_paints_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--color", "always", f"{ERRORS}/e204_no_start.toml"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "\x1b[31merror[E204]\x1b[0m" in err


def test_the_console_script_reports_and_exits_the_same_way() -> None:
    flowc = Path(sys.executable).with_name("flowc")
    good = subprocess.run(
        [str(flowc), "check", "specs/joke.toml"], cwd=ROOT, capture_output=True, text=True
    )
    bad = subprocess.run(
        [str(flowc), "check", "--color", "never", f"{ERRORS}/e203_plain_cycle.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (good.returncode, good.stdout, good.stderr) == (0, "all good: 1 spec checked\n", "")
    assert bad.returncode == 1
    assert bad.stderr == (ROOT / ERRORS / "e203_plain_cycle.expected").read_text(
        encoding="utf-8"
    ).split("\n", 1)[1].removesuffix("[exit 1]\n")
