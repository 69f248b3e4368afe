"""Diagnostics of a TOML spec that cannot be read: syntax errors, inputs over the limits,
and pydantic's validation errors placed at the key they are about.
"""

from __future__ import annotations

import ast
import difflib
import re
import sys
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ._toml_models import TomlSpec
from ._toml_positions import (
    _ARRAY_TABLE,
    _KEY_LINE,
    _TABLE,
    KEY,
    _last_key_span,
    _Scanner,
    index_positions,
)
from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .names import graph_name_problem

_TOML_ERROR_AT = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


_TOML_ERROR_EOF = re.compile(r"^(?P<msg>.*) \(at end of document\)$")


_TOML_DECLARED_TWICE = re.compile(r"^Cannot declare \((?P<key>.*)\) twice$")


MAX_NESTING = 50
"""How deeply arrays and inline tables may nest in a spec."""


def _name_diagnostics(raw: dict[str, Any], smap: SourceMap) -> list[Diagnostic]:
    """The graph name's problem, reported even when the rest of the spec does not validate."""
    graph = raw.get("graph")
    name = graph.get("name") if isinstance(graph, dict) else None
    problem = graph_name_problem(name) if isinstance(name, str) else None
    if problem is None:
        return []
    why, hint = problem
    return [
        Diagnostic.error("E101", f"graph name `{name}` {why}", smap.get(("graph", "name")), hint)
    ]


def _over_the_limits(text: str, smap: SourceMap) -> Diagnostic | None:
    """A diagnostic for what is too deep or too long to read, at the place it starts."""
    scan = _Scanner(text, smap)
    deep = _nesting_overflow(text, MAX_NESTING)
    if deep is not None:
        line, col = scan.where(deep)
        return Diagnostic.error(
            "E006",
            f"arrays and inline tables nest more than {MAX_NESTING} levels deep here, the limit",
            Span(smap.file, line, col, col + 1),
        )
    digits = sys.get_int_max_str_digits()
    if digits:
        long_int = re.compile(rf"(?<![\w.])[+-]?[0-9][0-9_]{{{digits},}}")
        for match in long_int.finditer(text):
            if _in_string_or_comment(text, match.start()):
                continue
            line, col = scan.where(match.start())
            return Diagnostic.error(
                "E006",
                f"an integer with more than {digits} digits, the limit",
                Span(smap.file, line, col, col + min(len(match.group()), 20)),
                "write very large numbers as strings",
            )
    return None


def _string_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where strings and comments run in TOML text (as ``(start, end)``), in order."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            stop = text.find("\n", i)
            end = n if stop < 0 else stop
        elif text.startswith(('"""', "'''"), i):
            quote = text[i : i + 3]
            j = i + 3
            while j < n and not text.startswith(quote, j):
                j += 2 if quote == '"""' and text[j] == "\\" else 1
            end = min(n, j + 3)
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] not in (ch, "\n"):
                j += 2 if ch == '"' and text[j] == "\\" else 1
            end = min(n, j + 1)
        else:
            i += 1
            continue
        yield i, end
        i = end


def _in_string_or_comment(text: str, index: int) -> bool:
    return any(start <= index < end for start, end in _string_spans(text[: index + 1]))


def _nesting_overflow(text: str, limit: int) -> int | None:
    """The index of the first ``[`` or ``{`` outside strings nested deeper than ``limit``."""
    depth = 0
    spans = _string_spans(text)
    skip = next(spans, None)
    for i, ch in enumerate(text):
        while skip is not None and i >= skip[1]:
            skip = next(spans, None)
        if skip is not None and skip[0] <= i:
            continue
        if ch in "[{":
            depth += 1
            if depth > limit:
                return i
        elif ch in "]}":
            depth = max(0, depth - 1)
    return None


