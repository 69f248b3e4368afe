"""View model: :class:`CheckedGraph` → the frozen data the templates place.

Every name, type string, literal and import a template writes is computed
here, in Python. Strings from the spec reach generated code only through
``repr`` (literals) or as validated identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flowc.dsl.check import camel, type_code
from flowc.dsl.graph import BranchInfo, CheckedGraph, NodeInfo, StateField
from flowc.dsl.spec import END
from flowc.dsl.types import Import, TypeRef

__all__ = ["FieldView", "GraphView", "NodeView", "RouterView", "build_view"]


@dataclass(frozen=True, slots=True)
class FieldView:
    """One state field as the templates write it."""

    name: str
    """The field name (an identifier)."""
    literal: str
    """``repr`` of the name, for dict keys."""
    type: str
    required: bool
    """Always present in values (a reducer field with a starting value)."""
    reducer: str | None
    initial: str | None
    default: str | None
    doc: str | None


@dataclass(frozen=True, slots=True)
class RouterView:
    """A conditional edge."""

    local: str
    is_async: bool
    targets: str
    """``repr`` of the tuple of possible targets (END as ``'__end__'``)."""
    path_map: str | None
    call_args: str


@dataclass(frozen=True, slots=True)
class NodeView:
    """One node as the templates write it."""

    name: str
    literal: str
    camel: str
    local: str
    """The local name the node's callable (or subgraph module) is imported as."""
    is_async: bool
    body_async: bool
    """The task body awaits something (an async node or router)."""
    call_args: str
    input_type: str
    input_keys: str | None
    """``repr`` of a node-specific input schema's keys, if any."""
    update_type: str
    updated_class: str
    protocol: str | None
    protocol_signature: str | None
    successors: str
    routers: tuple[RouterView, ...]
    joins: tuple[int, ...]
    triggers: str
    metadata: str
    tags: str
    doc: str
    subgraph: str | None
    """The child graph's runner module name, for subgraph nodes."""
    shared: str
    """``repr`` of the keys a subgraph node shares with its parent."""
    writes_fields: tuple[FieldView, ...]
    """The fields of the node's own update type (when the spec declares its writes)."""
    joins_code: str


@dataclass(frozen=True, slots=True)
class GraphView:
    """Everything the runner and types templates need for one graph."""

    name: str
    literal: str
    prefix: str
    module: str
    types_module: str
    origin: str
    digest: str
    banner: str
    description: str
    state_kind: str
    state_generated: bool
    state_type: str
    values_type: str
    input_type: str
    update_type: str
    custom_type: str
    fields: tuple[FieldView, ...]
    field_names: str
    reducer_fields: tuple[FieldView, ...]
    defaults: str | None
    nodes: tuple[NodeView, ...]
    node_names: str
    node_literal: str
    entry: str
    start_routers: tuple[RouterView, ...]
    joins: tuple[tuple[str, str], ...]
    """(``repr`` of the sources' frozenset, ``repr`` of the target) per join."""
    has_async: bool
    has_routers: bool
    has_reducers: bool
    has_subgraphs: bool
    recursion_limit: int | None
    runner_imports: tuple[str, ...]
    types_imports: tuple[str, ...]
    children: tuple[str, ...]
    mode_sets: tuple[tuple[str, ...], ...]
    """The stream-mode combinations ``stream`` is overloaded on."""


_MODE_EVENT = {
    "values": "ValuesEvent",
    "updates": "UpdatesEvent",
    "custom": "CustomEvent",
    "messages": "MessagesEvent",
    "tasks": "TasksEvent",
    "debug": "DebugEvent",
}
MODES_TYPED = ("values", "updates", "custom", "messages", "tasks", "debug")


def _imports_code(imports: set[Import]) -> tuple[str, ...]:
    by_module: dict[str, set[str]] = {}
    for imp in imports:
        name = imp.name if imp.alias is None else f"{imp.name} as {imp.alias}"
        by_module.setdefault(imp.module, set()).add(name)
    return tuple(
        f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(by_module.items())
    )


def _field_view(f: StateField) -> FieldView:
    return FieldView(
        name=f.name,
        literal=repr(f.name),
        type=f.type.code,
        required=f.reducer is not None and f.initial is not None,
        reducer=None if f.reducer is None else f"_reduce_{f.name}",
        initial=f.initial,
        default=f.default,
        doc=f.description,
    )


