"""What ``flowc check`` says about each bad spec of this folder, as snapshot text.

A case is a ``*.toml`` file here (not under ``children/``, which holds the
specs cases include) or a ``deco_*.py`` module whose ``graph`` attribute is a
decorator-DSL graph. Its snapshot, ``<case>.expected``, holds the command,
everything ``flowc check --color never`` printed and its exit code. Regenerate
them all with :data:`REGENERATE` (run from the repository root) and review the
diff before committing it.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REGENERATE = ".venv/bin/python tests/specs_with_errors/regen.py"
"""The one command that rewrites every snapshot."""


def cases() -> list[Path]:
    """Every bad spec of this folder, TOML and decorator modules."""
    found = [
        p
        for p in HERE.iterdir()
        if p.suffix == ".toml" or (p.suffix == ".py" and p.name.startswith("deco_"))
    ]
    return sorted(found)


def target_of(case: Path) -> str:
    """What to pass to ``flowc check`` for ``case``."""
    if case.suffix == ".py":
        return f"{case.stem}:graph"
    return case.relative_to(ROOT).as_posix()


def expected_path(case: Path) -> Path:
    """Where ``case``'s snapshot is stored."""
    return case.with_suffix(".expected")


@contextlib.contextmanager
def checking_context() -> Iterator[None]:
    """Run from the repository root, with this folder importable (for ``deco_*`` modules)."""
    previous = Path.cwd()
    os.chdir(ROOT)
    added = str(HERE) not in sys.path
    if added:
        sys.path.insert(0, str(HERE))
    try:
        yield
    finally:
        os.chdir(previous)
        if added:
            sys.path.remove(str(HERE))


def run_check(*args: str) -> tuple[int, str, str]:
    """``flowc check ARGS`` in this process: exit code, stdout, stderr."""
    from flowc.cli import main

    out, err = io.StringIO(), io.StringIO()
    with checking_context(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--color", "never", *args])
    return code, out.getvalue(), err.getvalue()


def render_case(case: Path) -> str:
    """The snapshot text of one case."""
    target = target_of(case)
    code, out, err = run_check(target)
    return f"$ flowc check {target}\n{out}{err}[exit {code}]\n"
