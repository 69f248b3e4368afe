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

import ast
import dataclasses
import inspect
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flowc.dsl.graph import AgentInfo, BranchInfo, CheckedGraph, NodeInfo, Ref, StateField
from flowc.dsl.names import camel, literal_code
from flowc.dsl.spec import END
from flowc.dsl.streams import may_stream
from flowc.dsl.typerules import type_code
from flowc.dsl.types import Import, TypeRef, import_of

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

MODES_TYPED = ("values", "updates", "custom", "messages", "tasks", "debug")
"""The stream modes ``stream`` is overloaded on, alone and in pairs.

``checkpoints`` is left to the catch-all overload: without a checkpointer it
yields nothing.
"""


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
    state_line: str
    """The field's line in a generated state class (with its default, if any)."""
    state_required: bool
    """Present whenever a node runs (a default or a starting value): required in the state."""


@dataclass(frozen=True, slots=True)
class RouterView:
    """A conditional edge."""

    local: str
    literal: str
    """``repr`` of the router's own name, for errors."""
    node_targets: str
    """``repr`` of the tuple of the nodes among its targets (END left out)."""
    is_async: bool
    targets: str
    """``repr`` of the tuple of possible targets (END as ``'__end__'``)."""
    path_map: str | None
    call_args: str


@dataclass(frozen=True, slots=True)
class RouteFunctionView:
    """A function of routing: a node's routers (``_route_<node>``) or START's (``_first``)."""

    prefix: str
    """``""`` for the sync function, ``"a"`` for its async twin."""
    is_async: bool
    refuse: str | None
    """The sync twin of a function with async routers raises: the router named here."""
    routers: tuple[RouterView, ...]
    successors: str | None
    """The node's plain edges (a tuple's code), which routers add to; ``None`` if it has none."""
    single: bool
    """One router and no plain edges: the router's pick is the answer."""
    state_arg: str
    """What routers receive, made from ``state``."""


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
    plain: bool
    """A sync node called with the state alone, which inline steps call directly."""
    input_type: str
    input_keys: str | None
    """``repr`` of a node-specific input schema's keys, if any."""
    update_type: str
    """The type of what the node writes: its ``updates`` events' ``data``."""
    update_generated: bool
    """``update_type`` is a per-node TypedDict of the types module (from ``writes``)."""
    updated_class: str
    """The node's ``@final`` updates-event class."""
    protocol: str | None
    protocol_signature: str | None
    protocol_doc: str | None
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
    wrapper: bool
    """The node is called with more than the state (a writer, a config) or awaited:
    it gets a ``_call_<name>`` function."""
    route_functions: tuple[RouteFunctionView, ...]
    """Its ``_route_<name>`` function (and ``_aroute_<name>`` when a router is async)."""
    plan_entry: str
    """The node's entry in the plan: a ``Node(...)`` (or ``subgraph_node(...)``) call."""


