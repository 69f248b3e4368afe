"""The recording of builder calls with their source spans: the core of the decorator front end.

A builder records each call (:class:`_Record`): where the user made it (a
:class:`~flowc.dsl.pysource.CallSite`, read from the frame), a recipe that
finds the syntax of each part the call declared (an argument, a list item,
a dict value) once the call's source is parsed, and the spans known without
it (a function's ``def``). :class:`Recording` gathers them with the problems
found, each at a call, an argument (:class:`_At`) or a part of the spec (a
:data:`~flowc.dsl.diagnostics.Loc`), and turns them into the
:class:`~flowc.dsl.diagnostics.SourceMap` of the spec the calls make.
Source files are read only then, and each only once (:func:`source_of`).

The drop-in builder records where each of its calls was made with
:func:`call_site` (the call on its first line, no file read), and the
source lines its diagnostics show with :func:`source_texts`.
"""

from __future__ import annotations

import ast
import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .pysource import CallSite, caller, source_of

__all__ = ["Recording", "call_site", "source_texts"]


_Recipe = Callable[[ast.AST], dict[Loc, ast.AST]]
"""From the call's syntax node, the syntax node of each part the call declared."""


def _arg(node: ast.AST, index: int, keyword: str | None = None) -> ast.expr | None:
    if not isinstance(node, ast.Call):
        return None
    if keyword is not None:
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    return positional[index] if index < len(positional) else None


def _kwarg(node: ast.AST, keyword: str) -> ast.expr | None:
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    return None


def _element(node: ast.expr | None, index: int) -> ast.expr | None:
    """The ``index``-th element of a list/tuple literal (or the node itself if it is not one)."""
    if isinstance(node, ast.List | ast.Tuple):
        return node.elts[index] if index < len(node.elts) else None
    return node if index == 0 else None


def _dict_value(node: ast.expr | None, key: str) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    return None


@dataclass(slots=True)
class _Record:
    site: CallSite | None
    recipe: _Recipe | None
    fixed: dict[Loc, Span] = dataclasses.field(default_factory=dict)
    """Spans known without the call's syntax (a function's ``def``...)."""


@dataclass(frozen=True, slots=True)
class _At:
    """One argument of a recorded call (by position or keyword), for a diagnostic's caret."""

    site: CallSite | None
    index: int | None = None
    keyword: str | None = None


_Where = Loc | CallSite | _At | None


def _site_span(site: CallSite) -> Span:
    src = source_of(site.filename)
    if src is not None and src.tree is not None:
        node = src.node_at(site)
        if node is not None:
            return src.span(node)
        line = src.lines[site.line - 1] if 0 < site.line <= len(src.lines) else ""
        indent = len(line) - len(line.lstrip())
        return Span(site.file, site.line, indent + 1, len(line.rstrip()) + 1)
    return Span(site.file, site.line, site.col + 1)


def _arg_span(at: _At) -> Span:
    """The span of an argument of a recorded call (the whole call if it cannot be found)."""
    assert at.site is not None
    src = source_of(at.site.filename)
    call = src.node_at(at.site) if src is not None else None
    if src is not None and call is not None:
        if at.keyword is not None:
            node = _kwarg(call, at.keyword) or (
                _arg(call, at.index) if at.index is not None else None
            )
        else:
            node = _arg(call, at.index) if at.index is not None else None
        if node is not None:
            return src.span(node)
    return _site_span(at.site)


def _add_text(smap: SourceMap, filename: str) -> None:
    src = source_of(filename)
    if src is not None and src.file not in smap.texts:
        smap.texts[src.file] = src.lines


def call_site(depth: int = 2) -> Span | None:
    """Where the caller's caller made the call (``depth`` frames up from here).

    The span covers the call expression on its first line, so a diagnostic's
    caret underlines ``.add_node("x", f)`` in a chain of builder calls.
    """
    site = caller(depth)
    return None if site is None else site.first_line_span()


def source_texts(spans: Sequence[Span | None]) -> dict[str, list[str]]:
    """Source lines of files that are not on disk (code run with ``exec``, notebook cells),
    as the front end reads them (from ``linecache``)."""
    texts: dict[str, list[str]] = {}
    for span in spans:
        if span is None or span.file in texts or os.path.exists(span.file):
            continue
        src = source_of(span.file)
        if src is not None and src.lines:
            texts[span.file] = src.lines
    return texts


class Recording:
    """The calls a builder recorded, the problems found in them, and their source map."""

    _records: list[_Record]
    _diags: list[tuple[str, str, _Where, str | None]]
    _site: CallSite | None

    def _error(self, code: str, message: str, where: _Where, hint: str | None = None) -> None:
        self._diags.append((code, message, where, hint))

    def _record(
        self, site: CallSite | None, recipe: _Recipe | None, fixed: dict[Loc, Span] | None = None
    ) -> None:
        self._records.append(_Record(site, recipe, fixed or {}))

    def _span(self, where: _Where, smap: SourceMap) -> Span | None:
        """The span of a problem's place: a call, one of its arguments, or a part of the spec."""
        if isinstance(where, CallSite):
            return _site_span(where)
        if isinstance(where, _At):
            return _arg_span(where) if where.site is not None else None
        if where is None:
            return None
        return smap.get(where)

    def _source_map(self) -> SourceMap:
        """Where each part of the spec was written: the spans known without the source
        first, then each call's parts found in its parsed source (the whole call's line
        when the source cannot be read)."""
        file = self._site.file if self._site is not None else "<python>"
        smap = SourceMap(file)
        for record in self._records:
            for loc, span in record.fixed.items():
                smap.spans[loc] = span
                _add_text(smap, span.file)
        for record in self._records:
            if record.site is None or record.recipe is None:
                continue
            src = source_of(record.site.filename)
            node = src.node_at(record.site) if src is not None else None
            if src is None or node is None:
                span = _site_span(record.site)
                for loc in record.recipe(ast.Call(func=ast.Name("_"), args=[], keywords=[])):
                    smap.spans.setdefault(loc, span)
                continue
            _add_text(smap, record.site.filename)
            for loc, sub in record.recipe(node).items():
                smap.spans.setdefault(loc, src.span(sub))
        return smap

    def _diagnostics(self, smap: SourceMap) -> list[Diagnostic]:
        """The problems found in the calls, each at its span."""
        return [
            Diagnostic.error(code, message, self._span(where, smap), hint)
            for code, message, where, hint in self._diags
        ]
