"""One registry of diagnostic codes (flowc/dsl/codes.py): the docs, the checker and
``flowc explain`` all read it."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import flowc
from flowc.cli import main
from flowc.dsl.codes import CODES, SECTIONS, lookup
from flowc.dsl.diagnostics import Diagnostic, Severity
from tests.specs_with_errors.snapshots import cases, run_check, target_of

ROOT = Path(__file__).resolve().parent.parent
SPEC_FORMAT = ROOT / "docs" / "spec-format.md"
PACKAGE = Path(flowc.__file__).resolve().parent
_CODE = re.compile(r"[EW]\d{3}")


def doc_tables() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """docs/spec-format.md's code sections (prefix, heading) and rows (code, meaning)."""
    text = SPEC_FORMAT.read_text(encoding="utf-8")
    sections = re.findall(r"^### ([EW]\d)xx: (.+)$", text, re.M)
    rows = re.findall(r"^\| ([EW]\d{3}) \| (.+) \|$", text, re.M)
    return sections, rows


def test_the_docs_list_exactly_the_registrys_codes_with_its_explanations() -> None:
    sections, rows = doc_tables()
    assert sections == list(SECTIONS)
    assert rows == [(c.code, c.explanation) for c in CODES.values()]


def test_the_registry_is_ordered_by_family_and_code() -> None:
    order = [prefix for prefix, _ in SECTIONS]
    names = list(CODES)
    assert names == sorted(names, key=lambda c: (order.index(c[:2]), c))
    assert all(_CODE.fullmatch(c) and CODES[c].code == c for c in names)


def test_every_code_written_in_flowc_is_registered() -> None:
    # every string literal that looks like a code, in every module (checker.py's among them)
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            constant = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if constant and _CODE.fullmatch(node.value):
                found.add(node.value)
    assert len(found) > 30
    assert sorted(found - set(CODES)) == []


def test_every_code_the_bad_specs_produce_is_registered() -> None:
    produced: set[str] = set()
    for case in cases():
        status, out, err = run_check("--format", "json", target_of(case))
        assert (status, err) == (1, ""), case.name
        produced |= {d["code"] for d in json.loads(out)}
    assert sorted(produced - set(CODES)) == []
    # the bad specs cover every check of the spec front ends; the drop-in's codes (E6xx)
    # and the compile warning W001 are tested with the drop-in and with `flowc compile`
    spec_codes = {c for c in CODES if c[:2] in ("E0", "E1", "E2", "E3", "E4", "E5")}
    assert sorted(spec_codes - produced) == []


def test_a_diagnostic_with_an_unregistered_code_is_refused() -> None:
    with pytest.raises(ValueError, match=r"diagnostic code 'E999' is not registered"):
        Diagnostic.error("E999", "no such check", None)
    with pytest.raises(ValueError, match=r"diagnostic code 'e306' is not registered"):
        Diagnostic(Severity.WARNING, "e306", "codes are upper case", None)


def test_a_diagnostic_takes_a_registered_code_object_as_its_name() -> None:
    code = CODES["E306"]
    assert Diagnostic.error(code, "m", None) == Diagnostic.error("E306", "m", None)
    assert Diagnostic.error(code, "m", None).code == "E306"


def test_explain_prints_the_title_and_the_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "E306"]) == 0
    assert capsys.readouterr() == (
        "E306: a write to a key the state lacks\n"
        "\n"
        "A node that writes a key the state lacks (its return TypedDict, or its `writes` list).\n"
        "LangGraph drops such writes silently; flowc refuses them.\n",
        "",
    )


def test_explain_knows_every_code_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    for code in CODES.values():
        assert main(["explain", code.code.lower()]) == 0
        out, err = capsys.readouterr()
        assert out.startswith(f"{code.code}: {code.title}\n\n"), code.code
        assert " ".join(out.split("\n\n", 1)[1].split()) == code.explanation
        assert err == ""
    assert lookup(" e306 ") is CODES["E306"]


def test_explain_of_an_unknown_code_is_a_usage_error_naming_the_closest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "E3066"]) == 2
    assert capsys.readouterr() == (
        "",
        "flowc: error: 'E3066' is not a flowc diagnostic code; did you mean E306? "
        "(`flowc explain` lists them)\n",
    )
    assert main(["explain", "hello"]) == 2
    assert capsys.readouterr().err == (
        "flowc: error: 'hello' is not a flowc diagnostic code (`flowc explain` lists them)\n"
    )


def test_explain_without_a_code_lists_every_code_by_family(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "E0xx: reading the spec",
        "  E000  a target that cannot be read or imported",
        "  E001  invalid TOML (syntax, duplicate keys, not UTF-8)",
    ]
    assert lines[-2:] == ["W0xx: warnings of `flowc compile`", "  W001  " + CODES["W001"].title]
    assert [line.split()[0] for line in lines if line.startswith("  ")] == list(CODES)
