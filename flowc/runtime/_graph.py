# Written by scripts/gen_graph_types.py; run it after changing it. Do not edit.
"""The typed facade of a compiled graph: ``stream`` and friends, overloaded once for all graphs.

A generated module describes its graph as a :class:`~._engine.Plan` and
states its types by subscripting :class:`Graph` (or, for a graph with
subgraphs, :class:`GraphWithSubgraphs`) with them: the input, the final
values, and the events of each mode. mypy then types ``stream(input,
stream_mode="updates")`` as an iterator of that graph's updates events, a
pair of modes as the union of the two, and any other combination as every
event of the graph. With subgraphs, ``subgraphs=True`` adds the subgraphs'
events (the ``Sub...`` parameters).

The overloads overlap on purpose: mypy takes the first that matches, which
is the most precise one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

from . import _drive, _quick
from ._engine import Engine, Plan
from ._persist import CHECKPOINTER
from .chunks import (
    ValuesMapper,
    Version,
    ashape_chunks,
    ashape_parts,
    shape_chunks,
    shape_parts,
)
from .config import CACHE, Config
from .context import with_context
from .control import Command
from .events import StreamMode

if TYPE_CHECKING:
    from . import _state
    from .events import CustomEvent, Event, TaskEvent, TaskResultEvent, ValuesEvent
    from .parts import (
        CustomPart,
        DebugPart,
        MessagesPart,
        StreamPart,
        TasksPart,
        UpdatesPart,
        ValuesPart,
    )
from .run import Run, default_mode

__all__ = ["Graph", "GraphWithSubgraphs", "InterruptingGraph", "InterruptingGraphWithSubgraphs"]

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT")
# a graph's payload types, bound by the typed v2 overloads' ``self``
_S = TypeVar("_S")
_C = TypeVar("_C")
_N = TypeVar("_N", bound=str)
_I = TypeVar("_I")
_U = TypeVar("_U")


def _answered(answer: Any) -> Any:
    """A resume's input: ``Command(resume=answer)``, or ``None`` to go on without one."""
    return None if answer is None else Command(resume=answer)


def _check_version(version: str) -> None:
    # LangGraph takes any other version for "v1"; a typo should not pass silently
    if version not in ("v1", "v2"):
        raise ValueError(f'version={version!r}: expected "v1" or "v2"')


def _with_given(config: Config | None, given: Mapping[str, Any]) -> Config:
    """``config`` carrying the graph's checkpointer and cache where runs look for them."""
    out: dict[str, Any] = dict(config or {})
    out["configurable"] = {**out.get("configurable", {}), **given}
    return out  # type: ignore[return-value]


