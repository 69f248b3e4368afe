"""Positions in Python source, for diagnostics about decorator-DSL graphs.

Takes a frame's call position, a function or a class; gives :class:`Span`
values (character columns, counted from 1) of the exact tokens a diagnostic
should underline: an argument of a ``graph.add_edge(...)`` call, a parameter
or the return annotation of a node function, a field of a state class.
Each source file is read and parsed once, when a decorator-DSL graph asks
where something was written (code that is in no file, such as a notebook
cell, is read from :mod:`linecache`); a file that cannot be read gives no
positions, and diagnostics then fall back to coarser places.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .diagnostics import Span, text_lines

__all__ = [
    "CallSite",
    "PySource",
    "annotated_metadata",
    "caller",
    "class_fields",
    "display_path",
    "function_spans",
    "source_of",
]


def display_path(filename: str) -> str:
    """``filename`` relative to the working directory when it lies inside it."""
    try:
        rel = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        return filename
    return filename if rel.startswith(os.pardir) else rel


@dataclass(frozen=True, slots=True)
class CallSite:
    """Where a decorator-DSL call was made: a file and the call's position."""

    filename: str
    line: int
    col: int
    """0-based UTF-8 byte offset, as Python's code positions give it."""
    end_line: int
    end_col: int
    exact: bool = True
    """False when Python gave only the line (``-X no_debug_ranges``): the columns are 0."""

    @property
    def file(self) -> str:
        """The file name as diagnostics show it."""
        return display_path(self.filename)

    def first_line_span(self) -> Span:
        """The call on its first line, without reading the file (byte columns, from 1)."""
        if not self.exact:
            return Span(self.filename, self.line, 1)
        end = self.end_col + 1 if self.end_line == self.line else None
        return Span(self.filename, self.line, self.col + 1, end)


def caller(depth: int) -> CallSite | None:
    """The position of the call ``depth`` frames up (1: the caller of the caller).

    The one place the front ends read a frame: the decorator DSL's calls and
    the drop-in builder's (:func:`flowc.langgraph._errors.call_site`) alike.
    """
    try:
        frame = sys._getframe(depth + 1)
    except ValueError:
        return None
    try:
        info = inspect.getframeinfo(frame, context=0)
    except (OSError, ValueError):  # pragma: no cover - frames always have an info
        return None
    finally:
        del frame  # a frame held by a local makes a reference cycle
    pos = info.positions
    if pos is None or pos.lineno is None or pos.col_offset is None:
        return CallSite(info.filename, info.lineno, 0, info.lineno, 0, exact=False)
    end_line = pos.end_lineno if pos.end_lineno is not None else pos.lineno
    end_col = pos.end_col_offset if pos.end_col_offset is not None else pos.col_offset
    return CallSite(info.filename, pos.lineno, pos.col_offset, end_line, end_col)


@dataclass(slots=True)
class PySource:
    """One parsed Python file."""

    filename: str
    lines: list[str]
    tree: ast.Module | None
    _by_pos: dict[tuple[int, int, int, int], ast.AST] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The file name as diagnostics show it."""
        return display_path(self.filename)

    def span(self, node: ast.AST) -> Span:
        """The span of ``node`` (on its first line when it runs over several)."""
        line = getattr(node, "lineno", 1)
        col = self._chars(line, getattr(node, "col_offset", 0))
        end_line = getattr(node, "end_lineno", line)
        end = getattr(node, "end_col_offset", None)
        if end is None or end_line != line:
            end_col = len(self.lines[line - 1]) if 0 < line <= len(self.lines) else col
        else:
            end_col = self._chars(line, end)
        return Span(self.file, line, col + 1, end_col + 1)

    def _chars(self, line: int, byte_col: int) -> int:
        """A UTF-8 byte offset on ``line`` → a character offset."""
        if not 0 < line <= len(self.lines):
            return byte_col
        return len(self.lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def node_at(self, site: CallSite) -> ast.AST | None:
        """The expression a frame position names (a call, or a bare decorator)."""
        if self.tree is None:
            return None
        if not self._by_pos:
            for node in ast.walk(self.tree):
                if (
                    isinstance(node, ast.expr)
                    and node.end_lineno is not None
                    and node.end_col_offset is not None
                ):
                    key = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
                    self._by_pos.setdefault(key, node)
        return self._by_pos.get((site.line, site.col, site.end_line, site.end_col))

    def function_def(self, fn: Any) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The ``def`` of a function defined in this file."""
        code = getattr(fn, "__code__", None)
        if self.tree is None or code is None:
            return None
        first = code.co_firstlineno
        for node in ast.walk(self.tree):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.name == fn.__name__
            ):
                starts = [node.lineno, *(d.lineno for d in node.decorator_list)]
                if first in starts:
                    return node
        return None

    def class_def(self, cls: type) -> ast.ClassDef | None:
        """The ``class`` statement of a class defined in this file (found by qualified name)."""
        if self.tree is None:
            return None
        body: list[ast.stmt] = self.tree.body
        found: ast.ClassDef | None = None
        for part in cls.__qualname__.split("."):
            found = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == part), None)
            if found is None:
                return None
            body = found.body
        return found


