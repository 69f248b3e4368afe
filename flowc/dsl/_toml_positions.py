"""Where each key and table of a TOML file was written: the spans diagnostics point at.

``tomllib`` gives values without positions; :func:`index_positions` reads the
text once more, as a small scanner of TOML's key, table and string syntax.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib
from typing import Any

from .diagnostics import Loc, SourceMap, Span

KEY = "<key>"
"""Appended to a :data:`Loc`, names the key itself rather than its value:
``("graph", "nmae", KEY)`` is where the misspelt key is written."""


_BARE_KEY = r"[A-Za-z0-9_-]+"


_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''


_KEY_PART = rf"(?:{_BARE_KEY}|{_QUOTED_KEY})"


_DOTTED_KEY = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*"


_KEY_LINE = re.compile(rf"^(?P<indent>\s*)(?P<key>{_DOTTED_KEY})\s*=\s*")


_TABLE = re.compile(rf"^\s*\[\s*(?P<key>{_DOTTED_KEY})\s*\]")


_ARRAY_TABLE = re.compile(rf"^\s*\[\[\s*(?P<key>{_DOTTED_KEY})\s*\]\]")


_KEY_PART_RE = re.compile(_KEY_PART)


_DOTTED_KEY_RE = re.compile(_DOTTED_KEY)


def _unquote(part: str) -> str:
    if part[:1] in "\"'":
        try:
            return str(tomllib.loads(f"k = {part}")["k"])
        except tomllib.TOMLDecodeError:
            return part[1:-1]
    return part


def _split_key(key: str) -> list[str]:
    return [_unquote(m.group()) for m in _KEY_PART_RE.finditer(key)]


def _last_key_span(file: str, lineno: int, line: str, start: int, key: str) -> Span:
    """The span of the last part of a dotted key: `[nodes.joke]` → `joke`."""
    parts = list(_KEY_PART_RE.finditer(key))
    if not parts:
        return Span(file, lineno, start + 1, start + 1 + len(key))
    last = parts[-1]
    return Span(file, lineno, start + last.start() + 1, start + last.end() + 1)


def index_positions(lines: list[str], smap: SourceMap) -> None:
    """Record where every table, key, value and array element of a TOML text is written.

    The text must be valid TOML (it has been parsed already); should anything
    still surprise the scanner, it stops, and the positions found so far stay.
    """
    scanner = _Scanner("\n".join(lines), smap)
    with contextlib.suppress(IndexError, ValueError):
        scanner.document()


class _Scanner:
    """A small position-recording reader of (valid) TOML text."""

    def __init__(self, text: str, smap: SourceMap) -> None:
        self.text = text
        self.smap = smap
        self.starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]

    # -- positions

    def where(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.where(start)
        end_line, end_col = self.where(end)
        if end_line != line:
            stop = self.text.find("\n", start)
            end_col = (stop if stop >= 0 else len(self.text)) - self.starts[line - 1] + 1
        return Span(self.smap.file, line, col, end_col)

    # -- reading

    def skip(self, i: int, *, newlines: bool) -> int:
        text = self.text
        while i < len(text):
            ch = text[i]
            if ch in " \t\r" or (newlines and ch == "\n"):
                i += 1
            elif ch == "#":
                stop = text.find("\n", i)
                i = len(text) if stop < 0 else (stop + 1 if newlines else stop)
            else:
                break
        return i

    def document(self) -> None:
        text = self.text
        prefix: Loc = ()
        counters: dict[Loc, int] = {}
        i = self.skip(0, newlines=True)
        while i < len(text):
            if text.startswith("[[", i):
                match = _DOTTED_KEY_RE.match(text, self.skip(i + 2, newlines=False))
                if match is None:
                    return
                path = tuple(_split_key(match.group()))
                index = counters.get(path, 0)
                counters[path] = index + 1
                prefix = (*path, index)
                self.smap.add(prefix, self.span(match.start(), match.end()))
                i = text.index("]]", match.end()) + 2
            elif text[i] == "[":
                match = _DOTTED_KEY_RE.match(text, self.skip(i + 1, newlines=False))
                if match is None:
                    return
                prefix = tuple(_split_key(match.group()))
                last = list(_KEY_PART_RE.finditer(match.group()))[-1]
                self.smap.add(
                    prefix, self.span(match.start() + last.start(), match.start() + last.end())
                )
                i = text.index("]", match.end()) + 1
            else:
                i = self.pair(i, prefix)
            i = self.skip(i, newlines=True)

    def pair(self, i: int, prefix: Loc) -> int:
        """A ``key = value`` pair at ``i``; returns the index just past the value."""
        match = _DOTTED_KEY_RE.match(self.text, i)
        if match is None:
            raise ValueError("not a key")
        loc: Loc = (*prefix, *_split_key(match.group()))
        key_span = self.span(match.start(), match.end())
        j = self.skip(match.end(), newlines=False)
        if self.text[j] != "=":
            raise ValueError("no `=`")
        start = self.skip(j + 1, newlines=False)
        end = self.value(start, loc)
        self.smap.add((*loc, KEY), key_span)
        # a table (inline or not) is pointed at by its name, other values by themselves
        self.smap.add(loc, key_span if self.text[start] == "{" else self.span(start, end))
        return end

    def value(self, i: int, loc: Loc) -> int:
        """A value at ``i``; records its parts and returns the index just past it."""
        text = self.text
        if text.startswith(('"""', "'''"), i):
            quote = text[i : i + 3]
            j = i + 3
            while True:
                if quote == '"""' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    j += 3
                    while j < len(text) and text[j] == quote[0]:
                        j += 1
                    return j
                j += 1
        if text[i] == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            return j + 1
        if text[i] == "'":
            return text.index("'", i + 1) + 1
        if text[i] == "[":
            j = self.skip(i + 1, newlines=True)
            index = 0
            while text[j] != "]":
                end = self.value(j, (*loc, index))
                self.smap.add((*loc, index), self.span(j, end))
                index += 1
                j = self.skip(end, newlines=True)
                if text[j] == ",":
                    j = self.skip(j + 1, newlines=True)
            return j + 1
        if text[i] == "{":
            j = self.skip(i + 1, newlines=False)
            while text[j] != "}":
                j = self.skip(self.pair(j, loc), newlines=False)
                if text[j] == ",":
                    j = self.skip(j + 1, newlines=False)
            return j + 1
        j = i
        while j < len(text) and text[j] not in ",]}\n#":
            j += 1
        while j > i and text[j - 1] in " \t\r":
            j -= 1
        return j


def raw_toml(text: str) -> dict[str, Any]:
    """The raw TOML data (for tools that want it)."""
    return tomllib.loads(text)
