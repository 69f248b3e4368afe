"""Typing of the typed agent (``specs/weather_agent.toml``): what ``mypy --strict`` says.

The session's one mypy run (tests/typing_support.py) checks ``tests/typing/agent_consumers.py`` (node filters, the
structured response, update classes, tool arguments), which must give no
error, and the snippets of ``tests/typing/agent_errors/``, each of which holds
one mistake and must give exactly the lines below.
"""

from __future__ import annotations

import pytest

from .conftest import ROOT
from .typing_support import TYPING, reported_in

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


def test_using_the_typed_agent_passes_mypy_strict(mypy_report: dict[str, list[str]]) -> None:
    assert mypy_report.get((TYPING / "agent_consumers.py").as_posix()) is None


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "agent_errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert reported_in(mypy_report, "agent_errors") == {
        (TYPING / "agent_errors" / n).as_posix() for n in EXPECTED
    }


@pytest.mark.parametrize("snippet", sorted(EXPECTED))
def test_each_mistake_gives_mypys_exact_error(
    mypy_report: dict[str, list[str]], snippet: str
) -> None:
    assert mypy_report.get((TYPING / "agent_errors" / snippet).as_posix()) == EXPECTED[snippet]
