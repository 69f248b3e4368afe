"""View models of a graph's nodes, routers and agent: what :func:`flowc.codegen.view.build_view`
places for each node.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

from flowc.dsl.graph import AgentInfo, BranchInfo, CheckedGraph, NodeInfo, Ref, StateField
from flowc.dsl.names import camel, literal_code
from flowc.dsl.spec import END
from flowc.dsl.streams import may_block, may_stream
from flowc.dsl.types import Import, import_of
from flowc.dsl.usercode import positional_parameters

from ._scope import _MODE_CLASS, _local_ref, _Scope
from ._viewmodels import (
    MODES_TYPED,
    AliasView,
    FieldView,
    NodeView,
    RouteFunctionView,
    RouterView,
    ToolArgsView,
)
from ._viewtext import doc_text


def _field_view(
    f: StateField, type_code_: str, kind: str, reducer: Import | None = None
) -> FieldView:
    value = f.default if f.default is not None else f.initial
    if value is None or kind == "typeddict":
        line = f"{f.name}: {type_code_}"
    elif value[:1] in "[{" or value == "set()":
        # a mutable default must be made afresh for every instance
        factory = "field" if kind == "dataclass" else "Field"
        line = f"{f.name}: {type_code_} = {factory}(default_factory=lambda: {value})"
    else:
        line = f"{f.name}: {type_code_} = {value}"
    return FieldView(
        name=f.name,
        literal=repr(f.name),
        type=type_code_,
        required=f.reducer is not None and f.initial is not None,
        reducer=None if reducer is None else _local_ref(reducer, f.reducer),
        initial=f.initial,
        default=f.default,
        doc=None if f.description is None else doc_text(f.description),
        state_line=line,
        state_required=value is not None,
    )


def _deep_aliases(
    graph: CheckedGraph, own: dict[str, str], deep: dict[str, str]
) -> list[AliasView]:
    """``<Prefix><Mode>EventWithSubgraphs``: this graph's events and its subgraphs' (recursively)."""
    out = []
    for mode in MODES_TYPED:
        parts = [own[mode]]
        for child in graph.subgraphs:
            suffix = "EventWithSubgraphs" if child.subgraphs else "Event"
            parts.append(f"_graph_{child.name}.{camel(child.name)}{_MODE_CLASS[mode]}{suffix}")
        out.append(AliasView(deep[mode], " | ".join(parts)))
    out.append(AliasView(deep[""], " | ".join(deep[m] for m in MODES_TYPED)))
    return out


def _agent_local(ref: Ref) -> str:
    """``_AGENT.call_model`` for ``ReactAgent.call_model``: the runner's agent's method."""
    return f"_AGENT.{ref.attr.rsplit('.', 1)[-1]}"


def _agent_view(
    info: AgentInfo, scope: _Scope, runner_imports: set[Import]
) -> tuple[str, tuple[ToolArgsView, ...]]:
    """The statement that makes the runner's agent, and the TypedDicts of its tools' arguments."""
    agent_class = scope.bind(
        ("agent", "class"), Import("flowc.integrations.agent", "ReactAgent"), "_ReactAgent"
    )
    model = scope.bind(("agent", "model"), info.model.as_import(), "_agent_model")
    runner_imports |= {agent_class, model}
    tools = []
    args_views = []
    for tool in info.tools:
        imp = scope.bind(("agent", "tool", tool.name), tool.ref.as_import(), f"_tool_{tool.name}")
        runner_imports.add(imp)
        tools.append(_local_ref(imp, tool.ref))
        if tool.args:
            args_views.append(
                ToolArgsView(
                    name=scope.define(f"{camel(tool.name)}Args"),
                    doc=f"The arguments of tool ``{tool.name}``, as the model sends them.",
                    fields=tuple((arg, scope.type(tref)) for arg, tref in tool.args),
                )
            )
    options = [f"[{', '.join(tools)}]"]
    if info.prompt is not None:
        options.append(f"prompt={info.prompt!r}")
    if info.response_format is not None:
        found = import_of(info.response_format.obj)
        assert found is not None  # a class the checker resolved by its import path
        response = scope.bind(("agent", "response"), found, "_agent_response")
        runner_imports.add(response)
        options.append(f"response_format={_local_ref(response, None)}")
    code = f"_AGENT: Final = {_local_ref(agent_class, None)}({_local_ref(model, info.model)}, "
    return code + ", ".join(options) + ")", tuple(args_views)


def _router_name(b: BranchInfo) -> str:
    """The router's name in errors: its ``__name__``, as LangGraph names it (``None`` if it has none)."""
    if b.router.obj is None:
        return b.router.attr
    return str(getattr(b.router.obj, "__name__", None))


