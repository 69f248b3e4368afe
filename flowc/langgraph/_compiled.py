"""``CompiledStateGraph``: a compiled flowc runner behind LangGraph's run API.

``stream`` / ``astream`` yield exactly the chunks LangGraph yields, v1's
shapes or, with ``version="v2"``, v2's stream parts (the generated module's
``stream_chunks`` / ``astream_chunks`` shape them); ``invoke`` / ``ainvoke``
return what LangGraph returns (with ``version="v2"``, a :class:`GraphOutput`). LangGraph run options
that flowc does not support fail before anything runs, naming the option.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from flowc.runtime import Config, current_task
from flowc.runtime._engine import BREAKPOINTS, STEP_TIMEOUT
from flowc.runtime._overwrite import overwritable
from flowc.runtime._persist import (
    DURABILITY,
)
from flowc.runtime.control import as_command
from flowc.runtime.drain import with_control
from flowc.runtime.policies import CACHE
from flowc.runtime.run import OWN_THREAD

from ._adapt import _annotations as _annotations_of
from ._adapt import _object_update
from ._blueprint import Blueprint
from ._chunks import (
    GraphOutput,
    _aroot_chunks,
    _latest,
    _result,
    _root_chunks,
    _tagged,
)
from ._compiled_api import _CompiledApi
from ._composing import _Composing, register_as_runnable
from ._errors import deprecated
from ._event_streams import _EventStreams
from ._printing import aprinted, print_event, print_modes, printed, run_modes
from ._roots import ROOT, is_root_state
from ._run_options import _config, _io_keys, _nodes, _refuse, merge_configs
from ._runners import describe_plans
from ._scratch import may_stop, on_scratch_thread, stopping
from ._thread_state import PregelTask, StateSnapshot, _ThreadState

if TYPE_CHECKING:
    from flowc.dsl.diagnostics import Diagnostic

    from ._builder import StateGraph

__all__ = ["CompiledStateGraph", "GraphOutput", "PregelTask", "StateSnapshot"]


# imported where used: a process that only runs a cached graph needs none of these modules


class _Invocation(NamedTuple):
    """An ``invoke`` or ``ainvoke`` call, made ready to run."""

    input: Any
    printing: tuple[str, ...]
    nested: bool
    """Chunks include the subgraphs'."""
    chunks: dict[str, Any] | None
    """The runner's arguments for a stream of chunks, if the call returns more than the
    last state."""
    events: dict[str, Any]
    """The runner's arguments for a stream of events, otherwise."""


class _StreamCall(NamedTuple):
    """The arguments of one ``stream`` or ``astream`` call."""

    input: Any
    config: Mapping[str, Any] | None
    stream_mode: str | Sequence[str] | None
    subgraphs: bool
    version: str
    options: dict[str, Any]

    def prepared(self, printing: tuple[str, ...]) -> _StreamCall:
        """The call as run: ``version``'s content blocks in its config, and the modes it
        prints among those it streams."""
        modes = run_modes(self.stream_mode, printing) if printing else self.stream_mode
        config = _content_blocks_for(self.config, self.version)
        return self._replace(config=config, stream_mode=modes)


def _with_context(config: Any, schema: Any, context: Any) -> Any:
    from flowc.runtime.context import with_context

    from .runtime import coerce_context

    return with_context(config, coerce_context(schema, context))


def _with_store(config: Any, store: Any) -> Any:
    from flowc.runtime.store import with_store

    return with_store(config, store)


