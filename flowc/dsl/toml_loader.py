"""TOML front end: spec text → :class:`GraphSpec` and a :class:`SourceMap`.

Takes the text of a TOML spec (and its file name), gives the spec or the
diagnostics that stop it from being one. Positions come from the TOML text
itself: :func:`index_positions` walks the source and records where every key,
table and array element is written, so that a diagnostic about
``("edges", 2, "to")`` points at that value in the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .spec import (
    END,
    START,
    BranchSpec,
    DefaultValue,
    EdgeSpec,
    FieldSpec,
    GraphSpec,
    NodeSpec,
    StateSpec,
)

__all__ = ["LoadResult", "index_positions", "load_toml"]


class _Toml(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class TomlGraph(_Toml):
    name: str
    description: str | None = None
    recursion_limit: int | None = Field(default=None, ge=1)
    custom_type: str | None = None


class TomlField(_Toml):
    type: str
    default: JsonValue = None
    reducer: str | None = None
    description: str | None = None


class TomlState(_Toml):
    class_ref: str | None = Field(default=None, alias="class")
    kind: str = "typeddict"
    fields: dict[str, str | TomlField] = Field(default_factory=dict)


class TomlNode(_Toml):
    call: str | None = None
    subgraph: str | None = None
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, JsonValue] = Field(default_factory=dict)
    writer: bool | None = None
    custom_type: str | None = None
    writes: list[str] | None = None


class TomlEdge(_Toml):
    sources: str | list[str] | None = Field(default=None, alias="from")
    targets: str | list[str] | None = Field(default=None, alias="to")
    chain: list[str] | None = None


class TomlBranch(_Toml):
    source: str = Field(alias="from")
    router: str
    targets: list[str] | None = None
    path_map: dict[str, str] | None = None


class TomlSpec(_Toml):
    graph: TomlGraph
    state: TomlState
    nodes: dict[str, TomlNode] = Field(default_factory=dict)
    edges: list[TomlEdge] = Field(default_factory=list)
    branches: list[TomlBranch] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading gave: a spec (when it could be built) and the diagnostics."""

    spec: GraphSpec | None
    source_map: SourceMap
    diagnostics: tuple[Diagnostic, ...]


_TOML_ERROR_AT = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_ERROR_EOF = re.compile(r"^(?P<msg>.*) \(at end of document\)$")


def load_toml(text: str, file: str) -> LoadResult:
    """Parse and validate a TOML spec."""
    lines = text.splitlines()
    smap = SourceMap(file, texts={file: lines})
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        match = _TOML_ERROR_AT.match(msg)
        if match:
            span = Span(file, int(match["line"]), int(match["col"]))
            msg = match["msg"]
        else:
            eof = _TOML_ERROR_EOF.match(msg)
            msg = eof["msg"] if eof else msg
            span = Span(file, max(len(lines), 1), len(lines[-1]) + 1 if lines else 1)
        diag = Diagnostic.error("E001", f"invalid TOML: {msg.lower()}", span)
        return LoadResult(None, smap, (diag,))
    index_positions(lines, smap)
    try:
        doc = TomlSpec.model_validate(raw)
    except ValidationError as exc:
        return LoadResult(None, smap, tuple(_pydantic_diagnostics(exc, smap)))
    spec, diags = _to_spec(doc, smap)
    return LoadResult(spec, smap, tuple(diags))


_PYDANTIC_CODES = {
    "missing": "E002",
    "extra_forbidden": "E003",
}


def _pydantic_diagnostics(exc: ValidationError, smap: SourceMap) -> list[Diagnostic]:
    seen: set[tuple[Loc, str]] = set()
    out: list[Diagnostic] = []
    for err in exc.errors():
        loc = _clean_loc(err["loc"])
        kind = err["type"]
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        where = ".".join(str(p) for p in loc) or "<document>"
        if kind == "missing":
            message = f"missing required key `{where}`"
            span = smap.get(loc[:-1])
            hint = None
        elif kind == "extra_forbidden":
            message = f"unknown key `{where}`"
            span = smap.get(loc)
            hint = _extra_hint(loc)
        else:
            message = f"`{where}`: {err['msg'].lower()}"
            span = smap.get(loc)
            hint = None
        out.append(Diagnostic.error(_PYDANTIC_CODES.get(kind, "E004"), message, span, hint))
    return out