def _router_view(
    b: BranchInfo, scope: _Scope, runner_imports: set[Import], *, agent: bool = False
) -> RouterView:
    if agent:
        local = _agent_local(b.router)
    else:
        # one local name per imported function: two modules' `to_b` are two names
        imp = scope.bind(
            ("router", b.router.module, b.router.top),
            b.router.as_import(),
            f"_router_{b.router.top}",
        )
        runner_imports.add(imp)
        local = _local_ref(imp, b.router)
    return RouterView(
        local=local,
        literal=repr(_router_name(b)),
        node_targets=repr(tuple(t for t in b.targets if t != END)),
        is_async=b.is_async,
        targets=repr(tuple(b.targets)),
        path_map=None if b.path_map is None else repr(dict(b.path_map)),
        call_args=", config=rt.get_config()" if b.config_arg else "",
    )


def _node_view(
    graph: CheckedGraph,
    n: NodeInfo,
    ident: str,
    state_type: str,
    graph_update: str,
    names: tuple[str, str, str],
    scope: _Scope,
    runner_imports: set[Import],
    user_types: set[Import],
) -> NodeView:
    ncamel = camel(ident)
    updated_class, own_update, own_protocol = names
    update_generated = False
    if n.update_type is not None and (n.writes is None or not graph.state.generated):
        # the user's own TypedDict (decorator specs, or a return annotation without `writes`)
        update_type, imp = scope.ref(n.update_type)
        user_types.add(imp)
    elif n.writes is not None:
        update_type = own_update
        update_generated = True
    else:
        update_type = graph_update
    args = ["inp"]
    if n.writer_arg:
        args.append(f"{n.writer_arg}=task.writer")
    if n.config_arg:
        args.append(f"{n.config_arg}=task.node_config()")
    agent = graph.agent is not None
    routers = tuple(_router_view(b, scope, runner_imports, agent=agent) for b in n.branches)
    subgraph = None
    protocol = protocol_sig = protocol_doc = None
    if n.subgraph is not None:
        subgraph = n.subgraph.name
        local = f"_graph_{n.subgraph.name}"
    elif agent:
        # an agent's nodes are the methods of the runner's `_AGENT`
        assert n.call is not None
        local = _agent_local(n.call)
        protocol = own_protocol
        protocol_sig, protocol_doc = _protocol(graph, n, state_type, update_type, scope)
    else:
        assert n.call is not None
        imp = scope.bind(("impl", n.name), n.call.as_import(), f"_impl_{ident}")
        runner_imports.add(imp)
        local = _local_ref(imp, n.call)
        protocol = own_protocol
        protocol_sig, protocol_doc = _protocol(graph, n, state_type, update_type, scope)
    metadata = dict(n.metadata)
    meta_code = literal_code(metadata) if metadata or n.tags else "None"
    doc = n.description or f"`{n.name}` finished."
    plain = subgraph is None and not n.is_async and args == ["inp"]
    successors = tuple(t for t in n.successors if t != END)
    route_functions = _route_functions(n.name, routers, successors, _state_arg(graph))
    kwargs: list[str] = []
    if subgraph is not None:
        head = f"subgraph_node({n.name!r}, {updated_class}, _graph_{subgraph}.PLAN, {tuple(n.writes or ())!r}"
        if graph.state.kind != "typeddict":
            head += ", instance=True"
        taken = n.subgraph.input_keys if n.subgraph is not None else None
        if taken is not None:
            # a subgraph with an input schema starts from those of its parent's keys only
            mine = {f.name for f in graph.state.fields}
            head += f", inputs={tuple(k for k in taken if k in mine)!r}"
    elif plain:
        head = f"Node({n.name!r}, {updated_class}, plain=_node_{ident}"
    elif n.is_async:
        head = f"Node({n.name!r}, {updated_class}, acall=_call_{ident}"
    else:
        head = f"Node({n.name!r}, {updated_class}, _call_{ident}"
    if routers:
        kwargs.append(f"route=_route_{ident}")
        if any(r.is_async for r in routers):
            kwargs.append(f"aroute=_aroute_{ident}")
    elif successors:
        kwargs.append(f"then={successors!r}")
    if n.input_keys is not None:
        defaults = ", _DEFAULTS" if any(f.default is not None for f in graph.state.fields) else ""
        kwargs.append(f"input=keyed_input({tuple(n.input_keys)!r}{defaults})")
    if tuple(n.triggers) != (f"branch:to:{n.name}",):
        kwargs.append(f"triggers={tuple(n.triggers)!r}")
    if meta_code != "None":
        kwargs.append(f"metadata={meta_code}")
    if n.tags:
        kwargs.append(f"tags={tuple(n.tags)!r}")
    if n.joins:
        kwargs.append(f"joins={tuple(n.joins)!r}")
    streams = subgraph is not None or _may_stream(n)
    blocks = subgraph is not None or n.is_async or _may_block(n)
    if not streams and not blocks:
        kwargs.append("quiet=True")
    elif not streams:
        kwargs.append("streams=False")
    elif not blocks:
        kwargs.append("blocks=False")
    if not streams and n.streams is False:
        # declared, not proven: the node may still read its task (its config)
        kwargs.append("reads_task=True")
    plan_entry = ", ".join([head, *kwargs]) + ")"
    return NodeView(
        name=n.name,
        ident=ident,
        literal=repr(n.name),
        camel=ncamel,
        local=local,
        is_async=n.is_async,
        body_async=n.is_async or any(r.is_async for r in routers),
        call_args=", ".join(args),
        plain=subgraph is None and not n.is_async and args == ["inp"],
        input_type=state_type,
        input_keys=None if n.input_keys is None else repr(tuple(n.input_keys)),
        update_type=update_type,
        update_generated=update_generated,
        updated_class=updated_class,
        protocol=protocol,
        protocol_signature=protocol_sig,
        protocol_doc=protocol_doc,
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
            _field_view(f, scope.type(f.type), "typeddict")
            for f in graph.state.fields
            if n.writes is not None and f.name in n.writes
        ),
        joins_code=repr(tuple(n.joins)),
        wrapper=subgraph is None and not plain,
        route_functions=route_functions,
        plan_entry=plan_entry,
    )


