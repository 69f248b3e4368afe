"""Lowering: :class:`Blueprint` → :class:`GraphSpec` → checked graph → runner module.

Takes a frozen builder (and the builders of its subgraphs), gives flowc's
spec of each graph with a source map that points every part at the user's
builder call, runs flowc's checker over the whole tree, and generates and
imports the runner module. Nodes and routers (and state classes and reducers
without an importable name) are served by :mod:`flowc.langgraph._objects`;
callables that need adapting to flowc's node and router conventions (a node's
``input_schema``, a path map keyed by something else than strings) are wrapped
first. Runner modules are cached by the spec's digest and the objects they
import, so compiling the same builder again costs no generation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import re
import sys
import threading
import types
import typing
from collections.abc import Callable, Hashable, Mapping
from types import ModuleType
from typing import Any, Literal, get_args, get_origin

import pydantic
import typing_extensions

from flowc.build import build_checked
from flowc.dsl.check import CheckResult, check
from flowc.dsl.diagnostics import Diagnostic, SourceMap, Span
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.load import load_subgraph as load_file_subgraph
from flowc.dsl.spec import END, BranchSpec, EdgeSpec, GraphSpec, NodeSpec, StateSpec
from flowc.dsl.types import RefError, is_identifier, parse_ref

from . import _objects
from ._blueprint import Blueprint, BranchRecord, NodeRecord
from ._errors import GraphCompileError, source_texts
from ._policies import cache_namespace, handler_node
from ._scan import unsupported_params, unsupported_uses

__all__ = ["check_blueprint", "compile_blueprint", "is_compiled_graph"]

UNSUPPORTED = "E601"
"""A LangGraph feature flowc does not support yet."""
NOT_A_NODE = "E602"
"""Something that cannot run as a node or router."""
BAD_METADATA = "E603"
"""Node metadata that generated code cannot hold."""

_lock = threading.Lock()
_modules: dict[str, ModuleType] = {}
_subgraphs: dict[str, tuple[GraphSpec, SourceMap]] = {}


def is_tool_node(obj: Any) -> bool:
    """A :class:`flowc.langgraph.prebuilt.ToolNode` (checked without importing LangChain)."""
    module = sys.modules.get("flowc.langgraph._tool_node")
    return module is not None and isinstance(obj, module.ToolNode)


def is_compiled_graph(obj: Any) -> bool:
    """A graph compiled by :meth:`flowc.langgraph.StateGraph.compile`."""
    return isinstance(getattr(obj, "blueprint", None), Blueprint)


def compile_blueprint(bp: Blueprint) -> ModuleType:
    """The runner module of ``bp`` (generated once per distinct spec).

    Raises:
        GraphCompileError: listing every problem, each at the builder call it is about.
    """
    result, digest = check_blueprint(bp)
    graph = result.graph
    assert graph is not None
    # generated code imports state classes and reducers by name: a class or
    # reducer defined again under the same name needs a runner of its own
    key = digest + "".join(f":{id(obj)}" for obj in _imported_objects(graph))
    # node policies are set on the plans of the runner it generated: other policies, another runner
    policies = _policy_key(bp)
    if policies:
        key += f":policies:{policies!r}"
    with _lock:
        module = _modules.get(key)
    if module is None:
        module = build_checked(graph, salt=key)
        if policies:
            _apply_policies(module, bp, _graph_names(bp), set())
        with _lock:
            module = _modules.setdefault(key, module)
    return module


def _policy_key(bp: Blueprint) -> tuple[Any, ...]:
    """The node policies of ``bp`` and of its subgraphs, as a key (empty if there are none)."""
    out: list[Any] = []
    for record in bp.nodes:
        if record.policies is not None:
            out.append((record.name, record.policies.key()))
        if is_compiled_graph(record.action):
            inner = _policy_key(record.action.blueprint)
            if inner:
                out.append((record.name, inner))
    return tuple(out)


def _apply_policies(
    module: ModuleType, bp: Blueprint, names: dict[int, str], done: set[int]
) -> None:
    """Give the nodes of a freshly generated runner (and of its subgraphs') their policies."""
    if id(module) in done:
        return
    done.add(id(module))
    plan = module.PLAN
    handlers: dict[str, Any] = {}
    for record in bp.nodes:
        policies = record.policies
        if policies is not None:
            handler = None
            if policies.error_handler is not None:
                name, fn, retry = policies.error_handler
                handler = handlers.get(name)
                if handler is None:
                    handler = handlers[name] = handler_node(name, fn, retry)
            plan.guard(
                record.name,
                retry=policies.retry or (),
                defer=policies.defer,
                cache=policies.cache,
                cache_ns=cache_namespace(record.action, record.name),
                error_handler=handler,
                timeout=policies.timeout,
            )
        if is_compiled_graph(record.action):
            child_bp = record.action.blueprint
            child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
            if child is not None:
                _apply_policies(child, child_bp, names, done)


def _imported_objects(graph: CheckedGraph) -> list[Any]:
    """The state classes and reducers a graph's runner modules import by name."""
    out: list[Any] = []
    seen: set[str] = set()
    todo = [graph]
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        if current.state.cls is not None:
            out.append(current.state.cls.obj)
        out.extend(f.reducer.obj for f in current.state.fields if f.reducer is not None)
        todo.extend(current.subgraphs)
    return out


def check_blueprint(bp: Blueprint) -> tuple[CheckResult, str]:
    """Lower and check ``bp`` and its subgraphs; the result and the root spec's digest.

    Raises:
        GraphCompileError: listing every problem, each at the builder call it is about.
    """
    names = _graph_names(bp)
    refs: dict[int, str] = {}
    diags: list[Diagnostic] = []
    refused: list[str] = []

    def child_ref(child: Blueprint) -> str:
        known = refs.get(id(child))
        if known is not None:
            return known
        spec, low = _lower(child, names[id(child)], child_ref)
        diags.extend(d for d in low.diags if d not in diags)
        refused.extend(low.refused_fields)
        ref = f"<StateGraph {spec.name} sha256:{spec.digest()[:16]}>"
        with _lock:
            _subgraphs[ref] = (spec, low.smap)
        refs[id(child)] = ref
        return ref

    spec, low = _lower(bp, names[id(bp)], child_ref)
    diags[:0] = low.diags
    refused.extend(low.refused_fields)
    origin = _origin(bp, spec)
    result = check(spec, low.smap, origin, load_subgraph=_load_subgraph)
    # what the checker says about a field refused already repeats that problem
    noise = tuple(f"`{name}`" for name in refused)
    problems = [*diags, *(d for d in result.diagnostics if not any(n in d.message for n in noise))]
    if result.graph is None or any(d.severity.value == "error" for d in diags):
        texts = dict(result.source_map.texts)
        texts.update(source_texts([d.span for d in problems]))
        raise GraphCompileError(_unique(problems), texts)
    return result, spec.digest()


def _unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diags))