def build_view(graph: CheckedGraph, *, module: str | None = None) -> GraphView:
    """The view model of one graph (its subgraphs get their own views)."""
    prefix = camel(graph.name)
    module = module or graph.name
    types_module = f"{module}_types"
    state = graph.state
    fields = tuple(_field_view(f) for f in state.fields)
    types_imports: set[Import] = set()
    runner_imports: set[Import] = set()
    for f in state.fields:
        types_imports |= f.type.imports
        if f.reducer is not None:
            runner_imports.add(Import(f.reducer.module, f.reducer.top, f"_reduce_{f.name}"))
    custom: TypeRef | None = graph.custom_type
    if custom is not None:
        types_imports |= custom.imports
    if state.cls is not None:
        state_type = _import_type(state.cls, generated_names(graph), types_imports)
    else:
        state_type = f"{prefix}State"
    nodes = tuple(_node_view(graph, n, prefix, runner_imports, types_imports) for n in graph.nodes)
    start_routers = tuple(_router_view(b, runner_imports) for b in graph.start_branches)
    defaults = {f.name: f.default for f in state.fields if f.default is not None}
    children = tuple(sorted({n.subgraph for n in nodes if n.subgraph}))
    digest = graph.digest
    banner = (
        f"Generated by flowc from {comment_text(graph.origin)} "
        f"(spec sha256:{digest[:16]}). Do not edit."
    )
    mode_sets = tuple((m,) for m in MODES_TYPED) + tuple(
        (a, b) for i, a in enumerate(MODES_TYPED) for b in MODES_TYPED[i + 1 :]
    )
    return GraphView(
        name=graph.name,
        literal=repr(graph.name),
        prefix=prefix,
        module=module,
        types_module=types_module,
        origin=graph.origin,
        digest=digest,
        banner=banner,
        description=doc_text(graph.description or f"Graph {graph.name}."),
        state_kind=state.kind,
        state_generated=state.generated,
        state_type=state_type,
        values_type=f"{prefix}Values",
        input_type=f"{prefix}Input",
        update_type=f"{prefix}Update",
        custom_type=custom.code if custom is not None else "Any",
        fields=fields,
        field_names=repr(tuple(f.name for f in fields)),
        reducer_fields=tuple(f for f in fields if f.reducer),
        defaults=(
            "{" + ", ".join(f"{k!r}: {v}" for k, v in defaults.items()) + "}" if defaults else None
        ),
        nodes=nodes,
        node_names=repr(tuple(n.name for n in graph.nodes)),
        node_literal="Literal[" + ", ".join(repr(n.name) for n in graph.nodes) + "]",
        entry=repr(tuple(sorted(graph.entry))),
        start_routers=start_routers,
        joins=tuple((repr(frozenset(j.sources)) if False else repr(tuple(j.sources)), repr(j.target)) for j in graph.joins),
        has_async=any(n.body_async for n in nodes) or any(r.is_async for r in start_routers),
        has_routers=any(n.routers for n in nodes) or bool(start_routers),
        has_reducers=any(f.reducer for f in fields),
        has_subgraphs=bool(children),
        recursion_limit=graph.recursion_limit,
        runner_imports=_imports_code(runner_imports),
        types_imports=_imports_code(types_imports),
        children=children,
        mode_sets=mode_sets,
    )


def _router_view(b: BranchInfo, runner_imports: set[Import]) -> RouterView:
    local = f"_router_{b.router.top}"
    runner_imports.add(b.router.as_import(local))
    call = local if b.router.attr == b.router.top else f"{local}.{b.router.attr.split('.', 1)[1]}"
    return RouterView(
        local=call,
        is_async=b.is_async,
        targets=repr(tuple(b.targets)),
        path_map=None if b.path_map is None else repr(dict(b.path_map)),
        call_args=", config=task.node_config()" if b.config_arg else "",
    )