def _syntax_diagnostic(text: str, lines: list[str], smap: SourceMap) -> Diagnostic:
    """A located diagnostic from tomllib's error message."""
    file = smap.file
    match = _TOML_ERROR_AT.match(text)
    if match:
        line, col = int(match["line"]), int(match["col"])
        msg = match["msg"]
    else:
        eof = _TOML_ERROR_EOF.match(text)
        msg = eof["msg"] if eof else text
        line = max(len(lines), 1)
        col = len(lines[-1]) + 1 if lines else 1
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    twice = _TOML_DECLARED_TWICE.match(msg)
    if twice:
        try:
            parts = ast.literal_eval(f"({twice['key']})")
        except (ValueError, SyntaxError):
            parts = ()
        header = _TABLE.match(source) or _ARRAY_TABLE.match(source)
        span = Span(file, line, col)
        if header:
            span = _last_key_span(file, line, source, header.start("key"), header["key"])
        index_positions(lines[: line - 1], smap)
        first = smap.spans.get(tuple(parts))
        where = f"first declared at line {first.line}" if first is not None else None
        if len(parts) == 2 and parts[0] == "nodes":
            return Diagnostic.error(
                "E103", f"node `{parts[1]}` is declared more than once", span, where
            )
        dotted = ".".join(str(p) for p in parts)
        return Diagnostic.error(
            "E001", f"invalid TOML: table `[{dotted}]` is declared twice", span, where
        )
    if msg == "Cannot overwrite a value":
        key = _KEY_LINE.match(source)
        if key:
            col = len(key["indent"]) + 1
            span = Span(file, line, col, col + len(key["key"]))
            return Diagnostic.error(
                "E001", f"invalid TOML: key `{key['key']}` is declared twice", span
            )
    message = msg[:1].lower() + msg[1:]
    hint = None
    if message == "illegal character '\\n'" and (source.count('"') % 2 or source.count("'") % 2):
        hint = "a string is missing its closing quote"
    elif message == "invalid value" and "=" in source:
        hint = 'strings are quoted: `key = "value"`'
    return Diagnostic.error("E001", f"invalid TOML: {message}", Span(file, line, col), hint)


_KINDS = {
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    list: "an array",
    dict: "a table",
}


def _kind(value: object) -> str:
    for tp, name in _KINDS.items():
        if isinstance(value, tp):
            return name
    return "a date or time" if value is not None else "nothing"


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "bool_type": "a boolean (`true` or `false`)",
    "list_type": "an array",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "float_type": "a number",
}


_UNION_MEMBERS = {
    "str": "a string",
    "list[str]": "an array of strings",
    "TomlField": "a table",
    "float": "a number of seconds",
    "constrained-float": "a number of seconds",
    "bool": "a boolean",
    "TomlRetry": "a table",
    "list[TomlRetry]": "an array of tables",
    "TomlTimeout": "a table",
    "TomlCache": "a table",
}


