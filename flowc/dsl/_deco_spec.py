"""A decorator-DSL :class:`~flowc.dsl.decorators.Graph`'s recorded calls lowered to a
:class:`GraphSpec` and its :class:`SourceMap`.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from ._deco_nodes import _NodeCalls
from ._deco_parts import (
    _MISSING,
    Agent,
    S,
    _first_error,
    _is_type,
    _module_name_of,
    _raw_ref,
    _reducer_of,
    field,
    reference_of,
    type_expr,
)
from .blueprint import Blueprint, Part, Spans, lower
from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .passes.report import a_value
from .pysource import class_fields
from .recording import (
    _add_text,
)
from .spec import (
    REDUCER_ALIASES,
    UNNAMED,
    AgentSpec,
    DefaultValue,
    FieldSpec,
    GraphSpec,
    NodeSpec,
    StateSpec,
)
from .typerules import untracked_of

_ALIAS_OF: dict[str, str] = {}
for _alias, _target in REDUCER_ALIASES.items():
    _ALIAS_OF.setdefault(_target, _alias)


class _SpecLowering(_NodeCalls[S]):
    """A graph's recorded calls made into its :class:`Blueprint`, and so into its spec and
    source map."""

    def to_spec(self) -> tuple[GraphSpec, SourceMap, tuple[Diagnostic, ...]]:
        """The graph's :class:`GraphSpec`, where each part was written, and front-end diagnostics."""
        bp = self.blueprint()
        spec, smap = lower(bp)
        return spec, smap, bp.diagnostics

    def blueprint(self) -> Blueprint:
        """The graph's calls, frozen: its parts with the spans of their pieces, and the
        problems found in the calls."""
        smap = self._source_map()
        diags = self._diagnostics(smap)
        state, state_diags = self._state_spec(smap)
        diags.extend(state_diags)
        custom = self.custom_type
        if custom is not None and not _is_type(custom):
            where = smap.get(("graph", "custom_type"))
            message = f"`custom_type` must be a type, not {a_value(custom)}"
            diags.append(Diagnostic.error("E004", message, where))
            custom = None
        options = {
            "description": self.description,
            "recursion_limit": self.recursion_limit,
            "custom_type": None if custom is None else type_expr(custom),
            "agent": None if self.agent is None else self._agent_spec(self.agent, smap, diags),
            "interrupt_before": self._breakpoints("interrupt_before", smap, diags),
            "interrupt_after": self._breakpoints("interrupt_after", smap, diags),
            "checkpoints": self.checkpoints,
            "step_timeout": self.step_timeout,
            "context_type": None if self.context_type is None else type_expr(self.context_type),
            "input_schema": _schema_ref(self.input_schema),
            "output_schema": _schema_ref(self.output_schema),
        }
        parts = _PartSpans(self._nodes, len(self._edges), len(self._branches), smap)
        return Blueprint(
            name=str(self.name),
            file=smap.file,
            state=state,
            nodes=tuple(Part(node, parts.of("nodes", node.name)) for node in self._nodes),
            edges=tuple(Part(edge, parts.of("edges", i)) for i, edge in enumerate(self._edges)),
            routers=tuple(
                Part(branch, parts.of("branches", i)) for i, branch in enumerate(self._branches)
            ),
            options=tuple(options.items()),
            spans=parts.rest(),
            texts=tuple((file, tuple(lines)) for file, lines in smap.texts.items()),
            diagnostics=tuple(diags),
        )

    def _breakpoints(
        self, key: str, smap: SourceMap, diags: list[Diagnostic]
    ) -> tuple[str, ...] | None:
        given = getattr(self, key)
        if given is None:
            return None
        if given == "*":
            return ("*",)
        if isinstance(given, str | bytes) or not (
            isinstance(given, Sequence) and all(isinstance(n, str) for n in given)
        ):
            message = f'`{key}` must be a list of node names or "*", not {a_value(given)}'
            diags.append(Diagnostic.error("E004", message, smap.get(("graph", key))))
            return None
        return tuple(given)

    def _agent_spec(self, agent: Agent, smap: SourceMap, diags: list[Diagnostic]) -> AgentSpec:
        def ref(value: Any, loc: Loc, what: str) -> str:
            if isinstance(value, str):
                return value
            found = reference_of(value) if inspect.isfunction(value) else _module_name_of(value)
            if found is None:
                diags.append(
                    Diagnostic.error(
                        "E301",
                        f"the agent's {what} is not held by a module-level name flowc can import",
                        smap.get(loc),
                        "assign it to a name at the top of a module, or pass `module:attribute`",
                    )
                )
                return UNNAMED
            return found

        response = agent.response_format
        return AgentSpec(
            model=ref(agent.model, ("agent", "model"), "model"),
            tools=tuple(
                ref(tool, ("agent", "tools", i), f"tool #{i + 1}")
                for i, tool in enumerate(agent.tools)
            ),
            prompt=agent.prompt,
            response_format=None
            if response is None
            else (response if isinstance(response, str) else type_expr(response)),
        )

    def spec(self) -> GraphSpec:
        """Just the :class:`GraphSpec`."""
        return self.to_spec()[0]

    def _state_spec(self, smap: SourceMap) -> tuple[StateSpec, list[Diagnostic]]:
        diags: list[Diagnostic] = []
        if self.state is not None:
            ref = reference_of(self.state) or _raw_ref(self.state)
            _mark_fields(smap, self.state, lambda kind, name: ("state", "class", kind, name))
            return StateSpec.model_validate({"class": ref}), diags
        if self.fields is None:
            return StateSpec(), diags
        fields, field_diags = self._field_specs(smap)
        diags.extend(field_diags)
        return StateSpec(kind=self.kind, fields=tuple(fields)), diags

    def _field_specs(self, smap: SourceMap) -> tuple[list[FieldSpec], list[Diagnostic]]:
        diags: list[Diagnostic] = []

        def refused(code: str, message: str) -> tuple[list[FieldSpec], list[Diagnostic]]:
            diags.append(Diagnostic.error(code, message, smap.get(("state", "fields"))))
            return [], diags

        declared: dict[str, Any]
        if isinstance(self.fields, Mapping):
            declared = dict(self.fields)
        elif isinstance(self.fields, type):
            try:
                declared = typing.get_type_hints(self.fields, include_extras=True)
            except Exception as exc:
                return refused(
                    "E302",
                    f"cannot read the fields of `{self.fields.__qualname__}`: {type(exc).__name__}: {exc}",
                )
            _mark_fields(
                smap, self.fields, lambda kind, name: ("state", "fields", name, *_SUB[kind])
            )
            if dataclasses.is_dataclass(self.fields):
                for f in dataclasses.fields(self.fields):
                    if f.default is not dataclasses.MISSING:
                        declared[f.name] = field(declared[f.name], default=f.default)
        else:
            return refused(
                "E004",
                f"`fields` must be a TypedDict class or a mapping, not {type(self.fields).__name__}",
            )
        out: list[FieldSpec] = []
        for name, value in declared.items():
            spec = value if isinstance(value, field) else field(value)
            reducer = spec.reducer or _reducer_of(spec.type)
            reducer_ref = None
            if reducer is not None:
                reducer_ref = reference_of(reducer) or _raw_ref(reducer)
                # the short name a TOML spec would use (`add`), so both front ends agree
                reducer_ref = _ALIAS_OF.get(reducer_ref, reducer_ref)
            try:
                out.append(
                    FieldSpec(
                        name=str(name),
                        type=type_expr(spec.type),
                        default=None
                        if spec.default is _MISSING
                        else DefaultValue(value=spec.default),
                        reducer=reducer_ref,
                        description=spec.description,
                        untracked=untracked_of(spec.type) or None,
                    )
                )
            except ValidationError as exc:
                diags.append(
                    Diagnostic.error(
                        "E004",
                        f"field `{name}`: {_first_error(exc)}",
                        smap.get(("state", "fields", str(name))),
                    )
                )
        return out, diags


