"""Running the ``flowc`` command as a subprocess, and snapshot files for its output.

Snapshots live in tests/snapshots/. To rewrite them after an intended change:
``FLOWC_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_cli_*.py``, then review the diff.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
CLI_SPECS = ROOT / "tests" / "cli_specs"
SNAPSHOTS = ROOT / "tests" / "snapshots"
_SCRIPT = Path(sys.executable).parent / "flowc"
FLOWC = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "flowc.cli"]
"""The installed console script (the entry point users run)."""


def cli_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment the CLI runs in: its own cache, no colour forced, example modules importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["FLOWC_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join([str(SPECS), str(CLI_SPECS), str(ROOT)])
    env.update(extra)
    return env


def flowc(
    *args: str,
    cache: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    merge: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``flowc ARGS`` from the repository root; stderr merged into stdout if ``merge``."""
    return subprocess.run(
        [*FLOWC, *args],
        cwd=ROOT,
        env=env or cli_env(cache),
        input=stdin,
        capture_output=not merge,
        stdout=subprocess.PIPE if merge else None,
        stderr=subprocess.STDOUT if merge else None,
        text=True,
        timeout=120,
        check=False,
    )


_ELAPSED = re.compile(r"\b\d+(?:\.\d+)? (?:ms|s)\b")


def normalize(text: str) -> str:
    """Output with run times replaced by ``<time>`` (the only part that varies)."""
    return _ELAPSED.sub("<time>", text)


def assert_snapshot(name: str, text: str) -> None:
    """``text`` equals tests/snapshots/``name`` (rewritten with FLOWC_UPDATE_SNAPSHOTS=1)."""
    path = SNAPSHOTS / name
    if os.environ.get("FLOWC_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), (
        f"no snapshot {path.relative_to(ROOT)}; create it with FLOWC_UPDATE_SNAPSHOTS=1"
    )
    assert text == path.read_text(encoding="utf-8"), (
        f"output differs from {path.relative_to(ROOT)} "
        "(FLOWC_UPDATE_SNAPSHOTS=1 rewrites it if the change is intended)"
    )
