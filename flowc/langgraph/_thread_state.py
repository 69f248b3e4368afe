"""A compiled graph's thread API: ``get_state``, its history and ``update_state``, in LangGraph's shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any, NamedTuple

from flowc.runtime._sansio import drive_async, drive_sync
from flowc.runtime._snapshot import thread_config

from ._chunks import _root_value
from ._roots import ROOT, _rooted


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


def _live(config: Mapping[str, Any]) -> bool:
    # LangGraph's snapshot of a thread's latest checkpoint shows its current status
    return "checkpoint_id" not in (config.get("configurable") or {})


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
                _root_snapshot_result(t.result) if root else t.result,
            )
            for t in state.tasks
        ),
        state.interrupts,
    )


def _root_snapshot_result(result: Any) -> Any:
    # LangGraph's snapshot of a root-state graph shows a task's write of the one channel
    # bare (its output channel is a name, not a list), and None for a task that wrote none
    if isinstance(result, dict):
        return result.get(ROOT)
    return result


def _updates(supersteps: Sequence[Sequence[Any]], root: bool = False) -> list[list[Any]]:
    """LangGraph's ``StateUpdate``s (named tuples) or plain tuples, as plain tuples.

    ``root``: the graph's state is a root value, which flowc keeps under its one key.
    """
    return [[_rooted_update(tuple(update), root) for update in updates] for updates in supersteps]


def _rooted_update(update: tuple[Any, ...], root: bool) -> tuple[Any, ...]:
    if not root or not update or update[0] is None:
        return update
    values = update[0]
    rooted = _rooted(values)
    return (rooted if rooted is not values else {ROOT: values}, *update[1:])


class _ThreadState:
    """The thread API of :class:`~flowc.langgraph._compiled.CompiledStateGraph`:
    a thread's checkpoints, read and written."""

    module: ModuleType
    checkpointer: Any
    _root: bool

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
        state = drive_sync(self._reading(config, subgraphs), lambda _, at: saver.get_tuple(at))
        return _langgraph_snapshot(state, self._root)

    async def aget_state(
        self, config: Mapping[str, Any], *, subgraphs: bool = False
    ) -> StateSnapshot:
        """Async twin of :meth:`get_state`."""
        saver = self._saver()
        steps = self._reading(config, subgraphs)
        state = await drive_async(steps, lambda _, at: saver.aget_tuple(at))
        return _langgraph_snapshot(state, self._root)

    def _reading(
        self, config: Mapping[str, Any], subgraphs: bool
    ) -> Generator[tuple[str, Any], Any, Any]:
        """The thread's state read sans I/O: its checkpoint, then its due subgraph tasks'."""
        saved = yield "get_tuple", thread_config(config, "get_state")
        from flowc.runtime import _state  # its savers' code imports asyncio

        plan = _state.plan_at(self.module.PLAN, config)
        return (
            yield from _state.reading_state(
                plan, config, saved, live=_live(config), recurse=subgraphs
            )
        )

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
            self._saver().list(
                thread_config(config, "get_state"), filter=filter, before=before, limit=limit
            )
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
                thread_config(config, "get_state"), filter=filter, before=before, limit=limit
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
        from flowc.runtime import _state  # its savers' code imports asyncio

        return _state.update_state(
            self.module.PLAN, saver, config, _updates(supersteps, self._root)
        )

    async def abulk_update_state(
        self, config: Mapping[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """Async twin of :meth:`bulk_update_state`."""
        saver = self._saver()
        from flowc.runtime import _state  # its savers' code imports asyncio

        return await _state.aupdate_state(
            self.module.PLAN, saver, config, _updates(supersteps, self._root)
        )

    def _snapshot(self, config: Mapping[str, Any], saved: Any, live: bool) -> StateSnapshot:
        """The snapshot of a stored checkpoint, as LangGraph makes it (see :func:`_state.snapshot`)."""
        from flowc.runtime import _state  # its savers' code imports asyncio

        # a subgraph's checkpoint (its config's namespace) is read with that subgraph's plan
        state = _state.snapshot(_state.plan_at(self.module.PLAN, config), config, saved, live=live)
        return _langgraph_snapshot(state, self._root)
