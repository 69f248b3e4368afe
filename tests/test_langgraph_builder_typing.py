"""Runner modules generated for drop-in graphs pass ``mypy --strict``.

Drop-in graphs import what has no importable name of its own (closures,
lambdas, classes defined in a function) from ``flowc.langgraph._objects``;
the modules generated for them must type-check like any other. The graphs are
``tests/typing_support.py``'s ``DROPIN_APP``; the session's one mypy run
checks their runners.
"""

from __future__ import annotations

from .conftest import TypingRun


def test_generated_modules_of_drop_in_graphs_pass_mypy_strict(typing_run: TypingRun) -> None:
    assert typing_run.dropin_files == [
        "__init__.py",
        "joke.py",
        "joke_types.py",
        "local.py",
        "local_types.py",
    ]
    reported = {p: lines for p, lines in typing_run.report.items() if "/dropin_gen/" in p}
    assert reported == {}
