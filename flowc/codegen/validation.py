"""Validate: rendered text → parsed, cleaned and formatted module text.

Every rendered module goes through libcst (a syntax error is a template bug,
reported with the template's name and the line), then ruff sorts its imports,
drops unused ones and formats it. Ruff runs isolated from any project
configuration, so the same spec gives the same bytes everywhere. All the
modules of one call are formatted by two ruff processes, not two per module.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from .render import GeneratedFile

__all__ = ["LINE_LENGTH", "TemplateError", "format_source", "validate"]

LINE_LENGTH = 100


class TemplateError(Exception):
    """A template rendered text that is not valid Python (a flowc bug)."""


@cache
def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return "ruff"


# Ruff ignores every configuration file and is told all it needs, so that the
# output does not depend on where flowc runs: with no `src` folders, no import
# counts as first-party, whatever folders sit next to the working directory.
_SETTINGS = (
    "--isolated",
    f"--line-length={LINE_LENGTH}",
    "--target-version=py311",
    "--config",
    "src = []",
)
_CHECK = ("check", "--select", "F401,I", "--fix", "--exit-zero", "--quiet", "--no-cache")
_FORMAT = ("format", "--quiet", "--no-cache")


def _run(args: tuple[str, ...], paths: list[str], cwd: str) -> None:
    proc = subprocess.run(
        [_ruff(), *args, *_SETTINGS, *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise TemplateError(f"ruff {args[0]} failed: {(proc.stderr or proc.stdout).strip()}")


def _format_all(texts: list[tuple[str, str]]) -> list[str]:
    """Clean and format ``(file name, text)`` pairs in one temporary folder.

    Each module gets a folder of its own, so that equal names do not clash.
    """
    with tempfile.TemporaryDirectory(prefix="flowc-format-") as tmp:
        paths = []
        for index, (name, text) in enumerate(texts):
            path = Path(tmp, str(index), name)
            path.parent.mkdir()
            path.write_text(text, encoding="utf-8")
            paths.append(str(path.relative_to(tmp)))
        _run(_CHECK, paths, tmp)
        _run(_FORMAT, paths, tmp)
        return [Path(tmp, p).read_text(encoding="utf-8") for p in paths]


def format_source(text: str, name: str) -> str:
    """Sort imports and drop unused ones, then format (ruff)."""
    return _format_all([(name, text)])[0]


LIBCST_MAX_BYTES = 64 * 1024
"""Above this size (a graph of about a hundred nodes) libcst's parser takes a second
or more, most of a compile; CPython's compiler (run on every module anyway, and
stricter) is then the only check."""


def _parse(file: GeneratedFile) -> None:
    # imported here: a process that reads its modules from a cache checks none of them
    import libcst

    try:
        if len(file.text) <= LIBCST_MAX_BYTES:
            libcst.parse_module(file.text)
    except libcst.ParserSyntaxError as exc:
        lines = file.text.splitlines()
        line = lines[exc.raw_line - 1] if 0 < exc.raw_line <= len(lines) else ""
        raise TemplateError(
            f"template {file.template} rendered invalid Python for {file.name} "
            f"at line {exc.raw_line}, column {exc.raw_column}: {exc.message}\n    {line}"
        ) from None
    # libcst accepts some code that CPython refuses to compile ('async for' outside an
    # async function, 'return' outside a function...): compile too, so those are caught here.
    try:
        compile(file.text, file.name, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise TemplateError(
            f"template {file.template} rendered invalid Python for {file.name} "
            f"at line {exc.lineno}: {exc.msg}\n    {(exc.text or '').rstrip()}"
        ) from None


def validate(files: list[GeneratedFile]) -> list[GeneratedFile]:
    """Parse every file with libcst, then clean and format them all."""
    for file in files:
        _parse(file)
    if not files:
        return []
    texts = _format_all([(f.name, f.text) for f in files])
    return [GeneratedFile(f.name, text, f.template) for f, text in zip(files, texts, strict=True)]


def python() -> str:
    """The interpreter flowc runs on (for tools that spawn one)."""
    return sys.executable