class _PartSpans:
    """The recorded spans, split by the part of the spec each is a piece of: a node (by
    name), an edge or a router (by index); the rest are the graph's own."""

    def __init__(
        self, nodes: Sequence[NodeSpec], edges: int, branches: int, smap: SourceMap
    ) -> None:
        names = {node.name for node in nodes}
        self._parts: dict[tuple[str, str | int], list[tuple[Loc, Span]]] = {}
        self._rest: list[tuple[Loc, Span]] = []
        counts = {"edges": edges, "branches": branches}
        for loc, span in smap.spans.items():
            kind = loc[0] if loc else None
            if len(loc) >= 2 and (
                (kind == "nodes" and loc[1] in names)
                or (kind in counts and isinstance(loc[1], int) and 0 <= loc[1] < counts[kind])
            ):
                self._parts.setdefault((str(kind), loc[1]), []).append((loc[2:], span))
            else:
                self._rest.append((loc, span))

    def of(self, kind: str, key: str | int) -> Spans:
        return tuple(self._parts.get((kind, key), ()))

    def rest(self) -> Spans:
        return tuple(self._rest)


_SUB: dict[str, Loc] = {"field": (), "type": ("type",), "reducer": ("reducer",)}
"""Where in a field's part of the source map each span of its class's source goes."""


def _mark_fields(smap: SourceMap, cls: type, loc: Callable[[str, str], Loc]) -> None:
    """Spans of ``cls``'s fields (``field:x``, ``type:x``, ``reducer:x``) at ``loc(kind, x)``."""
    found = class_fields(cls)
    if found is not None:
        src, _, spans = found
        _add_text(smap, src.filename)
        for key, span in spans.items():
            kind, _, name = key.partition(":")
            smap.spans.setdefault(loc(kind, name), span)


def _schema_ref(schema: Any) -> str | None:
    """``Graph(input_schema=...)`` or ``output_schema=...`` as the spec's reference (the
    checker imports it, and says where it is wrong)."""
    if schema is None:
        return None
    return reference_of(schema) or _raw_ref(schema)
