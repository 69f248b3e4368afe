"""The conformance oracle: run one graph in LangGraph and in flowc, compare the chunks.

:func:`build_pair` compiles a spec with :func:`flowc.build` and builds the
equivalent LangGraph ``StateGraph`` from the same checked spec: the same node
and router callables, the same state (the user's class, or a class made from
the spec's fields with ``Annotated`` reducers), the same edges, joins,
conditional edges and subgraphs. :func:`collect` gathers everything either one
streams (and what it raised); :func:`normalize` replaces what differs from run
to run (task ids, timestamps, message ids, exception objects) by placeholders;
:func:`assert_conforms` does all three and compares.

Node functions may call :func:`flowc.get_stream_writer` and
:func:`flowc.get_config`; under LangGraph each node runs inside a bridge that
hands those calls LangGraph's writer and config.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import copy
import dataclasses
import inspect
import re
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, TypedDict, TypeVar

import pydantic
from langchain_core.runnables import RunnableConfig
from langgraph.graph import StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StreamWriter

import flowc
from flowc.dsl.checker import camel, check
from flowc.dsl.decorators import Graph
from flowc.dsl.diagnostics import DiagnosticError, SourceMap
from flowc.dsl.graph import BranchInfo, CheckedGraph, NodeInfo
from flowc.dsl.load import check_target, load_subgraph
from flowc.dsl.spec import GraphSpec
from flowc.runtime import run as _flowc_run

__all__ = [
    "MODES",
    "MODE_ARGS",
    "assert_conforms",
    "build_pair",
    "check_spec",
    "collect",
    "langgraph_of",
    "normalize",
]

MODES: tuple[str, ...] = (
    "values",
    "updates",
    "custom",
    "messages",
    "tasks",
    "checkpoints",
    "debug",
)
"""Every stream mode LangGraph 1.x has."""

MODE_ARGS: list[Any] = [
    *MODES,
    *([a, b] for i, a in enumerate(MODES) for b in MODES[i + 1 :]),
    *([m] for m in MODES),
    ("updates", "values"),
    ("custom", "updates", "values"),
    ("tasks",),
    ("debug", "tasks"),
]
"""``stream_mode`` arguments worth comparing: every mode alone as a string,
every pair as a list, every mode as a one-element list, and some tuples
(whose chunks LangGraph does not tag with their mode)."""

SpecLike = str | Path | Graph[Any] | GraphSpec


# -- building the pair ----------------------------------------------------------------


_CHECKED: dict[Any, CheckedGraph] = {}


def check_spec(spec: SpecLike) -> CheckedGraph:
    """The checked graph of a spec path, ``module:attribute``, Graph or GraphSpec (cached)."""
    # checking imports and inspects every node: far slower than running the graph
    key: Any = id(spec) if isinstance(spec, Graph) else spec
    if not isinstance(spec, Graph | GraphSpec):
        key = str(Path(spec).resolve()) if Path(str(spec)).suffix == ".toml" else str(spec)
    checked = _CHECKED.get(key)
    if checked is None:
        checked = _CHECKED[key] = _check_spec(spec)
    return checked


def _check_spec(spec: SpecLike) -> CheckedGraph:
    if isinstance(spec, Graph):
        raw, smap, _ = spec.to_spec()
        result = check(raw, smap, f"<graph {raw.name}>", load_subgraph=load_subgraph)
    elif isinstance(spec, GraphSpec):
        result = check(
            spec, SourceMap("<spec>"), f"<spec {spec.name}>", load_subgraph=load_subgraph
        )
    else:
        result = check_target(str(spec))
    if result.graph is None:
        raise DiagnosticError(result.diagnostics, result.source_map.texts)
    return result.graph


_PAIRS: dict[Any, tuple[ModuleType, CompiledStateGraph[Any, Any, Any, Any]]] = {}
_KEEP: list[Any] = []


def build_pair(spec: SpecLike) -> tuple[ModuleType, CompiledStateGraph[Any, Any, Any, Any]]:
    """flowc's runner module and the equivalent compiled LangGraph graph (cached per spec)."""
    # Graph and GraphSpec objects by identity (a spec with metadata is not hashable)
    key: Any = id(spec) if isinstance(spec, Graph | GraphSpec) else str(Path(spec).resolve())
    pair = _PAIRS.get(key)
    if pair is None:
        pair = _PAIRS[key] = (flowc.build(spec), langgraph_of(check_spec(spec)))
        _KEEP.append(spec)  # an id stays this object's while the object lives
    return pair


