"""Shared fixtures: the example specs' node modules are importable from specs/."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

for folder in (str(SPECS), str(ROOT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

# `flowc compile` records what it compiled in flowc's cache: never the user's own, in tests
# (subprocesses inherit it)
if "FLOWC_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="flowc-test-cache-")
    os.environ["FLOWC_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)


@dataclass(frozen=True)
class TypingRun:
    """The session's one mypy run (tests/typing_support.py) and the runners it checked."""

    report: dict[str, list[str]]
    """mypy's lines per reported file; generated runners as ``<generated>/<package>/<file>``."""
    dropin_files: list[str]
    conformance_compile: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def typing_run(tmp_path_factory: pytest.TempPathFactory) -> TypingRun:
    """Generate the runners the typing tests check, then run mypy once over everything."""
    from . import typing_support

    base = tmp_path_factory.mktemp("typing")
    generated = base / "generated"
    generated.mkdir()
    dropin_files = typing_support.generate_dropin(generated / "dropin_gen", generated)
    compiled = typing_support.generate_conformance(generated / "conformance_gen")
    report = typing_support.run_mypy(generated, base / "mypy-cache")
    return TypingRun(report, dropin_files, compiled)


@pytest.fixture(scope="session")
def mypy_report(typing_run: TypingRun) -> dict[str, list[str]]:
    """mypy's output lines per file of the session's one run (paths relative to the root)."""
    return typing_run.report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test`), the typing tests share one worker: one mypy run."""
    for item in items:
        if {"typing_run", "mypy_report"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("mypy"))