def _may_stream(n: NodeInfo) -> bool:
    """Whether node ``n`` may emit while it runs (else the engine runs it inline in any mode).

    The spec's ``streams`` decides when given; else a ``writer`` parameter
    streams, and otherwise the node's function and its routers are read by
    :func:`~flowc.dsl.streams.may_stream`.
    """
    if n.streams is not None:
        return n.streams
    if n.writer_arg or n.call is None or n.call.obj is None:
        return True
    routers = [b.router.obj for b in n.branches]
    return None in routers or may_stream(n.call.obj, *routers)


def _may_block(n: NodeInfo) -> bool:
    """Whether sync node ``n`` (or a sync router of it) may wait while it runs (else an
    async run calls it on the event loop's thread): :func:`~flowc.dsl.streams.may_block`."""
    if n.call is None or n.call.obj is None:
        return True
    routers = [b.router.obj for b in n.branches if not b.is_async]
    return None in routers or may_block(n.call.obj, *routers)


def _state_arg(graph: CheckedGraph) -> str:
    """What routers receive, made from ``state``: what nodes receive."""
    if _custom_input(graph):
        return "_input(state)"
    return "dict(state)"


def _custom_input(graph: CheckedGraph) -> bool:
    """Nodes receive more than a copy of the state: defaults filled in, or an instance."""
    state = graph.state
    return state.kind != "typeddict" or any(f.default is not None for f in state.fields)


