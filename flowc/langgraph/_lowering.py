"""The drop-in's conventions for the parts of one builder: each node, router and schema
as flowc's spec of it (callables served by identity, adapted to flowc's node and router
conventions), for :mod:`flowc.langgraph._lower` to place in the graph's blueprint.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

import pydantic
import typing_extensions

from flowc.dsl.blueprint import Part, Schema
from flowc.dsl.diagnostics import Diagnostic, Span
from flowc.dsl.spec import END, START, BranchSpec, NodeSpec
from flowc.dsl.types import RefError, parse_ref
from flowc.runtime.channels import is_untracked

from . import _objects
from ._adapt import (
    _adapted,
    _annotations,
    _annotations_resolve,
    _is_object_class,
    _keyed_router,
    _literal_targets,
    _metadata,
    _not_runnable,
    _returns_object,
    _runnable_call,
    _unannotated,
    _with_runtime,
    is_compiled_graph,
    is_runnable,
    is_tool_node,
)
from ._blueprint import Blueprint, BranchRecord, NodeRecord
from ._channels import delta_fields, is_delta_channel, with_delta_reducers
from ._errors import NOT_A_NODE, UNSUPPORTED
from ._extras import keeping_output, reading_output
from ._managed import is_manager, manager_kind, with_managed, without_managed
from ._roots import (
    _STAND_IN,
    _STAND_IN_ROUTER,
    _narrowed_router,
    _node_schema,
    _param_schema,
    _private_channels,
    _root_class,
    _root_node,
    _root_router,
    _with_channels,
    is_root_state,
    root_type,
)
from ._scan import unsupported_params, unsupported_uses
from ._validate import _show


class _Lowering:
    def __init__(self, bp: Blueprint, child_ref: Callable[[Blueprint], str]) -> None:
        self.bp = bp
        self.child_ref = child_ref
        self.diags: list[Diagnostic] = list(bp.problems)
        self.superseded: list[tuple[str, str]] = []
        """(code, text) of the checker's diagnostics that repeat a problem reported here."""
        self.refused_fields: list[str] = []
        """State fields refused here; the checker's complaints about them are noise."""
        self.root = False
        """The state is one value (``StateGraph(dict)``, ``Annotated[list, add]``...)."""
        self.private: dict[str, Any] = {}
        """Private channels: keys of node and router schemas that the state has not, with
        their types."""
        self.managed: dict[str, str] = {}
        """The state's managed keys (LangGraph's ``RemainingSteps``, ``IsLastStep``), each
        with what it gives (see ._managed)."""

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        self.diags.append(Diagnostic.error(code, message, span, hint))

    def state(self) -> str | None:
        bp = self.bp
        cls = bp.state
        if is_root_state(cls):
            # LangGraph's one `__root__` channel: a state of one key, nodes and routers
            # adapted to take and return its value, the compiled graph showing the value
            self.root = True
            value_type = root_type(cls)
            for meta in _metadata(value_type):
                if callable(meta) and not isinstance(meta, type):
                    _serve(meta, "reducer")
            root = _root_class(value_type)
            _objects.serve_import(root, "state", "Root")
            return _objects.ref(root, "state", "Root")
        if not isinstance(cls, type):
            self.error(
                NOT_A_NODE,
                f"the state schema must be a class (a TypedDict, dataclass or pydantic model), "
                f"not {type(cls).__name__}",
                bp.state_span,
            )
            return None
        for name, tp in _annotations(cls).items():
            for meta in _metadata(tp):
                owner = meta if isinstance(meta, type) else type(meta)
                module = getattr(owner, "__module__", "") or ""
                if is_untracked(meta):
                    continue  # a field no checkpoint stores, as flowc's `Untracked`
                if is_delta_channel(meta) and typing_extensions.is_typeddict(cls):
                    continue  # a reducer field (see ._channels)
                kind = manager_kind(meta)
                if kind is not None and typing_extensions.is_typeddict(cls):
                    self.managed[name] = kind  # no channel: nodes read it (see ._managed)
                    break
                if is_manager(meta):
                    self.refused_fields.append(name)
                    self.error(
                        UNSUPPORTED,
                        f"state field `{name}` is a managed value (`{meta.__name__}`), "
                        "which flowc supports in a TypedDict state only "
                        "(`RemainingSteps`, `IsLastStep`)",
                        bp.state_span,
                        "make the state a TypedDict, or read flowc.runtime.remaining_steps() "
                        "in the node",
                    )
                    break
                if module.startswith(("langgraph.managed", "langgraph.channels")):
                    self.refused_fields.append(name)
                    self.error(
                        UNSUPPORTED,
                        f"state field `{name}` uses LangGraph's `{owner.__name__}` "
                        "(a managed value or channel), which flowc does not support yet",
                        bp.state_span,
                        "use a plain field, with a reducer function if it accumulates",
                    )
                elif callable(meta) and not isinstance(meta, type):
                    _serve(meta, "reducer")
        deltas = delta_fields(cls)
        if deltas and typing_extensions.is_typeddict(cls):
            cls = with_delta_reducers(cls, deltas)
        self.private = _private_channels(bp)
        if self.private:
            cls = _with_channels(cls, self.private)
        if self.managed:
            cls = without_managed(cls, self.managed)
        ref = importable_ref(cls)
        if ref is None:
            _objects.serve_import(cls, "state", cls.__qualname__)
            ref = _objects.ref(cls, "state", cls.__qualname__)
        return ref

    def schemas(self) -> tuple[Part[Schema], ...]:
        """The keys of the graph's input and output schemas, where they are not its state's:
        as a subgraph, it takes the first from its parent and gives back the second."""
        bp = self.bp
        if self.root or not isinstance(bp.state, type):
            return ()
        state = list(_annotations(bp.state))
        out: list[Part[Schema]] = []
        given = bp.output_schema
        if isinstance(given, type) and list(_annotations(given)) != state:
            out.append(Part(Schema("output", tuple(_annotations(given)))))
        taken = bp.input_schema if isinstance(bp.input_schema, type) else bp.state
        if out or self.private or list(_annotations(taken)) != state:
            # a subgraph takes its input schema's keys (by default its state's) only: never
            # its private channels, which its output schema or its nodes' schemas made
            out.append(Part(Schema("input", tuple(_annotations(taken)))))
        return tuple(out)

    def node(self, record: NodeRecord) -> NodeSpec:
        action = record.action
        common: dict[str, Any] = {"name": record.name}
        if record.metadata:
            common["metadata"] = record.metadata
        if record.destinations:
            # an unknown destination is reported once, in LangGraph's words (see compile)
            known = {node.name for node in self.bp.nodes} | {END}
            common["destinations"] = tuple(name for name, _ in record.destinations if name in known)
        if is_compiled_graph(action):
            # its own input and output schemas are its spec's (see `schemas`)
            return self.spec_of_node(
                record, {**common, "subgraph": self.child_ref(action.blueprint)}
            )
        if is_runnable(action):
            action = _runnable_call(action)
        problem = _not_runnable(action)
        if problem is not None:
            self.error(NOT_A_NODE, f"node `{record.name}`: {problem[0]}", record.span, problem[1])
            return NodeSpec(name=record.name, call=_STAND_IN)
        if not self.check_callable(action, f"node `{record.name}`", record.span):
            return NodeSpec(name=record.name, call=_STAND_IN)
        action = _with_runtime(action)
        if is_tool_node(action):
            if not self.check_tools(action, record):
                return NodeSpec(name=record.name, call=_STAND_IN)
            if action.needs_async:
                # async-only tools: the node is async, as LangGraph's runs them under astream
                action = action.ainvoke
        if self.root:
            root_node = _root_node(action)
            return self.spec_of_node(
                record, {**common, "call": _call_ref(root_node, "node", record.name)}
            )
        schema = record.input_schema
        if schema is self.bp.state:
            schema = None
        if schema is None and self.private and _node_schema(record) is None:
            # the private channels are not the state's: LangGraph gives them only to a node
            # whose schema has them
            schema = self.bp.state
        # LangGraph takes a returned state object as the update of its fields
        keys = (
            tuple(_annotations(self.bp.state))
            if _returns_object(action) or _is_object_class(self.bp.state)
            else None
        )
        if not _annotations_resolve(action):
            # LangGraph ignores annotations it cannot resolve (a class defined in the function
            # that made the node, under `from __future__ import annotations`): so does flowc
            action = _unannotated(action)
        fn = action if schema is None and keys is None else _adapted(action, schema, keys)
        if self._has_schemaless_router(record.name) and not is_tool_node(fn):
            fn = keeping_output(fn, tuple(_annotations(self.bp.state)))
        if self.managed and not is_tool_node(fn):
            fn = with_managed(fn, self.managed, record.name)
        return self.spec_of_node(record, {**common, "call": _call_ref(fn, "node", record.name)})

    def spec_of_node(self, record: NodeRecord, fields: dict[str, Any]) -> NodeSpec:
        try:
            return NodeSpec(**fields)
        except pydantic.ValidationError:
            self.error(
                BAD_METADATA,
                f"the metadata of node `{record.name}` must hold only JSON values "
                "(str, int, float, bool, None, lists and dicts of them)",
                record.span,
                "flowc writes node metadata into the generated module",
            )
            return NodeSpec(name=record.name, call=_STAND_IN)

    def check_callable(self, fn: Any, what: str, span: Span | None) -> bool:
        ok = True
        for use in unsupported_uses(fn):
            self.error(UNSUPPORTED, f"{what} uses `{use.name}`: {use.message}", span, use.hint)
            ok = False
        for param, message, hint in unsupported_params(fn):
            self.error(UNSUPPORTED, f"{what} takes `{param}`: {message}", span, hint)
            ok = False
        return ok

    def check_tools(self, node: Any, record: NodeRecord) -> bool:
        """The functions of a tool node's tools use nothing flowc cannot run."""
        ok = True
        for name, tool in node.tools_by_name.items():
            fn = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
            if fn is not None:
                ok = (
                    self.check_callable(fn, f"tool `{name}` of node `{record.name}`", record.span)
                    and ok
                )
        return ok

    def _has_schemaless_router(self, node: str) -> bool:
        """Whether a router after ``node`` takes no schema (see ._extras)."""
        if self.root:
            return False
        for record in self.bp.branches:
            if record.source == node:
                path = _runnable_call(record.path) if is_runnable(record.path) else record.path
                if _param_schema(path) is None:
                    return True
        return False

    def _reads_state(self, source: str) -> bool:
        """Whether node ``source`` reads the state (no schema of its own), which a router
        after it without an annotation then reads too."""
        found = [r for r in self.bp.nodes if r.name == source]
        schema = _node_schema(found[0]) if found else None
        return schema is None or schema is self.bp.state

    def branch(self, record: BranchRecord) -> BranchSpec:
        path = _runnable_call(record.path) if is_runnable(record.path) else record.path
        what = f"the router of `{_show(record.source)}`"
        anywhere = (*self.bp.node_names(), END)
        stand_in = BranchSpec(source=record.source, router=_STAND_IN_ROUTER, targets=anywhere)
        problem = _not_runnable(path)
        if problem is not None:
            self.error(NOT_A_NODE, f"{what}: {problem[0]}", record.span, problem[1])
            return stand_in
        if not self.check_callable(path, what, record.span):
            return stand_in
        path_map = record.path_map
        path = _with_runtime(path)
        call = _root_router(path) if self.root else path
        schema = None if self.root else _param_schema(path)
        if schema is None and not self.root and record.source != START:
            # LangGraph calls it with its node's output under the state (see ._extras), the
            # state narrowed to its keys first if the graph has private channels (below)
            call = reading_output(call)
        if (
            schema is not None
            and schema is not self.bp.state
            and typing_extensions.is_typeddict(schema)
        ):
            # LangGraph gives a router the keys of its own schema only
            call = _narrowed_router(call, tuple(_annotations(schema)))
        elif self.private and (
            schema is self.bp.state or (schema is None and self._reads_state(record.source))
        ):
            # the private channels are not the state's: a router reading the state (its own
            # annotation's, or by default its node's) sees the state's keys only, as in LangGraph
            call = _narrowed_router(call, tuple(_annotations(self.bp.state)))
        if self.managed:
            call = with_managed(call, self.managed, None)
        router = _call_ref(call, "router", _name_of(path))
        if path_map is None:
            # as in LangGraph, a router that says nothing may go anywhere
            targets = _literal_targets(path) or anywhere
            return BranchSpec(source=record.source, router=router, targets=targets)
        if isinstance(path_map, Mapping):
            bad = [v for v in path_map.values() if not isinstance(v, str)]
            if bad:
                self.error(
                    NOT_A_NODE, f"{what}: path map value {bad[0]!r} is not a node name", record.span
                )
                return stand_in
            if all(isinstance(k, str) for k in path_map):
                return BranchSpec(source=record.source, router=router, path_map=dict(path_map))
            keyed = _keyed_router(call, dict(path_map))
            return BranchSpec(
                source=record.source,
                router=_objects.ref(keyed, "router", _name_of(path)),
                targets=tuple(dict.fromkeys(path_map.values())),
            )
        targets = tuple(path_map)
        bad = [t for t in targets if not isinstance(t, str)]
        if bad:
            self.error(
                NOT_A_NODE, f"{what}: path map entry {bad[0]!r} is not a node name", record.span
            )
            return stand_in
        return BranchSpec(source=record.source, router=router, targets=targets)


def importable_ref(obj: Any) -> str | None:
    """``module:qualname`` if importing that gives back ``obj`` itself, else ``None``.

    Only modules already loaded are consulted: an object's own module is
    loaded, and nothing is imported for its side effects here.
    """
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    found: Any = sys.modules.get(module)
    if found is None:
        return None
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if found is not obj:
        return None
    ref = f"{module}:{qualname}"
    try:
        parse_ref(ref)
    except RefError:
        return None
    return ref


def _call_ref(obj: Any, kind: str, hint: str) -> str:
    """The reference of a node or router: always to the object itself.

    Even a module-level function is served by identity rather than imported
    by name: when a notebook cell that defines it runs again, the new
    function gets a new name, so compiling again gives a runner that calls it
    instead of a cached one that calls the old function.
    """
    return _objects.ref(obj, kind, hint)


def _serve(obj: Any, kind: str) -> None:
    if importable_ref(obj) is None:
        _objects.serve_import(obj, kind, getattr(obj, "__qualname__", None) or kind)


def _name_of(obj: Any) -> str:
    return str(
        getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__
    )


BAD_METADATA = "E603"
"""Node metadata that generated code cannot hold."""
