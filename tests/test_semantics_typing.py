"""The runners of the conformance graphs pass ``mypy --strict``.

They cover what the example specs do not: routers from START and from nodes
(sync and async, returning names or lists), joins, dataclass and pydantic
states, node input schemas and metadata. ``flowc compile`` writes them at the
start of the session (``tests/typing_support.py``); its one mypy run checks them.
"""

from __future__ import annotations

from .conftest import TypingRun


def test_generated_runners_of_the_conformance_graphs_pass_mypy_strict(
    typing_run: TypingRun,
) -> None:
    compiled = typing_run.conformance_compile
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    reported = {p: lines for p, lines in typing_run.report.items() if "/conformance_gen/" in p}
    assert reported == {}
