"""Typing of subgraph events: what ``mypy --strict`` says about code that consumes them.

One mypy run checks ``tests/typing/subgraph_consumers.py`` (matches over the
events of the golden ``subgraph`` and ``nested`` runners with
``subgraphs=True``), which must give no error, and the snippets of
``tests/typing/subgraph_errors/``, each of which holds one mistake and must
give exactly the lines below.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest
from mypy import api

from .conftest import ROOT

TYPING = Path("tests", "typing")

# the project's strict settings; the example nodes are importable, and only
# the files named on the command line are reported
MYPY_INI = """\
[mypy]
strict = True
python_version = 3.11
mypy_path = specs
plugins = pydantic.mypy
show_error_codes = True
pretty = False
color_output = False
error_summary = False

[mypy-flowc.*]
follow_imports = silent

[mypy-flowc_demo.*]
follow_imports = silent

[mypy-tests.golden.*]
follow_imports = silent
"""

EXPECTED: dict[str, list[str]] = {
    "child_update_wrong_key.py": [
        '9: error: TypedDict "SubgraphNode1Update" has no key "bars"  [typeddict-item]',
        '9: note: Did you mean "bar"?',
    ],
    "match_misses_subgraph_events.py": [
        '14: error: Argument 1 to "assert_never" has incompatible type '
        '"SubgraphNode1Updated | SubgraphNode2Updated"; expected "Never"  [arg-type]',
    ],
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy's output lines per file (paths relative to the project root)."""
    config = tmp_path_factory.mktemp("mypy") / "mypy.ini"
    config.write_text(MYPY_INI, encoding="utf-8")
    snippets = sorted((ROOT / TYPING / "subgraph_errors").glob("*.py"))
    args = [
        "--config-file",
        str(config),
        str(TYPING / "subgraph_consumers.py"),
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


def test_matching_subgraph_events_passes_mypy_strict(mypy_report: dict[str, list[str]]) -> None:
    assert mypy_report.get((TYPING / "subgraph_consumers.py").as_posix()) is None


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "subgraph_errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert set(mypy_report) == {(TYPING / "subgraph_errors" / n).as_posix() for n in EXPECTED}


@pytest.mark.parametrize("snippet", sorted(EXPECTED))
def test_each_mistake_gives_mypys_exact_error(
    mypy_report: dict[str, list[str]], snippet: str
) -> None:
    assert mypy_report.get((TYPING / "subgraph_errors" / snippet).as_posix()) == EXPECTED[snippet]