def _origin(bp: Blueprint, spec: GraphSpec) -> str:
    span = bp.compile_span or bp.state_span
    where = f" at {span.file}:{span.line}" if span is not None else ""
    return f"<StateGraph {spec.name}{where}>"


def _load_subgraph(
    ref: str, from_origin: str
) -> tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]:
    with _lock:
        found = _subgraphs.get(ref)
    if found is None:
        return load_file_subgraph(ref, from_origin)
    spec, smap = found
    return spec, SourceMap(smap.file, dict(smap.spans), dict(smap.texts)), (), ref


# -- names ------------------------------------------------------------------------------


_NON_IDENT = re.compile(r"\W+")


def _identifier(name: str) -> str:
    """A graph's name as a Python identifier (it names generated modules)."""
    ident = _NON_IDENT.sub("_", name).strip("_") or "graph"
    if ident[0].isdigit():
        ident = f"graph_{ident}"
    return ident if is_identifier(ident) else f"{ident}_"


def _graph_names(root: Blueprint) -> dict[int, str]:
    """A distinct module name for every graph of the tree (the root keeps its own)."""
    names: dict[int, str] = {}
    taken: set[str] = set()

    def visit(bp: Blueprint) -> None:
        if id(bp) in names:
            return
        base = _identifier(bp.name)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        names[id(bp)] = name
        for node in bp.nodes:
            if is_compiled_graph(node.action):
                visit(node.action.blueprint)

    visit(root)
    return names


# -- references -------------------------------------------------------------------------


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


# -- lowering ---------------------------------------------------------------------------


