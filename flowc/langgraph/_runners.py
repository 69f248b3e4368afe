"""A builder's runner module: read back from the disk cache before any check, else generated.

Takes a frozen builder (:class:`Blueprint`), gives its imported runner module.
First the key of the builder alone (:func:`flowc.langgraph._warm.warm_key`): if
the drop-in's disk cache holds modules under it, they are imported with the
builder's objects registered under the names they import, and nothing is
lowered, checked or generated (nor are pydantic, the checker and the code
generator imported). Otherwise the builder is lowered and checked
(:mod:`flowc.langgraph._lower`), its modules generated or read back by the
checked graph's key, and kept under the builder's key for the next process.
Either way the node policies and the subgraphs kept on the thread are then set
on the runner's plans, and the module is kept for this process.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._adapt import _lock, is_compiled_graph
from ._blueprint import Blueprint
from ._identifiers import graph_names
from ._policies import cache_namespace, handler_node
from ._scan import invoked_graph

if TYPE_CHECKING:
    from flowc.codegen.render import GeneratedFile

__all__ = ["compile_blueprint"]

_OBJECTS_MODULE = "flowc.langgraph._objects"

_modules: dict[str, ModuleType] = {}
"""The runner modules of this process, by the key of what they were made from."""


def compile_blueprint(bp: Blueprint, stateful: bool = False) -> ModuleType:
    """The runner module of ``bp`` (generated once per distinct spec).

    Raises:
        GraphCompileError: listing every problem, each at the builder call it is about.
    """
    from flowc.cache import dropin_cache_enabled

    warm = None
    if dropin_cache_enabled() and not bp.problems:
        from ._warm import warm_key

        warm = warm_key(bp, stateful)
    if warm is not None:
        try:
            module = _warm_runner(bp, stateful, warm)
        except Exception:
            # cached code that no longer runs here (a module it imports is gone): the
            # checked path reports what is wrong, at the builder call it is about
            module = None
        if module is not None:
            return module
    return _checked_runner(bp, stateful, warm)


def _tail(bp: Blueprint, stateful: bool) -> tuple[str, tuple[Any, ...], tuple[Any, ...]]:
    """What a runner's key adds to the key of its text: node policies, kept subgraphs."""
    key = ""
    # node policies are set on the plans of the runner it generated: other policies, another runner
    policies = _policy_key(bp)
    if policies:
        key += f":policies:{policies!r}"
    # subgraphs compiled with checkpointer=True keep their state: flags on their plans
    # (the graph itself, compiled with checkpointer=True, keeps its state when a node invokes it)
    kept = _stateful_key(bp)
    if kept or stateful:
        key += f":stateful:{stateful}:{kept!r}"
    # a subgraph compiled with interrupt_before / interrupt_after stops there: on its plan
    breaks = _breakpoint_key(bp)
    if breaks:
        key += f":breakpoints:{breaks!r}"
    return key, policies, kept


def _finish(module: ModuleType, bp: Blueprint, stateful: bool, key: str, fresh: bool) -> ModuleType:
    """Set a fresh runner's policies and flags, and keep it (or the one kept first) as ``key``."""
    if fresh:
        _, policies, kept = _tail(bp, stateful)
        if policies:
            _apply_policies(module, bp, graph_names(bp), set())
        if kept:
            _mark_stateful(module, bp, graph_names(bp))
        if _breakpoint_key(bp):
            _mark_breakpoints(module, bp, graph_names(bp))
        module.PLAN.stateful = stateful
    with _lock:
        return _modules.setdefault(key, module)


def _warm_key_of(warm: str, objects: list[tuple[str, Any]], tail: str) -> str:
    # the modules bind the very objects they import: other objects, another runner
    return f"warm:{warm}:" + ",".join(f"{name}={id(obj)}" for name, obj in objects) + tail


def _warm_runner(bp: Blueprint, stateful: bool, warm: str) -> ModuleType | None:
    """The runner read back by the builder's own key, or ``None`` if there is none to use."""
    from flowc.cache import read_warm
    from flowc.inmemory import exec_package

    from ._warm import adopt, resolve_paths

    found = read_warm(warm)
    if found is None:
        return None
    files, places = found
    if not isinstance(places, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in places
    ):
        return None
    objects = resolve_paths(bp, [(name, place) for name, place in places])
    if objects is None:
        return None
    tail, _, _ = _tail(bp, stateful)
    key = _warm_key_of(warm, objects, tail)
    with _lock:
        module = _modules.get(key)
    if module is not None:
        return module
    if not adopt(objects):
        return None  # a name of that runner is another object's here: check and generate
    runner = graph_names(bp)[id(bp)]
    module = exec_package([(f["name"], f["text"]) for f in files], runner, salt=key)
    return _finish(module, bp, stateful, key, fresh=True)


def _checked_runner(bp: Blueprint, stateful: bool, warm: str | None) -> ModuleType:
    """The runner of the checked builder: generated, or read back by the checked graph's key."""
    from flowc.cache import cached_files, write_warm
    from flowc.inmemory import build_checked

    from ._lower import check_blueprint, imported_objects

    result, digest = check_blueprint(bp)
    graph = result.graph
    assert graph is not None
    # generated code imports state classes and reducers by name: a class or
    # reducer defined again under the same name needs a runner of its own
    tail, _, _ = _tail(bp, stateful)
    key = digest + "".join(f":{id(obj)}" for obj in imported_objects(graph)) + tail
    with _lock:
        module = _modules.get(key)
    if module is not None:
        return module
    # the generated text is read back from the disk cache when another process made it
    files = cached_files(graph)
    module = build_checked(graph, salt=key, files=files)
    module = _finish(module, bp, stateful, key, fresh=True)
    if warm is not None:
        places = _places(bp, files)
        if places is not None:
            write_warm(warm, files, [list(p) for p in places])
    return module