def _state_config(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError(
            "a thread's state needs its id: config={'configurable': {'thread_id': ...}}"
        )
    configurable.pop(CHECKPOINTER, None)
    configurable["thread_id"] = str(configurable["thread_id"])
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


def _values_mapper(plan: Plan) -> ValuesMapper | None:
    """What a root ``values`` part carries: the state as the class nodes receive, or the dict.

    LangGraph's v2 parts give a dataclass or pydantic state as an instance of
    its class (``State(**values)``), which is what ``plan.input`` makes for
    such states; a TypedDict state stays the dict.
    """
    make = plan.input
    if make is None:
        return None
    plain = False

    def values(data: dict[str, Any]) -> Any:
        nonlocal plain
        if plain:
            return data
        made = make(data)
        if isinstance(made, dict):
            # a TypedDict state: nodes get a dict, and so does every part
            plain = True
            return data
        return made

    return values


ValuesT = TypeVar("ValuesT")
UpdatesT = TypeVar("UpdatesT")
CustomT = TypeVar("CustomT")
MessagesT = TypeVar("MessagesT")
TasksT = TypeVar("TasksT")
DebugT = TypeVar("DebugT")
EventT = TypeVar("EventT")
SubValuesT = TypeVar("SubValuesT")
SubUpdatesT = TypeVar("SubUpdatesT")
SubCustomT = TypeVar("SubCustomT")
SubMessagesT = TypeVar("SubMessagesT")
SubTasksT = TypeVar("SubTasksT")
SubDebugT = TypeVar("SubDebugT")
SubEventT = TypeVar("SubEventT")
ResumeT = TypeVar("ResumeT")


class Graph(
    Generic[InputT, OutputT, ValuesT, UpdatesT, CustomT, MessagesT, TasksT, DebugT, EventT]
):
    """A compiled graph: typed entry points over its plan."""

    __slots__ = ("_given", "cache", "checkpointer", "plan")

    def __init__(self, plan: Plan, checkpointer: Any = None, cache: Any = None) -> None:
        self.plan = plan
        """The graph as the engine runs it."""
        self.checkpointer = checkpointer
        """Where runs on a thread keep their checkpoints (see :meth:`with_checkpointer`)."""
        self.cache = cache
        """Where nodes with a cache policy keep their writes (see :meth:`with_cache`)."""
        given: dict[str, Any] = {}
        if checkpointer is not None:
            given[CHECKPOINTER] = checkpointer
        if cache is not None:
            given[CACHE] = cache
        self._given = given or None

    def __repr__(self) -> str:
        return f"<graph {self.plan.name!r}>"

    def with_checkpointer(self, checkpointer: Any) -> Self:
        """This graph, with runs on a thread saving their checkpoints in ``checkpointer``.

        A run given ``config={"configurable": {"thread_id": ...}}`` then starts
        from the thread's state, and one given ``None`` as input goes on from
        the thread's checkpoint. ``checkpointer`` is any of
        :mod:`flowc.savers`' savers (or LangGraph's).
        """
        return type(self)(self.plan, checkpointer, self.cache)

    def with_cache(self, cache: Any) -> Self:
        """This graph, with its nodes' cache policies keeping their writes in ``cache``.

        ``cache`` is one of :mod:`flowc.runtime.caches`' caches (in memory, or a
        SQLite file); without one, a cache policy caches nothing, as in LangGraph.
        """
        return type(self)(self.plan, self.checkpointer, cache)

    def invoke(
        self, input: InputT, *, config: Config | None = None, context: Any = None
    ) -> OutputT:
        """Run the graph to the end and return its final values."""
        # _drive.invoke, written out: the call is a noticeable part of a short run
        plan = self.plan
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        if _quick.takes(plan, input, config):
            return _quick.invoke(plan, input)  # type: ignore[arg-type, return-value]
        run = Run.start(plan.name, (), False, config, plan.limit, plan.stateful)
        # on a thread, None (or a Command) goes on from its checkpoint
        values, wrote = plan.start(input) if type(input) is dict else _drive.start(plan, run, input)
        events: Iterator[Event] = Engine(plan, run, values, input).steps(wrote)
        if run.hooks is not None:
            events = run.hooks.traced(events, input, plan)
        # a root run streams nothing here; a nested one hands its parent what it wants
        for _ in events if run.parent is None else run.split(events):
            pass
        if plan.outputs is not None:
            return plan.output(run.result)  # type: ignore[return-value]
        return run.result  # type: ignore[return-value]

    async def ainvoke(
        self, input: InputT, *, config: Config | None = None, context: Any = None
    ) -> OutputT:
        """Async twin of :meth:`invoke`."""
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return await _drive.ainvoke(self.plan, input, config)  # type: ignore[return-value]

    def resume(self, *, config: Config) -> OutputT:
        """Run on from the thread's checkpoint (LangGraph's ``invoke(None, config)``); its final values.

        Tasks that finished before the run stopped are not run again; with a
        ``checkpoint_id`` in ``config``, the run goes on from that checkpoint, on a branch of its own.
        """
        return self.invoke(None, config=config)  # type: ignore[arg-type]

    async def aresume(self, *, config: Config) -> OutputT:
        """Async twin of :meth:`resume`."""
        return await self.ainvoke(None, config=config)  # type: ignore[arg-type]

    def _saver(self) -> Any:
        if self.checkpointer is None:
            raise ValueError(
                f"graph {self.plan.name!r} has no checkpointer: use graph.with_checkpointer(saver)"
            )
        return self.checkpointer

    def get_state(
        self, config: Config, *, subgraphs: bool = False
    ) -> _state.StateSnapshot[OutputT]:
        """The thread's state at its latest checkpoint (or at the one ``config`` names).

        With ``subgraphs=True`` a due subgraph task's ``state`` is its subgraph's snapshot.
        """
        from . import _state  # the checkpoint code loads with the first use of a thread

        wanted = _state_config(config)
        saver = self._saver()
        saved = saver.get_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return _state.state_of(self.plan, saver, config, saved, live=live, recurse=subgraphs)

    async def aget_state(
        self, config: Config, *, subgraphs: bool = False
    ) -> _state.StateSnapshot[OutputT]:
        """Async twin of :meth:`get_state`."""
        from . import _state

        wanted = _state_config(config)
        saver = self._saver()
        saved = await saver.aget_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return await _state.astate_of(self.plan, saver, config, saved, live=live, recurse=subgraphs)

    def get_state_history(
        self,
        config: Config,
        *,
        filter: Mapping[str, Any] | None = None,
        before: Config | None = None,
        limit: int | None = None,
    ) -> Iterator[_state.StateSnapshot[OutputT]]:
        """The thread's snapshots, newest first (``filter``: metadata values they must have)."""
        from . import _state

        found = list(
            self._saver().list(_state_config(config), filter=filter, before=before, limit=limit)
        )
        for saved in found:
            yield _state.snapshot(self.plan, saved.config, saved, live=False)

    def update_state(self, config: Config, values: InputT, as_node: str | None = None) -> Config:
        """Write ``values`` into the thread as if node ``as_node`` had returned them.

        Without ``as_node``, the node that ran last. The new checkpoint
        (``source: "update"``) has due the nodes ``as_node`` leads to; its
        config is returned.
        """
        return self.bulk_update_state(config, [[(values, as_node)]])

    async def aupdate_state(
        self, config: Config, values: InputT, as_node: str | None = None
    ) -> Config:
        """Async twin of :meth:`update_state`."""
        from . import _state

        saver = self._saver()
        found = await _state.aupdate_state(self.plan, saver, config, [[(values, as_node)]])
        return found  # type: ignore[return-value]

    def bulk_update_state(
        self, config: Config, supersteps: Sequence[Sequence[_state.StateUpdate]]
    ) -> Config:
        """Apply supersteps of ``(values, as_node)`` updates, one checkpoint each."""
        from . import _state

        found = _state.update_state(self.plan, self._saver(), config, supersteps)
        return found  # type: ignore[return-value]

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | UpdatesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | UpdatesPart]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | CustomPart[_C]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | CustomPart[Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | CustomPart[_C]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | CustomPart[Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | MessagesPart]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C] | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C] | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[_N, _I, _U] | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[Any, Any, Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[StreamPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v1"] = ...,
    ) -> Iterator[Any]: ...

    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
        version: Version = "v1",
    ) -> Iterator[Any]:
        """LangGraph's items, exactly as ``CompiledStateGraph.stream`` yields them.

        ``version="v1"`` gives v1's chunk shapes; ``version="v2"`` gives v2's
        stream parts (``{"type", "ns", "data"}`` dicts, see :mod:`.chunks`).
        """
        _check_version(version)
        mode = default_mode() if stream_mode is None else stream_mode
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        events = _drive.stream(self.plan, input, mode, subgraphs, config)
        if version == "v2":
            return shape_parts(events, _values_mapper(self.plan))
        return shape_chunks(events, mode, subgraphs)

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | UpdatesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | UpdatesPart]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | CustomPart[_C]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | CustomPart[Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | CustomPart[_C]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | CustomPart[Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | MessagesPart]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C] | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C] | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: Graph[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[_N, _I, _U] | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[Any, Any, Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[StreamPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v1"] = ...,
    ) -> AsyncIterator[Any]: ...

    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
        version: Version = "v1",
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream_chunks`."""
        _check_version(version)
        mode = default_mode() if stream_mode is None else stream_mode
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        events = _drive.astream(self.plan, input, mode, subgraphs, config)
        if version == "v2":
            return ashape_parts(events, _values_mapper(self.plan))
        return ashape_chunks(events, mode, subgraphs)

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]] = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | UpdatesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | CustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | CustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT | MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[MessagesT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[MessagesT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[TasksT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[EventT]: ...

    def stream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = "updates",
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
    ) -> Iterator[Any]:
        """Run the graph, yielding the events of the requested stream modes.

        Args:
            input: the state keys to start from.
            stream_mode: one mode, or several (a list or tuple).
            subgraphs: include the events of subgraphs, each with its namespace.
            config: recursion limit, tags, metadata, run id, configurable values.
            context: the run's context, which its nodes read with ``get_context()``.
        """
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return _drive.stream(self.plan, input, stream_mode, subgraphs, config)

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]] = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | UpdatesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | CustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | CustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT | MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[MessagesT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[MessagesT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[TasksT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[EventT]: ...

    def astream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = "updates",
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream`."""
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return _drive.astream(self.plan, input, stream_mode, subgraphs, config)


class GraphWithSubgraphs(
    Generic[
        InputT,
        OutputT,
        ValuesT,
        UpdatesT,
        CustomT,
        MessagesT,
        TasksT,
        DebugT,
        EventT,
        SubValuesT,
        SubUpdatesT,
        SubCustomT,
        SubMessagesT,
        SubTasksT,
        SubDebugT,
        SubEventT,
    ]
):
    """A compiled graph with subgraphs: ``subgraphs=True`` adds their events."""

    __slots__ = ("_given", "cache", "checkpointer", "plan")

    def __init__(self, plan: Plan, checkpointer: Any = None, cache: Any = None) -> None:
        self.plan = plan
        """The graph as the engine runs it."""
        self.checkpointer = checkpointer
        """Where runs on a thread keep their checkpoints (see :meth:`with_checkpointer`)."""
        self.cache = cache
        """Where nodes with a cache policy keep their writes (see :meth:`with_cache`)."""
        given: dict[str, Any] = {}
        if checkpointer is not None:
            given[CHECKPOINTER] = checkpointer
        if cache is not None:
            given[CACHE] = cache
        self._given = given or None

    def __repr__(self) -> str:
        return f"<graph {self.plan.name!r}>"

    def with_checkpointer(self, checkpointer: Any) -> Self:
        """This graph, with runs on a thread saving their checkpoints in ``checkpointer``.

        A run given ``config={"configurable": {"thread_id": ...}}`` then starts
        from the thread's state, and one given ``None`` as input goes on from
        the thread's checkpoint. ``checkpointer`` is any of
        :mod:`flowc.savers`' savers (or LangGraph's).
        """
        return type(self)(self.plan, checkpointer, self.cache)

    def with_cache(self, cache: Any) -> Self:
        """This graph, with its nodes' cache policies keeping their writes in ``cache``.

        ``cache`` is one of :mod:`flowc.runtime.caches`' caches (in memory, or a
        SQLite file); without one, a cache policy caches nothing, as in LangGraph.
        """
        return type(self)(self.plan, self.checkpointer, cache)

    def invoke(
        self, input: InputT, *, config: Config | None = None, context: Any = None
    ) -> OutputT:
        """Run the graph to the end and return its final values."""
        # _drive.invoke, written out: the call is a noticeable part of a short run
        plan = self.plan
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        if _quick.takes(plan, input, config):
            return _quick.invoke(plan, input)  # type: ignore[arg-type, return-value]
        run = Run.start(plan.name, (), False, config, plan.limit, plan.stateful)
        # on a thread, None (or a Command) goes on from its checkpoint
        values, wrote = plan.start(input) if type(input) is dict else _drive.start(plan, run, input)
        events: Iterator[Event] = Engine(plan, run, values, input).steps(wrote)
        if run.hooks is not None:
            events = run.hooks.traced(events, input, plan)
        # a root run streams nothing here; a nested one hands its parent what it wants
        for _ in events if run.parent is None else run.split(events):
            pass
        if plan.outputs is not None:
            return plan.output(run.result)  # type: ignore[return-value]
        return run.result  # type: ignore[return-value]

    async def ainvoke(
        self, input: InputT, *, config: Config | None = None, context: Any = None
    ) -> OutputT:
        """Async twin of :meth:`invoke`."""
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return await _drive.ainvoke(self.plan, input, config)  # type: ignore[return-value]

    def resume(self, *, config: Config) -> OutputT:
        """Run on from the thread's checkpoint (LangGraph's ``invoke(None, config)``); its final values.

        Tasks that finished before the run stopped are not run again; with a
        ``checkpoint_id`` in ``config``, the run goes on from that checkpoint, on a branch of its own.
        """
        return self.invoke(None, config=config)  # type: ignore[arg-type]

    async def aresume(self, *, config: Config) -> OutputT:
        """Async twin of :meth:`resume`."""
        return await self.ainvoke(None, config=config)  # type: ignore[arg-type]

    def _saver(self) -> Any:
        if self.checkpointer is None:
            raise ValueError(
                f"graph {self.plan.name!r} has no checkpointer: use graph.with_checkpointer(saver)"
            )
        return self.checkpointer

    def get_state(
        self, config: Config, *, subgraphs: bool = False
    ) -> _state.StateSnapshot[OutputT]:
        """The thread's state at its latest checkpoint (or at the one ``config`` names).

        With ``subgraphs=True`` a due subgraph task's ``state`` is its subgraph's snapshot.
        """
        from . import _state  # the checkpoint code loads with the first use of a thread

        wanted = _state_config(config)
        saver = self._saver()
        saved = saver.get_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return _state.state_of(self.plan, saver, config, saved, live=live, recurse=subgraphs)

    async def aget_state(
        self, config: Config, *, subgraphs: bool = False
    ) -> _state.StateSnapshot[OutputT]:
        """Async twin of :meth:`get_state`."""
        from . import _state

        wanted = _state_config(config)
        saver = self._saver()
        saved = await saver.aget_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return await _state.astate_of(self.plan, saver, config, saved, live=live, recurse=subgraphs)

    def get_state_history(
        self,
        config: Config,
        *,
        filter: Mapping[str, Any] | None = None,
        before: Config | None = None,
        limit: int | None = None,
    ) -> Iterator[_state.StateSnapshot[OutputT]]:
        """The thread's snapshots, newest first (``filter``: metadata values they must have)."""
        from . import _state

        found = list(
            self._saver().list(_state_config(config), filter=filter, before=before, limit=limit)
        )
        for saved in found:
            yield _state.snapshot(self.plan, saved.config, saved, live=False)

    def update_state(self, config: Config, values: InputT, as_node: str | None = None) -> Config:
        """Write ``values`` into the thread as if node ``as_node`` had returned them.

        Without ``as_node``, the node that ran last. The new checkpoint
        (``source: "update"``) has due the nodes ``as_node`` leads to; its
        config is returned.
        """
        return self.bulk_update_state(config, [[(values, as_node)]])

    async def aupdate_state(
        self, config: Config, values: InputT, as_node: str | None = None
    ) -> Config:
        """Async twin of :meth:`update_state`."""
        from . import _state

        saver = self._saver()
        found = await _state.aupdate_state(self.plan, saver, config, [[(values, as_node)]])
        return found  # type: ignore[return-value]

    def bulk_update_state(
        self, config: Config, supersteps: Sequence[Sequence[_state.StateUpdate]]
    ) -> Config:
        """Apply supersteps of ``(values, as_node)`` updates, one checkpoint each."""
        from . import _state

        found = _state.update_state(self.plan, self._saver(), config, supersteps)
        return found  # type: ignore[return-value]

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | UpdatesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | UpdatesPart]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | CustomPart[_C]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | CustomPart[Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[_S | _I] | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[ValuesPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | CustomPart[_C]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | CustomPart[Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | MessagesPart]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[UpdatesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any] | MessagesPart]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C] | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[_C] | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[CustomPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[MessagesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[_N, _I, _U] | DebugPart[_N, _I, _U]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[TasksPart[Any, Any, Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> Iterator[StreamPart]: ...

    @overload
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v1"] = ...,
    ) -> Iterator[Any]: ...

    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
        version: Version = "v1",
    ) -> Iterator[Any]:
        """LangGraph's items, exactly as ``CompiledStateGraph.stream`` yields them.

        ``version="v1"`` gives v1's chunk shapes; ``version="v2"`` gives v2's
        stream parts (``{"type", "ns", "data"}`` dicts, see :mod:`.chunks`).
        """
        _check_version(version)
        mode = default_mode() if stream_mode is None else stream_mode
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        events = _drive.stream(self.plan, input, mode, subgraphs, config)
        if version == "v2":
            return shape_parts(events, _values_mapper(self.plan))
        return shape_chunks(events, mode, subgraphs)

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | UpdatesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | UpdatesPart]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | CustomPart[_C]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | CustomPart[Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[_S | _I] | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[ValuesPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | CustomPart[_C]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | CustomPart[Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | MessagesPart]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[UpdatesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any] | MessagesPart]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C] | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any] | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[_C] | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[CustomPart[Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | TasksPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | TasksPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[MessagesPart | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self: GraphWithSubgraphs[
            Any,
            Any,
            ValuesEvent[_S],
            Any,
            CustomEvent[_C],
            Any,
            TaskEvent[_N, _I] | TaskResultEvent[_N, _U],
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
            Any,
        ],
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[_N, _I, _U] | DebugPart[_N, _I, _U]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[TasksPart[Any, Any, Any] | DebugPart[Any, Any, Any]]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v2"],
    ) -> AsyncIterator[StreamPart]: ...

    @overload
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = ...,
        subgraphs: bool = ...,
        config: Config | None = ...,
        context: Any = ...,
        version: Literal["v1"] = ...,
    ) -> AsyncIterator[Any]: ...

    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
        version: Version = "v1",
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream_chunks`."""
        _check_version(version)
        mode = default_mode() if stream_mode is None else stream_mode
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        events = _drive.astream(self.plan, input, mode, subgraphs, config)
        if version == "v2":
            return ashape_parts(events, _values_mapper(self.plan))
        return ashape_chunks(events, mode, subgraphs)

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubValuesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]] = ...,
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]] = ...,
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubUpdatesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubCustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubMessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubTasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubDebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | UpdatesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubValuesT | SubUpdatesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | CustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubValuesT | SubCustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubValuesT | SubMessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubValuesT | SubTasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[ValuesT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubValuesT | SubDebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | CustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubUpdatesT | SubCustomT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubUpdatesT | SubMessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubUpdatesT | SubTasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[UpdatesT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubUpdatesT | SubDebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT | MessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubCustomT | SubMessagesT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubCustomT | SubTasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[CustomT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubCustomT | SubDebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[MessagesT | TasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubMessagesT | SubTasksT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[MessagesT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubMessagesT | SubDebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[TasksT | DebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubTasksT | SubDebugT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = ...,
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[EventT]: ...

    @overload
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = ...,
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> Iterator[SubEventT]: ...

    def stream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = "updates",
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
    ) -> Iterator[Any]:
        """Run the graph, yielding the events of the requested stream modes.

        Args:
            input: the state keys to start from.
            stream_mode: one mode, or several (a list or tuple).
            subgraphs: include the events of subgraphs, each with its namespace.
            config: recursion limit, tags, metadata, run id, configurable values.
            context: the run's context, which its nodes read with ``get_context()``.
        """
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return _drive.stream(self.plan, input, stream_mode, subgraphs, config)

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["values"] | Sequence[Literal["values"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubValuesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]] = ...,
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["updates"] | Sequence[Literal["updates"]] = ...,
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubUpdatesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["custom"] | Sequence[Literal["custom"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubCustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["messages"] | Sequence[Literal["messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubMessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["tasks"] | Sequence[Literal["tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubTasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Literal["debug"] | Sequence[Literal["debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubDebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | UpdatesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "updates"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubValuesT | SubUpdatesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | CustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "custom"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubValuesT | SubCustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubValuesT | SubMessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubValuesT | SubTasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[ValuesT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["values", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubValuesT | SubDebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | CustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "custom"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubUpdatesT | SubCustomT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubUpdatesT | SubMessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubUpdatesT | SubTasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[UpdatesT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["updates", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubUpdatesT | SubDebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT | MessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "messages"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubCustomT | SubMessagesT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubCustomT | SubTasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[CustomT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["custom", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubCustomT | SubDebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[MessagesT | TasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "tasks"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubMessagesT | SubTasksT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[MessagesT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["messages", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubMessagesT | SubDebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[TasksT | DebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: Sequence[Literal["tasks", "debug"]],
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubTasksT | SubDebugT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = ...,
        subgraphs: Literal[False] = ...,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[EventT]: ...

    @overload
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = ...,
        subgraphs: bool,
        config: Config | None = ...,
        context: Any = ...,
    ) -> AsyncIterator[SubEventT]: ...

    def astream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = "updates",
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream`."""
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return _drive.astream(self.plan, input, stream_mode, subgraphs, config)


class InterruptingGraph(
    Graph[InputT, OutputT, ValuesT, UpdatesT, CustomT, MessagesT, TasksT, DebugT, EventT],
    Generic[
        InputT, OutputT, ValuesT, UpdatesT, CustomT, MessagesT, TasksT, DebugT, EventT, ResumeT
    ],
):
    """A graph whose runs stop at interrupts: :meth:`resume` takes the declared answer.

    ``ResumeT`` is the type of the answers its spec's nodes declare (``resumes``).
    """

    __slots__ = ()

    def resume(
        self, answer: ResumeT | Mapping[str, ResumeT] | None = None, *, config: Config
    ) -> OutputT:
        """Run on from the thread's checkpoint, answering its pending interrupts; its final values.

        ``answer`` is what the one pending ``interrupt()`` call returns when its
        node runs again, typed as the spec's ``resumes``; a map ``{interrupt_id:
        answer}`` answers several by id (:attr:`~.events.InterruptEvent.ids`);
        without one, the run goes on from a breakpoint (LangGraph's
        ``invoke(Command(resume=answer), config)`` and ``invoke(None, config)``).
        """
        return self.invoke(_answered(answer), config=config)

    async def aresume(
        self, answer: ResumeT | Mapping[str, ResumeT] | None = None, *, config: Config
    ) -> OutputT:
        """Async twin of :meth:`resume`."""
        return await self.ainvoke(_answered(answer), config=config)


class InterruptingGraphWithSubgraphs(
    GraphWithSubgraphs[
        InputT,
        OutputT,
        ValuesT,
        UpdatesT,
        CustomT,
        MessagesT,
        TasksT,
        DebugT,
        EventT,
        SubValuesT,
        SubUpdatesT,
        SubCustomT,
        SubMessagesT,
        SubTasksT,
        SubDebugT,
        SubEventT,
    ],
    Generic[
        InputT,
        OutputT,
        ValuesT,
        UpdatesT,
        CustomT,
        MessagesT,
        TasksT,
        DebugT,
        EventT,
        SubValuesT,
        SubUpdatesT,
        SubCustomT,
        SubMessagesT,
        SubTasksT,
        SubDebugT,
        SubEventT,
        ResumeT,
    ],
):
    """A graph with subgraphs whose runs stop at interrupts: :meth:`resume` takes the declared answer.

    ``ResumeT`` is the type of the answers its spec's nodes declare (``resumes``).
    """

    __slots__ = ()

    def resume(
        self, answer: ResumeT | Mapping[str, ResumeT] | None = None, *, config: Config
    ) -> OutputT:
        """Run on from the thread's checkpoint, answering its pending interrupts; its final values.

        ``answer`` is what the one pending ``interrupt()`` call returns when its
        node runs again, typed as the spec's ``resumes``; a map ``{interrupt_id:
        answer}`` answers several by id (:attr:`~.events.InterruptEvent.ids`);
        without one, the run goes on from a breakpoint (LangGraph's
        ``invoke(Command(resume=answer), config)`` and ``invoke(None, config)``).
        """
        return self.invoke(_answered(answer), config=config)

    async def aresume(
        self, answer: ResumeT | Mapping[str, ResumeT] | None = None, *, config: Config
    ) -> OutputT:
        """Async twin of :meth:`resume`."""
        return await self.ainvoke(_answered(answer), config=config)