class _Lowering:
    def __init__(self, bp: Blueprint, child_ref: Callable[[Blueprint], str]) -> None:
        self.bp = bp
        self.child_ref = child_ref
        first = bp.state_span or bp.compile_span
        self.smap = SourceMap(first.file if first is not None else "<StateGraph>")
        self.diags: list[Diagnostic] = list(bp.problems)
        self.refused_fields: list[str] = []
        """State fields refused here; the checker's complaints about them are noise."""
        self.private: dict[str, Any] = {}
        """Private channels: keys of node and router schemas that the state has not, with
        their types."""

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        self.diags.append(Diagnostic.error(code, message, span, hint))

    def mark(self, loc: tuple[str | int, ...], span: Span | None) -> None:
        if span is not None:
            self.smap.spans[loc] = span

    def state(self) -> str | None:
        bp = self.bp
        self.mark((), bp.state_span)
        self.mark(("state", "class"), bp.state_span)
        self.mark(("graph", "name"), bp.compile_span or bp.state_span)
        cls = bp.state
        if cls is dict or get_origin(cls) is typing.Annotated:
            shown = "dict" if cls is dict else "Annotated[...]"
            self.error(
                UNSUPPORTED,
                f"a root state (`StateGraph({shown})`: one value that each node replaces"
                + ("" if cls is dict else " or reduces")
                + ") is not supported by flowc yet",
                bp.state_span,
                "use a TypedDict state with one key for the value",
            )
            # the checker's complaint about the stand-in state class repeats this
            self.refused_fields.append("object")
            return None
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
        self.private = _private_channels(bp)
        if self.private:
            cls = _with_channels(cls, self.private)
        ref = importable_ref(cls)
        if ref is None:
            _objects.serve_import(cls, "state", cls.__qualname__)
            ref = _objects.ref(cls, "state", cls.__qualname__)
        return ref

    def node(self, record: NodeRecord) -> NodeSpec:
        loc = ("nodes", record.name)
        self.mark(loc, record.span)
        action = record.action
        common: dict[str, Any] = {"name": record.name}
        if record.metadata:
            common["metadata"] = record.metadata
        if is_compiled_graph(action):
            return self.spec_of_node(
                record, {**common, "subgraph": self.child_ref(action.blueprint)}
            )
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
        schema = record.input_schema
        if schema is self.bp.state:
            schema = None
        if schema is None and self.private and _node_schema(record) is None:
            # the private channels are not the state's: LangGraph gives them only to a node
            # whose schema has them
            schema = self.bp.state
        # LangGraph takes a returned state object as the update of its fields
        keys = tuple(_annotations(self.bp.state)) if _returns_object(action) else None
        if not _annotations_resolve(action):
            # LangGraph ignores annotations it cannot resolve (a class defined in the function
            # that made the node, under `from __future__ import annotations`): so does flowc
            action = _unannotated(action)
        fn = action if schema is None and keys is None else _adapted(action, schema, keys)
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

    def branch(self, index: int, record: BranchRecord) -> BranchSpec:
        self.mark(("branches", index), record.span)
        path = record.path
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
        router = _call_ref(path, "router", _name_of(path))
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
            keyed = _keyed_router(path, dict(path_map))
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


def _node_schema(record: NodeRecord) -> Any:
    """The schema a node reads, if not the state: ``input_schema=`` or its first
    parameter's annotation, as LangGraph infers it."""
    if record.input_schema is not None:
        return record.input_schema
    return _param_schema(record.action)


def _param_schema(action: Any) -> Any:
    """The class annotating ``action``'s first parameter, if it is one with fields."""
    if is_compiled_graph(action) or not callable(action):
        return None
    try:
        first = next(iter(inspect.signature(action).parameters), None)
    except (TypeError, ValueError):
        return None
    hint = _hints(action).get(first) if first is not None else None
    return hint if isinstance(hint, type) and _annotations(hint) else None


def _private_channels(bp: Blueprint) -> dict[str, Any]:
    """The keys of node and router schemas (TypedDicts) that a TypedDict state has not, with
    their types.

    LangGraph makes each a channel of the graph: written and read like a state key, streamed
    in ``values``, but not in the graph's output.
    """
    state = bp.state
    if not (isinstance(state, type) and typing_extensions.is_typeddict(state)):
        return {}
    keys = _annotations(state)
    out: dict[str, Any] = {}
    # a router's schema makes channels too, as in LangGraph's add_conditional_edges
    schemas = [_node_schema(r) for r in bp.nodes] + [_param_schema(b.path) for b in bp.branches]
    for schema in schemas:
        if schema is None or schema is state or not typing_extensions.is_typeddict(schema):
            continue
        for key, tp in _annotations(schema).items():
            if key not in keys and key not in out:
                out[key] = tp
    return out


def _strip_qualifiers(tp: Any) -> Any:
    while get_origin(tp) in (typing.Required, typing.NotRequired, typing_extensions.ReadOnly):
        tp = get_args(tp)[0]
    return tp


