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

from tests.specs_with_errors.snapshots import REGENERATE, cases, expected_path, render_case

CASES = cases()

CHECKS = {
    "E001": "invalid TOML (syntax, duplicate keys, not UTF-8)",
    "E002": "a required key is missing",
    "E003": "an unknown key, table or option",
    "E004": "a value of the wrong type, or a builder call flowc cannot record",
    "E005": "an edge written in a shape flowc does not accept",
    "E006": "a spec beyond a limit flowc sets (size, nesting, subgraph depth)",
    "E101": "a name that cannot be a Python name",
    "E102": "a reserved name (START, END)",
    "E103": "a node declared twice",
    "E104": "an unknown node in an edge or router",
    "E106": "START or END on the wrong end of an edge",
    "E107": "a node with both or neither of call and subgraph",
    "E201": "a node unreachable from START",
    "E202": "a node from which END cannot be reached",
    "E203": "a cycle with no conditional exit",
    "E204": "nothing leaves START",
    "E301": "an unimportable callable or type",
    "E302": "a type that does not resolve",
    "E303": "a reference to something that is not callable",
    "E304": "a node or router signature that cannot take the state",
    "E305": "a node parameter type that cannot take the state",
    "E306": "a write to a key the state lacks",
    "E307": "a write of the wrong type",
    "E308": "a reducer that does not fit its field",
    "E309": "a router Literal naming an undeclared or missing target",
    "E310": "a router whose targets are unknown",
    "E311": "a default of the wrong type",
    "E312": "a node whose return type writes keys its `writes` leaves out",
    "E401": "two nodes of one superstep writing a last-value field",
    "E501": "a subgraph sharing no key with its parent",
    "E502": "a subgraph sharing a key with another type",
    "E503": "a graph that contains itself",
    "E504": "a subgraph that cannot be loaded",
    "E505": "two graphs of one tree compiled to the same module",
}


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