@dataclass(frozen=True, slots=True)
class AliasView:
    """``name: TypeAlias = value`` in a runner module."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ToolArgsView:
    """The TypedDict of the arguments an agent's model sends one of its tools."""

    name: str
    doc: str
    fields: tuple[tuple[str, str], ...]


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
    input_annotation: str
    """The ``input`` parameter's annotation (the state class too, for instance input)."""
    update_type: str
    custom_type: str
    """The code of the custom payload type (``Any`` when the spec declares none)."""
    custom_declared: bool
    interrupt_types: tuple[AliasView, ...]
    """The types module's aliases of what the graph's interrupts ask and are answered with
    (none when no node can interrupt)."""
    fields: tuple[FieldView, ...]
    state_fields: tuple[FieldView, ...]
    """The fields in the order a generated state class declares them."""
    field_names: str
    reducer_fields: tuple[FieldView, ...]
    required_input: str
    """``repr`` of the keys a run's input must have (dataclass states without defaults)."""
    defaults: str | None
    nodes: tuple[NodeView, ...]
    node_names: str
    node_literal: str
    entry: str
    start_routers: tuple[RouterView, ...]
    joins: tuple[tuple[str, str], ...]
    """(``repr`` of the sources' tuple, ``repr`` of the target) per join."""
    has_async: bool
    has_routers: bool
    has_reducers: bool
    has_initials: bool
    """Some reducer field starts from a value of its own (the state is not empty at the start)."""
    has_subgraphs: bool
    recursion_limit: int | None
    recursion_limit_code: str
    """The graph's default recursion limit, as code."""
    called_nodes: tuple[NodeView, ...]
    """The nodes that call a function (not a subgraph): each is checked against its Protocol."""
    runner_imports: tuple[str, ...]
    types_imports: tuple[str, ...]
    types_exports: tuple[str, ...]
    """The public names of the types module (its ``__all__``)."""
    runner_type_imports: tuple[str, ...]
    """Names the runner imports from the types module."""
    runner_exports: tuple[str, ...]
    """The runner's ``__all__``."""
    children: tuple[str, ...]
    event_aliases: tuple[AliasView, ...]
    """The per-mode event aliases, then (with subgraphs) their ``WithSubgraphs`` twins."""
    event_union: str
    """The alias of every event a run of this graph alone can yield."""
    graph_class: str
    """``Graph``, or ``GraphWithSubgraphs`` for a graph with subgraphs."""
    graph_type: str
    """The typed facade's class subscripted with this graph's types."""
    custom_start: bool
    """The input needs more than the engine's check (an instance, required keys, starting values)."""
    custom_input: bool
    """Nodes receive more than a copy of the state (defaults, or an instance)."""
    initial_code: str
    """The state before the input: a dict of the reducer fields' starting values."""
    agent_code: str | None
    """For an agent spec: the statement that makes the runner's ``_AGENT``, whose methods are
    the nodes."""
    tool_args: tuple[ToolArgsView, ...]
    """For an agent spec: the arguments of each of its tools (types module)."""
    first_functions: tuple[RouteFunctionView, ...]
    """``_first`` (and ``_afirst``) when START has routers."""
    plan_args: tuple[str, ...]
    """The plan's keyword arguments after its nodes."""


class _Scope:
    """The module-level names of one graph's two modules: generated ones and imported ones.

    The templates' own imports are registered first and generated names are
    claimed next (:meth:`define`); an imported user name that would shadow
    either gets an alias with trailing underscores, and type code that uses it
    is rewritten to match.
    """

    def __init__(self, header: Iterable[Import], reserved: Iterable[str]) -> None:
        self.taken: set[str] = set(reserved)
        self.imports: dict[str, Import] = {imp.local: imp for imp in header}
        self.used: set[Import] = set()
        """The imports that generated code uses, beyond the templates' own."""
        self.bound: dict[tuple[str, ...], Import] = {}

    def _free(self, name: str) -> bool:
        return name not in self.taken and name not in self.imports and not _template_private(name)

    def bind(self, key: tuple[str, ...], imp: Import, local: str) -> Import:
        """``imp`` under a local name of flowc's choosing (``_router_to_b``), the same for
        the same ``key``; ``local_2``, ``local_3``... when another name has it already."""
        found = self.bound.get(key)
        if found is not None:
            return found
        name, n = local, 1
        while not self._free(name):
            n += 1
            name = f"{local}_{n}"
        self.taken.add(name)
        found = Import(imp.module, imp.name, name)
        self.bound[key] = found
        return found

    def define(self, *candidates: str) -> str:
        """The first free candidate (or the last one, numbered), now taken."""
        for name in candidates:
            if name not in self.taken and name not in self.imports:
                self.taken.add(name)
                return name
        base = candidates[-1]
        n = 2
        while f"{base}{n}" in self.taken or f"{base}{n}" in self.imports:
            n += 1
        self.taken.add(f"{base}{n}")
        return f"{base}{n}"

    def add(self, imp: Import) -> Import:
        """``imp``, aliased if its local name is taken by something else."""
        key = (imp.module, imp.name)
        found = next((i for i in self.imports.values() if (i.module, i.name) == key), None)
        if found is None:
            # a template's private prefix (`_input_`) stays one whatever is appended
            local = f"_u{imp.name}" if _template_private(imp.name) else imp.name
            while not self._free(local):
                local += "_"
            found = Import(imp.module, imp.name, None if local == imp.name else local)
            self.imports[local] = found
        self.used.add(found)
        return found

    def ref(self, ref: Ref) -> tuple[str, Import]:
        """Code naming a user's object, and the import it needs."""
        imp = self.add(ref.as_import())
        rest = ref.attr.split(".", 1)[1:]
        return ".".join([imp.local, *rest]), imp

    def type(self, tref: TypeRef) -> str:
        """A type's code, with its imports registered (and renamed where aliased)."""
        renames = {}
        for imp in sorted(tref.imports):
            final = self.add(imp)
            if final.local != imp.local:
                renames[imp.local] = final.local
        return _rename(tref.code, renames) if renames else tref.code