class CompiledStateGraph(_CompiledApi, _ThreadState, _Composing, _EventStreams):
    """A graph compiled by flowc, run with LangGraph's API.

    Attributes:
        name: the name given to ``compile(name=...)`` (LangGraph's default: ``LangGraph``).
        module: the generated runner module, for flowc's typed events.
        builder: the builder it was compiled from.
    """

    def __init__(
        self,
        module: ModuleType,
        blueprint: Blueprint,
        builder: StateGraph[Any],
        *,
        checkpointer: Any = None,
        unresumable: Sequence[Diagnostic] = (),
        stateful: bool = False,
        checkpointless: bool = False,
        context_schema: Any = None,
        cache: Any = None,
        store: Any = None,
        interrupt_before: Any = None,
        interrupt_after: Any = None,
        debug: bool = False,
        stream_transformers: Sequence[Any] | None = None,
    ) -> None:
        register_as_runnable(type(self))
        self.module = module
        _drop_unknown_keys(module)
        describe_plans(module, blueprint)
        self.debug = debug
        """Print every run's ``updates`` and ``values`` chunks (``compile(debug=True)``)."""
        self.stateful = stateful
        """Compiled with ``checkpointer=True``: as a subgraph node it keeps its state on the
        thread from one run of the node to the next."""
        self.checkpointless = checkpointless
        """Compiled with ``checkpointer=False``: as a subgraph node it keeps no checkpoint on
        its parent's thread, and each run of it starts afresh."""
        self.may_stop = may_stop(unresumable, builder._nodes)
        """A graph compiled without a checkpointer whose nodes (or subgraphs) call
        ``interrupt()``: a root run of it stops there on a scratch thread, as LangGraph's."""
        self.blueprint = blueprint
        self.builder = builder
        self.name = blueprint.name
        self.checkpointer = checkpointer
        """The saver runs on a thread keep their checkpoints in (flowc's or LangGraph's)."""
        self.config: dict[str, Any] | None = None
        """The config every run starts from (``with_config``), merged with the run's own."""
        self._input_keys, self._output_keys = _io_keys(blueprint)
        self._root = is_root_state(blueprint.state)
        self.context_schema = context_schema
        """The type of a run's ``context=`` (see :class:`~flowc.langgraph.runtime.Runtime`)."""
        self.cache = cache
        """Where nodes with a cache policy keep their writes (``compile(cache=...)``)."""
        self.store = store
        """The store nodes and tools are given (``compile(store=...)``), flowc's or LangGraph's."""
        self._step_timeout: float | None = None
        self.interrupt_before_nodes = _nodes(interrupt_before)
        """The nodes a run stops before (``("*",)``: every node), unless a call names others."""
        self.interrupt_after_nodes = _nodes(interrupt_after)
        """The nodes a run stops after, unless a call names others."""
        self.stream_transformers: tuple[Any, ...] = tuple(stream_transformers or ())
        """The transformer factories of every ``stream_events(version="v3")`` run
        (``compile(transformers=...)``), after the built-in ones."""

    def _input(self, input: Any) -> Any:
        if type(input).__name__ == "Command":
            return input  # resuming or steering a run on a thread (flowc's or LangGraph's)
        if self._root:
            # None (go on from a thread's checkpoint) and a Command are no value of the state
            if input is None or as_command(input) is not None:
                return input
            return {ROOT: input}
        # LangGraph reads an input's keys of the input schema only, and ignores the others
        keys = self._input_keys
        schema = self.blueprint.input_schema or self.blueprint.state
        if (
            keys is not None
            and not isinstance(input, Mapping)
            and isinstance(schema, type)
            and type(input) is schema
        ):
            # an instance of the input schema (or the state): its keys, by LangGraph's rule
            # (a pydantic model leaves out the None of unset fields whose default is None)
            return _object_update(input, tuple(_annotations_of(schema)))
        if keys is None or not isinstance(input, Mapping) or all(k in keys for k in input):
            return input
        return {k: v for k, v in input.items() if k in keys}

    def _printing(self, options: dict[str, Any]) -> tuple[str, ...]:
        """The modes a run prints (taking ``debug`` and ``print_mode`` out of ``options``)."""
        debug = options.pop("debug", None)
        return print_modes(debug or self.debug, options.pop("print_mode", ()))

    def _print_events(self, events: Iterable[Any], printing: Sequence[str]) -> None:
        for event in events:
            if event.mode in printing:
                print_event(event, self._root)

    @property
    def step_timeout(self) -> float | None:
        """Seconds each superstep may take (``None``: no limit), as LangGraph's.

        A superstep whose tasks are not all done by then raises ``TimeoutError``;
        set it after ``compile()``: ``graph.step_timeout = 5``.
        """
        return self._step_timeout

    @step_timeout.setter
    def step_timeout(self, seconds: float | None) -> None:
        if seconds is not None:
            # runs of this graph's plan look for a step timeout in their config
            self.module.PLAN.timing = True
        self._step_timeout = seconds

    def _config(
        self,
        config: Mapping[str, Any] | None,
        options: dict[str, Any] | None = None,
        input: Any = None,
    ) -> Config | None:
        durability = options.pop("durability", None) if options else None
        during = options.pop("checkpoint_during", None) if options else None
        if during is not None:
            deprecated(
                "`checkpoint_during` is deprecated and will be removed. "
                "Please use `durability` instead.",
                "V10",
                stacklevel=4,
            )
            if durability is not None:
                raise ValueError(
                    "Cannot use both `checkpoint_during` and `durability` parameters. "
                    "Please use `durability` instead."
                )
            durability = "async" if during else "exit"
        if self.config:
            config = merge_configs(self.config, config)
        context = options.pop("context", None) if options else None
        control = options.pop("control", None) if options else None
        before = options.pop("interrupt_before", None) if options else None
        after = options.pop("interrupt_after", None) if options else None
        out = _config(config, self.checkpointer)
        seeded = _seeded_runtime(out)
        if seeded is not None:
            # an object a layer outside the run (a server) put in LangGraph's runtime slot: its
            # context is the run's when the run is given none, its store when the graph has none
            if context is None:
                context = getattr(seeded, "context", None)
            if self.store is None and getattr(seeded, "store", None) is not None:
                out = _with_store(out, seeded.store)
        extra: dict[str, Any] = {}
        if self.checkpointer is not None and _own_thread(config):
            # a graph run inside a node on a thread of its own, not as a subgraph (LangGraph's)
            extra[OWN_THREAD] = True
        if self.cache is not None:
            # the run reads its cache where LangGraph keeps it, in `configurable`
            extra[CACHE] = self.cache
        if self._step_timeout:
            extra[STEP_TIMEOUT] = (self.module.PLAN, self._step_timeout)
        if extra:
            out = dict(out or {})  # type: ignore[assignment]
            out["configurable"] = {**out.get("configurable", {}), **extra}  # type: ignore[union-attr,index]
        if context is not None:
            out = _with_context(out, self.context_schema, context)
        if control is not None:
            out = with_control(out, control)
        if self.store is not None and current_task() is None:
            # as in LangGraph, a graph run inside a task uses the root run's store (or none)
            out = _with_store(out, self.store)
        breaks = (
            _nodes(before) if before is not None else self.interrupt_before_nodes,
            _nodes(after) if after is not None else self.interrupt_after_nodes,
        )
        scratch = (
            self.checkpointer is None
            and (self.may_stop or bool(breaks[0] or breaks[1]))
            and current_task() is None
            and getattr(input, "resume", None) is None
        )
        if scratch:
            # a run inside a node is a subgraph's: it keeps its checkpoints on the root's thread
            out = on_scratch_thread(out)  # type: ignore[assignment]
        out = _with_breakpoints(out, breaks, self.checkpointer is None and not scratch)
        if durability is not None:
            if durability not in ("sync", "async", "exit"):
                raise ValueError(
                    f"durability={durability!r}: use 'sync', 'async' (the default) or 'exit'"
                )
            # a node's config says it even without a checkpointer, as LangGraph's does
            out = dict(out or {})  # type: ignore[assignment]
            out["configurable"] = {**out.get("configurable", {}), DURABILITY: durability}  # type: ignore[union-attr,index]
        return out

    def __repr__(self) -> str:
        return f"<flowc CompiledStateGraph {self.name!r} ({len(self.blueprint.nodes)} nodes)>"

    def stream(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = False,
        version: str = "v1",
        **options: Any,
    ) -> Iterator[Any]:
        """Run the graph, yielding LangGraph v1's chunks for ``stream_mode``.

        Args:
            input: the state keys to start from (or a state instance).
            config: ``recursion_limit``, ``tags``, ``metadata``, ``configurable``,
                ``run_id``, ``callbacks``, ``max_concurrency``.
            stream_mode: a mode, or a list (chunks tagged with their mode) or
                tuple of modes; by default ``"updates"``.
            subgraphs: include subgraphs' chunks, each with its namespace.
            version: ``"v1"``'s chunk shapes, or ``"v2"``'s stream parts
                (``{"type", "ns", "data"}`` dicts).
        """
        printing = self._printing(options)
        call = _StreamCall(input, config, stream_mode, subgraphs, version, options)
        call = call.prepared(printing)
        chunks = self._stream(call)
        if printing:
            chunks = printed(chunks, stream_mode, subgraphs, version, printing)
        yield from chunks

    def _chunk_args(self, call: _StreamCall) -> dict[str, Any]:
        """The runner's arguments for a stream of chunks (the run's options checked)."""
        run_config = self._config(call.config, call.options, call.input)
        _refuse(call.version, call.options)
        return {
            "stream_mode": _tagged(call.stream_mode, self._root),
            "subgraphs": call.subgraphs,
            "config": run_config,
            "version": call.version,
        }

    def _stream(self, call: _StreamCall) -> Iterator[Any]:
        args = self._chunk_args(call)
        chunks = self.module.stream_chunks(self._input(call.input), **args)
        if self._root:
            chunks = _root_chunks(chunks, call.stream_mode, call.version, call.subgraphs)
        yield from chunks

    async def astream(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = False,
        version: str = "v1",
        **options: Any,
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream`."""
        printing = self._printing(options)
        call = _StreamCall(input, config, stream_mode, subgraphs, version, options)
        call = call.prepared(printing)
        chunks = self._astream(call)
        if printing:
            chunks = aprinted(chunks, stream_mode, subgraphs, version, printing)
        try:
            async for chunk in chunks:
                yield chunk
        finally:
            # closed now, not when collected: a consumer that stops early has the run's
            # running nodes cancelled (and awaited) before its aclose() returns, as LangGraph's
            await chunks.aclose()  # type: ignore[attr-defined]

    async def _astream(self, call: _StreamCall) -> AsyncIterator[Any]:
        args = self._chunk_args(call)
        chunks = self.module.astream_chunks(self._input(call.input), **args)
        shaped = (
            _aroot_chunks(chunks, call.stream_mode, call.version, call.subgraphs)
            if self._root
            else chunks
        )
        try:
            async for chunk in shaped:
                yield chunk
        finally:
            await chunks.aclose()

    def invoke(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str = "values",
        version: str = "v1",
        subgraphs: bool = False,
        **options: Any,
    ) -> Any:
        """Run the graph to the end: the last state, or the list of chunks of another mode.

        With ``version="v2"`` the last state comes as a :class:`GraphOutput`
        and other modes' chunks as stream parts; with ``subgraphs=True`` those chunks
        include the subgraphs' (the last state is the graph's own either way).
        """
        run = self._invocation(input, config, stream_mode, version, subgraphs, options)
        if run.chunks is not None:
            chunks = self.module.stream_chunks(run.input, **run.chunks)
            if run.printing:
                chunks = printed(chunks, stream_mode, run.nested, version, run.printing, self._root)
            return _result(
                self._invoked(chunks, stream_mode, version, subgraphs, run.input),
                stream_mode,
                version,
            )
        events = self.module.stream(run.input, **run.events)
        if self.checkpointer is not None or stopping(run.events["config"]):
            return self._final_of(list(events), run.printing)
        latest = None
        for event in events:
            latest = self._seen(event, latest, run.printing)
        return self._output(latest)

    async def ainvoke(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str = "values",
        version: str = "v1",
        subgraphs: bool = False,
        **options: Any,
    ) -> Any:
        """Async twin of :meth:`invoke`."""
        run = self._invocation(input, config, stream_mode, version, subgraphs, options)
        if run.chunks is not None:
            chunks = self.module.astream_chunks(run.input, **run.chunks)
            if run.printing:
                chunks = aprinted(
                    chunks, stream_mode, run.nested, version, run.printing, self._root
                )
            got = iter([chunk async for chunk in chunks])
            return _result(
                self._invoked(got, stream_mode, version, subgraphs, run.input), stream_mode, version
            )
        events = self.module.astream(run.input, **run.events)
        if self.checkpointer is not None or stopping(run.events["config"]):
            return self._final_of([event async for event in events], run.printing)
        latest = None
        async for event in events:
            latest = self._seen(event, latest, run.printing)
        return self._output(latest)

    def _invocation(
        self,
        input: Any,
        config: Mapping[str, Any] | None,
        stream_mode: str,
        version: str,
        subgraphs: bool,
        options: dict[str, Any],
    ) -> _Invocation:
        """What ``invoke`` and ``ainvoke`` run: the run's options checked, and the runner's
        arguments for a stream of chunks (another mode than the last state, or v2) or of
        events (a thread's updates and values, or the values alone)."""
        printing = self._printing(options)
        run_config = self._config(config, options, input)
        _refuse(version, options)
        nested = subgraphs and stream_mode != "values"
        chunks = None
        if stream_mode != "values" or version == "v2":
            chunks = {
                "stream_mode": run_modes(stream_mode, printing) if printing else stream_mode,
                "config": run_config,
                "version": version,
                "subgraphs": nested,
            }
        if self.checkpointer is not None or stopping(run_config):
            modes: Any = run_modes(["updates", "values"], printing)
        else:
            modes = run_modes("values", printing) if printing else "values"
        events = {"stream_mode": modes, "config": run_config}
        return _Invocation(self._input(input), printing, nested, chunks, events)

    def _final_of(self, events: list[Any], printing: tuple[str, ...]) -> Any:
        """The last state of a run on a thread, from its events."""
        self._print_events(events, printing)
        return self._final(_latest(events))

    def _seen(self, event: Any, latest: Any, printing: tuple[str, ...]) -> Any:
        """The last state after ``event`` (printed if the run prints)."""
        if printing:
            self._print_events((event,), printing)
        return event.data if event.mode == "values" else latest


_RUNTIME_SLOT = "__pregel_runtime"
"""LangGraph's ``CONFIG_KEY_RUNTIME``: where a run's ``Runtime`` is kept in ``configurable``."""


def _seeded_runtime(config: Any) -> Any:
    """The object a run's config carries in LangGraph's runtime slot, if any; the run's
    config (``_config``'s own dict) then goes on without it (the caller's is left as it is)."""
    configurable = config.get("configurable") if config else None
    if not configurable or _RUNTIME_SLOT not in configurable:
        return None
    config["configurable"] = {k: v for k, v in configurable.items() if k != _RUNTIME_SLOT}
    return configurable[_RUNTIME_SLOT]


def _drop_unknown_keys(module: ModuleType) -> None:
    """Make the plans of ``module`` and of its subgraphs' modules drop a node's writes to keys
    their state has not, as LangGraph drops them (flowc's own specs refuse them), and take
    LangGraph's ``Overwrite`` s."""
    module.PLAN.drops_unknown = True
    # LangGraph's reducers take an Overwrite: the generated merge calls them by these names
    module.PLAN.overwrites = True
    for name, value in list(vars(module).items()):
        if name.startswith("_reduce_") and callable(value) and not hasattr(value, "__wrapped__"):
            setattr(module, name, overwritable(value))
    for name, value in vars(module).items():
        if name.startswith("_graph_") and isinstance(value, ModuleType):
            _drop_unknown_keys(value)


_COORDINATES = ("thread_id", "checkpoint_ns", "checkpoint_id", "checkpoint_map")


def _own_thread(config: Mapping[str, Any] | None) -> bool:
    """Whether a run started inside a node is given a config that addresses checkpoints of its
    own (a thread id, a namespace...): as in LangGraph, it is then a root run, not a subgraph's.

    A node's own config passed on names the node's task's namespace: that run is the task's
    subgraph still.
    """
    task = current_task()
    if task is None or not config:
        return False
    configurable = config.get("configurable") or {}
    if not any(configurable.get(key) for key in _COORDINATES):
        return False
    return bool(configurable.get("checkpoint_ns") != task.checkpoint_ns)


_CONTENT_BLOCKS = "__pregel_stream_messages_v2"


def _content_blocks_for(config: Mapping[str, Any] | None, version: str) -> Mapping[str, Any] | None:
    """``config`` for a run of this ``version``: as LangGraph's, only a v2 stream asks chat
    models for content-block events (a v1 stream in a node of a v3 run gets token chunks)."""
    configurable = (config or {}).get("configurable") or {}
    if version == "v2" or not configurable.get(_CONTENT_BLOCKS):
        return config
    return {**(config or {}), "configurable": {**configurable, _CONTENT_BLOCKS: False}}


def _with_breakpoints(
    out: Config | None, breaks: tuple[tuple[str, ...], tuple[str, ...]], saverless: bool
) -> Config | None:
    """A run's config with its graph's ``interrupt_before`` / ``interrupt_after`` (``breaks``).

    Inside a task the graph is its subgraph, which stops on its parent's thread: the task's
    config passed on carries its own run's breakpoints, which are not this graph's. At the root
    a graph without a checkpointer (``saverless``) cannot stop.
    """
    inside = current_task() is not None
    if (
        inside
        and out is not None
        and any(key in out.get("configurable", ()) for key in BREAKPOINTS)
    ):
        configurable = {k: v for k, v in out["configurable"].items() if k not in BREAKPOINTS}
        out = {**out, "configurable": configurable}
    if not (breaks[0] or breaks[1]):
        return out
    if not inside and (out is None or saverless):
        raise ValueError(
            "interrupt_before / interrupt_after need a checkpointer: compile the graph "
            "with checkpointer=... and run it on a thread, so that the run can be resumed"
        )
    own = {key: nodes for key, nodes in zip(BREAKPOINTS, breaks, strict=True) if nodes}
    given = out or {}
    return {**given, "configurable": {**given.get("configurable", {}), **own}}