def _clean_loc(loc: tuple[int | str, ...]) -> Loc:
    # pydantic adds union member names ("str", "TomlField", "list[str]") to the
    # loc of errors inside a union; they are not part of the document's path.
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (part[:1].isupper() or "[" in part or part in _TYPE_NAMES):
            continue
        out.append(part)
    return tuple(out)


_TYPE_NAMES = {"str", "int", "bool", "float", "list", "dict", "function-after", "json-or-python"}

_KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "graph": ("name", "description", "recursion_limit", "custom_type"),
    "state": ("class", "kind", "fields"),
    "nodes": ("call", "subgraph", "description", "tags", "metadata", "writer", "custom_type", "writes"),
    "edges": ("from", "to", "chain"),
    "branches": ("from", "router", "targets", "path_map"),
}


def _extra_hint(loc: Loc) -> str | None:
    import difflib

    if not loc:
        return None
    key = str(loc[-1])
    section = str(loc[0])
    options = _KNOWN_KEYS.get(section, ()) if len(loc) > 1 else tuple(_KNOWN_KEYS)
    close = difflib.get_close_matches(key, options, n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    if options:
        return "expected one of: " + ", ".join(f"`{o}`" for o in options)
    return None


def _to_spec(doc: TomlSpec, smap: SourceMap) -> tuple[GraphSpec | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    fields: list[FieldSpec] = []
    for name, raw in doc.state.fields.items():
        if isinstance(raw, str):
            fields.append(FieldSpec(name=name, type=raw))
        else:
            default = DefaultValue(value=raw.default) if "default" in raw.model_fields_set else None
            fields.append(
                FieldSpec(
                    name=name,
                    type=raw.type,
                    default=default,
                    reducer=raw.reducer,
                    description=raw.description,
                )
            )
    if doc.state.kind not in ("typeddict", "dataclass", "pydantic"):
        diags.append(
            Diagnostic.error(
                "E004",
                f"unknown state kind `{doc.state.kind}`",
                smap.get(("state", "kind")),
                "expected `typeddict`, `dataclass` or `pydantic`",
            )
        )
        return None, diags
    state = StateSpec.model_validate(
        {"class": doc.state.class_ref, "kind": doc.state.kind, "fields": tuple(fields)}
    )
    nodes = tuple(
        NodeSpec(
            name=name,
            call=node.call,
            subgraph=node.subgraph,
            description=node.description,
            tags=tuple(node.tags),
            metadata=node.metadata,
            writer=node.writer,
            custom_type=node.custom_type,
            writes=None if node.writes is None else tuple(node.writes),
        )
        for name, node in doc.nodes.items()
    )
    edges: list[EdgeSpec] = []
    orig = dict(smap.spans)
    for i, edge in enumerate(doc.edges):
        if edge.chain is not None:
            if edge.sources is not None or edge.targets is not None:
                diags.append(
                    Diagnostic.error(
                        "E005",
                        "an edge has either `chain` or `from`/`to`, not both",
                        smap.get(("edges", i, "chain")),
                    )
                )
                continue
            if len(edge.chain) < 2:
                diags.append(
                    Diagnostic.error(
                        "E005", "a `chain` needs at least two nodes", smap.get(("edges", i, "chain"))
                    )
                )
                continue
            for j, (src, dst) in enumerate(zip(edge.chain, edge.chain[1:], strict=False)):
                edges.append(EdgeSpec(sources=(_canon(src),), targets=(_canon(dst),)))
                k = len(edges) - 1
                _alias_span(smap, orig, ("edges", i, "chain", j), ("edges", k, "from", 0))
                _alias_span(smap, orig, ("edges", i, "chain", j), ("edges", k, "from"))
                _alias_span(smap, orig, ("edges", i, "chain", j + 1), ("edges", k, "to", 0))
                _alias_span(smap, orig, ("edges", i, "chain", j + 1), ("edges", k, "to"))
                _alias_span(smap, orig, ("edges", i), ("edges", k))
            continue
        missing = [k for k, v in (("from", edge.sources), ("to", edge.targets)) if v is None]
        if missing:
            diags.append(
                Diagnostic.error(
                    "E002",
                    f"missing required key `edges.{i}.{missing[0]}`",
                    smap.get(("edges", i)),
                    "an edge needs `from` and `to` (or a `chain` list)",
                )
            )
            continue
        assert edge.sources is not None and edge.targets is not None
        sources = tuple(map(_canon, [edge.sources] if isinstance(edge.sources, str) else edge.sources))
        targets = tuple(map(_canon, [edge.targets] if isinstance(edge.targets, str) else edge.targets))
        if not sources or not targets:
            diags.append(
                Diagnostic.error("E005", "an edge needs at least one source and one target", smap.get(("edges", i)))
            )
            continue
        new_index = len(edges)
        edges.append(EdgeSpec(sources=sources, targets=targets))
        if new_index != i:
            _alias_span(smap, orig, ("edges", i), ("edges", new_index))
            for key in ("from", "to"):
                for j in range(max(len(sources), len(targets))):
                    _alias_span(smap, orig, ("edges", i, key, j), ("edges", new_index, key, j))
                _alias_span(smap, orig, ("edges", i, key), ("edges", new_index, key))
    branches = tuple(
        BranchSpec(
            source=_canon(b.source),
            router=b.router,
            targets=None if b.targets is None else tuple(map(_canon, b.targets)),
            path_map=None if b.path_map is None else {k: _canon(v) for k, v in b.path_map.items()},
        )
        for b in doc.branches
    )
    spec = GraphSpec(
        name=doc.graph.name,
        description=doc.graph.description,
        recursion_limit=doc.graph.recursion_limit,
        state=state,
        nodes=nodes,
        edges=tuple(edges),
        branches=branches,
        custom_type=doc.graph.custom_type,
    )
    return spec, diags


_VIRTUAL = {"START": START, "END": END}


def _canon(name: str) -> str:
    """``START``/``END`` as written in TOML → the canonical virtual node names."""
    return _VIRTUAL.get(name, name)


def _alias_span(smap: SourceMap, orig: dict[Loc, Span], src: Loc, dst: Loc) -> None:
    span = orig.get(src)
    if span is not None:
        smap.spans[dst] = span


# -- positions -----------------------------------------------------------------------

_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE_KEY}|{_QUOTED_KEY})"
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_KEY_LINE = re.compile(rf"^(?P<indent>\s*)(?P<key>{_DOTTED_KEY})\s*=\s*")
_TABLE = re.compile(rf"^\s*\[\s*(?P<key>{_DOTTED_KEY})\s*\]")
_ARRAY_TABLE = re.compile(rf"^\s*\[\[\s*(?P<key>{_DOTTED_KEY})\s*\]\]")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_INLINE_KEY = re.compile(rf"(?P<key>{_DOTTED_KEY})\s*=\s*")


