"""View model: :class:`CheckedGraph` → the frozen data the templates place.

Every name, type string, literal and import a template writes is computed
here, in Python. Text from the spec reaches generated code only through
``repr`` (strings), :func:`flowc.dsl.names.literal_code` (values) or as
:data:`flowc.dsl.names.Identifier` names, and every import's local name is
claimed in one :class:`_Scope`, so none can collide.

One :class:`GraphView` serves both modules of a graph: the types module
(``<graph>_types.py``: state, input, update and values types, node Protocols)
and the runner (``<graph>.py``: event classes, typed ``stream`` overloads and
the superstep loop). Both share one :class:`_Scope`, so a user's type gets the
same local name in each, and no import can shadow a generated name.
"""

from __future__ import annotations

import dataclasses

from flowc.dsl.graph import CheckedGraph
from flowc.dsl.names import camel, node_identifiers
from flowc.dsl.typerules import type_code
from flowc.dsl.types import Import, TypeRef
from flowc.runtime.handlers import handler_name

from ._nodeview import (
    _agent_view,
    _custom_input,
    _deep_aliases,
    _field_view,
    _node_view,
    _route_functions,
    _router_view,
    _state_arg,
)
from ._policyview import guard_lines, handler_classes
from ._scope import (
    _MODE_CLASS,
    _TEMPLATE_NAMES,
    RUNNER_HEADER,
    TYPES_HEADER,
    _imports_code,
    _reducer_imports,
    _Scope,
    state_schema,
)
from ._viewmodels import (
    MODES_TYPED,
    AliasView,
    FieldView,
    GraphView,
    NodeView,
    RouteFunctionView,
    RouterView,
)
from ._viewtext import as_code, banner_text, comment_text, doc_text, literal_union, union_code

__all__ = [
    "MODES_TYPED",
    "AliasView",
    "FieldView",
    "GraphView",
    "NodeView",
    "RouteFunctionView",
    "RouterView",
    "build_view",
    "state_schema",
]


def _custom_type(graph: CheckedGraph, scope: _Scope) -> tuple[str, bool]:
    """The custom payload type: the graph's, joined with what nodes declare.

    Without a graph-level type, the nodes' declared types make the union only
    when every node that takes a ``writer`` declares one; otherwise ``Any``.
    """
    types: list[str] = []
    if graph.custom_type is not None:
        types.append(scope.type(graph.custom_type))
    node_types = [n.custom_type for n in graph.nodes if n.custom_type is not None]
    undeclared = any(n.writer_arg and n.custom_type is None for n in graph.nodes)
    if graph.custom_type is None and (not node_types or undeclared):
        return "Any", False
    for tref in node_types:
        code = scope.type(tref)
        if code not in types:
            types.append(code)
    return " | ".join(types), True


def _declared_union(declared: list[TypeRef], scope: _Scope) -> str:
    """The union of the types nodes declare (``interrupts`` or ``resumes``); ``Any`` if none does.

    A node that interrupts without saying with what adds nothing: its value is
    not known, so the graph's type says only what the spec says.
    """
    types: list[str] = []
    for tref in declared:
        code = scope.type(tref)
        if code not in types:
            types.append(code)
    return union_code(types) if types else "Any"


def tree_views(graph: CheckedGraph) -> tuple[GraphView, ...]:
    """The views of ``graph`` and of every graph below it, once each, children first:
    what the templates render, module by module."""
    return tuple(build_view(g) for g in graph.tree(children_first=True))


