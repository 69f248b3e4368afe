"""Diagnostics as data: located, gathered, rendered together.

A :class:`Diagnostic` names a place in a source file (:class:`Span`), a code
(``E101``...), a message and optionally a hint. :func:`render` prints one as
``file:line:col: error[code]: message`` followed by the source line and a
caret under the bad spot, the way ruff and rustc do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .codes import CODES, Code

__all__ = [
    "Diagnostic",
    "DiagnosticError",
    "Loc",
    "Severity",
    "SourceMap",
    "Span",
    "render",
    "render_all",
    "text_lines",
    "to_json",
]

Loc = tuple[str | int, ...]
"""A path into a spec, as pydantic gives it: ``("nodes", "joke", "call")``."""


class Severity(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file; lines and columns count from 1."""

    file: str
    line: int
    col: int
    end_col: int | None = None

    def __str__(self) -> str:
        return self.file if self.line == 0 else f"{self.file}:{self.line}:{self.col}"

    @classmethod
    def whole(cls, file: str) -> Span:
        """A whole file: for a diagnostic about a file (too large) or something it lacks
        (a missing key), which has no line of its own. Its line and column are 0."""
        return cls(file, 0, 0)

    @property
    def has_line(self) -> bool:
        """True unless the span is a :meth:`whole` file."""
        return self.line > 0


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` as TOML and Python count them: ended by ``\n`` or ``\r\n`` only.

    ``str.splitlines`` also ends a line at U+2028, U+2029, U+0085 and other
    characters that TOML strings and comments may hold, which would shift every
    later line number.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a spec."""

    severity: Severity
    code: str
    """A code of :data:`flowc.dsl.codes.CODES` (``E306``)."""
    message: str
    span: Span | None
    hint: str | None = None

    def __post_init__(self) -> None:
        # a code the registry lacks has no explanation, no doc entry and no `flowc explain`
        if self.code not in CODES:
            raise ValueError(
                f"diagnostic code {self.code!r} is not registered; add it to flowc/dsl/codes.py "
                "(and to the table of docs/spec-format.md)"
            )

    @classmethod
    def error(
        cls, code: str | Code, message: str, span: Span | None, hint: str | None = None
    ) -> Diagnostic:
        """An error diagnostic (``code`` as a registered :class:`Code` or its name)."""
        return cls(Severity.ERROR, str(code), message, span, hint)


@dataclass(slots=True)
class SourceMap:
    """Where each part of a spec was written, keyed by its :data:`Loc`.

    A lookup falls back to the nearest enclosing part that has a position, so a
    diagnostic about ``("nodes", "a", "call")`` points at the node's table when
    the ``call`` key itself has no position.
    """

    file: str
    spans: dict[Loc, Span] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, loc: Loc, span: Span) -> None:
        """Record where ``loc`` is written (the first record wins)."""
        self.spans.setdefault(loc, span)

    def get(self, loc: Loc) -> Span | None:
        """The span of ``loc`` or of its nearest enclosing part; else the whole spec file
        (``None`` only for specs that have no file)."""
        for end in range(len(loc), -1, -1):
            span = self.spans.get(loc[:end])
            if span is not None:
                return span
        if os.path.splitext(self.file)[1] in (".toml", ".py") and not self.file.startswith("<"):
            return Span.whole(self.file)
        return None

    def merge(self, other: SourceMap) -> None:
        """Take ``other``'s spans and texts (used for subgraph specs)."""
        for loc, span in other.spans.items():
            self.spans.setdefault(loc, span)
        self.texts.update(other.texts)


class DiagnosticError(Exception):
    """Raised by APIs that cannot return diagnostics as values (``flowc.build``...)."""

    def __init__(
        self, diagnostics: Sequence[Diagnostic], texts: Mapping[str, list[str]] | None = None
    ):
        self.diagnostics = tuple(diagnostics)
        self.texts = dict(texts or {})
        super().__init__(render_all(self.diagnostics, self.texts, color=False))


def _source_line(span: Span, texts: Mapping[str, list[str]]) -> str | None:
    lines = texts.get(span.file)
    if lines is None:
        try:
            with open(span.file, encoding="utf-8", errors="replace") as handle:
                lines = text_lines(handle.read())
        except OSError:
            return None
    if 1 <= span.line <= len(lines):
        return lines[span.line - 1]
    return None


def render(
    diag: Diagnostic, texts: Mapping[str, list[str]] | None = None, *, color: bool = False
) -> str:
    """``file:line:col: error[code]: message``, the source line, a caret, the hint."""
    red, blue, bold, reset = ("\x1b[31m", "\x1b[34m", "\x1b[1m", "\x1b[0m") if color else ("",) * 4
    where = f"{diag.span}: " if diag.span else ""
    head = (
        f"{bold}{where}{red}{diag.severity.value}[{diag.code}]{reset}{bold}: {diag.message}{reset}"
    )
    out = [head]
    if diag.span is not None and diag.span.has_line:
        src = _source_line(diag.span, texts or {})
        if src is not None:
            gutter = str(diag.span.line)
            pad = " " * len(gutter)
            width = 1
            if diag.span.end_col is not None and diag.span.end_col > diag.span.col:
                width = diag.span.end_col - diag.span.col
            caret = " " * (diag.span.col - 1) + "^" * width
            out.append(f"{blue}{pad} |{reset}")
            out.append(f"{blue}{gutter} |{reset} {src}")
            out.append(f"{blue}{pad} |{reset} {red}{caret}{reset}")
    if diag.hint:
        out.append(f"  = hint: {diag.hint}")
    return "\n".join(out)


def sort_key(diag: Diagnostic) -> tuple[str, int, int, str, str]:
    """Order diagnostics by place, then code."""
    if diag.span is None:
        return ("", 0, 0, diag.code, diag.message)
    return (diag.span.file, diag.span.line, diag.span.col, diag.code, diag.message)


def render_all(
    diags: Iterable[Diagnostic],
    texts: Mapping[str, list[str]] | None = None,
    *,
    color: bool = False,
) -> str:
    """Every diagnostic, in source order, separated by blank lines, with a count."""
    ordered = sorted(diags, key=sort_key)
    body = "\n\n".join(render(d, texts, color=color) for d in ordered)
    errors = sum(1 for d in ordered if d.severity is Severity.ERROR)
    tail = f"found {errors} error{'s' if errors != 1 else ''}"
    return f"{body}\n\n{tail}" if body else tail


def to_json(diags: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    """Diagnostics as JSON-ready dicts (``flowc check --format json``), in source order.

    Each has ``file``, ``line``, ``col`` and ``end_col`` (``null`` when the
    diagnostic has no place; ``line``, ``col`` and ``end_col`` are ``null`` for
    one about a whole file; ``end_col`` is exclusive), ``severity``, ``code``,
    ``message`` and ``hint``.
    """
    out: list[dict[str, Any]] = []
    for d in sorted(diags, key=sort_key):
        span = d.span
        lined = span is not None and span.has_line
        out.append(
            {
                "file": span.file if span else None,
                "line": span.line if span and lined else None,
                "col": span.col if span and lined else None,
                "end_col": (span.end_col or span.col + 1) if span and lined else None,
                "severity": d.severity.value,
                "code": d.code,
                "message": d.message,
                "hint": d.hint,
            }
        )
    return out


def dumps(diags: Iterable[Diagnostic]) -> str:
    """:func:`to_json` as text."""
    return json.dumps(to_json(diags), indent=2)
