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
import difflib
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

from flowc.dsl.check import check
from flowc.dsl.diagnostics import Diagnostic, SourceMap, Span
from flowc.dsl.graph import CheckedGraph, CheckResult
from flowc.dsl.load import load_subgraph as load_file_subgraph
from flowc.dsl.spec import END, START, BranchSpec, EdgeSpec, GraphSpec, NodeSpec, StateSpec
from flowc.dsl.typerules import strip_qualifiers
from flowc.dsl.types import RefError, is_identifier, parse_ref
from flowc.dsl.usercode import is_async
from flowc.inmemory import build_checked
from flowc.runtime.control import Command, Send, as_command, as_send
from flowc.runtime.store import get_store

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

_LANGGRAPH_ACCEPTS = frozenset({"E201", "E502"})
"""Checks that are errors in flowc's own specs but that LangGraph's builder passes: a node
nothing leads to may still be reached by a ``Command`` or a ``Send``; a key a subgraph types
otherwise than its parent (``list[BaseMessage]`` and ``MessagesState``'s ``list[AnyMessage]``)
passes its values as they are."""

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
        from flowc.cache import cached_files

        # the generated text is read back from the disk cache when another process made it
        module = build_checked(graph, salt=key, files=cached_files(graph))
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
    superseded: list[tuple[str, str]] = []

    def child_ref(child: Blueprint) -> str:
        known = refs.get(id(child))
        if known is not None:
            return known
        spec, low = _lower(child, names[id(child)], child_ref)
        diags.extend(d for d in low.diags if d not in diags)
        refused.extend(low.refused_fields)
        superseded.extend(low.superseded)
        ref = f"<StateGraph {spec.name} sha256:{spec.digest()[:16]}>"
        with _lock:
            _subgraphs[ref] = (spec, low.smap)
        refs[id(child)] = ref
        return ref

    spec, low = _lower(bp, names[id(bp)], child_ref)
    diags[:0] = low.diags
    refused.extend(low.refused_fields)
    superseded.extend(low.superseded)
    origin = _origin(bp, spec)
    result = check(
        spec, low.smap, origin, load_subgraph=_load_subgraph, warn_only=_LANGGRAPH_ACCEPTS
    )
    # what the checker says about a field refused already repeats that problem
    noise = tuple(f"`{name}`" for name in refused)
    problems = [
        *diags,
        *(
            d
            for d in result.diagnostics
            if not any(n in d.message for n in noise)
            and not any(d.code == code and text in d.message for code, text in superseded)
            and d.code not in _LANGGRAPH_ACCEPTS
        ),
    ]
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
        self.superseded: list[tuple[str, str]] = []
        """(code, text) of the checker's diagnostics that repeat a problem reported here."""
        self.refused_fields: list[str] = []
        """State fields refused here; the checker's complaints about them are noise."""
        self.root = False
        """The state is one value (``StateGraph(dict)``, ``Annotated[list, add]``...)."""
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
        if is_root_state(cls):
            # LangGraph's one `__root__` channel: a state of one key, nodes and routers
            # adapted to take and return its value, the compiled graph showing the value
            self.root = True
            for meta in _metadata(cls):
                if callable(meta) and not isinstance(meta, type):
                    _serve(meta, "reducer")
            root = _root_class(cls)
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
        if record.destinations:
            # an unknown destination is reported once, in LangGraph's words (see compile)
            known = {node.name for node in self.bp.nodes} | {END}
            common["destinations"] = tuple(name for name, _ in record.destinations if name in known)
        if is_compiled_graph(action):
            narrowed = _narrowing_schema(action.blueprint)
            if narrowed is not None:
                self.error(
                    UNSUPPORTED,
                    f"node `{record.name}`: a subgraph with its own {narrowed} is not "
                    "supported by flowc yet (flowc passes a subgraph the keys both states "
                    "declare, and takes all of them back)",
                    record.span,
                    f"compile the subgraph without `{narrowed}=`, or call it from a node "
                    "function and return the keys the parent should get",
                )
                return NodeSpec(name=record.name, call=_STAND_IN)
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
        if (
            schema is not None
            and schema is not self.bp.state
            and typing_extensions.is_typeddict(schema)
        ):
            # LangGraph gives a router the keys of its own schema only
            call = _narrowed_router(call, tuple(_annotations(schema)))
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