_combined: dict[tuple[int, tuple[tuple[str, int], ...]], tuple[type, dict[str, Any], type]] = {}
"""The combined classes made so far, so that compiling a builder again reuses its runner."""


def _with_channels(state: type, private: dict[str, Any]) -> type:
    """``state`` with the private channels as keys no input needs (the graph's channels)."""
    memo = (id(state), tuple((k, id(tp)) for k, tp in private.items()))
    with _lock:
        known = _combined.get(memo)
    if known is not None and known[0] is state and known[1] == private:
        return known[2]
    required: frozenset[str] = getattr(state, "__required_keys__", frozenset())
    fields: dict[str, Any] = {}
    for key, tp in _annotations(state).items():
        wrap = typing.Required if key in required else typing.NotRequired
        fields[key] = wrap[_strip_qualifiers(tp)]
    for key, tp in private.items():
        fields[key] = typing.NotRequired[_strip_qualifiers(tp)]
    combined: type = typing_extensions.TypedDict(state.__name__, fields)  # type: ignore[misc]
    combined.__module__ = _objects.MODULE
    combined.__qualname__ = state.__qualname__
    with _lock:
        _combined[memo] = (state, dict(private), combined)
    return combined


def _stand_in(state: Any) -> None:
    """Takes the place of a node that cannot be lowered, so that its problem is reported once."""
    return None


def _stand_in_router(state: Any) -> str:
    """Takes the place of a router that cannot be lowered."""
    return END


_STAND_IN = f"{__name__}:_stand_in"
_STAND_IN_ROUTER = f"{__name__}:_stand_in_router"


def _lower(
    bp: Blueprint, name: str, child_ref: Callable[[Blueprint], str]
) -> tuple[GraphSpec, _Lowering]:
    low = _Lowering(bp, child_ref)
    state_ref = low.state()
    nodes = [low.node(record) for record in bp.nodes]
    edges: list[EdgeSpec] = []
    seen: set[tuple[tuple[str, ...], str, bool]] = set()
    for edge in bp.edges:
        key = (edge.sources, edge.target, edge.join)
        if key in seen:
            continue
        seen.add(key)
        if edge.join and edge.target == END:
            # waiting for several nodes to reach END changes nothing (LangGraph ignores it too)
            for source in edge.sources:
                low.mark(("edges", len(edges)), edge.span)
                edges.append(EdgeSpec(sources=(source,), targets=(END,)))
            continue
        low.mark(("edges", len(edges)), edge.span)
        edges.append(EdgeSpec(sources=edge.sources, targets=(edge.target,)))
    branches = [low.branch(index, branch) for index, branch in enumerate(bp.branches)]
    for index in range(len(edges)):
        span = low.smap.spans.get(("edges", index))
        if span is not None:
            for part in ("from", "to"):
                low.smap.spans.setdefault(("edges", index, part), span)
    state = StateSpec.model_validate({"class": state_ref or "builtins:object"})
    spec = GraphSpec(
        name=name,
        state=state,
        nodes=tuple(nodes),
        edges=tuple(edges),
        branches=tuple(branches),
    )
    low.smap.texts.update(source_texts(list(low.smap.spans.values())))
    return spec, low


def _show(name: str) -> str:
    return {"__start__": "START", "__end__": "END"}.get(name, name)


_PREBUILT_NODES: dict[str, tuple[str, str]] = {
    "ToolNode": (
        "LangGraph's own `ToolNode` cannot run in a flowc graph",
        "import ToolNode from flowc.langgraph.prebuilt (LangGraph's signature and behaviour)",
    ),
    "ValidationNode": (
        "LangGraph's prebuilt `ValidationNode` is not supported by flowc yet",
        "write the node as a function that validates the tool calls of the last AI message "
        "and returns `ToolMessage`s as the update",
    ),
}
"""The messages for LangGraph's prebuilt nodes (``langgraph.prebuilt``) used as nodes."""