def langgraph_of(graph: CheckedGraph) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The LangGraph graph equivalent to a checked flowc graph."""
    builder: StateGraph[Any, Any, Any, Any] = StateGraph(_state_schema(graph))
    for node in graph.nodes:
        if node.tags:
            raise NotImplementedError(
                f"node {node.name!r} has tags, which a LangGraph StateGraph node cannot carry"
            )
        metadata = dict(node.metadata) or None
        if node.subgraph is not None:
            builder.add_node(node.name, langgraph_of(node.subgraph), metadata=metadata)
        else:
            builder.add_node(
                node.name, _bridge(node, _typeddict_defaults(graph)), metadata=metadata
            )
    for edge in graph.spec.edges:
        if len(edge.sources) > 1:
            for target in edge.targets:
                builder.add_edge(list(edge.sources), target)
        else:
            for target in edge.targets:
                builder.add_edge(edge.sources[0], target)
    for branch in graph.start_branches:
        _add_branch(builder, branch)
    for node in graph.nodes:
        for branch in node.branches:
            _add_branch(builder, branch)
    compiled = builder.compile()
    if graph.recursion_limit is not None:
        # a graph's own default limit is LangGraph's with_config(recursion_limit=...)
        return compiled.with_config(recursion_limit=graph.recursion_limit)  # type: ignore[return-value]
    return compiled


def _add_branch(builder: StateGraph[Any, Any, Any, Any], branch: BranchInfo) -> None:
    path_map: dict[str, str] | list[str] = (
        dict(branch.path_map) if branch.path_map is not None else list(branch.targets)
    )
    builder.add_conditional_edges(branch.source, branch.router.obj, path_map)


def _literal(code: str) -> Any:
    return set() if code == "set()" else ast.literal_eval(code)


def _state_schema(graph: CheckedGraph) -> Any:
    """The user's state class, or one made from the spec's fields (reducers as ``Annotated``)."""
    state = graph.state
    if state.cls is not None:
        return state.cls.obj
    name = f"{camel(graph.name)}State"
    types: dict[str, Any] = {}
    for field in state.fields:
        tp = field.type.obj
        types[field.name] = tp if field.reducer is None else Annotated[tp, field.reducer.obj]
    if state.kind == "typeddict":
        return TypedDict(name, types, total=False)  # type: ignore[operator]
    if state.kind == "dataclass":
        specs: list[tuple[str, Any, Any]] = []
        for field in state.fields:
            if field.default is not None:
                specs.append(
                    (
                        field.name,
                        types[field.name],
                        dataclasses.field(default=_literal(field.default)),
                    )
                )
            elif field.initial is not None:
                initial = field.initial
                specs.append(
                    (
                        field.name,
                        types[field.name],
                        dataclasses.field(default_factory=lambda code=initial: _literal(code)),
                    )
                )
            else:
                specs.append((field.name, types[field.name], dataclasses.field()))
        # keyword-only keeps the spec's field order, which is the order values are shown in
        return dataclasses.make_dataclass(name, specs, kw_only=True)
    fields: dict[str, Any] = {}
    for field in state.fields:
        if field.default is not None:
            fields[field.name] = (types[field.name], _literal(field.default))
        elif field.initial is not None:
            initial = field.initial
            fields[field.name] = (
                types[field.name],
                pydantic.Field(default_factory=lambda code=initial: _literal(code)),
            )
        else:
            fields[field.name] = (types[field.name], ...)
    return pydantic.create_model(name, **fields)


class _BridgeTask:
    """Stands in for flowc's running task inside a LangGraph node.

    ``flowc.get_stream_writer()`` returns :attr:`writer` and
    ``flowc.get_config()`` calls :meth:`node_config`.
    """

    __slots__ = ("_config", "writer")

    active = True
    """Always running, as far as flowc's ``current_task()`` is concerned."""

    def __init__(self, writer: StreamWriter, config: RunnableConfig) -> None:
        self.writer = writer
        self._config = config

    def node_config(self) -> RunnableConfig:
        return self._config