def _rename(code: str, renames: dict[str, str]) -> str:
    """Rename names in type code (never inside string literals)."""

    class Renamer(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            if node.id in renames:
                return ast.copy_location(ast.Name(renames[node.id], node.ctx), node)
            return node

    tree = Renamer().visit(ast.parse(code, mode="eval"))
    return ast.unparse(tree)


def _imports(module: str, *names: str) -> frozenset[Import]:
    return frozenset(Import(module, name) for name in names)


# What the templates import themselves; user names are aliased around them.
TYPES_HEADER = (
    _imports("collections.abc", "Awaitable", "Mapping")
    | _imports(
        "typing",
        "TYPE_CHECKING",
        "Any",
        "NotRequired",
        "Protocol",
        "ReadOnly",
        "TypeAlias",
        "TypedDict",
    )
    | _imports("flowc.runtime", "StreamWriter", "deferred_form")
    | _imports("dataclasses", "dataclass", "field")
    | _imports("pydantic", "BaseModel", "Field")
)
RUNNER_HEADER = (
    _imports("collections.abc", "Mapping")
    | _imports("typing", "Any", "Final", "Literal", "TypeAlias", "Union", "final")
    | _imports(
        "flowc.runtime",
        "CustomEvent",
        "DebugEvent",
        "MessagesEvent",
        "TaskEvent",
        "TaskResultEvent",
        "UpdatesEvent",
        "ValuesEvent",
        "InterruptEvent",
        "InterruptValuesEvent",
        "ReplayedUpdatesEvent",
    )
    | _imports("flowc.integrations", "Message")
    | _imports("flowc.runtime._drive", "subgraph_node")
    | _imports("flowc.runtime._engine", "Node", "Plan", "Task", "keyed_input", "no_sync", "route")
    | _imports(
        "flowc.runtime._graph",
        "Graph",
        "GraphWithSubgraphs",
        "InterruptingGraph",
        "InterruptingGraphWithSubgraphs",
    )
)
# Names the templates define (or bind otherwise) at module level.
_TEMPLATE_NAMES = frozenset(
    {
        "annotations",
        "sys",
        "rt",
        "Custom",
        "PLAN",
        "graph",
        "_DEFAULTS",
        "_input",
        "_start",
        "_merge",
        "_first",
        "_afirst",
        "NAME",
        "NodeName",
        "RECURSION_LIMIT",
        "ainvoke",
        "astream",
        "astream_chunks",
        "get_stream_writer",
        "invoke",
        "stream",
        "stream_chunks",
    }
)

# Private names the runner template binds at module level: fixed ones, and ones
# made of a prefix and a node's name. An import never takes one of them.
_TEMPLATE_PRIVATE = frozenset(
    {"_AGENT", "_DEFAULTS", "_afirst", "_first", "_get_stream_writer", "_input", "_merge", "_start"}
)
_TEMPLATE_PREFIXES = ("_aroute_", "_call_", "_graph_", "_node_", "_route_")


def _template_private(name: str) -> bool:
    return name in _TEMPLATE_PRIVATE or name.startswith(_TEMPLATE_PREFIXES)


_MODE_CLASS = {
    "values": "Values",
    "updates": "Updates",
    "custom": "Custom",
    "messages": "Messages",
    "tasks": "Tasks",
    "debug": "Debug",
}


def _imports_code(imports: Iterable[Import]) -> tuple[str, ...]:
    by_module: dict[str, set[str]] = {}
    for imp in imports:
        name = imp.name if imp.alias is None else f"{imp.name} as {imp.alias}"
        by_module.setdefault(imp.module, set()).add(name)
    return tuple(
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(by_module.items())
    )


def state_schema(fields: Iterable[StateField]) -> tuple[tuple[str, str, bool], ...]:
    """The state's fields as each checkpoint records them: name, declared type, optional.

    Optional means a run can start without a stored value for the field (a
    default, a reducer's starting value, or a type that admits ``None``): a
    thread saved before the field was added can still go on.
    """
    return tuple(
        (
            str(f.name),
            f.type.code,
            f.default is not None or f.initial is not None or _admits_none(f.type),
        )
        for f in fields
    )


def _admits_none(ref: TypeRef) -> bool:
    obj = ref.obj
    if obj is None or obj is typing.Any:
        return obj is typing.Any or ref.code in ("None", "Any") or ref.code.endswith("| None")
    args = typing.get_args(obj)
    origin = typing.get_origin(obj)
    if origin is typing.Annotated:
        return _admits_none(TypeRef(ref.code, obj=args[0]))
    return type(None) in args if args else False


def _reducer_imports(fields: Iterable[StateField], scope: _Scope) -> dict[str, Import]:
    """Field name → the import of its reducer, as ``_reduce_<field>``."""
    return {
        f.name: scope.bind(
            ("reduce", f.name), Import(f.reducer.module, f.reducer.top), f"_reduce_{f.name}"
        )
        for f in fields
        if f.reducer is not None
    }


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


def _declared_union(declared: list[TypeRef | None], scope: _Scope) -> str:
    """The union of the types nodes declare (``interrupts`` or ``resumes``); ``Any`` if none does.

    A node that interrupts without saying with what adds nothing: its value is
    not known, so the graph's type says only what the spec says.
    """
    types: list[str] = []
    for tref in declared:
        if tref is not None:
            code = scope.type(tref)
            if code not in types:
                types.append(code)
    return union_code(types) if types else "Any"


def tree_views(graph: CheckedGraph) -> tuple[GraphView, ...]:
    """The views of ``graph`` and of every graph below it, once each, children first:
    what the templates render, module by module."""
    out: list[GraphView] = []
    seen: set[str] = set()

    def visit(g: CheckedGraph) -> None:
        if g.name in seen:
            return
        seen.add(g.name)
        for child in g.subgraphs:
            visit(child)
        out.append(build_view(g))

    visit(graph)
    return tuple(out)


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
    update_type = scope.define(f"{prefix}Update")
    event_union = scope.define(f"{prefix}Event")
    alias_names = {m: scope.define(f"{prefix}{_MODE_CLASS[m]}Event") for m in MODES_TYPED}
    node_names = {
        n.name: (
            scope.define(f"{camel(n.name)}Updated", f"{camel(n.name)}NodeUpdated"),
            scope.define(f"{camel(n.name)}Update", f"{camel(n.name)}NodeUpdate"),
            scope.define(f"{camel(n.name)}Node", f"{camel(n.name)}NodeProtocol"),
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
        AliasView(name, _declared_union([getattr(n, key) for n in graph.nodes], scope))
        for name, key in zip(interrupt_names, ("interrupts", "resumes"), strict=False)
    )
    agent_code, tool_args = (
        _agent_view(graph.agent, scope, runner_imports) if graph.agent is not None else (None, ())
    )
    nodes = tuple(
        _node_view(
            graph, n, state_type, update_type, node_names[n.name], scope, runner_imports, user_types
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
    node_literal = "Literal[" + ", ".join(repr(n.name) for n in graph.nodes) + "]"
    takes_instance = state.kind in ("dataclass", "pydantic")
    task_input = "Any" if any(n.input_keys is not None for n in graph.nodes) else state_type
    aliases = {
        "values": f"ValuesEvent[{values_type}]",
        "updates": union_code([n.updated_class for n in nodes]),
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
    generated_types = [
        n
        for n in (state_type if state.cls is None else "", values_type, input_type, update_type)
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
    )
    runner_type_imports = ("Custom", *interrupt_names, *generated_types)
    runner_exports = (
        "NAME",
        "NodeName",
        *(n.updated_class for n in nodes),
        *(a.name for a in event_aliases),
        "Custom",
        *interrupt_names,
        *([state_type] if state.cls is None else []),
        values_type,
        input_type,
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
    if plain_keys and len(nodes) > 1:
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
    if graph.recursion_limit is not None:
        plan_args.append(f"recursion_limit={graph.recursion_limit!r}")
    plan_args.append(f"schema={state_schema(state.fields)!r}")
    if graph.interrupt_before or graph.interrupt_after:
        breakpoints = (tuple(graph.interrupt_before), tuple(graph.interrupt_after))
        plan_args.append(f"breakpoints={breakpoints!r}")
    graph_class = "GraphWithSubgraphs" if has_subgraphs else "Graph"
    if interrupting:
        graph_class = f"Interrupting{graph_class}"
    type_args = [
        f"{input_type} | {state_type}" if takes_instance else input_type,
        values_type,
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
        update_type=update_type,
        custom_type=custom_type,
        custom_declared=custom_declared,
        interrupt_types=interrupt_types,
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
        agent_code=agent_code,
        tool_args=tool_args,
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


def _local_ref(imp: Import, ref: Ref | None) -> str:
    """Code naming ``ref`` through the import of its top-level name."""
    rest = [] if ref is None else ref.attr.split(".")[1:]
    return ".".join([imp.local, *rest])


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
    state_type: str,
    graph_update: str,
    names: tuple[str, str, str],
    scope: _Scope,
    runner_imports: set[Import],
    user_types: set[Import],
) -> NodeView:
    ncamel = camel(n.name)
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
        imp = scope.bind(("impl", n.name), n.call.as_import(), f"_impl_{n.name}")
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
    elif plain:
        head = f"Node({n.name!r}, {updated_class}, plain=_node_{n.name}"
    elif n.is_async:
        head = f"Node({n.name!r}, {updated_class}, acall=_call_{n.name}"
    else:
        head = f"Node({n.name!r}, {updated_class}, _call_{n.name}"
    if routers:
        kwargs.append(f"route=_route_{n.name}")
        if any(r.is_async for r in routers):
            kwargs.append(f"aroute=_aroute_{n.name}")
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
    if subgraph is None and not _may_stream(n):
        kwargs.append("streams=False")
    plan_entry = ", ".join([head, *kwargs]) + ")"
    return NodeView(
        name=n.name,
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
        doc += "\n\n    It takes its own state type, which flowc checked against the graph's state."
    return signature, doc_text(doc)


def _takes_state(fn: Any, graph: CheckedGraph, state_type: str) -> bool:
    """Whether a node's first parameter is annotated with the graph's state type (or not at all)."""
    # a callable object's annotations are on its __call__
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else fn.__call__
    try:
        params = [
            p
            for p in inspect.signature(target).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
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


def banner_text(origin: str, digest: str) -> str:
    """The first line of every module generated from a spec (after ``# ``)."""
    return (
        f"Generated by flowc from {comment_text(_posix(origin))} "
        f"(spec sha256:{digest[:16]}). Do not edit."
    )


def _posix(path: str) -> str:
    """A spec path as the banner shows it: with forward slashes on every system."""
    return path.replace("\\", "/")


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
    return tuple(
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


def union_code(members: list[str]) -> str:
    """``A | B | C``; for very many members ``Union[A, B, ...]``, which is flat:
    a chain of thousands of ``|`` nests too deep for CPython's compiler."""
    if len(members) > 64:
        return "Union[" + ", ".join(members) + "]"
    return " | ".join(members)


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


def literal_union(names: tuple[str, ...]) -> str:
    """``Literal['a', 'b']``."""
    return "Literal[" + ", ".join(repr(n) for n in names) + "]"


def as_code(value: Any) -> str:
    """A Python literal for a JSON-like value (infinities and NaN included)."""
    return literal_code(value)


__all__ += ["as_code", "comment_text", "doc_text", "literal_union", "type_code"]