def _route_functions(
    node: str | None, routers: tuple[RouterView, ...], successors: tuple[str, ...], state_arg: str
) -> tuple[RouteFunctionView, ...]:
    """A node's routing functions (``node`` ``None``: START's), sync and, if needed, async."""
    if not routers:
        return ()
    single = node is not None and len(routers) == 1 and not successors
    edges = None if node is None or single else repr(successors)
    asynchronous = [r for r in routers if r.is_async]
    refuse = asynchronous[0].literal if asynchronous else None
    out = [RouteFunctionView("", False, refuse, routers, edges, single, state_arg)]
    if asynchronous:
        out.append(RouteFunctionView("a", True, None, routers, edges, single, state_arg))
    return tuple(out)


def _protocol(
    graph: CheckedGraph, n: NodeInfo, state_type: str, update_type: str, scope: _Scope
) -> tuple[str, str]:
    """The ``__call__`` signature of a node's Protocol, and the Protocol's docstring.

    The state parameter has the state type when the node is annotated with it
    (or not at all). A node that takes a TypedDict of its own, which the
    checker matched against the state already, gets ``Any`` there: TypedDicts
    that differ only in which keys are required are not interchangeable for
    mypy. What the node returns and the payloads of its writer are checked
    against the spec.
    """
    assert n.call is not None
    takes_state = _takes_state(n.call.obj, graph, state_type)
    params = [f"state: {state_type if takes_state else 'Any'}", "/"]
    keywords = []
    if n.writer_arg:
        # the node's own payload type, else the graph's (`Custom` may join several)
        declared = n.custom_type if n.custom_type is not None else graph.custom_type
        custom = scope.type(declared) if declared is not None else "Custom"
        keywords.append(f"{n.writer_arg}: StreamWriter[{custom}]")
    if n.config_arg:
        keywords.append(f"{n.config_arg}: Any")
    if keywords:
        params.extend(["*", *keywords])
    # Any mapping is accepted: the checker has matched the keys and value types of
    # the TypedDicts a node declares against the state, with located errors, and
    # mypy would reject a TypedDict that leaves out some of the keys a node writes.
    ret = f"{update_type} | Mapping[str, Any] | None"
    if n.is_async:
        ret = f"Awaitable[{ret}]"
    signature = f"def __call__(self, {', '.join(params)}) -> {ret}: ..."
    doc = f"The signature node {n.name!r} must have."
    if not takes_state:
        doc = f"The signature node {n.name!r} must have (its own state type, checked by flowc)."
    return signature, doc_text(doc)


def _takes_state(fn: Any, graph: CheckedGraph, state_type: str) -> bool:
    """Whether a node's first parameter is annotated with the graph's state type (or not at all)."""
    # a callable object's annotations are on its __call__
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else fn.__call__
    params = positional_parameters(target)
    if params is None:
        return False
    if not params or params[0].annotation is inspect.Parameter.empty:
        return True
    raw = params[0].annotation
    try:
        ann = typing.get_type_hints(target).get(params[0].name, raw)
    except Exception:
        # annotations that name generated types (imported under TYPE_CHECKING) do not resolve
        text = raw if isinstance(raw, str) else ""
        return text.strip("'\"").split(".")[-1] == state_type
    if graph.state.cls is not None:
        return ann is graph.state.cls.obj
    return getattr(ann, "__qualname__", None) == state_type and str(
        getattr(ann, "__module__", "")
    ).endswith("_types")