ROOT = "root"
"""The one key of the state a root-state graph is lowered to."""


def is_root_state(schema: Any) -> bool:
    """LangGraph's rule: a state schema without annotations (``dict``, ``list[str]``,
    ``Annotated[list, operator.add]``) is one value, its ``__root__`` channel."""
    return not hasattr(schema, "__annotations__")


_roots: dict[int, tuple[Any, type]] = {}
"""The state classes made for root states so far, so that compiling again reuses a runner."""


def _root_class(schema: Any) -> type:
    """A TypedDict of the one key :data:`ROOT`, typed (and reduced) as the root state."""
    with _lock:
        known = _roots.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    make: Any = typing_extensions.TypedDict
    root: type = make("Root", {ROOT: schema})
    root.__module__ = _objects.MODULE
    with _lock:
        _roots[id(schema)] = (schema, root)
    return root


def _rooted(value: Any) -> Any:
    """A Send's argument, a Command's update and Sends, as the root state's key."""
    send = as_send(value)
    if send is not None:
        return Send(send.node, {ROOT: send.arg})
    command = as_command(value)
    if command is not None:
        goto = command.goto
        if isinstance(goto, list | tuple):
            goto = [_rooted(g) for g in goto]
        elif goto is not None and not isinstance(goto, str):
            goto = _rooted(goto)
        update = command.update
        return Command(
            graph=command.graph,
            update=None if update is None else {ROOT: update},
            resume=command.resume,
            goto=goto,
        )
    return value


def _root_value(state: Any) -> Any:
    return state[ROOT] if isinstance(state, Mapping) and ROOT in state else None


def _root_call(fn: Any, result: Callable[[Any], Any]) -> Callable[..., Any]:
    """``fn`` called with the root state's value, its result passed through ``result``."""
    return _called_with(fn, _root_value, result)


def _called_with(
    fn: Any, value_of: Callable[[Any], Any], result: Callable[[Any], Any]
) -> Callable[..., Any]:
    """``fn`` called with ``value_of(state)`` and its other arguments, its result passed
    through ``result``; the signature kept, without annotations."""
    try:
        sig: inspect.Signature | None = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(state: Any, *args: Any, **kwargs: Any) -> Any:
            return result(await fn(value_of(state), *args, **kwargs))

        wrapper = anode
    else:

        def node(state: Any, *args: Any, **kwargs: Any) -> Any:
            return result(fn(value_of(state), *args, **kwargs))

        wrapper = node
    if sig is not None and sig.parameters:
        params = list(sig.parameters.values())
        bare = [p.replace(annotation=inspect.Parameter.empty) for p in params]
        wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
            parameters=bare, return_annotation=inspect.Signature.empty
        )
    wrapper.__annotations__ = {}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    return wrapper


def _narrowed_router(fn: Any, keys: tuple[str, ...]) -> Callable[..., Any]:
    """``fn`` called with the keys of its schema only (those the state has values for)."""

    def narrowed(state: Any) -> Any:
        if not isinstance(state, Mapping):
            return state
        return {k: state[k] for k in keys if k in state}

    return _called_with(fn, narrowed, lambda result: result)


def _root_node(fn: Any) -> Callable[..., Any]:
    """A node of a root-state graph: takes the value, returns the new value (or a Command)."""

    def update(result: Any) -> Any:
        if result is None:
            return None
        if as_command(result) is not None:
            return _rooted(result)
        if isinstance(result, list | tuple) and any(as_command(r) is not None for r in result):
            return [_rooted(r) for r in result]
        return {ROOT: result}

    return _root_call(fn, update)


