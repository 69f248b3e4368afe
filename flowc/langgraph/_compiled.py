"""``CompiledStateGraph``: a compiled flowc runner behind LangGraph's run API.

``stream`` / ``astream`` yield exactly the chunks LangGraph yields, v1's
shapes or, with ``version="v2"``, v2's stream parts (the generated module's
``stream_chunks`` / ``astream_chunks`` shape them); ``invoke`` / ``ainvoke``
return what LangGraph returns (with ``version="v2"``, a :class:`GraphOutput`). LangGraph run options
that flowc does not support fail before anything runs, naming the option.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from flowc.runtime import Config, current_task
from flowc.runtime._engine import BREAKPOINTS, STEP_TIMEOUT
from flowc.runtime._persist import (
    DURABILITY,
)
from flowc.runtime.context import with_context
from flowc.runtime.control import as_command
from flowc.runtime.policies import CACHE
from flowc.runtime.run import OWN_THREAD
from flowc.runtime.store import with_store

from ._adapt import _annotations as _annotations_of
from ._adapt import _object_update
from ._blueprint import Blueprint
from ._chunks import (
    _INTERRUPT,
    GraphOutput,
    _aroot_chunks,
    _latest,
    _output_chunks,
    _result,
    _root_chunks,
    _root_value,
    _tagged,
)
from ._draw import DrawableGraph, drawing
from ._errors import GraphCompileError, deprecated, source_texts
from ._roots import ROOT, is_root_state
from ._run_options import _config, _io_keys, _nodes, _refuse, merge_configs
from ._schema import schema_name, state_json_schema
from ._thread_state import PregelTask, StateSnapshot, _ThreadState
from .runtime import coerce_context

if TYPE_CHECKING:
    from flowc.dsl.diagnostics import Diagnostic

    from ._builder import StateGraph

__all__ = ["CompiledStateGraph", "GraphOutput", "PregelTask", "StateSnapshot"]


class CompiledStateGraph(_ThreadState):
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
        context_schema: Any = None,
        cache: Any = None,
        store: Any = None,
        interrupt_before: Any = None,
        interrupt_after: Any = None,
    ) -> None:
        self.module = module
        self.stateful = stateful
        """Compiled with ``checkpointer=True``: as a subgraph node it keeps its state on the
        thread from one run of the node to the next."""
        self._unresumable = tuple(unresumable)
        """E604 for each node that calls ``interrupt()`` (a graph compiled without a
        checkpointer): a run of the graph as a root graph fails with them before it starts."""
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

    def _final(self, latest: Any) -> Any:
        """What ``invoke`` returns of a run on a thread: :meth:`_output`, with the
        run's interrupts kept under ``__interrupt__``."""
        if isinstance(latest, dict) and _INTERRUPT in latest:
            state = {k: v for k, v in latest.items() if k != _INTERRUPT}
            out = self._output(state) if state else state
            if isinstance(out, dict):
                return {**out, _INTERRUPT: latest[_INTERRUPT]}
            return {_INTERRUPT: latest[_INTERRUPT]}
        return self._output(latest)

    def _output(self, state: Any) -> Any:
        # what invoke returns: the output schema's keys, in its order, as LangGraph reads them
        if self._root:
            return _root_value(state)
        keys = self._output_keys
        if keys is None or not isinstance(state, dict):
            return state
        return {k: state[k] for k in keys if k in state}

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
        self, config: Mapping[str, Any] | None, options: dict[str, Any] | None = None
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
        before = options.pop("interrupt_before", None) if options else None
        after = options.pop("interrupt_after", None) if options else None
        if self._unresumable and current_task() is None:
            # a run inside a node is a subgraph's: it keeps its checkpoints on the root's thread
            raise GraphCompileError(
                self._unresumable, source_texts([d.span for d in self._unresumable])
            )
        out = _config(config, self.checkpointer)
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
            out = with_context(out, coerce_context(self.context_schema, context))
        if self.store is not None and current_task() is None:
            # as in LangGraph, a graph run inside a task uses the root run's store (or none)
            out = with_store(out, self.store)  # type: ignore[assignment]
        breaks = (
            _nodes(before) if before is not None else self.interrupt_before_nodes,
            _nodes(after) if after is not None else self.interrupt_after_nodes,
        )
        if breaks[0] or breaks[1]:
            if out is None or self.checkpointer is None:
                raise ValueError(
                    "interrupt_before / interrupt_after need a checkpointer: compile the graph "
                    "with checkpointer=... and run it on a thread, so that the run can be resumed"
                )
            out["configurable"] = {
                **out["configurable"],
                **{key: nodes for key, nodes in zip(BREAKPOINTS, breaks, strict=True) if nodes},
            }
        if durability is not None:
            if durability not in ("sync", "async", "exit"):
                raise ValueError(
                    f"durability={durability!r}: use 'sync', 'async' (the default) or 'exit'"
                )
            if out is not None and self.checkpointer is not None:
                out["configurable"] = {**out["configurable"], DURABILITY: durability}
        return out

    def __repr__(self) -> str:
        return f"<flowc CompiledStateGraph {self.name!r} ({len(self.blueprint.nodes)} nodes)>"

    def _cache_namespaces(self, nodes: Sequence[str] | None) -> list[tuple[str, ...]]:
        if self.cache is None:
            raise ValueError("No cache is set for this graph. Cannot clear cache.")
        from ._policies import cache_namespace

        records = {record.name: record for record in self.blueprint.nodes}
        return [
            cache_namespace(records[name].action, name)
            for name in (nodes or records)
            if name in records
        ]

    def clear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Drop the cache entries of ``nodes`` (of every node by default), as LangGraph's."""
        namespaces = self._cache_namespaces(nodes)
        self.cache.clear(namespaces)

    async def aclear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Async twin of :meth:`clear_cache`."""
        namespaces = self._cache_namespaces(nodes)
        await self.cache.aclear(namespaces)

    def get_name(self) -> str:
        """The graph's name."""
        return self.name

    def with_config(
        self, config: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> CompiledStateGraph:
        """The same graph, whose runs start from ``config`` (and ``kwargs``), as LangGraph's.

        A run's own config is merged into it as LangChain merges configs: ``configurable``
        and ``metadata`` key by key, ``tags`` added, anything else replaced.
        """
        clone = copy.copy(self)
        clone.config = merge_configs(self.config, {**(config or {}), **kwargs})
        return clone

    def copy(self, update: Mapping[str, Any] | None = None) -> CompiledStateGraph:
        """A shallow copy, with the attributes in ``update`` replaced (LangGraph's ``copy``)."""
        clone = copy.copy(self)
        for attr, value in (update or {}).items():
            setattr(clone, attr, value)
        return clone

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
        run_config = self._config(config, options)
        _refuse(version, options)
        chunks = self.module.stream_chunks(
            self._input(input),
            stream_mode=_tagged(stream_mode, self._root),
            subgraphs=subgraphs,
            config=run_config,
            version=version,
        )
        if self._root:
            chunks = _root_chunks(chunks, stream_mode, version, subgraphs)
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
        run_config = self._config(config, options)
        _refuse(version, options)
        chunks = self.module.astream_chunks(
            self._input(input),
            stream_mode=_tagged(stream_mode, self._root),
            subgraphs=subgraphs,
            config=run_config,
            version=version,
        )
        shaped = _aroot_chunks(chunks, stream_mode, version, subgraphs) if self._root else chunks
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
        run_config = self._config(config, options)
        _refuse(version, options)
        input = self._input(input)
        if stream_mode != "values" or version == "v2":
            chunks = self.module.stream_chunks(
                input,
                stream_mode=stream_mode,
                config=run_config,
                version=version,
                subgraphs=subgraphs and stream_mode != "values",
            )
            if self._output_keys is not None:
                chunks = _output_chunks(
                    chunks, stream_mode, version, self._output_keys, input, subgraphs
                )
            if self._root:
                chunks = _root_chunks(
                    chunks, stream_mode, version, subgraphs and stream_mode != "values"
                )
            return _result(list(chunks), stream_mode, version)
        if self.checkpointer is not None:
            modes = ["updates", "values"]
            return self._final(
                _latest(list(self.module.stream(input, stream_mode=modes, config=run_config)))
            )
        latest = None
        for event in self.module.stream(input, stream_mode="values", config=run_config):
            latest = event.data
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
        run_config = self._config(config, options)
        _refuse(version, options)
        input = self._input(input)
        if stream_mode != "values" or version == "v2":
            chunks = self.module.astream_chunks(
                input,
                stream_mode=stream_mode,
                config=run_config,
                version=version,
                subgraphs=subgraphs and stream_mode != "values",
            )
            got = [chunk async for chunk in chunks]
            if self._root:
                got = list(
                    _root_chunks(
                        iter(got), stream_mode, version, subgraphs and stream_mode != "values"
                    )
                )
            if self._output_keys is not None:
                got = list(
                    _output_chunks(
                        iter(got), stream_mode, version, self._output_keys, input, subgraphs
                    )
                )
            return _result(got, stream_mode, version)
        if self.checkpointer is not None:
            modes = ["updates", "values"]
            events = self.module.astream(input, stream_mode=modes, config=run_config)
            return self._final(_latest([event async for event in events]))
        latest = None
        async for event in self.module.astream(input, stream_mode="values", config=run_config):
            latest = event.data
        return self._output(latest)

    def get_input_jsonschema(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's input, as LangGraph gives it (the input schema's)."""
        del config
        return state_json_schema(self.builder.input_schema, schema_name(self.name, "Input"))

    def get_output_jsonschema(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's output, as LangGraph gives it (the output schema's)."""
        del config
        return state_json_schema(self.builder.output_schema, schema_name(self.name, "Output"))

    def get_graph(
        self, config: Mapping[str, Any] | None = None, *, xray: bool | int = False
    ) -> DrawableGraph:
        """The graph's nodes and edges as LangGraph gives them (``to_json()``, ``draw_mermaid()``)."""
        del config
        return drawing(self.blueprint, xray=xray)


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
