"""``CompiledStateGraph``: a compiled flowc runner behind LangGraph's run API.

``stream`` / ``astream`` yield exactly the chunks LangGraph yields, v1's
shapes or, with ``version="v2"``, v2's stream parts (the generated module's
``stream_chunks`` / ``astream_chunks`` shape them); ``invoke`` / ``ainvoke``
return what LangGraph returns (with ``version="v2"``, a :class:`GraphOutput`). LangGraph run options
that flowc does not support fail before anything runs, naming the option.
"""

from __future__ import annotations

import copy
import dataclasses
import typing
import warnings
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from flowc.runtime import Config, current_task
from flowc.runtime._engine import BREAKPOINTS, STEP_TIMEOUT
from flowc.runtime._overwrite import overwritable
from flowc.runtime._persist import (
    DURABILITY,
)
from flowc.runtime.control import as_command
from flowc.runtime.policies import CACHE

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
from ._errors import GraphCompileError, deprecated, source_texts
from ._nodes_view import PregelNode, pregel_nodes
from ._printing import aprinted, print_event, print_modes, printed, run_modes
from ._roots import ROOT, is_root_state
from ._run_options import _config, _io_keys, _nodes, _refuse, merge_configs
from ._thread_state import PregelTask, StateSnapshot, _ThreadState

if TYPE_CHECKING:
    from pydantic import BaseModel

    from flowc.dsl.diagnostics import Diagnostic

    from ._builder import StateGraph
    from ._draw import DrawableGraph

__all__ = ["CompiledStateGraph", "GraphOutput", "PregelTask", "StateSnapshot"]


# imported where used: a process that only runs a cached graph needs none of these modules


def _with_context(config: Any, schema: Any, context: Any) -> Any:
    from flowc.runtime.context import with_context

    from .runtime import coerce_context

    return with_context(config, coerce_context(schema, context))


def _with_store(config: Any, store: Any) -> Any:
    from flowc.runtime.store import with_store

    return with_store(config, store)


def _json_schema(schema: Any, graph: str, kind: str) -> dict[str, Any]:
    from ._schema import schema_name, state_json_schema  # pydantic

    return state_json_schema(schema, schema_name(graph, kind))


