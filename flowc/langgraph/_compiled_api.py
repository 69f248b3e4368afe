"""The parts of ``CompiledStateGraph``'s API beside running: LangGraph's schemas and
introspection (``get_graph``, ``nodes``, the JSON schemas), ``batch``/``abatch``, configured
copies and the node cache (see :mod:`._compiled`)."""

from __future__ import annotations

import copy
import dataclasses
import typing
import warnings
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Self

from ._blueprint import Blueprint
from ._chunks import _INTERRUPT, _output_chunks, _root_chunks, _root_value
from ._errors import deprecated
from ._nodes_view import PregelNode, pregel_nodes
from ._run_options import merge_configs

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ._builder import StateGraph
    from ._draw import DrawableGraph


class _CompiledApi:
    """What :class:`~._compiled.CompiledStateGraph` offers besides running a graph."""

    # what CompiledStateGraph has that these methods use
    module: ModuleType
    blueprint: Blueprint
    cache: Any
    config: Any
    context_schema: Any
    builder: StateGraph[Any]
    name: str
    _root: bool
    _output_keys: tuple[str, ...] | None

    if TYPE_CHECKING:

        def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any: ...

        async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any: ...

    def clear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Drop the cache entries of ``nodes`` (of every node by default), as LangGraph's."""
        namespaces = _cache_namespaces(self, nodes)
        self.cache.clear(namespaces)

    async def aclear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Async twin of :meth:`clear_cache`."""
        namespaces = _cache_namespaces(self, nodes)
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

    def with_config(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> Self:
        """The same graph, whose runs start from ``config`` (and ``kwargs``), as LangGraph's.

        A run's own config is merged into it as LangChain merges configs: ``configurable``
        and ``metadata`` key by key, ``tags`` added, anything else replaced.
        """
        clone = copy.copy(self)
        clone.config = merge_configs(self.config, {**(config or {}), **kwargs})
        return clone

    def copy(self, update: Mapping[str, Any] | None = None) -> Self:
        """A shallow copy, with the attributes in ``update`` replaced (LangGraph's ``copy``)."""
        clone = copy.copy(self)
        for attr, value in (update or {}).items():
            setattr(clone, attr, value)
        return clone

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
        return _drawing(self, xray)

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


def _json_schema(schema: Any, graph: str, kind: str) -> dict[str, Any]:
    from ._schema import schema_name, state_json_schema  # pydantic

    return state_json_schema(schema, schema_name(graph, kind))


def _drawing(graph: Any, xray: bool | int) -> DrawableGraph:
    from ._draw import drawing

    return drawing(
        graph.blueprint,
        xray=xray,
        before=graph.interrupt_before_nodes,
        after=graph.interrupt_after_nodes,
    )


def _cache_namespaces(graph: _CompiledApi, nodes: Sequence[str] | None) -> list[tuple[str, ...]]:
    """Where the cache entries of ``nodes`` (every node by default) of ``graph`` live."""
    if graph.cache is None:
        raise ValueError("No cache is set for this graph. Cannot clear cache.")
    from ._policies import cache_namespace

    records = {record.name: record for record in graph.blueprint.nodes}
    return [
        cache_namespace(records[name].action, name)
        for name in (nodes or records)
        if name in records
    ]


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
