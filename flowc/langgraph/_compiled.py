"""``CompiledStateGraph``: a compiled flowc runner behind LangGraph's run API.

``stream`` / ``astream`` yield exactly the chunks LangGraph yields, v1's
shapes or, with ``version="v2"``, v2's stream parts (the generated module's
``stream_chunks`` / ``astream_chunks`` shape them); ``invoke`` / ``ainvoke``
return what LangGraph returns (with ``version="v2"``, a :class:`GraphOutput`). LangGraph run options
that flowc does not support fail before anything runs, naming the option.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from flowc.runtime import Config, _state, current_task
from flowc.runtime._engine import BREAKPOINTS, STEP_TIMEOUT
from flowc.runtime._persist import (
    CHECKPOINTER,
    DURABILITY,
)
from flowc.runtime.context import with_context
from flowc.runtime.control import as_command
from flowc.runtime.events import InterruptEvent
from flowc.runtime.policies import CACHE
from flowc.runtime.store import with_store

from ._blueprint import Blueprint
from ._draw import DrawableGraph, drawing
from ._errors import UnsupportedFeatureError, deprecated
from ._lower import ROOT, _object_update, is_root_state
from ._lower import _annotations as _annotations_of
from ._schema import schema_name, state_json_schema
from .runtime import coerce_context

if TYPE_CHECKING:
    from ._builder import StateGraph

__all__ = ["CompiledStateGraph", "GraphOutput", "PregelTask", "StateSnapshot"]

OutputT = TypeVar("OutputT")
_INTERRUPT = "__interrupt__"


@dataclass(frozen=True)
class GraphOutput(Generic[OutputT]):
    """What ``invoke`` / ``ainvoke`` return with ``version="v2"``: LangGraph's ``GraphOutput``.

    Attributes:
        value: the final state (a dict, or the dataclass / pydantic state's class).
        interrupts: the interrupts the run stopped at (``Interrupt`` s), else ``()``.
    """

    value: OutputT
    interrupts: tuple[Any, ...] = ()

    def __getitem__(self, key: str) -> Any:
        """Deprecated in LangGraph too: ``result[key]`` reads ``value`` (or the interrupts)."""
        warnings.warn(_KEY_ACCESS, DeprecationWarning, stacklevel=2)
        if key == _INTERRUPT:
            return self.interrupts
        if isinstance(self.value, dict):
            return self.value[key]
        try:
            return getattr(self.value, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        """Deprecated in LangGraph too: ``key in result`` looks in ``value``."""
        warnings.warn(
            _KEY_ACCESS.replace("`result[key]`", "`key in result`"),
            DeprecationWarning,
            stacklevel=2,
        )
        if key == _INTERRUPT:
            return bool(self.interrupts)
        if isinstance(self.value, dict):
            return key in self.value
        return isinstance(key, str) and hasattr(self.value, key)


class PregelTask(NamedTuple):
    """A task of a :class:`StateSnapshot`: LangGraph's ``PregelTask``."""

    id: str
    name: str
    path: tuple[Any, ...]
    error: Any = None
    interrupts: tuple[Any, ...] = ()
    state: Any = None
    result: Any = None


class StateSnapshot(NamedTuple):
    """A thread's state at one checkpoint: LangGraph's ``StateSnapshot``."""

    values: dict[str, Any] | Any
    next: tuple[str, ...]
    config: dict[str, Any]
    metadata: dict[str, Any] | None
    created_at: str | None
    parent_config: dict[str, Any] | None
    tasks: tuple[PregelTask, ...]
    interrupts: tuple[Any, ...]


_KEY_ACCESS = (
    "Accessing GraphOutput via `result[key]` is deprecated. "
    "Use `result.value` to access the output value directly, "
    "or `result.interrupts` for interrupts."
)

_CONFIG_KEYS = (
    "recursion_limit",
    "tags",
    "metadata",
    "configurable",
    "run_id",
    "callbacks",
    "max_concurrency",
)
# keys of a LangChain RunnableConfig that change nothing in a flowc run
_IGNORED_CONFIG_KEYS = ("run_name",)

_RUN_OPTIONS: dict[str, str] = {
    "print_mode": "`print_mode=` is",
    "output_keys": "`output_keys=` is",
    "debug": "`debug=` is",
    "control": "run controls (`control=`) are",
}
"""LangGraph's run options, each with the start of the sentence that refuses it."""


def _config(config: Mapping[str, Any] | None, checkpointer: Any = None) -> Config | None:
    """LangGraph's ``RunnableConfig`` as flowc's run config (carrying the graph's checkpointer)."""
    if checkpointer is not None:
        # the run reads its checkpointer where LangGraph keeps it, in `configurable`
        config = dict(config or {})
        config["configurable"] = {**config.get("configurable", {}), CHECKPOINTER: checkpointer}
    if not config:
        return None
    unknown = [k for k in config if k not in _CONFIG_KEYS and k not in _IGNORED_CONFIG_KEYS]
    if unknown:
        raise UnsupportedFeatureError(
            f"config key {unknown[0]!r} is not supported by flowc "
            f"(supported: {', '.join(_CONFIG_KEYS)})"
        )
    out: dict[str, Any] = {k: config[k] for k in _CONFIG_KEYS if config.get(k) is not None}
    return out  # type: ignore[return-value]


def merge_configs(
    bound: Mapping[str, Any] | None, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``given`` over ``bound``, as LangChain's ``merge_configs``: ``configurable`` and
    ``metadata`` merged key by key, ``tags`` and ``callbacks`` (lists) added, others replaced."""
    out = dict(bound or {})
    for key, value in (given or {}).items():
        if value is None:
            continue
        old = out.get(key)
        if key in ("configurable", "metadata") and isinstance(old, Mapping):
            out[key] = {**old, **value}
        elif key == "tags" and isinstance(old, list | tuple):
            out[key] = sorted({*old, *value})
        elif key == "callbacks" and isinstance(old, list) and isinstance(value, list):
            out[key] = [*old, *value]
        else:
            out[key] = value
    return out


def _live(config: Mapping[str, Any]) -> bool:
    # LangGraph's snapshot of a thread's latest checkpoint shows its current status
    return "checkpoint_id" not in (config.get("configurable") or {})


def _nodes(given: Any) -> tuple[str, ...]:
    """``interrupt_before`` / ``interrupt_after`` as a tuple of node names (``"*"``: every node)."""
    if not given:
        return ()
    if given == "*":
        return ("*",)
    return tuple(given)


def _thread_config(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError("get_state needs a thread: config={'configurable': {'thread_id': ...}}")
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


def _langgraph_snapshot(state: Any, root: bool = False) -> StateSnapshot:
    """flowc's snapshot as LangGraph's named tuples (a subgraph task's state too).

    ``root``: the graph's state is a root value, which LangGraph's snapshots show bare.
    """
    return StateSnapshot(
        _root_value(state.values) if root else state.values,
        state.next,
        state.config,
        state.metadata,
        state.created_at,
        state.parent_config,
        tuple(
            PregelTask(
                t.id,
                t.name,
                t.path,
                t.error,
                t.interrupts,
                t.state if isinstance(t.state, dict | None) else _langgraph_snapshot(t.state),
                _root_result(t.result) if root else t.result,
            )
            for t in state.tasks
        ),
        state.interrupts,
    )


def _updates(supersteps: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """LangGraph's ``StateUpdate``s (named tuples) or plain tuples, as plain tuples."""
    return [[tuple(update) for update in updates] for updates in supersteps]


def _refuse(version: str, options: Mapping[str, Any]) -> None:
    if version not in ("v1", "v2"):
        raise UnsupportedFeatureError(
            f'version={version!r} is not supported by flowc; use "v1" or "v2"'
        )
    for option, value in options.items():
        what = _RUN_OPTIONS.get(option)
        if what is None:
            raise TypeError(f"unexpected keyword argument {option!r}")
        if value is None or value is False or value == ():
            continue
        raise UnsupportedFeatureError(f"{what} not supported by flowc yet")


def _io_keys(bp: Blueprint) -> tuple[frozenset[str] | None, tuple[str, ...] | None]:
    """The keys an input may set (``None`` for a root state) and the keys ``invoke`` returns,
    when they are not simply the state's (``None``: a graph without input or output schemas
    or private channels)."""
    from ._lower import _annotations, _private_channels

    private = _private_channels(bp)
    state_keys = tuple(_annotations(bp.state)) if isinstance(bp.state, type) else ()
    given_in = bp.input_schema
    given_out = bp.output_schema
    # LangGraph ignores an input's keys that are no channel of the input schema
    inputs = (
        frozenset(_annotations(given_in))
        if isinstance(given_in, type)
        else frozenset(state_keys)
        if state_keys
        else None
    )
    outputs = (
        tuple(_annotations(given_out))
        if isinstance(given_out, type)
        else state_keys
        if private
        else None
    )
    return inputs, outputs


_UNSET = object()


def _output_chunks(
    chunks: Iterator[Any],
    stream_mode: Any,
    version: str,
    keys: tuple[str, ...],
    input: Any,
    subgraphs: bool = False,
) -> Iterator[Any]:
    """The chunks ``invoke`` returns when the output keys are not the state's, as LangGraph
    reads them: an update shows the output keys it wrote (``None`` if none), and a values
    chunk comes only after a step that wrote an output key, with those keys only.

    Whether a step wrote an output key is seen from the values themselves: a key whose value
    is the same object as in the chunk before was not written (a node that writes back the
    very object it read is the one case this misses). A subgraph's chunks (``subgraphs=True``)
    are its own, and kept as they are.
    """
    written = set(input) if isinstance(input, Mapping) else set(keys)
    previous: dict[str, Any] | None = None
    for chunk in chunks:
        ns: tuple[str, ...] = ()
        if version == "v2":
            ns, mode, data = chunk["ns"], chunk["type"], chunk["data"]
        elif subgraphs:
            ns, *rest = chunk
            mode, data = (stream_mode, rest[0]) if isinstance(stream_mode, str) else rest
        elif isinstance(stream_mode, str):
            mode, data = stream_mode, chunk
        else:
            mode, data = chunk
        if ns:
            yield chunk
        elif mode == "updates" and isinstance(data, dict):
            data = {
                node: {k: v for k, v in update.items() if k in keys} or None
                if isinstance(update, dict)
                else update
                for node, update in data.items()
            }
        elif mode == "values" and isinstance(data, dict):
            if previous is None:
                fresh = any(k in written for k in keys)
            else:
                fresh = any(data.get(k, _UNSET) is not previous.get(k, _UNSET) for k in keys)
            previous = data
            if not fresh:
                continue
            data = {k: data[k] for k in keys if k in data}
        if ns:
            continue
        if version == "v2":
            yield {**chunk, "data": data}
        elif subgraphs:
            yield (ns, data) if isinstance(stream_mode, str) else (ns, mode, data)
        elif isinstance(stream_mode, str):
            yield data
        else:
            yield (mode, data)


def _root_value(state: Any) -> Any:
    return state.get(ROOT) if isinstance(state, dict) else state


def _root_result(result: Any) -> Any:
    # a task's writes: LangGraph names the root channel `__root__`
    if isinstance(result, dict) and ROOT in result:
        return {"__root__": result[ROOT], **{k: v for k, v in result.items() if k != ROOT}}
    return result


def _root_task(payload: Any) -> Any:
    """A tasks (or debug) payload of a root-state graph, as LangGraph shows it."""
    if not isinstance(payload, dict):
        return payload
    out = dict(payload)
    if "input" in out:
        out["input"] = _root_value(out["input"])
    if "result" in out:
        out["result"] = _root_result(out["result"])
    if "values" in out:
        out["values"] = _root_value(out["values"])
    if isinstance(out.get("tasks"), list):
        out["tasks"] = [_root_task(t) for t in out["tasks"]]
    return out


def _root_data(mode: str, data: Any) -> Any:
    """A chunk's data of a root-state graph: the value where flowc has its one key."""
    if mode == "values":
        return _root_value(data)
    if mode == "updates" and isinstance(data, dict):
        return {node: _root_value(update) for node, update in data.items()}
    if mode in ("tasks", "checkpoints"):
        return _root_task(data)
    if mode == "debug" and isinstance(data, dict) and "payload" in data:
        return {**data, "payload": _root_task(data["payload"])}
    return data


def _root_chunks(
    chunks: Iterator[Any], stream_mode: Any, version: str, subgraphs: bool
) -> Iterator[Any]:
    """The chunks of a root-state graph, in every shape ``stream`` gives them.

    With a tuple of modes LangGraph's chunks carry no mode: they were asked for as a list
    (see :func:`_tagged`), and lose their mode here.
    """
    single = "updates" if stream_mode is None else stream_mode
    untag = isinstance(stream_mode, tuple)
    for chunk in chunks:
        if version == "v2":
            yield {**chunk, "data": _root_data(chunk["type"], chunk["data"])}
        elif subgraphs and isinstance(single, str):
            yield (chunk[0], _root_data(single, chunk[1]))
        elif subgraphs:
            data = _root_data(chunk[1], chunk[2])
            yield (chunk[0], data) if untag else (chunk[0], chunk[1], data)
        elif isinstance(single, str):
            yield _root_data(single, chunk)
        else:
            data = _root_data(chunk[0], chunk[1])
            yield data if untag else (chunk[0], data)


def _tagged(stream_mode: Any, root: bool) -> Any:
    """The modes to ask the runner for: a tuple as a list for a root state, whose chunks are
    reshaped by mode."""
    return list(stream_mode) if root and isinstance(stream_mode, tuple) else stream_mode


async def _aroot_chunks(
    chunks: AsyncIterator[Any], stream_mode: Any, version: str, subgraphs: bool
) -> AsyncIterator[Any]:
    async for chunk in chunks:
        for out in _root_chunks(iter((chunk,)), stream_mode, version, subgraphs):
            yield out


def _result(chunks: list[Any], stream_mode: str, version: str) -> Any:
    """What ``invoke`` returns, given every chunk of its run (already shaped for the output)."""
    if stream_mode != "values":
        return chunks
    # v2 (a v1 run in "values" mode reads events, not chunks): values parts carry interrupts
    latest = chunks[-1]["data"] if chunks else None
    interrupts = tuple(i for chunk in chunks for i in chunk.get("interrupts", ()))
    return GraphOutput(latest, interrupts)


def _latest(events: list[Any]) -> Any:
    """What a v1 ``invoke`` in ``values`` mode returns: the last state, with its interrupts.

    As LangGraph's: the interrupts of every ``{"__interrupt__": ...}`` update,
    as a list under ``"__interrupt__"`` (none for a breakpoint's empty one).
    """
    latest = None
    interrupts: list[Any] = []
    for event in events:
        if event.mode == "values":
            latest = event.chunk()
        elif type(event) is InterruptEvent:
            interrupts.extend(event.interrupts)
    if interrupts:
        return (
            {**latest, _INTERRUPT: interrupts}
            if isinstance(latest, dict)
            else {_INTERRUPT: interrupts}
        )
    return latest


class CompiledStateGraph:
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
        context_schema: Any = None,
        cache: Any = None,
        store: Any = None,
        interrupt_before: Any = None,
        interrupt_after: Any = None,
    ) -> None:
        self.module = module
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
            out = with_context(out, coerce_context(self.context_schema, context))  # type: ignore[assignment]
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

    def _saver(self) -> Any:
        if self.checkpointer is None:
            raise ValueError("No checkpointer set")
        return self.checkpointer

    def get_state(self, config: Mapping[str, Any], *, subgraphs: bool = False) -> StateSnapshot:
        """The thread's state at its latest checkpoint (or at the one ``config`` names).

        With ``subgraphs=True``, a due subgraph task's ``state`` is the snapshot
        of its subgraph (else the config of the subgraph's checkpoints).
        """
        saver = self._saver()
        saved = saver.get_tuple(_thread_config(config))
        state = _state.state_of(
            self.module.PLAN, saver, config, saved, live=_live(config), recurse=subgraphs
        )
        return _langgraph_snapshot(state, self._root)

    async def aget_state(
        self, config: Mapping[str, Any], *, subgraphs: bool = False
    ) -> StateSnapshot:
        """Async twin of :meth:`get_state`."""
        saver = self._saver()
        saved = await saver.aget_tuple(_thread_config(config))
        state = await _state.astate_of(
            self.module.PLAN, saver, config, saved, live=_live(config), recurse=subgraphs
        )
        return _langgraph_snapshot(state, self._root)

    def get_state_history(
        self,
        config: Mapping[str, Any],
        *,
        filter: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[StateSnapshot]:
        """The thread's snapshots, newest first."""
        for saved in list(
            self._saver().list(_thread_config(config), filter=filter, before=before, limit=limit)
        ):
            yield self._snapshot(config, saved, live=False)

    async def aget_state_history(
        self,
        config: Mapping[str, Any],
        *,
        filter: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[StateSnapshot]:
        """Async twin of :meth:`get_state_history`."""
        found = [
            saved
            async for saved in self._saver().alist(
                _thread_config(config), filter=filter, before=before, limit=limit
            )
        ]
        for saved in found:
            yield self._snapshot(config, saved, live=False)

    def update_state(
        self,
        config: Mapping[str, Any],
        values: Any,
        as_node: str | None = None,
        task_id: str | None = None,
    ) -> dict[str, Any]:
        """Write ``values`` into the thread as if node ``as_node`` had returned them.

        Without ``as_node``, the node that ran last; the new checkpoint
        (``source: "update"``) has due the nodes ``as_node`` leads to. Its config is returned.
        """
        return self.bulk_update_state(config, [[(values, as_node, task_id)]])

    async def aupdate_state(
        self,
        config: Mapping[str, Any],
        values: Any,
        as_node: str | None = None,
        task_id: str | None = None,
    ) -> dict[str, Any]:
        """Async twin of :meth:`update_state`."""
        return await self.abulk_update_state(config, [[(values, as_node, task_id)]])

    def bulk_update_state(
        self, config: Mapping[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """Apply supersteps of updates (``(values, as_node[, task_id])`` each), one checkpoint each."""
        saver = self._saver()
        return _state.update_state(self.module.PLAN, saver, config, _updates(supersteps))

    async def abulk_update_state(
        self, config: Mapping[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """Async twin of :meth:`bulk_update_state`."""
        saver = self._saver()
        return await _state.aupdate_state(self.module.PLAN, saver, config, _updates(supersteps))

    def _snapshot(self, config: Mapping[str, Any], saved: Any, live: bool) -> StateSnapshot:
        """The snapshot of a stored checkpoint, as LangGraph makes it (see :func:`_state.snapshot`)."""
        state = _state.snapshot(self.module.PLAN, config, saved, live=live)
        return _langgraph_snapshot(state, self._root)

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