def _drawing(bp: Blueprint, xray: bool | int) -> DrawableGraph:
    from ._draw import drawing

    return drawing(bp, xray=xray)


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
        debug: bool = False,
    ) -> None:
        self.module = module
        _drop_unknown_keys(module)
        self.debug = debug
        """Print every run's ``updates`` and ``values`` chunks (``compile(debug=True)``)."""
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

    def _printing(self, options: dict[str, Any]) -> tuple[str, ...]:
        """The modes a run prints (taking ``debug`` and ``print_mode`` out of ``options``)."""
        debug = options.pop("debug", None)
        return print_modes(debug or self.debug, options.pop("print_mode", ()))

    def _print_events(self, events: Iterable[Any], printing: Sequence[str]) -> None:
        for event in events:
            if event.mode in printing:
                print_event(event, self._root)

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
        if self.store is not None and current_task() is None:
            # as in LangGraph, a graph run inside a task uses the root run's store (or none)
            out = _with_store(out, self.store)
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

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        """The graph's name (or ``name``), with ``suffix`` after it, as LangChain's."""
        return f"{name or self.name}{suffix or ''}"

    def config_schema(self, *, include: Sequence[str] | None = None) -> type[BaseModel]:
        """Deprecated in LangGraph: a model of ``configurable`` (the context schema) and the
        config keys ``include`` names."""
        deprecated(
            "`config_schema` is deprecated. Use `get_context_jsonschema` for the relevant "
            "schema instead.",
            "V10",
        )
        return self._config_model(include)

    def get_config_jsonschema(self, *, include: Sequence[str] | None = None) -> dict[str, Any]:
        """Deprecated in LangGraph: the JSON schema of :meth:`config_schema`."""
        deprecated(
            "`get_config_jsonschema` is deprecated. Use `get_context_jsonschema` instead.", "V10"
        )
        return self._config_model(include).model_json_schema()

    def _config_model(self, include: Sequence[str] | None) -> type[BaseModel]:
        import pydantic

        fields: dict[str, Any] = {}
        if self.context_schema is not None:
            fields["configurable"] = (self.context_schema, None)
        wanted = [key for key in include or () if key != "configurable"]
        if wanted:
            try:
                from langchain_core.runnables import RunnableConfig
            except ImportError:  # pragma: no cover - LangChain is installed with LangGraph
                hints: dict[str, Any] = {}
            else:
                hints = typing.get_type_hints(RunnableConfig)
            fields.update((key, (hints[key], None)) for key in hints if key in wanted)
        model: type[BaseModel] = pydantic.create_model(self.get_name("Config"), **fields)
        return model

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
        printing = self._printing(options)
        if printing:
            modes = run_modes(stream_mode, printing)
            inner = self._stream(input, config, modes, subgraphs, version, options)
            yield from printed(inner, stream_mode, subgraphs, version, printing)
        else:
            yield from self._stream(input, config, stream_mode, subgraphs, version, options)

    def _stream(
        self,
        input: Any,
        config: Mapping[str, Any] | None,
        stream_mode: str | Sequence[str] | None,
        subgraphs: bool,
        version: str,
        options: dict[str, Any],
    ) -> Iterator[Any]:
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
        printing = self._printing(options)
        if printing:
            modes = run_modes(stream_mode, printing)
            inner = self._astream(input, config, modes, subgraphs, version, options)
            async for chunk in aprinted(inner, stream_mode, subgraphs, version, printing):
                yield chunk
        else:
            async for chunk in self._astream(
                input, config, stream_mode, subgraphs, version, options
            ):
                yield chunk

    async def _astream(
        self,
        input: Any,
        config: Mapping[str, Any] | None,
        stream_mode: str | Sequence[str] | None,
        subgraphs: bool,
        version: str,
        options: dict[str, Any],
    ) -> AsyncIterator[Any]:
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
        printing = self._printing(options)
        run_config = self._config(config, options)
        _refuse(version, options)
        input = self._input(input)
        if stream_mode != "values" or version == "v2":
            nested = subgraphs and stream_mode != "values"
            chunks = self.module.stream_chunks(
                input,
                stream_mode=run_modes(stream_mode, printing) if printing else stream_mode,
                config=run_config,
                version=version,
                subgraphs=nested,
            )
            if printing:
                chunks = printed(chunks, stream_mode, nested, version, printing, self._root)
            return _result(
                self._invoked(chunks, stream_mode, version, subgraphs, input), stream_mode, version
            )
        if self.checkpointer is not None:
            modes = run_modes(["updates", "values"], printing)
            events = list(self.module.stream(input, stream_mode=modes, config=run_config))
            self._print_events(events, printing)
            return self._final(_latest(events))
        latest = None
        for event in self.module.stream(
            input,
            stream_mode=run_modes("values", printing) if printing else "values",
            config=run_config,
        ):
            if printing:
                self._print_events((event,), printing)
            if event.mode == "values":
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
        printing = self._printing(options)
        run_config = self._config(config, options)
        _refuse(version, options)
        input = self._input(input)
        if stream_mode != "values" or version == "v2":
            nested = subgraphs and stream_mode != "values"
            chunks = self.module.astream_chunks(
                input,
                stream_mode=run_modes(stream_mode, printing) if printing else stream_mode,
                config=run_config,
                version=version,
                subgraphs=nested,
            )
            if printing:
                chunks = aprinted(chunks, stream_mode, nested, version, printing, self._root)
            got = iter([chunk async for chunk in chunks])
            return _result(
                self._invoked(got, stream_mode, version, subgraphs, input), stream_mode, version
            )
        if self.checkpointer is not None:
            modes = run_modes(["updates", "values"], printing)
            stream = self.module.astream(input, stream_mode=modes, config=run_config)
            events = [event async for event in stream]
            self._print_events(events, printing)
            return self._final(_latest(events))
        latest = None
        async for event in self.module.astream(
            input,
            stream_mode=run_modes("values", printing) if printing else "values",
            config=run_config,
        ):
            if printing:
                self._print_events((event,), printing)
            if event.mode == "values":
                latest = event.data
        return self._output(latest)

    def batch(
        self,
        inputs: Sequence[Any],
        config: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        """``invoke`` on each input, on threads (at most the config's ``max_concurrency`` at
        once), as LangChain's ``Runnable.batch``: the results in the inputs' order.

        Args:
            inputs: the inputs.
            config: one config for every run, or a list of one per input.
            return_exceptions: give a run's exception as its result instead of raising it.
        """
        if not inputs:
            return []
        configs = _config_list(config, len(inputs))

        def run(input: Any, config: Mapping[str, Any]) -> Any:
            try:
                return self.invoke(input, config, **kwargs)
            except Exception as exc:
                if return_exceptions:
                    return exc
                raise

        if len(inputs) == 1:
            return [run(inputs[0], configs[0])]
        from concurrent.futures import ThreadPoolExecutor

        workers = configs[0].get("max_concurrency")
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(run, inputs, configs))

    async def abatch(
        self,
        inputs: Sequence[Any],
        config: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        """Async twin of :meth:`batch`: ``ainvoke`` on each input, at most ``max_concurrency``
        at once."""
        if not inputs:
            return []
        import asyncio

        configs = _config_list(config, len(inputs))
        limit = configs[0].get("max_concurrency")
        gate = asyncio.Semaphore(limit) if limit else None

        async def run(input: Any, config: Mapping[str, Any]) -> Any:
            try:
                if gate is None:
                    return await self.ainvoke(input, config, **kwargs)
                async with gate:
                    return await self.ainvoke(input, config, **kwargs)
            except Exception as exc:
                if return_exceptions:
                    return exc
                raise

        return list(await asyncio.gather(*map(run, inputs, configs)))

    @property
    def nodes(self) -> dict[str, PregelNode]:
        """The graph's nodes as LangGraph's ``PregelNode`` s, ``__start__`` first."""
        return pregel_nodes(self.blueprint, self.module.PLAN)

    def get_context_jsonschema(self) -> dict[str, Any] | None:
        """The JSON schema of ``context_schema`` (``None`` without one), as LangGraph's."""
        schema = self.context_schema
        if schema is None:
            return None
        import pydantic
        import typing_extensions

        from ._schema import _pydantic_typeddict

        if isinstance(schema, type) and issubclass(schema, pydantic.BaseModel):
            return schema.model_json_schema()
        if typing_extensions.is_typeddict(schema):
            # a `typing` TypedDict as its `typing_extensions` twin before Python 3.12, as
            # get_input_jsonschema (docs/differences-from-langgraph.md#introspection)
            return pydantic.TypeAdapter(_pydantic_typeddict(schema)).json_schema()
        if dataclasses.is_dataclass(schema):
            return pydantic.TypeAdapter(schema).json_schema()
        raise ValueError(
            f"Invalid context schema type: {schema}. Must be a BaseModel, TypedDict or dataclass."
        )

    def _invoked(
        self, chunks: Iterator[Any], stream_mode: str, version: str, subgraphs: bool, input: Any
    ) -> list[Any]:
        """The chunks ``invoke`` returns: the output schema's keys only, a root state's value
        as the state."""
        if self._output_keys is not None:
            chunks = _output_chunks(
                chunks, stream_mode, version, self._output_keys, input, subgraphs
            )
        if self._root:
            chunks = _root_chunks(
                chunks, stream_mode, version, subgraphs and stream_mode != "values"
            )
        return list(chunks)

    def get_input_jsonschema(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's input, as LangGraph gives it (the input schema's)."""
        del config
        return _json_schema(self.builder.input_schema, self.name, "Input")

    def get_output_jsonschema(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's output, as LangGraph gives it (the output schema's)."""
        del config
        return _json_schema(self.builder.output_schema, self.name, "Output")

    def get_graph(
        self, config: Mapping[str, Any] | None = None, *, xray: bool | int = False
    ) -> DrawableGraph:
        """The graph's nodes and edges as LangGraph gives them (``to_json()``, ``draw_mermaid()``)."""
        del config
        return _drawing(self.blueprint, xray)


def _config_list(
    config: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None, length: int
) -> list[Mapping[str, Any]]:
    """One config per input of a batch, as LangChain's ``get_config_list``."""
    if isinstance(config, Sequence):
        if len(config) != length:
            raise ValueError(
                "config must be a list of the same length as inputs, "
                f"but got {len(config)} configs for {length} inputs"
            )
        return [dict(c) for c in config]
    given = dict(config or {})
    if length > 1 and given.get("run_id") is not None:
        warnings.warn(
            "Provided run_id be used only for the first element of the batch.",
            category=RuntimeWarning,
            stacklevel=3,
        )
        rest = {k: v for k, v in given.items() if k != "run_id"}
        return [given, *(dict(rest) for _ in range(length - 1))]
    return [dict(given) for _ in range(length)]


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