def _typeddict_defaults(graph: CheckedGraph) -> dict[str, Any]:
    """Defaults of a generated TypedDict state, which flowc shows nodes until written."""
    state = graph.state
    if state.cls is not None or state.kind != "typeddict":
        return {}
    return {f.name: _literal(f.default) for f in state.fields if f.default is not None}


def _bridge(node: NodeInfo, defaults: dict[str, Any]) -> Callable[..., Any]:
    """The node's callable, wrapped so that flowc's writer and config work under LangGraph.

    ``defaults`` are filled in for keys the state does not have yet.
    """
    assert node.call is not None
    user_fn = node.call.obj
    if defaults:

        def fn(state: Any, **kwargs: Any) -> Any:
            return user_fn({**defaults, **state}, **kwargs)

        if node.is_async:

            async def afn(state: Any, **kwargs: Any) -> Any:
                return await user_fn({**defaults, **state}, **kwargs)

            fn = afn  # type: ignore[assignment]
    else:
        fn = user_fn
    writer_arg, config_arg = node.writer_arg, node.config_arg

    def extra(writer: StreamWriter, config: RunnableConfig) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if writer_arg:
            kwargs[writer_arg] = writer
        if config_arg:
            kwargs[config_arg] = config
        return kwargs

    if node.is_async:

        async def abridge(state: Any, writer: StreamWriter, config: RunnableConfig) -> Any:
            token = _flowc_run.enter(_BridgeTask(writer, config))  # type: ignore[arg-type]
            try:
                return await fn(state, **extra(writer, config))
            finally:
                _flowc_run.leave(token)

        wrapper: Callable[..., Any] = abridge
    else:

        def bridge(state: Any, writer: StreamWriter, config: RunnableConfig) -> Any:
            token = _flowc_run.enter(_BridgeTask(writer, config))  # type: ignore[arg-type]
            try:
                return fn(state, **extra(writer, config))
            finally:
                _flowc_run.leave(token)

        wrapper = bridge
    wrapper.__name__ = wrapper.__qualname__ = getattr(user_fn, "__name__", node.name)
    # LangGraph infers a node's input schema from its first parameter's annotation
    # and injects `writer` / `config` by parameter name and annotation.
    first = next(iter(inspect.signature(user_fn).parameters.values()))
    try:
        hints = typing.get_type_hints(user_fn)
    except NameError:
        # annotations that name types imported only for the type checker
        hints = {}
    annotations: dict[str, Any] = {"writer": StreamWriter, "config": RunnableConfig}
    if first.name in hints:
        annotations = {"state": hints[first.name], **annotations}
    wrapper.__annotations__ = annotations
    return wrapper


# -- running and comparing ----------------------------------------------------------


def collect(
    graph_or_module: Any,
    input: Any,
    *,
    stream_mode: Any,
    subgraphs: bool = False,
    config: Any = None,
    use_async: bool = False,
    version: str | None = None,
    context: Any = None,
) -> list[Any]:
    """Every item LangGraph's ``stream`` (or flowc's ``stream_chunks``) yields.

    ``version`` and ``context`` are passed on when given. If the run raised, the last item is
    ``('<raised>', type name, message)``.
    """
    if isinstance(graph_or_module, ModuleType):
        sync_fn, async_fn = graph_or_module.stream_chunks, graph_or_module.astream_chunks
    else:
        sync_fn, async_fn = graph_or_module.stream, graph_or_module.astream
    kwargs = {"stream_mode": stream_mode, "subgraphs": subgraphs, "config": config}
    if version is not None:
        kwargs["version"] = version
    if context is not None:
        kwargs["context"] = context
    items: list[Any] = []
    under = contextlib.nullcontext() if isinstance(graph_or_module, ModuleType) else _in_langgraph()
    try:
        with under:
            if use_async:

                async def consume() -> None:
                    async for item in async_fn(input, **kwargs):
                        items.append(item)

                asyncio.run(consume())
            else:
                for item in sync_fn(input, **kwargs):
                    items.append(item)
    except Exception as exc:
        items.append(("<raised>", type(exc).__name__, str(exc)))
    return items