def _node_view(
    graph: CheckedGraph,
    n: NodeInfo,
    prefix: str,
    runner_imports: set[Import],
    types_imports: set[Import],
) -> NodeView:
    ncamel = camel(n.name)
    state_type = (
        _import_type(graph.state.cls, generated_names(graph), set()) if graph.state.cls else f"{prefix}State"
    )
    if n.writes is not None and graph.state.generated and n.subgraph is None:
        update_type = f"{ncamel}Update"
    elif n.update_type is not None:
        update_type = _import_type(n.update_type, generated_names(graph), types_imports)
    else:
        update_type = f"{prefix}Update"
    args = ["inp"]
    if n.writer_arg:
        args.append(f"{n.writer_arg}=task.writer")
    if n.config_arg:
        args.append(f"{n.config_arg}=task.node_config()")
    routers = tuple(_router_view(b, runner_imports) for b in n.branches)
    subgraph = None
    local = f"_impl_{n.name}"
    protocol = protocol_sig = None
    if n.subgraph is not None:
        subgraph = n.subgraph.name
        local = f"_graph_{n.subgraph.name}"
    else:
        assert n.call is not None
        runner_imports.add(n.call.as_import(local))
        if n.call.attr != n.call.top:
            local = f"{local}.{n.call.attr.split('.', 1)[1]}"
        protocol = f"{ncamel}Node"
        params = [f"state: {state_type}", "/"]
        kw = []
        custom = n.custom_type.code if n.custom_type else ("Custom" if graph.custom_type else "Any")
        if n.custom_type:
            types_imports |= n.custom_type.imports
        if n.writer_arg:
            kw.append(f"{n.writer_arg}: StreamWriter[{custom}]")
        if n.config_arg:
            kw.append(f"{n.config_arg}: Any")
        if kw:
            params.append("*")
            params.extend(kw)
        ret = f"{update_type} | Mapping[str, Any] | None"
        if n.is_async:
            ret = f"Awaitable[{ret}]"
        protocol_sig = f"def __call__(self, {', '.join(params)}) -> {ret}: ..."
    metadata = dict(n.metadata)
    meta_code = repr(metadata) if metadata or n.tags else "None"
    if n.tags:
        # tags of a node join the run's tags in task metadata
        meta_code = repr(metadata)
    doc = n.description or f"`{n.name}` finished."
    return NodeView(
        name=n.name,
        literal=repr(n.name),
        camel=ncamel,
        local=local,
        is_async=n.is_async,
        body_async=n.is_async or any(r.is_async for r in routers),
        call_args=", ".join(args),
        input_type=state_type,
        input_keys=None if n.input_keys is None else repr(tuple(n.input_keys)),
        update_type=update_type,
        updated_class=f"{ncamel}Updated",
        protocol=protocol,
        protocol_signature=protocol_sig,
        successors=repr(tuple(t for t in n.successors if t != END)),
        routers=routers,
        joins=n.joins,
        triggers=repr(n.triggers),
        metadata=meta_code,
        tags=repr(tuple(n.tags)),
        doc=doc_text(doc),
        subgraph=subgraph,
        shared=repr(tuple(n.writes or ())),
        writes_fields=tuple(
            _field_view(f) for f in graph.state.fields if n.writes is not None and f.name in n.writes
        ),
        joins_code=repr(tuple(n.joins)),
    )


def generated_names(graph: CheckedGraph) -> frozenset[str]:
    """Names the types module defines itself (imports must not shadow them)."""
    prefix = camel(graph.name)
    names = {"Custom", f"{prefix}State", f"{prefix}Values", f"{prefix}Input", f"{prefix}Update"}
    for n in graph.nodes:
        names.add(f"{camel(n.name)}Update")
        names.add(f"{camel(n.name)}Node")
    return frozenset(names)


def _import_type(ref: Any, taken: frozenset[str], imports: set[Import]) -> str:
    """Import a user's type into the types module, aliased if its name is taken."""
    alias = f"_user_{ref.top}" if ref.top in taken else None
    imports.add(ref.as_import(alias))
    local = alias or ref.top
    return local if ref.attr == ref.top else f"{local}.{ref.attr.split('.', 1)[1]}"


def literal_union(names: tuple[str, ...]) -> str:
    """``Literal['a', 'b']``."""
    return "Literal[" + ", ".join(repr(n) for n in names) + "]"


def as_code(value: Any) -> str:
    """A Python literal for a JSON-like value."""
    return repr(value)


__all__ += ["as_code", "literal_union", "type_code"]


def doc_text(text: str) -> str:
    """Spec text made safe inside a triple-quoted docstring.

    Backslashes and double quotes are escaped and other control characters are
    written as escapes, so no text can end the docstring or hide code.
    """
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n" or ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def comment_text(text: str) -> str:
    """Spec text made safe inside a one-line ``#`` comment (no line breaks)."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
