"""Without a Postgres server the Postgres tests fail saying why; they skip only when told to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_POSTGRES_TEST = (
    "tests/savers/test_savers.py::"
    "test_put_then_get_tuple_gives_back_the_checkpoint_exactly[postgres]"
)


def run_one(**env: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", ONE_POSTGRES_TEST, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_postgres_tests_fail_with_the_reason_when_no_server_can_start() -> None:
    code, out = run_one(FLOWC_POSTGRES_BIN="/nonexistent/bin", FLOWC_NO_POSTGRES="")
    assert code == 1
    assert (
        "could not start a Postgres server for the tests: Postgres is not installed "
        "(no initdb in /nonexistent/bin" in out
    )
    assert "1 error" in out
    assert "skipped" not in out


def test_postgres_tests_skip_only_when_flowc_no_postgres_is_set() -> None:
    code, out = run_one(FLOWC_POSTGRES_BIN="/nonexistent/bin", FLOWC_NO_POSTGRES="1")
    assert code == 0
    assert "1 skipped" in out