@cache
def _parse(filename: str, stamp: tuple[int, int]) -> PySource:
    del stamp  # part of the cache key only: an edited file is read again
    try:
        with open(filename, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return PySource(filename, [], None)
    return _parse_text(filename, text)


@cache
def _parse_text(filename: str, text: str) -> PySource:
    try:
        tree: ast.Module | None = ast.parse(text, filename)
    except (SyntaxError, ValueError):
        tree = None
    return PySource(filename, text_lines(text), tree)


def source_of(filename: str | None) -> PySource | None:
    """The parsed file (cached while it is unchanged), or None for code without a file.

    Code run from a name that is no file (a notebook cell, ``exec``'d text) is
    read from :mod:`linecache` when the tool that ran it put it there, as
    Jupyter does for every cell.
    """
    if not filename:
        return None
    if not filename.startswith("<"):
        try:
            info = os.stat(filename)
        except OSError:
            pass
        else:
            return _parse(filename, (info.st_mtime_ns, info.st_size))
    lines = linecache.getlines(filename)
    return _parse_text(filename, "".join(lines)) if lines else None


def _unwrap(fn: Any) -> Any:
    try:
        return inspect.unwrap(fn)
    except ValueError:  # a wrapper cycle
        return fn


def function_spans(fn: Any) -> tuple[PySource, dict[str, Span]] | None:
    """Spans in the ``def`` of ``fn``.

    Keys: ``"def"`` (the function's name), ``"return"`` (its return
    annotation), ``"param:<name>"`` (a parameter, with its annotation) and
    ``"annotation:<name>"`` (just a parameter's annotation).
    """
    fn = _unwrap(fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    src = source_of(code.co_filename)
    if src is None:
        return None
    node = src.function_def(fn)
    if node is None:
        return None
    spans: dict[str, Span] = {}
    line_text = src.lines[node.lineno - 1] if 0 < node.lineno <= len(src.lines) else ""
    name_col = line_text.find(node.name, src._chars(node.lineno, node.col_offset))
    if name_col >= 0:
        spans["def"] = Span(src.file, node.lineno, name_col + 1, name_col + 1 + len(node.name))
    else:
        spans["def"] = src.span(node)
    args = node.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        spans[f"param:{arg.arg}"] = src.span(arg)
        if arg.annotation is not None:
            spans[f"annotation:{arg.arg}"] = src.span(arg.annotation)
    for rest in (args.vararg, args.kwarg):
        if rest is not None:
            spans[f"param:{rest.arg}"] = src.span(rest)
    if node.returns is not None:
        spans["return"] = src.span(node.returns)
        for sub in ast.walk(node.returns):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                spans.setdefault(f"literal:{sub.value}", src.span(sub))
    return src, spans


def class_fields(cls: Any) -> tuple[PySource, Span, dict[str, Span]] | None:
    """The span of a class's name, and spans in its body.

    Keys: ``"field:<name>"`` (a field's name), ``"type:<name>"`` (its
    annotation) and ``"reducer:<name>"`` (the last ``Annotated`` argument).
    """
    module = sys.modules.get(getattr(cls, "__module__", ""), None)
    filename = getattr(module, "__file__", None)
    src = source_of(filename)
    if src is None or not isinstance(cls, type):
        return None
    node = src.class_def(cls)
    if node is None:
        return None
    line_text = src.lines[node.lineno - 1] if 0 < node.lineno <= len(src.lines) else ""
    col = line_text.find(node.name)
    head = (
        Span(src.file, node.lineno, col + 1, col + 1 + len(node.name))
        if col >= 0
        else src.span(node)
    )
    fields: dict[str, Span] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            fields[f"field:{name}"] = src.span(stmt.target)
            fields[f"type:{name}"] = src.span(stmt.annotation)
            reducer = annotated_metadata(stmt.annotation)
            if reducer is not None:
                fields[f"reducer:{name}"] = src.span(reducer)
    return src, head, fields


def annotated_metadata(node: ast.expr) -> ast.expr | None:
    """The last metadata element of ``Annotated[T, ..., reducer]``, if the annotation is one."""
    if not isinstance(node, ast.Subscript):
        return None
    base = node.value
    name = (
        base.attr
        if isinstance(base, ast.Attribute)
        else base.id
        if isinstance(base, ast.Name)
        else ""
    )
    if name != "Annotated" or not isinstance(node.slice, ast.Tuple) or len(node.slice.elts) < 2:
        return None
    return node.slice.elts[-1]