def _in_langgraph() -> contextlib.AbstractContextManager[None]:
    """Nodes that run a graph themselves get its LangGraph twin while LangGraph runs them.

    Such nodes look their graph up through ``flowc_demo.children`` (in ``specs/``).
    """
    try:
        from flowc_demo import children
    except ImportError:
        return contextlib.nullcontext()
    return children.resolving(lambda spec: build_pair(children.SPECS / spec)[1])


_T = TypeVar("_T")

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MSG_ID = re.compile(r"lc_run--" + _UUID.pattern)
_INTERRUPT_ID = re.compile(r"[0-9a-f]{32}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)")


class _Normalizer:
    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.msgs: dict[str, str] = {}

    def text(self, value: str) -> str:
        if _TIMESTAMP.fullmatch(value):
            return "<ts>"
        if _MSG_ID.fullmatch(value):
            return self.msgs.setdefault(value, f"<msg{len(self.msgs)}>")
        if _INTERRUPT_ID.fullmatch(value):
            # interrupt ids: 32 hex digits (LangGraph hashes with xxh3, flowc with BLAKE2b)
            return self.ids.setdefault(value, f"<iid{len(self.ids)}>")
        return _UUID.sub(lambda m: self.ids.setdefault(m[0], f"<id{len(self.ids)}>"), value)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, BaseException):
            return ("<error>", type(value).__name__, str(value))
        if isinstance(value, dict):
            return {self(k): self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self(v) for v in value)
        if isinstance(value, pydantic.BaseModel):
            fields = {k: self(getattr(value, k)) for k in type(value).model_fields}
            return (type(value).__name__, fields)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: self(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return (type(value).__name__, fields)
        if type(value).__name__ == "Send" and type(value).__module__ == "langgraph.types":
            # LangGraph's Send is no dataclass: as flowc's (one) is normalised
            return (
                "Send",
                {
                    "node": self(value.node),
                    "arg": self(value.arg),
                    "timeout": self(getattr(value, "timeout", None)),
                },
            )
        if isinstance(value, Mapping):
            return {self(k): self(v) for k, v in value.items()}
        return value


def normalize(items: list[Any]) -> list[Any]:
    """A deep copy of ``items`` with what changes from run to run replaced by placeholders.

    Task ids (uuid-shaped, also inside ``'node:<uuid>'`` namespace segments and
    ``checkpoint_ns`` strings) become ``'<id0>'``, ``'<id1>'``... in order of first
    appearance; ISO timestamps ``'<ts>'``; LangChain run message ids
    ``'lc_run--<uuid>'`` ``'<msg0>'``...; interrupt ids (32 hex digits) ``'<iidN>'``
    (numbered with the task ids); exception objects
    ``('<error>', type name, message)``; dataclass and pydantic instances
    ``(class name, {field: value})``, and LangGraph's ``Send`` as flowc's.
    """
    return _Normalizer()(items)  # type: ignore[no-any-return]


def _namespace(item: Any) -> tuple[str, ...]:
    """The namespace of a streamed item: a v1 ``(ns, ...)`` tuple's first part, a v2 part's
    ``ns``; ``()`` for an item of the root graph (or a stream without namespaces)."""
    if isinstance(item, dict) and isinstance(item.get("ns"), tuple):
        return item["ns"]
    if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[0], tuple):
        return item[0]
    return ()


