"""The frozen view models the templates place: one :class:`GraphView` per graph and its parts.

Built by :mod:`flowc.codegen.view`; read by the templates and by
:mod:`flowc.codegen.canonical`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    ident: str
    """The node's Python name (:func:`flowc.dsl.names.node_identifiers`): its functions'
    suffix (``_node_<ident>``), unique in its graph."""
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
    input_fields: tuple[FieldView, ...]
    """The fields an input may set: the input schema's, or every field."""
    output_type: str
    """What ``invoke`` returns: the output schema's TypedDict, or the values type."""
    output_fields: tuple[FieldView, ...]
    """The output schema's fields (none without one: ``invoke`` returns the values type)."""
    update_type: str
    custom_type: str
    """The code of the custom payload type (``Any`` when the spec declares none)."""
    custom_declared: bool
    context_type: str | None
    """The code of the run context's type, if the spec declares one."""
    interrupt_types: tuple[AliasView, ...]
    """The types module's aliases of what the graph's interrupts ask and are answered with
    (none when no node can interrupt)."""
    interrupted: str
    """The runner's alias of the event a run stops with (``""`` when no node can interrupt)."""
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
    guards: tuple[str, ...]
    """``PLAN.guard(...)`` lines: the node policies (retry, timeout, cache, defer)."""
    handlers: tuple[tuple[str, str, str], ...]
    """Each error handler's updates-event class, its node literal and docstring."""