def _split_key(key: str) -> list[str]:
    parts = re.findall(_KEY_PART, key)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _value_end(line: str, start: int) -> int:
    """The column just past a one-line value that starts at ``start``."""
    if start < len(line) and line[start] in "\"'":
        match = _STRING.match(line, start)
        if match:
            return match.end()
    end = line.find(" #", start)
    return len(line.rstrip()) if end < 0 else len(line[:end].rstrip())


def index_positions(lines: list[str], smap: SourceMap) -> None:
    """Record the position of every table, key and array element of a TOML text."""
    file = smap.file
    prefix: Loc = ()
    counters: dict[tuple[str, ...], int] = {}
    in_multiline: str | None = None
    array_stack: list[tuple[Loc, int]] = []  # open multi-line arrays: (loc, next index)
    for lineno, line in enumerate(lines, start=1):
        if in_multiline is not None:
            if in_multiline in line:
                in_multiline = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if array_stack:
            loc, index = array_stack[-1]
            for match in _STRING.finditer(line):
                smap.add((*loc, index), Span(file, lineno, match.start() + 1, match.end() + 1))
                index += 1
            array_stack[-1] = (loc, index)
            depth = line.count("[") - line.count("]")
            if depth < 0 or stripped.startswith("]"):
                array_stack.pop()
            continue
        match = _ARRAY_TABLE.match(line)
        if match:
            path = tuple(_split_key(match["key"]))
            idx = counters.get(path, 0)
            counters[path] = idx + 1
            prefix = (*path, idx)
            col = line.index(match["key"]) + 1
            smap.add(prefix, Span(file, lineno, col, col + len(match["key"])))
            continue
        match = _TABLE.match(line)
        if match:
            prefix = tuple(_split_key(match["key"]))
            col = line.index(match["key"]) + 1
            # point a table at its last key part: `[nodes.joke]` → `joke`
            last = match["key"].rsplit(".", 1)[-1].strip()
            last_col = line.index(last, col - 1) + 1
            smap.add(prefix, Span(file, lineno, last_col, last_col + len(last)))
            continue
        match = _KEY_LINE.match(line)
        if not match:
            continue
        loc: Loc = (*prefix, *_split_key(match["key"]))
        start = match.end()
        key_col = len(match["indent"]) + 1
        rest = line[start:]
        if rest.startswith(('"""', "'''")):
            quote = rest[:3]
            if rest.count(quote) < 2:
                in_multiline = quote
            smap.add(loc, Span(file, lineno, start + 1, len(line) + 1))
            continue
        if rest.startswith("{"):
            smap.add(loc, Span(file, lineno, key_col, key_col + len(match["key"])))
            _index_inline(line, start, loc, lineno, smap)
            continue
        if rest.startswith("["):
            smap.add(loc, Span(file, lineno, start + 1, _value_end(line, start) + 1))
            index = 0
            for smatch in _STRING.finditer(line, start):
                smap.add((*loc, index), Span(file, lineno, smatch.start() + 1, smatch.end() + 1))
                index += 1
            if line.count("[", start) > line.count("]", start):
                array_stack.append((loc, index))
            continue
        smap.add(loc, Span(file, lineno, start + 1, _value_end(line, start) + 1))


