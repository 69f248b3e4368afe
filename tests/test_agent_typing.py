"""Typing of the typed agent (``specs/weather_agent.toml``): what ``mypy --strict`` says.

One mypy run checks ``tests/typing/agent_consumers.py`` (node filters, the
structured response, update classes, tool arguments), which must give no
error, and the snippets of ``tests/typing/agent_errors/``, each of which holds
one mistake and must give exactly the lines below.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest
from mypy import api

from .conftest import ROOT
from .test_messages_typing import MYPY_INI

TYPING = Path("tests", "typing")

EXPECTED: dict[str, list[str]] = {
    "tool_argument_type.py": [
        '7: error: Incompatible types (expression has type "int", TypedDict item "city" has '
        'type "str")  [typeddict-item]',
    ],
    "node_name_in_filter.py": [
        "8: error: Non-overlapping equality check (left operand type: \"Literal['agent', "
        "'tools', 'generate_structured_response']\", right operand type: \"Literal['tool']\")  "
        "[comparison-overlap]",
    ],
    "response_field.py": [
        '8: error: "Weather" has no attribute "temperature"  [attr-defined]',
    ],
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy's output lines per file (paths relative to the project root)."""
    config = tmp_path_factory.mktemp("mypy") / "mypy.ini"
    config.write_text(MYPY_INI, encoding="utf-8")
    snippets = sorted((ROOT / TYPING / "agent_errors").glob("*.py"))
    args = [
        "--config-file",
        str(config),
        str(TYPING / "agent_consumers.py"),
        *(str(p.relative_to(ROOT)) for p in snippets),
    ]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        stdout, stderr, _ = api.run(args)
    finally:
        os.chdir(cwd)
    assert stderr == "", stderr
    report: dict[str, list[str]] = defaultdict(list)
    for line in stdout.splitlines():
        path, _, rest = line.partition(":")
        report[Path(path).as_posix()].append(rest.strip())
    return dict(report)


def test_using_the_typed_agent_passes_mypy_strict(mypy_report: dict[str, list[str]]) -> None:
    assert mypy_report.get((TYPING / "agent_consumers.py").as_posix()) is None


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "agent_errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert set(mypy_report) == {(TYPING / "agent_errors" / n).as_posix() for n in EXPECTED}


@pytest.mark.parametrize("snippet", sorted(EXPECTED))
def test_each_mistake_gives_mypys_exact_error(
    mypy_report: dict[str, list[str]], snippet: str
) -> None:
    assert mypy_report.get((TYPING / "agent_errors" / snippet).as_posix()) == EXPECTED[snippet]
