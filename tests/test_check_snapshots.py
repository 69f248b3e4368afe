"""Every bad spec of ``tests/specs_with_errors/`` gets exactly its recorded diagnostics.

Each case's ``.expected`` file holds what ``flowc check`` prints for it: every
diagnostic with ``path:line:col``, code, message, the source line, the caret
and the hint, then the count and the exit code. When the checker's output
changes on purpose, regenerate the snapshots with the command the failure
names and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowc.dsl.codes import CODES
from tests.specs_with_errors.snapshots import REGENERATE, cases, expected_path, render_case

CASES = cases()

CHECKS = {code for code in CODES if code[:2] in ("E0", "E1", "E2", "E3", "E4", "E5")} - {"E000"}
"""The checks of the spec front ends, from the registry (E000, a target that cannot be read, is
shown from Python only; the drop-in's E6xx and the compile warning W001 are tested elsewhere)."""


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_spec_reports_exactly_its_snapshot(case: Path) -> None:
    snapshot = expected_path(case)
    assert snapshot.exists(), f"{case.name} has no snapshot; create it with `{REGENERATE}`"
    actual = render_case(case)
    expected = snapshot.read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(
            f"`flowc check` output for {case.name} drifted from {snapshot.name}; if the change is "
            f"intended, regenerate the snapshots with `{REGENERATE}` and review the diff.\n"
            f"--- expected\n{expected}--- actual\n{actual}"
        )


def test_every_bad_spec_fails_with_exit_code_1() -> None:
    for case in CASES:
        text = expected_path(case).read_text(encoding="utf-8")
        assert text.endswith("[exit 1]\n"), case.name
        assert re.search(r"^found \d+ errors?$", text, re.M), case.name


def test_bad_specs_cover_every_check_from_both_front_ends() -> None:
    toml = [c for c in CASES if c.suffix == ".toml"]
    python = [c for c in CASES if c.suffix == ".py"]
    assert len(CASES) >= 30 and len(toml) >= 15 and len(python) >= 10

    def codes(group: list[Path]) -> set[str]:
        found: set[str] = set()
        for case in group:
            found |= set(
                re.findall(r"error\[(E\d{3})\]", expected_path(case).read_text(encoding="utf-8"))
            )
        return found

    assert codes(toml) >= set(CHECKS)
    # every check that is about the graph (not about TOML syntax) is shown from Python too
    graph_checks = {c for c in CHECKS if not c.startswith("E00")} - {"E107"}
    assert codes(python) >= graph_checks


def test_snapshots_have_no_orphans() -> None:
    folder = CASES[0].parent
    orphans = [
        p.name for p in folder.glob("*.expected") if not any(expected_path(c) == p for c in CASES)
    ]
    assert orphans == []
