"""TOML front end: spec text → :class:`GraphSpec` and a :class:`SourceMap`.

Takes the text of a TOML spec (and its file name), gives the spec or the
diagnostics that stop it from being one. Positions come from the TOML text
itself: :func:`index_positions` walks the source and records where every key,
table and array element is written, so that a diagnostic about
``("edges", 2, "to")`` points at that value in the file.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ._toml_errors import (
    _name_diagnostics,
    _over_the_limits,
    _pydantic_diagnostics,
    _syntax_diagnostic,
)
from ._toml_models import TomlCache, TomlEdge, TomlNode, TomlSpec
from ._toml_positions import KEY, index_positions
from .diagnostics import Diagnostic, Loc, SourceMap, Span, text_lines
from .spec import (
    END,
    START,
    AgentSpec,
    BranchSpec,
    CacheSpec,
    DefaultValue,
    EdgeSpec,
    FieldSpec,
    GraphSpec,
    NodeSpec,
    RetrySpec,
    StateSpec,
    TimeoutSpec,
)
from .types import normalize_type_expr

__all__ = ["KEY", "LoadResult", "index_positions", "load_toml"]


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading gave: a spec (when it could be built) and the diagnostics."""

    spec: GraphSpec | None
    source_map: SourceMap
    diagnostics: tuple[Diagnostic, ...]


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


# -- schema errors --------------------------------------------------------------------


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
                    untracked=raw.untracked or None,
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
            **_policies(node),
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
        checkpoints=doc.graph.checkpoints,
        step_timeout=doc.graph.step_timeout,
        context_type=None
        if doc.graph.context_type is None
        else normalize_type_expr(doc.graph.context_type),
        input_schema=doc.graph.input_schema,
        output_schema=doc.graph.output_schema,
    )
    return spec, diags


def _policies(node: TomlNode) -> dict[str, Any]:
    """A node table's policy keys as :class:`NodeSpec`'s (only those it sets)."""
    out: dict[str, Any] = {}
    if node.retry is not None:
        given = node.retry if isinstance(node.retry, list) else [node.retry]
        out["retry"] = tuple(
            RetrySpec(
                **r.model_dump(exclude={"retry_on"}),
                retry_on=None
                if r.retry_on is None
                else (r.retry_on,)
                if isinstance(r.retry_on, str)
                else tuple(r.retry_on),
            )
            for r in given
        )
    if isinstance(node.timeout, float):
        out["timeout"] = TimeoutSpec(run_timeout=node.timeout)
    elif node.timeout is not None:
        out["timeout"] = TimeoutSpec(
            run_timeout=node.timeout.run_timeout, idle_timeout=node.timeout.idle_timeout
        )
    if node.cache is True:
        out["cache"] = CacheSpec()
    elif isinstance(node.cache, TomlCache):
        out["cache"] = CacheSpec(ttl=node.cache.ttl, key=node.cache.key)
    if node.defer:
        out["defer"] = True
    if node.error_handler is not None:
        out["error_handler"] = node.error_handler
    return out


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