def build_view(graph: CheckedGraph, *, module: str | None = None) -> GraphView:
    """The view model of one graph (its subgraphs get their own views)."""
    prefix = camel(graph.name)
    module = module or graph.name
    types_module = f"{module}_types"
    state = graph.state
    scope = _Scope(TYPES_HEADER | RUNNER_HEADER, _TEMPLATE_NAMES)
    state_type = scope.define(f"{prefix}State") if state.cls is None else ""
    values_type = scope.define(f"{prefix}Values")
    input_type = scope.define(f"{prefix}Input")
    output_type = scope.define(f"{prefix}Output") if graph.output_keys is not None else values_type
    update_type = scope.define(f"{prefix}Update")
    event_union = scope.define(f"{prefix}Event")
    alias_names = {m: scope.define(f"{prefix}{_MODE_CLASS[m]}Event") for m in MODES_TYPED}
    idents = node_identifiers(n.name for n in graph.nodes)
    node_names = {
        n.name: (
            scope.define(f"{camel(idents[n.name])}Updated", f"{camel(idents[n.name])}NodeUpdated"),
            scope.define(f"{camel(idents[n.name])}Update", f"{camel(idents[n.name])}NodeUpdate"),
            scope.define(f"{camel(idents[n.name])}Node", f"{camel(idents[n.name])}NodeProtocol"),
        )
        for n in graph.nodes
    }
    has_subgraphs = bool(graph.subgraphs)
    deep_names = (
        {m: scope.define(f"{prefix}{_MODE_CLASS[m]}EventWithSubgraphs") for m in MODES_TYPED}
        | {"": scope.define(f"{prefix}EventWithSubgraphs")}
        if has_subgraphs
        else {}
    )
    for child in graph.subgraphs:
        # the runner template imports each child module as `_graph_<child>`
        scope.define(f"_graph_{child.name}")
    user_types: set[Import] = set()
    if state.cls is not None:
        state_type, imp = scope.ref(state.cls)
        user_types.add(imp)

    reducers = _reducer_imports(state.fields, scope)
    fields = tuple(
        _field_view(f, scope.type(f.type), state.kind, reducers.get(f.name)) for f in state.fields
    )
    runner_imports: set[Import] = set(reducers.values())
    custom_type, custom_declared = _custom_type(graph, scope)
    interrupting = graph.interrupting
    interrupt_names: tuple[str, ...] = (
        (scope.define(f"{prefix}Interrupt"), scope.define(f"{prefix}Resume"))
        if interrupting
        else ()
    )
    interrupted = scope.define(f"{prefix}Interrupted") if interrupting else ""
    interrupt_types = tuple(
        AliasView(name, _declared_union(graph.declared(key), scope))
        for name, key in zip(interrupt_names, ("interrupts", "resumes"), strict=False)
    )
    agent_code, tool_args = (
        _agent_view(graph.agent, scope, runner_imports) if graph.agent is not None else (None, ())
    )
    nodes = tuple(
        _node_view(
            graph,
            n,
            idents[n.name],
            state_type,
            update_type,
            node_names[n.name],
            scope,
            runner_imports,
            user_types,
        )
        for n in graph.nodes
    )
    start_routers = tuple(
        dataclasses.replace(r, call_args=r.call_args.replace("rt.get_config()", "{}"))
        for r in (_router_view(b, scope, runner_imports) for b in graph.start_branches)
    )
    defaults = {f.name: f.default for f in state.fields if f.default is not None}
    children = tuple(sorted({n.subgraph for n in nodes if n.subgraph}))
    digest = graph.digest
    banner = banner_text(graph.origin, digest)
    handlers = handler_classes(graph, {n.name: n.camel for n in nodes}, scope)
    node_literal = (
        "Literal["
        + ", ".join([*(repr(n.name) for n in graph.nodes), *map(repr, map(handler_name, handlers))])
        + "]"
    )
    takes_instance = state.kind in ("dataclass", "pydantic")
    task_input = "Any" if any(n.input_keys is not None for n in graph.nodes) else state_type
    aliases = {
        "values": f"ValuesEvent[{values_type}]",
        "updates": union_code([*(n.updated_class for n in nodes), *handlers.values()]),
        "custom": "CustomEvent[Custom]",
        "messages": "MessagesEvent[Message, NodeName]",
        "tasks": f"TaskEvent[NodeName, {task_input}] | TaskResultEvent[NodeName, {update_type}]",
        "debug": "DebugEvent[NodeName]",
    }
    if interrupting:
        # a run stops at an interrupt with `__interrupt__` in updates and values mode, as
        # LangGraph's; a resumed superstep hands back the writes its finished tasks kept
        asked = interrupt_names[0]
        aliases["values"] += f" | InterruptValuesEvent[{values_type}, {asked}]"
        aliases["updates"] = union_code(
            [
                *(n.updated_class for n in nodes),
                *handlers.values(),
                interrupted,
                f"ReplayedUpdatesEvent[NodeName, {update_type}]",
            ]
        )
    event_aliases = [AliasView(alias_names[m], aliases[m]) for m in MODES_TYPED]
    if interrupting:
        event_aliases.insert(0, AliasView(interrupted, f"InterruptEvent[{interrupt_names[0]}]"))
    event_aliases.append(AliasView(event_union, " | ".join(alias_names[m] for m in MODES_TYPED)))
    if has_subgraphs:
        event_aliases.extend(_deep_aliases(graph, alias_names, deep_names))
    output_extra = output_type if output_type != values_type else ""
    generated_types = [
        n
        for n in (
            state_type if state.cls is None else "",
            values_type,
            input_type,
            output_extra,
            update_type,
        )
        if n
    ]
    for n in nodes:
        if n.update_generated:
            generated_types.append(n.update_type)
        if n.protocol:
            generated_types.append(n.protocol)
    types_exports = (
        "Custom",
        *interrupt_names,
        *(t.name for t in tool_args),
        *generated_types,
        *(["get_stream_writer"] if custom_declared else []),
        *(["get_context"] if graph.context_type is not None else []),
    )
    runner_type_imports = ("Custom", *interrupt_names, *generated_types)
    runner_exports = (
        "NAME",
        "NodeName",
        *(n.updated_class for n in nodes),
        *handlers.values(),
        *(a.name for a in event_aliases),
        "Custom",
        *interrupt_names,
        *([state_type] if state.cls is None else []),
        values_type,
        input_type,
        *([output_extra] if output_extra else []),
        update_type,
        "PLAN",
        "graph",
        "ainvoke",
        "astream",
        "astream_chunks",
        "invoke",
        "stream",
        "stream_chunks",
    )
    has_reducers = any(f.reducer for f in fields)
    has_initials = any(f.reducer and f.initial is not None for f in fields)
    required = _required_input(graph)
    custom_input = _custom_input(graph)
    initial_code = (
        "{"
        + ", ".join(
            f"{f.literal}: {f.initial}" for f in fields if f.reducer and f.initial is not None
        )
        + "}"
    )
    first_functions = _route_functions(None, start_routers, (), _state_arg(graph))
    plain_keys = [f.name for f in fields if not f.reducer]
    plan_args = [f"entry={tuple(sorted(graph.entry))!r}"]
    custom_start = state.kind != "typeddict" or bool(required) or has_initials
    if custom_start:
        plan_args.append("start=_start")
    if custom_input:
        plan_args.append("input=_input")
    if has_reducers:
        plan_args.append("merge=_merge")
    if first_functions:
        plan_args.append("first=_first")
        if len(first_functions) > 1:
            plan_args.append("afirst=_afirst")
    if graph.joins:
        joins = ", ".join(f"(frozenset({tuple(j.sources)!r}), {j.target!r})" for j in graph.joins)
        plan_args.append(f"joins=({joins},)")
    # one node can write a key twice too, in a list of updates: the engine then needs to know
    # which keys have no reducer (with no reducer at all, every key is such)
    if plain_keys and (len(nodes) > 1 or has_reducers):
        plan_args.append(f"last_value=frozenset({tuple(plain_keys)!r})")
    # what the spec declares a node writes is what it may write, at run time too
    declared = {
        s.name: tuple(s.writes)
        for s in graph.spec.nodes
        if s.writes is not None and s.subgraph is None
    }
    if declared:
        entries = ", ".join(f"{name!r}: {keys!r}" for name, keys in declared.items())
        plan_args.append(f"writes={{{entries}}}")
    untracked = tuple(f.name for f in graph.state.fields if f.untracked)
    if untracked:
        plan_args.append(f"untracked=frozenset({untracked!r})")
    if graph.recursion_limit is not None:
        plan_args.append(f"recursion_limit={graph.recursion_limit!r}")
    plan_args.append(f"schema={state_schema(graph.state.fields)!r}")
    if graph.codecs:
        plan_args.append(f"codecs={graph.codecs!r}")
    if graph.interrupt_before or graph.interrupt_after:
        breakpoints = (tuple(graph.interrupt_before), tuple(graph.interrupt_after))
        plan_args.append(f"breakpoints={breakpoints!r}")
    if graph.step_timeout is not None:
        plan_args.append(f"step_timeout={graph.step_timeout!r}")
    if graph.input_keys is not None:
        plan_args.append(f"inputs=frozenset({tuple(graph.input_keys)!r})")
    if graph.output_keys is not None:
        plan_args.append(f"outputs={tuple(graph.output_keys)!r}")
    guards = guard_lines(graph, scope, runner_imports, handlers)
    graph_class = "GraphWithSubgraphs" if has_subgraphs else "Graph"
    if interrupting:
        graph_class = f"Interrupting{graph_class}"
    type_args = [
        f"{input_type} | {state_type}" if takes_instance else input_type,
        output_type,
        *(alias_names[m] for m in MODES_TYPED),
        event_union,
    ]
    if has_subgraphs:
        type_args += [*(deep_names[m] for m in MODES_TYPED), deep_names[""]]
    if interrupting:
        type_args.append(interrupt_names[1])
    graph_type = f"{graph_class}[{', '.join(type_args)}]"
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
        values_type=values_type,
        input_type=input_type,
        input_annotation=f"{input_type} | {state_type}" if takes_instance else input_type,
        input_fields=_keyed(fields, graph.input_keys),
        output_type=output_type,
        output_fields=() if graph.output_keys is None else _keyed(fields, graph.output_keys),
        update_type=update_type,
        custom_type=custom_type,
        custom_declared=custom_declared,
        context_type=None if graph.context_type is None else scope.type(graph.context_type),
        interrupt_types=interrupt_types,
        interrupted=interrupted,
        fields=fields,
        state_fields=tuple(
            sorted(fields, key=lambda f: f.state_required) if state.kind == "dataclass" else fields
        ),
        field_names=repr(tuple(f.name for f in fields)),
        reducer_fields=tuple(f for f in fields if f.reducer),
        required_input=repr(required) if required else "",
        defaults=(
            "{" + ", ".join(f"{k!r}: {v}" for k, v in defaults.items()) + "}" if defaults else None
        ),
        nodes=nodes,
        node_names=repr(tuple(n.name for n in graph.nodes)),
        node_literal=node_literal,
        entry=repr(tuple(sorted(graph.entry))),
        start_routers=start_routers,
        joins=tuple((repr(tuple(j.sources)), repr(j.target)) for j in graph.joins),
        has_async=any(n.body_async for n in nodes) or any(r.is_async for r in start_routers),
        has_routers=any(n.routers for n in nodes) or bool(start_routers),
        has_reducers=has_reducers,
        has_initials=has_initials,
        has_subgraphs=has_subgraphs,
        recursion_limit=graph.recursion_limit,
        recursion_limit_code=(
            "rt.DEFAULT_RECURSION_LIMIT"
            if graph.recursion_limit is None
            else repr(graph.recursion_limit)
        ),
        called_nodes=tuple(n for n in nodes if n.protocol),
        runner_imports=_imports_code(runner_imports | user_types),
        types_imports=_imports_code(scope.used - TYPES_HEADER),
        types_exports=types_exports,
        runner_type_imports=runner_type_imports,
        runner_exports=tuple(dict.fromkeys(runner_exports)),
        children=children,
        event_aliases=tuple(event_aliases),
        event_union=event_union,
        graph_class=graph_class,
        graph_type=graph_type,
        custom_start=custom_start,
        custom_input=custom_input,
        initial_code=initial_code,
        first_functions=first_functions,
        plan_args=tuple(plan_args),
        guards=guards,
        handlers=tuple(
            (cls, repr(handler_name(node)), f"`{node}` failed, and its error handler finished.")
            for node, cls in handlers.items()
        ),
        agent_code=agent_code,
        tool_args=tool_args,
    )


def _keyed(fields: tuple[FieldView, ...], keys: tuple[str, ...] | None) -> tuple[FieldView, ...]:
    """The ``fields`` of a schema's ``keys``, in the state's order (all of them without one)."""
    return fields if keys is None else tuple(f for f in fields if f.name in keys)


def _required_input(graph: CheckedGraph) -> tuple[str, ...]:
    """Keys a dataclass state cannot be built without (no default, no starting value)."""
    state = graph.state
    if state.kind != "dataclass":
        return ()
    if state.cls is None:
        return tuple(f.name for f in state.fields if f.default is None and f.initial is None)
    cls = state.cls.obj
    if not dataclasses.is_dataclass(cls):
        return ()
    # a reducer field starts from its reducer's empty value, as LangGraph's channel does
    started = {f.name for f in state.fields if f.reducer is not None and f.initial is not None}
    return tuple(
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
        and f.name not in started
    )


__all__ += ["as_code", "comment_text", "doc_text", "literal_union", "type_code"]
