"""The README and the tutorial work the way a newcomer runs them.

``tests/test_docs.py`` runs every block in this process, whose path the test
suite sets up. Here the README's and the tutorial's commands run as a newcomer
types them after ``make demo``: the installed ``flowc`` executable, from the
repository root, with no ``PYTHONPATH``; and each page's Python blocks run in
one fresh ``python`` reading them from standard input, as if pasted into it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .cli_support import ROOT
from .test_docs import _bash_steps, _norm, blocks

PAGES = [ROOT / "README.md", ROOT / "docs" / "tutorial.md"]
BIN = Path(sys.executable).parent


def _newcomer_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "MYPYPATH", "FORCE_COLOR", "FLOWC_CACHE_DIR")
    }
    env.update(
        NO_COLOR="1",
        COLUMNS="100",
        FLOWC_CACHE_DIR=str(tmp / "cache"),
        PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]),
    )
    return env


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_a_newcomers_flowc_commands_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    env = _newcomer_env(tmp_path)
    ran = 0
    for block in blocks(page):
        if block.lang != "bash" or "no-run" in block.flags:
            continue
        for command, shown, code in _bash_steps(block):
            assert shlex.split(command)[0] == "flowc"
            proc = subprocess.run(
                ["bash", "-c", command],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=300,
                check=False,
            )
            assert (proc.returncode, _norm(proc.stdout)) == (code, _norm(shown)), (
                f"{block.where}: `{command}`"
            )
            ran += 1
    assert ran > 0


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_a_newcomers_python_prints_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    code: list[str] = []
    expected: list[str] = []
    previous = ""
    for block in blocks(page):
        runs = block.lang == "python" and block.marker is None
        if runs and not block.flags & {"no-run", "mypy"}:
            code.append(block.text)
        if block.lang == "output" and previous == "python":
            expected.append(block.text)
        if block.lang != "output":
            previous = block.lang if not block.flags & {"no-run", "mypy"} else ""
    assert code, page
    proc = subprocess.run(
        [sys.executable, "-"],
        input="\n".join(code),
        cwd=ROOT,
        env=_newcomer_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    printed = _norm(proc.stdout)
    # each shown output appears, in the page's order
    at = 0
    for text in expected:
        found = printed.find(_norm(text), at)
        assert found >= 0, f"{page.name}: not printed:\n{text}"
        at = found + len(_norm(text))