def _where(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the document"


def _raw_at(raw: object, loc: Loc) -> object:
    for part in loc:
        if isinstance(raw, dict):
            if part not in raw:
                return None
            raw = raw[part]
        elif isinstance(raw, list) and isinstance(part, int) and part < len(raw):
            raw = raw[part]
        else:
            return None
    return raw


def _member_fits(tag: str, value: object) -> bool:
    if tag == "str":
        return isinstance(value, str)
    if tag == "bool":
        return isinstance(value, bool)
    if tag in ("float", "constrained-float"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tag.startswith("list["):
        return isinstance(value, list)
    return isinstance(value, dict)


def _pydantic_diagnostics(exc: ValidationError, raw: object, smap: SourceMap) -> list[Diagnostic]:
    # Errors inside a union (`str | TomlField`) come once per member, tagged with
    # the member's name in their loc; keep the member the value looks like, or
    # say once what the value should have been.
    errors = list(exc.errors())
    unions: dict[Loc, list[str]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        for i, part in enumerate(loc):
            if isinstance(part, str) and part in _UNION_MEMBERS:
                unions.setdefault(loc[:i], []).append(part)
                break
    seen: set[tuple[Loc, str]] = set()
    out: list[Diagnostic] = []
    for err in errors:
        loc = tuple(err["loc"])
        tag_at = next(
            (i for i, part in enumerate(loc) if isinstance(part, str) and part in _UNION_MEMBERS),
            None,
        )
        if tag_at is not None:
            union_loc, tag = loc[:tag_at], str(loc[tag_at])
            value = _raw_at(raw, union_loc)
            fitting = [t for t in unions[union_loc] if _member_fits(t, value)]
            if fitting and tag != fitting[0]:
                continue
            if not fitting:
                if (union_loc, "union") in seen:
                    continue
                seen.add((union_loc, "union"))
                choices = " or ".join(dict.fromkeys(_UNION_MEMBERS[t] for t in unions[union_loc]))
                message = f"`{_where(union_loc)}` must be {choices}, not {_kind(value)}"
                out.append(Diagnostic.error("E004", message, smap.get(union_loc)))
                continue
            loc = union_loc + loc[tag_at + 1 :]
        kind = err["type"]
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        out.append(_schema_diagnostic(kind, loc, err, smap))
    return out


def _schema_diagnostic(kind: str, loc: Loc, err: Any, smap: SourceMap) -> Diagnostic:
    where = _where(loc)
    if kind == "missing":
        parent = loc[:-1]
        inside = f" in `[{_where(parent)}]`" if parent else ""
        hint = None
        if loc[:1] == ("edges",) and loc[-1] in ("from", "to"):
            hint = "an edge needs `from` and `to` (or a `chain` list)"
        return Diagnostic.error(
            "E002", f"missing required key `{loc[-1]}`{inside}", smap.get(parent), hint
        )
    if kind == "extra_forbidden":
        key = str(loc[-1])
        message = (
            f"unknown key `{key}` in `{_where(loc[:-1])}`"
            if len(loc) > 1
            else f"unknown table `[{key}]`"
        )
        return Diagnostic.error("E003", message, smap.get((*loc, KEY)), _extra_hint(loc))
    if kind == "edge_missing":
        return Diagnostic.error(
            "E002",
            f"{err['msg']} in `{where}`",
            smap.get(loc),
            "an edge needs `from` and `to` (or a `chain` list)",
        )
    if kind == "kind_with_class":
        return Diagnostic.error("E004", str(err["msg"]), smap.get((*loc, err["ctx"]["key"])))
    if kind == "literal_error":
        choices = ", ".join(
            f"`{c.strip(chr(39))}`"
            for c in str(err["ctx"]["expected"]).replace(" or ", ", ").split(", ")
        )
        return Diagnostic.error(
            "E004",
            f"`{where}` must be one of {choices}, not {_shown(err.get('input'))}",
            smap.get(loc),
        )
    if kind == "edge_shape":
        return Diagnostic.error("E005", str(err["msg"]), smap.get((*loc, err["ctx"]["key"])))
    if kind == "timeout_shape":
        return Diagnostic.error("E321", str(err["msg"]), smap.get((*loc, err["ctx"]["key"])))
    if kind == "greater_than" and str(loc[-1]).endswith("timeout"):
        return Diagnostic.error(
            "E321",
            f"`{where}` is {err.get('input')!r} seconds; a timeout is greater than 0",
            smap.get(loc),
        )
    value = err.get("input")
    if kind in _EXPECTED:
        message = f"`{where}` must be {_EXPECTED[kind]}, not {_kind(value)}"
    elif kind == "greater_than_equal":
        message = f"`{where}` must be at least {err['ctx']['ge']}, not {value!r}"
    elif kind == "greater_than":
        message = f"`{where}` must be greater than {err['ctx']['gt']}, not {value!r}"
    elif kind == "invalid-json-value":
        message = f"`{where}` must be a string, number, boolean, array or table, not {_kind(value)}"
    else:
        message = f"`{where}`: {str(err['msg'])[:1].lower()}{str(err['msg'])[1:]}"
    return Diagnostic.error("E004", message, smap.get(loc))


def _shown(value: object) -> str:
    return f"`{value}`" if isinstance(value, str) else _kind(value)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model whose keys may appear at ``loc`` (``("nodes", "a")`` → TomlNode)."""
    model: Any = TomlSpec
    i = 0
    while i < len(loc):
        info = model.model_fields.get(loc[i]) if isinstance(loc[i], str) else None
        if info is None:
            info = next((f for f in model.model_fields.values() if f.alias == loc[i]), None)
        if info is None:
            return None
        inner = _model_in(info.annotation)
        if inner is None:
            return None
        model, container = inner
        i += 2 if container else 1
    return model if isinstance(model, type) else None


def _model_in(annotation: Any) -> tuple[Any, bool] | None:
    """The model a field holds, and whether it is inside a dict/list (one more loc part)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (dict, list):
        for arg in args:
            for sub in (arg, *typing.get_args(arg)):
                if isinstance(sub, type) and issubclass(sub, BaseModel):
                    return sub, True
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg, False
    return None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _extra_hint(loc: Loc) -> str | None:
    if not loc:
        return None
    key = str(loc[-1])
    model = _model_at(loc[:-1])
    if model is None:
        return None
    options = _keys_of(model)
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return "expected one of: " + ", ".join(f"`{o}`" for o in options)