def _root_router(fn: Any) -> Callable[..., Any]:
    """A router of a root-state graph: takes the value; its Sends carry values."""

    def route(result: Any) -> Any:
        if isinstance(result, list | tuple):
            return [_rooted(r) for r in result]
        return _rooted(result)

    return _root_call(fn, route)


def _narrowing_schema(bp: Blueprint) -> str | None:
    """``input_schema`` or ``output_schema`` if ``bp`` has one whose keys are not its state's."""
    state = set(_annotations(bp.state)) if isinstance(bp.state, type) else set()
    for option, schema in (("input_schema", bp.input_schema), ("output_schema", bp.output_schema)):
        if schema is not None and set(_annotations(schema)) != state:
            return option
    return None


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
    """The keys of the graph's input and output schemas and of node and router schemas
    (TypedDicts) that a TypedDict state has not, with their types.

    LangGraph makes each a channel of the graph: written and read like a state key, streamed
    in ``values``, but not in the graph's output.
    """
    state = bp.state
    if not (isinstance(state, type) and typing_extensions.is_typeddict(state)):
        return {}
    keys = _annotations(state)
    out: dict[str, Any] = {}
    # the graph's input and output schemas and a router's schema make channels too, as in
    # LangGraph's StateGraph() and add_conditional_edges
    schemas = [
        bp.input_schema,
        bp.output_schema,
        *(_node_schema(r) for r in bp.nodes),
        *(_param_schema(b.path) for b in bp.branches),
    ]
    for schema in schemas:
        if schema is None or schema is state or not typing_extensions.is_typeddict(schema):
            continue
        for key, tp in _annotations(schema).items():
            if key not in keys and key not in out:
                out[key] = tp
    return out


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
        fields[key] = wrap[strip_qualifiers(tp)]
    for key, tp in private.items():
        fields[key] = typing.NotRequired[strip_qualifiers(tp)]
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
    bad_edges, bad_branches = _validate(low, name)
    edges: list[EdgeSpec] = []
    seen: set[tuple[tuple[str, ...], str, bool]] = set()
    for index, edge in enumerate(bp.edges):
        if index in bad_edges:
            continue
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
    branches = [
        low.branch(index, branch)
        if index not in bad_branches
        else BranchSpec(
            source=branch.source, router=_STAND_IN_ROUTER, targets=(*bp.node_names(), END)
        )
        for index, branch in enumerate(bp.branches)
        if branch.source == START or branch.source in bp.node_names()
    ]
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


