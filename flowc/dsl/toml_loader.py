"""TOML front end: spec text → :class:`GraphSpec` and a :class:`SourceMap`.

Takes the text of a TOML spec (and its file name), gives the spec or the
diagnostics that stop it from being one. Positions come from the TOML text
itself: :func:`index_positions` walks the source and records where every key,
table and array element is written, so that a diagnostic about
``("edges", 2, "to")`` points at that value in the file.
"""

from __future__ import annotations

import ast
import bisect
import contextlib
import difflib
import itertools
import re
import sys
import tomllib
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .diagnostics import Diagnostic, Loc, SourceMap, Span, text_lines
from .names import graph_name_problem
from .spec import (
    END,
    START,
    AgentSpec,
    BranchSpec,
    DefaultValue,
    EdgeSpec,
    FieldSpec,
    GraphSpec,
    NodeSpec,
    StateSpec,
)
from .types import normalize_type_expr

__all__ = ["LoadResult", "index_positions", "load_toml"]


class _Toml(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class TomlGraph(_Toml):
    name: str
    description: str | None = None
    recursion_limit: int | None = Field(default=None, ge=1)
    custom_type: str | None = None
    interrupt_before: Literal["*"] | list[str] | None = None
    interrupt_after: Literal["*"] | list[str] | None = None


class TomlField(_Toml):
    type: str
    default: JsonValue = None
    reducer: str | None = None
    description: str | None = None


class TomlState(_Toml):
    class_ref: str | None = Field(default=None, alias="class")
    kind: Literal["typeddict", "dataclass", "pydantic"] = "typeddict"
    fields: dict[str, str | TomlField] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _kind_needs_fields(self) -> TomlState:
        if self.class_ref is not None and "kind" in self.model_fields_set:
            raise PydanticCustomError(
                "kind_with_class",
                "`kind` applies to `[state.fields]`; a state `class` is used as it is",
                {"key": "kind"},
            )
        return self


class TomlNode(_Toml):
    call: str | None = None
    subgraph: str | None = None
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, JsonValue] = Field(default_factory=dict)
    writer: bool | None = None
    custom_type: str | None = None
    writes: list[str] | None = None
    destinations: list[str] | None = None
    streams: bool | None = None
    interrupts: str | None = None
    resumes: str | None = None


class TomlEdge(_Toml):
    sources: str | list[str] | None = Field(default=None, alias="from")
    targets: str | list[str] | None = Field(default=None, alias="to")
    chain: list[str] | None = None

    @model_validator(mode="after")
    def _shape(self) -> TomlEdge:
        if self.chain is not None:
            if self.sources is not None or self.targets is not None:
                raise PydanticCustomError(
                    "edge_shape",
                    "an edge has either `chain` or `from`/`to`, not both",
                    {"key": "chain"},
                )
            if len(self.chain) < 2:
                raise PydanticCustomError(
                    "edge_shape", "a `chain` needs at least two nodes", {"key": "chain"}
                )
            return self
        for key, value in (("from", self.sources), ("to", self.targets)):
            if value is None:
                raise PydanticCustomError(
                    "edge_missing", "missing required key `{key}`", {"key": key}
                )
            if not value:
                raise PydanticCustomError(
                    "edge_shape", "an edge's `{key}` list is empty", {"key": key}
                )
        return self


class TomlBranch(_Toml):
    source: str = Field(alias="from")
    router: str
    targets: list[str] | None = None
    path_map: dict[str, str] | None = None


class TomlAgent(_Toml):
    model: str
    tools: list[str] = Field(default_factory=list)
    prompt: str | None = None
    response_format: str | None = None