def _places(bp: Blueprint, files: list[GeneratedFile]) -> list[tuple[str, str]] | None:
    """Where each object the modules import from the registry sits in ``bp``; ``None`` if
    one is not the builder's own (a wrapper made while lowering) or cannot be found."""
    import ast

    from ._warm import object_paths

    names: list[str] = []
    for file in files:
        try:
            tree = ast.parse(file.text)
        except SyntaxError:
            return None
        imported = 0
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == _OBJECTS_MODULE:
                imported += 1
                names.extend(alias.name for alias in node.names if alias.name not in names)
        # the registry reached any other way (an attribute, a string) is not followed here
        if file.text.count(_OBJECTS_MODULE) != imported:
            return None
    return object_paths(bp, names)


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


def _stateful_key(bp: Blueprint) -> tuple[Any, ...]:
    """The subgraph nodes of ``bp`` (and of its subgraphs) compiled with ``checkpointer=True``
    or ``checkpointer=False``."""
    out: list[Any] = []
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            inner = _stateful_key(record.action.blueprint)
            kept = getattr(record.action, "stateful", False)
            none = getattr(record.action, "checkpointless", False)
            if kept or none or inner:
                out.append((record.name, kept, none, inner) if none else (record.name, kept, inner))
    return tuple(out)


def _mark_stateful(module: ModuleType, bp: Blueprint, names: dict[int, str]) -> None:
    """Flag the plans of a fresh runner's subgraphs compiled with ``checkpointer=True`` (they
    keep their state) or ``checkpointer=False`` (they keep no checkpoint)."""
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            child_bp = record.action.blueprint
            child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
            if child is not None:
                if getattr(record.action, "stateful", False):
                    child.PLAN.stateful = True
                if getattr(record.action, "checkpointless", False):
                    from flowc.savers.memory import InMemorySaver

                    child.PLAN.own_saver = InMemorySaver
                    # its task names no checkpoint of its own (a snapshot's `state`)
                    module.PLAN.subgraphs = module.PLAN.subgraphs - {record.name}
                _mark_stateful(child, child_bp, names)


def describe_plans(module: ModuleType, bp: Blueprint) -> None:
    """Tell the plans of a runner (and of its subgraphs) what callbacks report of them: each
    subgraph's name (their modules' names are made unique; LangGraph reports a subgraph
    under its own), each node's router, with its ``path_map``, and the nodes' trace
    policies; and which of its node functions run a compiled graph (their tasks' states are
    that graph's, see :func:`~._scan.invoked_graph`)."""
    names = graph_names(bp)

    def walk(module: ModuleType, bp: Blueprint) -> None:
        plan = module.PLAN
        routers: dict[str, tuple[str, Any]] = {}
        for branch in bp.branches:
            # a node's first router: flowc routes a node through all of them at once
            path_map = branch.path_map if isinstance(branch.path_map, dict) else None
            routers.setdefault(branch.source, (_router_name(branch.path), path_map))
        plan.routers = routers
        policies = {r.name: r.trace_policy for r in bp.nodes if r.trace_policy is not None}
        plan.trace_policies = policies or None
        for record in bp.nodes:
            if is_compiled_graph(record.action):
                child_bp = record.action.blueprint
                child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
                if child is not None:
                    if child.PLAN.name != child_bp.name:
                        child.PLAN.label = child_bp.name
                    walk(child, child_bp)
            elif callable(record.action):
                invoked = invoked_graph(record.action)
                node = plan.nodes.get(record.name)
                if invoked is not None and node is not None and node.subgraph is None:
                    node.subgraph = invoked.module.PLAN
                    plan.subgraphs = plan.subgraphs | {record.name}

    walk(module, bp)


def _router_name(path: Any) -> str:
    """The name LangGraph gives a router's runs (a lambda's: ``<lambda>``, see the hooks)."""
    get_name = getattr(path, "get_name", None)
    if callable(get_name):
        return str(get_name())
    return str(getattr(path, "__name__", None) or type(path).__name__)


def _breakpoints_of(graph: Any) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    before = getattr(graph, "interrupt_before_nodes", ())
    after = getattr(graph, "interrupt_after_nodes", ())
    return (tuple(before), tuple(after)) if before or after else None


def _breakpoint_key(bp: Blueprint) -> tuple[Any, ...]:
    """The subgraph nodes of ``bp`` (and of its subgraphs) compiled with breakpoints."""
    out: list[Any] = []
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            inner = _breakpoint_key(record.action.blueprint)
            own = _breakpoints_of(record.action)
            if own or inner:
                out.append((record.name, own, inner))
    return tuple(out)


def _mark_breakpoints(module: ModuleType, bp: Blueprint, names: dict[int, str]) -> None:
    """Give the plans of a fresh runner's subgraphs their ``compile(interrupt_before=...)``
    and ``interrupt_after``: a subgraph's run on its parent's thread stops there, as LangGraph's."""
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            child_bp = record.action.blueprint
            child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
            if child is not None:
                own = _breakpoints_of(record.action)
                if own is not None:
                    child.PLAN.breakpoints = (frozenset(own[0]), frozenset(own[1]))
                _mark_breakpoints(child, child_bp, names)


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