def concurrent_runs_apart(items: list[Any]) -> list[Any]:
    """``items`` with the parts of subgraph runs that ran at the same time set one run after
    the other: in each stretch between two items of the root graph, the items of each
    top-level namespace together (in their order), runs ordered by their items with task
    ids left out.

    For graphs whose subgraph runs overlap (one run per ``Send`` to a subgraph node): which
    run's first part comes first is a race on LangGraph's side as on flowc's; each run's own
    order, and where the runs sit among the root's parts, are still compared.
    """

    def order(run: list[Any]) -> str:
        # task ids and timestamps left out: the runs are ordered by what they did
        text = repr([_strip_ns(item) for item in run])
        return _TIMESTAMP.sub("<ts>", _UUID.sub("<id>", text))

    out: list[Any] = []
    stretch: dict[str, list[Any]] = {}

    def flush() -> None:
        for run in sorted(stretch.values(), key=order):
            out.extend(run)
        stretch.clear()

    for item in items:
        ns = _namespace(item)
        if not ns:
            flush()
            out.append(item)
        else:
            stretch.setdefault(ns[0], []).append(item)
    flush()
    return out


def both_agreeing(
    run_langgraph: Callable[[], _T], run_flowc: Callable[[], _T], tries: int = 3
) -> tuple[_T, _T]:
    """``(actual, expected)``: flowc's and LangGraph's outcomes, both run again (``tries``
    times at most) while they differ.

    Parallel tasks run on threads on both sides: which of two tasks that finish together
    comes first is a race on each. Each call must build its graph afresh (a new saver, so a
    thread starts empty).
    """
    expected, actual = run_langgraph(), run_flowc()
    for _ in range(tries - 1):
        if actual == expected:
            break
        expected, actual = run_langgraph(), run_flowc()
    return actual, expected


def _strip_ns(item: Any) -> Any:
    if isinstance(item, dict) and "ns" in item:
        return {k: v for k, v in item.items() if k != "ns"}
    if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[0], tuple):
        return item[1:]
    return item


def assert_conforms(
    spec: SpecLike,
    input: Any,
    *,
    stream_mode: Any,
    subgraphs: bool = False,
    config: Any = None,
    use_async: bool = False,
    version: str | None = None,
) -> None:
    """Run ``spec`` in LangGraph and in flowc with these arguments; assert equal chunks."""
    module, graph = build_pair(spec)
    kwargs = {
        "stream_mode": stream_mode,
        "subgraphs": subgraphs,
        "config": config,
        "use_async": use_async,
        "version": version,
    }
    expected = normalize(collect(graph, copy.deepcopy(input), **kwargs))
    actual = normalize(collect(module, copy.deepcopy(input), **kwargs))
    defaults = _typeddict_defaults(check_spec(spec))
    if defaults:
        expected = _with_defaults(
            expected, defaults, tuple(f.name for f in check_spec(spec).state.fields)
        )
    assert actual == expected
    # dicts compare equal whatever their key order; LangGraph's order matters too
    for got, want in zip(actual, expected, strict=True):
        assert _key_order(got) == _key_order(want), f"key order differs:\n{got}\n{want}"


def _with_defaults(value: Any, defaults: dict[str, Any], fields: tuple[str, ...]) -> Any:
    """LangGraph's chunks with a TypedDict state's defaults filled into task inputs.

    LangGraph has no defaults for TypedDict states; flowc shows a TOML field's
    default to nodes until the field is written, and a task event's ``input``
    is what the node receives (docs/differences-from-langgraph.md).
    """
    if isinstance(value, list):
        return [_with_defaults(v, defaults, fields) for v in value]
    if isinstance(value, tuple):
        return tuple(_with_defaults(v, defaults, fields) for v in value)
    if isinstance(value, dict):
        if {"id", "name", "input", "triggers"} <= value.keys() and isinstance(value["input"], dict):
            given = value["input"]
            filled = {
                k: given[k] if k in given else defaults[k]
                for k in fields
                if k in given or k in defaults
            }
            return {**value, "input": filled}
        return {k: _with_defaults(v, defaults, fields) for k, v in value.items()}
    return value


def _key_order(value: Any) -> Any:
    """Only the key order of every dict in ``value``."""
    if isinstance(value, dict):
        return [(k, _key_order(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_key_order(v) for v in value]
    return None
