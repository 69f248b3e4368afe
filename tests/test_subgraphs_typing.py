"""Typing of subgraph events: what ``mypy --strict`` says about code that consumes them.

The session's one mypy run (tests/typing_support.py) checks ``tests/typing/subgraph_consumers.py`` (matches over the
events of the golden ``subgraph`` and ``nested`` runners with
``subgraphs=True``, and the typed resume of ``subgraph_approval``), which must give no error,
and the snippets of
``tests/typing/subgraph_errors/``, each of which holds one mistake and must
give exactly the lines below.
"""

from __future__ import annotations

import pytest

from .conftest import ROOT
from .typing_support import TYPING, reported_in

EXPECTED: dict[str, list[str]] = {
    "child_update_wrong_key.py": [
        '9: error: TypedDict "SubgraphNode1Update" has no key "bars"  [typeddict-item]',
        '9: note: Did you mean "bar"?',
    ],
    # specs/subgraph_approval.toml: the subgraph node declares what its subgraph's
    # interrupt takes, and the parent's resume() is typed with it
    "resume_wrong_type.py": [
        '9: error: Argument 1 to "resume" of "InterruptingGraphWithSubgraphs" has incompatible '
        'type "str"; expected "Approval | Mapping[str, Approval] | None"  [arg-type]',
    ],
    "match_misses_subgraph_events.py": [
        '14: error: Argument 1 to "assert_never" has incompatible type '
        '"SubgraphNode1Updated | SubgraphNode2Updated"; expected "Never"  [arg-type]',
    ],
}


def test_matching_subgraph_events_passes_mypy_strict(mypy_report: dict[str, list[str]]) -> None:
    assert mypy_report.get((TYPING / "subgraph_consumers.py").as_posix()) is None


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "subgraph_errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert reported_in(mypy_report, "subgraph_errors") == {
        (TYPING / "subgraph_errors" / n).as_posix() for n in EXPECTED
    }


@pytest.mark.parametrize("snippet", sorted(EXPECTED))
def test_each_mistake_gives_mypys_exact_error(
    mypy_report: dict[str, list[str]], snippet: str
) -> None:
    assert mypy_report.get((TYPING / "subgraph_errors" / snippet).as_posix()) == EXPECTED[snippet]