def _validate(low: _Lowering, graph: str) -> tuple[set[int], set[int]]:
    """LangGraph's ``compile()`` checks of edges and routers, with its messages.

    Every problem is reported (LangGraph raises the first: its messages come in its order),
    at the call that made the edge or router; the edges and routers in question are left
    out of the spec, so that flowc's checker does not report them again. Returns the
    indexes of those edges and routers.
    """
    bp = low.bp
    known = set(bp.node_names())
    sources: list[Diagnostic] = []
    targets: list[Diagnostic] = []
    ends: list[Diagnostic] = []
    bad_edges: set[int] = set()
    bad_branches: set[int] = set()
    for index, edge in enumerate(bp.edges):
        for source in edge.sources:
            if source != START and source not in known:
                bad_edges.add(index)
                sources.append(
                    Diagnostic.error(
                        "E104",
                        f"Found edge starting at unknown node '{source}'",
                        edge.span,
                        _did_you_mean(source, [*sorted(known), "START"]),
                    )
                )
        if edge.target != END and edge.target not in known:
            bad_edges.add(index)
            ends.append(
                Diagnostic.error(
                    "E104",
                    f"Found edge ending at unknown node `{edge.target}`",
                    edge.span,
                    _did_you_mean(edge.target, [*sorted(known), "END"]),
                )
            )
    for index, branch in enumerate(bp.branches):
        if branch.source != START and branch.source not in known:
            bad_branches.add(index)
            sources.append(
                Diagnostic.error(
                    "E104",
                    f"Found edge starting at unknown node '{branch.source}'",
                    branch.span,
                    _did_you_mean(branch.source, [*sorted(known), "START"]),
                )
            )
        name = _router_name(branch.path) or "condition"
        for target in _branch_ends(branch):
            if target != END and target not in known:
                bad_branches.add(index)
                targets.append(
                    Diagnostic.error(
                        "E104",
                        f"At '{branch.source}' node, '{name}' branch found unknown target "
                        f"'{target}'",
                        branch.span,
                        _did_you_mean(target, [*sorted(known), "END"]),
                    )
                )
    for record in bp.nodes:
        # where a node's Command may go (`destinations=`, or `-> Command[Literal[...]]`)
        named = (
            [t for t, _ in record.destinations]
            if record.destinations is not None
            else list(_command_ends(record.action))
        )
        unknown = [t for t in named if t != END and t not in known]
        for target in unknown:
            ends.append(
                Diagnostic.error(
                    "E104",
                    f"Found edge ending at unknown node `{target}`",
                    record.span,
                    _did_you_mean(target, [*sorted(known), "END"]),
                )
            )
        if unknown:
            low.superseded.append(("E310", f"node `{record.name}` returns a Command"))
    entry: list[Diagnostic] = []
    if any(START in bp.edges[i].sources for i in bad_edges):
        # the edge from START is reported: that nothing leaves START repeats it
        low.superseded.append(("E204", f"graph `{graph}`"))
    if not any(START in e.sources for e in bp.edges) and not any(
        b.source == START for b in bp.branches
    ):
        entry.append(
            Diagnostic.error(
                "E204",
                "Graph must have an entrypoint: add at least one edge from START to another node",
                bp.compile_span or bp.state_span,
                "add an edge from START to the first node",
            )
        )
        low.superseded.append(("E204", f"graph `{graph}`"))
    low.diags.extend([*sources, *entry, *targets, *ends])
    return bad_edges, bad_branches


def _command_ends(action: Any) -> tuple[str, ...]:
    from ._draw import _command_ends as ends

    return ends(action)


def _router_name(path: Any) -> str | None:
    from ._builder import router_name

    return router_name(path)


def _branch_ends(branch: BranchRecord) -> tuple[str, ...]:
    """The nodes a router may lead to, as LangGraph reads them (none if it does not say)."""
    path_map = branch.path_map
    if isinstance(path_map, Mapping):
        return tuple(v for v in path_map.values() if isinstance(v, str))
    if path_map is not None:
        return tuple(t for t in path_map if isinstance(t, str))
    return _literal_targets(branch.path) or ()