def _not_runnable(obj: Any) -> tuple[str, str] | None:
    """Why ``obj`` cannot be a node or router, if it cannot."""
    module = type(obj).__module__ or ""
    if module.startswith("langgraph.") and hasattr(obj, "stream"):
        if any(
            cls.__name__ == "Pregel" and cls.__module__.startswith("langgraph.")
            for cls in type(obj).__mro__
        ):
            return (
                "a graph compiled by LangGraph cannot run inside a flowc graph",
                "build the subgraph with flowc.langgraph.StateGraph too",
            )
        prebuilt = _PREBUILT_NODES.get(type(obj).__name__)
        if module.startswith("langgraph.prebuilt.") and prebuilt is not None:
            return prebuilt
        return (
            f"LangGraph's {type(obj).__name__} as a node is not supported by flowc yet",
            "write the node as a function of the state that returns its update",
        )
    if module.startswith("langchain_core.") and hasattr(obj, "invoke"):
        return (
            f"LangChain runnables ({type(obj).__name__}) as nodes are not supported by flowc yet",
            "wrap the call in a function: `lambda state: runnable.invoke(state)`",
        )
    if not callable(obj):
        return f"a {type(obj).__name__} is not callable", "pass a function"
    return None


def _annotations(cls: type) -> dict[str, Any]:
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, Mapping) and hasattr(cls, "model_validate"):
        out: dict[str, Any] = {}
        for name, info in model_fields.items():
            metadata = tuple(getattr(info, "metadata", ()) or ())
            out[name] = (
                typing.Annotated[(info.annotation, *metadata)] if metadata else info.annotation
            )
        return out
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception:
        return {}


def _metadata(tp: Any) -> tuple[Any, ...]:
    """The ``Annotated`` extras of a field type (under ``Required``/``NotRequired`` too)."""
    while get_origin(tp) in (typing.Required, typing.NotRequired, typing_extensions.ReadOnly):
        tp = get_args(tp)[0]
    if get_origin(tp) is typing.Annotated:
        return tuple(getattr(tp, "__metadata__", ()))
    return ()


def _is_async(fn: Any) -> bool:
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004
    return call is not None and inspect.iscoroutinefunction(call)


def _adapted(fn: Any, schema: Any, object_keys: tuple[str, ...] | None) -> Callable[..., Any]:
    """``fn`` adapted to flowc's node conventions.

    Args:
        fn: the node's callable.
        schema: its input schema, if not the state: flowc reads a node's input
            schema from the annotation of its first parameter.
        object_keys: the state's keys, if ``fn`` may return a state object
            (a dataclass or pydantic instance), which then becomes the update
            of those keys, as in LangGraph.
    """
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn  # type: ignore[no-any-return]
    params = list(sig.parameters.values())
    if not params:
        return fn  # type: ignore[no-any-return]
    first = params[0]
    if schema is not None:
        first = first.replace(annotation=schema)
    else:
        schema = _hints(fn).get(first.name, inspect.Parameter.empty)
        first = first.replace(annotation=schema)

    def convert(result: Any) -> Any:
        if object_keys is None or result is None or isinstance(result, Mapping):
            return result
        return _object_update(result, object_keys)

    wrapper: Callable[..., Any]
    if _is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return convert(await fn(*args, **kwargs))

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return convert(fn(*args, **kwargs))

        wrapper = node
    wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
        parameters=[first, *params[1:]], return_annotation=inspect.Signature.empty
    )
    wrapper.__annotations__ = {} if schema is inspect.Parameter.empty else {first.name: schema}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    return wrapper


_MISSING = object()


