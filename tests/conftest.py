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
from typing import Any

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


_DONT_WRITE_BYTECODE = sys.dont_write_bytecode


def pytest_configure(config: pytest.Config) -> None:
    """Keep the bytecode of flowc and of the example specs, even under PYTHONDONTWRITEBYTECODE.

    That setting (the shared machine has it) made every interpreter the suite starts
    compile flowc from source again: about half a second each, hundreds of times. Only
    the project's own folders are compiled, once, by the controller: a module a test
    writes and imports is still never cached, so a rewrite within the same second can
    never be read back stale.
    """
    if hasattr(config, "workerinput"):
        return
    import compileall

    for folder in ("flowc", "specs"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Test modules collected now keep their rewritten bytecode (pytest's own pyc files).

    Collection imports only the project's files (tests/, flowc/, specs/), none a test
    writes: rewriting every test module's asserts was most of each worker's 25 s collection.
    """
    sys.dont_write_bytecode = False


def pytest_collection_finish(session: pytest.Session) -> None:
    """From here on, as the environment asked (modules written by tests are never cached)."""
    sys.dont_write_bytecode = _DONT_WRITE_BYTECODE


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


_MYPY_FIXTURES = {"typing_run", "mypy_report"}


@pytest.fixture(scope="session")
def shared_mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache folder for the whole session, every xdist worker's tests alike.

    Runs that check flowc itself (a docs page's block, a new user's project) then type it
    once, not once per test; mypy writes its cache files atomically (``os.replace``).
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cache = root / "shared-mypy-cache"
    cache.mkdir(exist_ok=True)
    return cache


def _typing_modules() -> frozenset[str]:
    """The test modules (rootdir-relative, ``/``) that read the session's one mypy run.

    The controller of pytest-xdist sees node ids only, never fixtures, so it finds them
    by their source; each worker checks the items it collected against this set.
    """
    return frozenset(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if any(name in path.read_text(encoding="utf-8") for name in _MYPY_FIXTURES)
    )


TYPING_MODULES = _typing_modules()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Typing tests share one worker (one mypy run); they and the slow tests are handed out first.

    A slow test started last would leave the other workers idle while it runs.
    The sort is stable, so every worker collects the same order, as xdist requires.
    """
    typing = set()
    for item in items:
        if _MYPY_FIXTURES & set(getattr(item, "fixturenames", ())):
            path = item.nodeid.partition("::")[0]
            if path not in TYPING_MODULES:
                raise pytest.UsageError(f"{path} reads mypy_report but is not grouped with it")
            typing.add(item)
    # the mypy group (about a minute on one worker) counts as slow
    items.sort(key=lambda item: item not in typing and item.get_closest_marker("slow") is None)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``, with the typing tests (TYPING_MODULES) in one group.

    pytest-xdist 3.8 groups tests by an ``@group`` suffix it writes into each node id,
    which pytest 9.2's node ids no longer take: its ``xdist_group`` marks group nothing.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class TypingGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.partition("::")[0] in TYPING_MODULES:
                return "mypy"
            return super()._split_scope(nodeid)

    return TypingGroupScheduling(config, log)