def _did_you_mean(name: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(name, options, n=1)
    return f"did you mean `{close[0]}`?" if close else None


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
    if not callable(obj):
        return f"a {type(obj).__name__} is not callable", "pass a function"
    return None


def is_runnable(obj: Any) -> bool:
    """A LangChain runnable (a chain, a ``RunnableLambda``, a tool, a chat model), checked
    without importing LangChain; LangGraph's own objects are not (they are refused by name)."""
    if (type(obj).__module__ or "").startswith(("langgraph.", "flowc.")):
        return False
    # a class of the user's (a fake or custom chat model) counts when it derives from one
    return any(
        (cls.__module__ or "").startswith(("langchain_core.", "langchain."))
        for cls in type(obj).__mro__[:-1]
    ) and (callable(getattr(obj, "invoke", None)) and callable(getattr(obj, "ainvoke", None)))


def _runnable_call(runnable: Any) -> Callable[..., Any]:
    """A LangChain runnable as a node or router, called as LangGraph calls it: ``invoke``
    (``ainvoke`` for one made of an async function only) with the state and the run's config."""
    only_async = getattr(runnable, "afunc", None) is not None and (
        getattr(runnable, "func", None) is None
    )
    wrapper: Callable[..., Any]
    if only_async:

        async def arunnable(state: Any, config: Any) -> Any:
            return await runnable.ainvoke(state, config)

        wrapper = arunnable
    else:

        def call_runnable(state: Any, config: Any) -> Any:
            return runnable.invoke(state, config)

        wrapper = call_runnable
    name = getattr(runnable, "name", None)
    wrapper.__name__ = name if isinstance(name, str) and name.isidentifier() else "runnable"
    return wrapper


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
        command = as_command(result)
        if command is not None:
            # a Command's update may be a state object too
            update = command.update
            if update is None or isinstance(update, Mapping | list | tuple):
                return result
            return Command(
                graph=command.graph,
                update=_object_update(update, object_keys),
                resume=command.resume,
                goto=command.goto,
            )
        if not _is_object_class(type(result)):
            return result
        return _object_update(result, object_keys)

    wrapper: Callable[..., Any]
    if is_async(fn):

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
"""The wrapper made for each callable that takes ``runtime`` or ``store``, so that compiling
the same builder again reuses its runner module."""


def _is_store_annotation(annotation: Any) -> bool:
    """Whether LangGraph injects the store into a ``store`` parameter so annotated: none, or
    ``BaseStore`` (LangGraph's or flowc's), optional or not, or their names in a string."""
    if annotation is inspect.Parameter.empty:
        return True
    if isinstance(annotation, str):
        return annotation in ("BaseStore", "Optional[BaseStore]", "BaseStore | None")
    if getattr(annotation, "__name__", None) == "BaseStore":
        return True
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return len(args) == 1 and getattr(args[0], "__name__", None) == "BaseStore"


def _injected(sig: inspect.Signature) -> dict[str, Callable[[], Any]]:
    """The parameters LangGraph fills in from the run that ``sig`` declares (its first
    parameter is the state), each with what gives its value."""
    params = list(sig.parameters.values())[1:]
    out: dict[str, Callable[[], Any]] = {}
    for param in params:
        if param.kind not in _RUNTIME_KINDS:
            continue
        if param.name == "runtime":
            from .runtime import get_runtime

            out["runtime"] = get_runtime
        elif param.name == "store" and _is_store_annotation(param.annotation):
            out["store"] = get_store
    return out


def _with_runtime(fn: Any) -> Any:
    """``fn`` given the run's :class:`~flowc.langgraph.runtime.Runtime` when it takes a
    ``runtime`` parameter (LangGraph injects it by that name, whatever its annotation), and
    the graph's store when it takes a ``store`` parameter (``None`` without one).

    The wrapper's signature is ``fn``'s without them, so that flowc's checker sees
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
    inject = _injected(sig)
    if not inject:
        return fn
    with _lock:
        known = _runtime_wrappers.get(id(fn))
    if known is not None and known[0] is fn:
        return known[1]

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **{k: get() for k, get in inject.items()}, **kwargs)

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **{k: get() for k, get in inject.items()}, **kwargs)

        wrapper = node
    params = [p for p in sig.parameters.values() if p.name not in inject]
    hints = _hints(fn) if _annotations_resolve(fn) else {}
    if not hints:
        params = [p.replace(annotation=inspect.Parameter.empty) for p in params]
    wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
        parameters=params,
        return_annotation=hints.get("return", inspect.Signature.empty),
    )
    wrapper.__annotations__ = {k: v for k, v in hints.items() if k not in inject}
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
    if is_async(fn):

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


def _is_object_class(cls: Any) -> bool:
    """A dataclass or pydantic class (whose instances a node may return as its update)."""
    return isinstance(cls, type) and (
        dataclasses.is_dataclass(cls) or issubclass(cls, pydantic.BaseModel)
    )


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
    if is_async(fn):

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
