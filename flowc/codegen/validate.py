"""Validate: rendered text → parsed, cleaned and formatted module text.

Every rendered module goes through libcst (a syntax error is a template bug,
reported with the template's name and the line), then ruff drops unused
imports and formats it. Ruff runs isolated from any project configuration, so
the same spec gives the same bytes everywhere.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import libcst

from .render import GeneratedFile

__all__ = ["TemplateError", "format_source", "validate"]

LINE_LENGTH = 100


class TemplateError(Exception):
    """A template rendered text that is not valid Python (a flowc bug)."""


@cache
def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return "ruff"


def _run_ruff(args: list[str], text: str, name: str) -> str:
    proc = subprocess.run(
        [_ruff(), *args, "--isolated", f"--line-length={LINE_LENGTH}", "--stdin-filename", name, "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1) or not proc.stdout:
        raise TemplateError(f"ruff failed on {name}: {proc.stderr.strip()}")
    return proc.stdout


def format_source(text: str, name: str) -> str:
    """Drop unused imports, then format (ruff)."""
    cleaned = _run_ruff(["check", "--select", "F401", "--fix", "--exit-zero", "--quiet"], text, name)
    return _run_ruff(["format", "--quiet"], cleaned, name)


def _parse(file: GeneratedFile) -> None:
    try:
        libcst.parse_module(file.text)
    except libcst.ParserSyntaxError as exc:
        lines = file.text.splitlines()
        line = lines[exc.raw_line - 1] if 0 < exc.raw_line <= len(lines) else ""
        raise TemplateError(
            f"template {file.template} rendered invalid Python for {file.name} "
            f"at line {exc.raw_line}, column {exc.raw_column}: {exc.message}\n    {line}"
        ) from None


def validate(files: list[GeneratedFile]) -> list[GeneratedFile]:
    """Parse every file with libcst, then clean and format it."""
    out = []
    for file in files:
        _parse(file)
        text = format_source(file.text, file.name)
        out.append(GeneratedFile(file.name, text, file.template))
    return out


def python() -> str:
    """The interpreter flowc runs on (for tools that spawn one)."""
    return sys.executable