def _object_update(obj: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """The update a returned state object makes, by LangGraph's rule.

    Every state key the object has, except that a pydantic model leaves out
    ``None`` values of fields whose default is ``None`` and that were not set.
    """
    if isinstance(obj, pydantic.BaseModel):
        kept: set[str] | None = obj.model_fields_set
        defaults = {k: f.default for k, f in type(obj).model_fields.items()}
    else:
        kept, defaults = None, {}
    update = {}
    for key in keys:
        value = getattr(obj, key, _MISSING)
        if value is _MISSING:
            continue
        if (
            value is not None
            or defaults.get(key, _MISSING) is not None
            or (kept is not None and key in kept)
        ):
            update[key] = value
    return update


def _hints(fn: Any) -> dict[str, Any]:
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    try:
        return typing.get_type_hints(target)
    except Exception:
        return {}


def _annotations_resolve(fn: Any) -> bool:
    """Whether ``fn``'s annotations, if it has any, all resolve."""
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    if not getattr(target, "__annotations__", None):
        return True
    try:
        typing.get_type_hints(target)
    except Exception:
        return False
    return True


_RUNTIME_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_runtime_wrappers: dict[int, tuple[Any, Callable[..., Any]]] = {}
"""The wrapper made for each callable that takes ``runtime``, so that compiling the same
builder again reuses its runner module."""


def _with_runtime(fn: Any) -> Any:
    """``fn`` given the run's :class:`~flowc.langgraph.runtime.Runtime` when it takes a
    ``runtime`` parameter (LangGraph injects it by that name, whatever its annotation).

    The wrapper's signature is ``fn``'s without ``runtime``, so that flowc's checker sees
    a node (or router) of the state, and of ``config`` and ``writer`` if ``fn`` takes them;
    its annotations are ``fn``'s, resolved where ``fn`` was defined (none if one does not
    resolve, as LangGraph then reads none).
    """
    if is_compiled_graph(fn) or is_tool_node(fn):
        return fn
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn
    param = sig.parameters.get("runtime")
    if param is None or param.kind not in _RUNTIME_KINDS or next(iter(sig.parameters)) == "runtime":
        return fn
    with _lock:
        known = _runtime_wrappers.get(id(fn))
    if known is not None and known[0] is fn:
        return known[1]
    from .runtime import get_runtime

    wrapper: Callable[..., Any]
    if _is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, runtime=get_runtime(), **kwargs)

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, runtime=get_runtime(), **kwargs)

        wrapper = node
    params = [p for p in sig.parameters.values() if p.name != "runtime"]
    hints = _hints(fn) if _annotations_resolve(fn) else {}
    if not hints:
        params = [p.replace(annotation=inspect.Parameter.empty) for p in params]
    wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
        parameters=params,
        return_annotation=hints.get("return", inspect.Signature.empty),
    )
    wrapper.__annotations__ = {k: v for k, v in hints.items() if k != "runtime"}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    with _lock:
        _runtime_wrappers[id(fn)] = (fn, wrapper)
    return wrapper


def _unannotated(fn: Any) -> Callable[..., Any]:
    """``fn`` with no annotations (its parameters and their defaults kept)."""
    sig = inspect.signature(fn)
    bare = sig.replace(
        parameters=[p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()],
        return_annotation=inspect.Signature.empty,
    )
    wrapper: Callable[..., Any]
    if _is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **kwargs)

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        wrapper = node
    wrapper.__signature__ = bare  # type: ignore[union-attr]
    wrapper.__annotations__ = {}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    return wrapper


def _returns_object(fn: Any) -> bool:
    """Whether ``fn``'s return annotation names a dataclass or pydantic class."""
    ret = _hints(fn).get("return")
    if ret is None:
        return False
    if get_origin(ret) in (typing.Union, types.UnionType):
        options: tuple[Any, ...] = get_args(ret)
    else:
        options = (ret,)
    return any(
        isinstance(o, type) and (dataclasses.is_dataclass(o) or issubclass(o, pydantic.BaseModel))
        for o in options
    )


def _keyed_router(fn: Any, path_map: dict[Hashable, str]) -> Callable[..., Any]:
    """A router that maps ``fn``'s results (booleans, numbers...) through ``path_map``."""

    def pick(result: Any) -> Any:
        if isinstance(result, list | tuple):
            return [path_map[r] for r in result]
        return path_map[result]

    wrapper: Callable[..., Any]
    if _is_async(fn):

        async def aroute(*args: Any, **kwargs: Any) -> Any:
            return pick(await fn(*args, **kwargs))

        wrapper = aroute
    else:

        def route(*args: Any, **kwargs: Any) -> Any:
            return pick(fn(*args, **kwargs))

        wrapper = route
    with contextlib.suppress(TypeError, ValueError):
        wrapper.__signature__ = inspect.signature(fn).replace(  # type: ignore[union-attr]
            return_annotation=inspect.Signature.empty
        )
    functools.update_wrapper(wrapper, fn, assigned=("__name__", "__doc__"), updated=())
    return wrapper


def _literal_targets(fn: Any) -> tuple[str, ...] | None:
    """The node names a router's ``Literal`` return annotation allows, as LangGraph reads them."""
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    try:
        hints = typing.get_type_hints(target)
    except Exception:
        return None
    names = _literals(hints.get("return"))
    return tuple(dict.fromkeys(names)) if names else None


def _literals(tp: Any) -> list[str] | None:
    if tp is None:
        return None
    origin = get_origin(tp)
    if origin is Literal:
        return [str(a) for a in get_args(tp)]
    if origin in (typing.Union, types.UnionType):
        out: list[str] = []
        for arg in get_args(tp):
            if arg is type(None):
                continue
            sub = _literals(arg)
            if sub is None:
                return None
            out.extend(sub)
        return out
    if origin is not None and getattr(origin, "__name__", "") in ("list", "Sequence", "tuple"):
        args = get_args(tp)
        return _literals(args[0]) if args else None
    return None