class TomlSpec(_Toml):
    graph: TomlGraph
    state: TomlState
    nodes: dict[str, TomlNode] = Field(default_factory=dict)
    edges: list[TomlEdge] = Field(default_factory=list)
    branches: list[TomlBranch] = Field(default_factory=list)
    agent: TomlAgent | None = None

    @model_validator(mode="before")
    @classmethod
    def _agent_state(cls, data: Any) -> Any:
        # an agent spec has no [state]: the agent's is made by flowc
        if isinstance(data, dict) and "agent" in data and "state" not in data:
            return {**data, "state": {}}
        return data


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading gave: a spec (when it could be built) and the diagnostics."""

    spec: GraphSpec | None
    source_map: SourceMap
    diagnostics: tuple[Diagnostic, ...]


_TOML_ERROR_AT = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_ERROR_EOF = re.compile(r"^(?P<msg>.*) \(at end of document\)$")
_TOML_DECLARED_TWICE = re.compile(r"^Cannot declare \((?P<key>.*)\) twice$")


MAX_NESTING = 50
"""How deeply arrays and inline tables may nest in a spec."""


def load_toml(text: str, file: str) -> LoadResult:
    """Parse and validate a TOML spec."""
    lines = text_lines(text)
    smap = SourceMap(file, texts={file: lines})
    limit = _over_the_limits(text, smap)
    if limit is not None:
        return LoadResult(None, smap, (limit,))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return LoadResult(None, smap, (_syntax_diagnostic(str(exc), lines, smap),))
    except (ValueError, RecursionError, MemoryError) as exc:
        # what tomllib does not turn into a TOMLDecodeError (the scan above finds the known cases)
        message = f"the spec is beyond what can be read: {type(exc).__name__}"
        return LoadResult(None, smap, (Diagnostic.error("E006", message, Span.whole(file)),))
    index_positions(lines, smap)
    try:
        doc = TomlSpec.model_validate(raw)
    except ValidationError as exc:
        diags = _pydantic_diagnostics(exc, raw, smap) + _name_diagnostics(raw, smap)
        return LoadResult(None, smap, tuple(diags))
    spec, diags = _to_spec(doc, smap)
    return LoadResult(spec, smap, tuple(diags))


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


# -- schema errors --------------------------------------------------------------------

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

_UNION_MEMBERS = {"str": "a string", "list[str]": "an array of strings", "TomlField": "a table"}


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
    value = err.get("input")
    if kind in _EXPECTED:
        message = f"`{where}` must be {_EXPECTED[kind]}, not {_kind(value)}"
    elif kind == "greater_than_equal":
        message = f"`{where}` must be at least {err['ctx']['ge']}, not {value!r}"
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


# -- conversion -----------------------------------------------------------------------


def _to_spec(doc: TomlSpec, smap: SourceMap) -> tuple[GraphSpec | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    fields: list[FieldSpec] = []
    declared_state = doc.state
    for name, raw in declared_state.fields.items():
        if isinstance(raw, str):
            fields.append(FieldSpec(name=name, type=normalize_type_expr(raw)))
        else:
            default = DefaultValue(value=raw.default) if "default" in raw.model_fields_set else None
            fields.append(
                FieldSpec(
                    name=name,
                    type=normalize_type_expr(raw.type),
                    default=default,
                    reducer=raw.reducer,
                    description=raw.description,
                )
            )
    state = StateSpec.model_validate(
        {
            "class": declared_state.class_ref,
            "kind": declared_state.kind,
            "fields": tuple(fields),
        }
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
            custom_type=None if node.custom_type is None else normalize_type_expr(node.custom_type),
            writes=None if node.writes is None else tuple(node.writes),
            destinations=None if node.destinations is None else tuple(node.destinations),
            streams=node.streams,
            interrupts=None if node.interrupts is None else normalize_type_expr(node.interrupts),
            resumes=None if node.resumes is None else normalize_type_expr(node.resumes),
        )
        for name, node in doc.nodes.items()
    )
    edges = _edges(doc.edges, smap)
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
        edges=edges,
        branches=branches,
        custom_type=None
        if doc.graph.custom_type is None
        else normalize_type_expr(doc.graph.custom_type),
        agent=None
        if doc.agent is None
        else AgentSpec(
            model=doc.agent.model,
            tools=tuple(doc.agent.tools),
            prompt=doc.agent.prompt,
            response_format=None
            if doc.agent.response_format is None
            else normalize_type_expr(doc.agent.response_format),
        ),
        interrupt_before=_breakpoints(doc.graph.interrupt_before),
        interrupt_after=_breakpoints(doc.graph.interrupt_after),
    )
    return spec, diags


def _breakpoints(given: str | list[str] | None) -> tuple[str, ...] | None:
    """``interrupt_before`` / ``interrupt_after`` as node names (``("*",)``: every node)."""
    if given is None:
        return None
    return ("*",) if given == "*" else tuple(map(_canon, given))


def _edges(declared: list[TomlEdge], smap: SourceMap) -> tuple[EdgeSpec, ...]:
    """Every ``[[edges]]`` entry as edges with one target each (a chain is a run of them).

    A spec's edges are kept in this one form, whichever way they were written,
    so that both front ends give equal specs; the positions of the split
    edges point back at what was written.
    """
    edges: list[EdgeSpec] = []
    orig = dict(smap.spans)
    for loc in orig:
        if loc[:1] == ("edges",) and len(loc) > 1:
            del smap.spans[loc]

    def alias(src: Loc, dst: Loc) -> None:
        span = orig.get(src)
        if span is not None:
            smap.spans[dst] = span

    for i, edge in enumerate(declared):
        if edge.chain is not None:
            for j, (src, dst) in enumerate(itertools.pairwise(edge.chain)):
                k = len(edges)
                edges.append(EdgeSpec(sources=(_canon(src),), targets=(_canon(dst),)))
                alias(("edges", i), ("edges", k))
                alias(("edges", i, "chain", j), ("edges", k, "from"))
                alias(("edges", i, "chain", j), ("edges", k, "from", 0))
                alias(("edges", i, "chain", j + 1), ("edges", k, "to"))
                alias(("edges", i, "chain", j + 1), ("edges", k, "to", 0))
            continue
        assert edge.sources is not None and edge.targets is not None  # checked by TomlEdge
        sources = [edge.sources] if isinstance(edge.sources, str) else edge.sources
        targets = [edge.targets] if isinstance(edge.targets, str) else edge.targets
        for j, target in enumerate(targets):
            k = len(edges)
            edges.append(EdgeSpec(sources=tuple(map(_canon, sources)), targets=(_canon(target),)))
            alias(("edges", i), ("edges", k))
            alias(("edges", i, "from"), ("edges", k, "from"))
            for m in range(len(sources)):
                alias(("edges", i, "from", m), ("edges", k, "from", m))
            if isinstance(edge.sources, str):
                alias(("edges", i, "from"), ("edges", k, "from", 0))
            to_loc = ("edges", i, "to", j) if isinstance(edge.targets, list) else ("edges", i, "to")
            alias(to_loc, ("edges", k, "to"))
            alias(to_loc, ("edges", k, "to", 0))
    return tuple(edges)


_VIRTUAL = {"START": START, "END": END}


def _canon(name: str) -> str:
    """``START``/``END`` as written in TOML → the canonical virtual node names."""
    return _VIRTUAL.get(name, name)


# -- positions -----------------------------------------------------------------------

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