def _index_inline(line: str, start: int, loc: Loc, lineno: int, smap: SourceMap) -> None:
    """Positions inside a one-line inline table ``{ a = 1, b = "x" }``."""
    depth = 0
    pos = start
    key_start = start + 1
    while pos < len(line):
        ch = line[pos]
        if ch in "\"'":
            match = _STRING.match(line, pos)
            pos = match.end() if match else pos + 1
            continue
        if ch in "{[":
            depth += 1
            if depth == 1:
                key_start = pos + 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                break
        elif ch == "," and depth == 1:
            key_start = pos + 1
        elif ch == "=" and depth == 1:
            key_text = line[key_start:pos].strip()
            value_start = pos + 1
            while value_start < len(line) and line[value_start] == " ":
                value_start += 1
            sub: Loc = (*loc, *_split_key(key_text))
            end = _value_end(line, value_start)
            if value_start < len(line) and line[value_start] in "\"'":
                match = _STRING.match(line, value_start)
                end = match.end() if match else end
            else:
                stop = [i for i in (line.find(",", value_start), line.find("}", value_start)) if i >= 0]
                end = min(stop) if stop else end
            smap.add(sub, Span(file=smap.file, line=lineno, col=value_start + 1, end_col=end + 1))
            if value_start < len(line) and line[value_start] == "[":
                for i, smatch in enumerate(_STRING.finditer(line[: line.find("]", value_start) + 1], value_start)):
                    smap.add((*sub, i), Span(smap.file, lineno, smatch.start() + 1, smatch.end() + 1))
        pos += 1


def raw_toml(text: str) -> dict[str, Any]:
    """The raw TOML data (for tools that want it)."""
    return tomllib.loads(text)
