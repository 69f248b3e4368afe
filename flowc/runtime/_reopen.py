"""A run on a thread going on from a stored checkpoint: where it resumes, and the events of the
checkpoint it goes on from. A base class of :class:`~._persist.Thread`. Standard library only.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Generator, Mapping, Sequence
from typing import Any

from ._saver_io import _Storing
from ._thread_keys import _config, _uuid6, next_of, subgraph_state, task_id
from .events import CheckpointDebugEvent, CheckpointEvent, Event


class _Reopening(_Storing):
    """Resuming from the checkpoint a thread's run loaded, and the events of that checkpoint."""

    # the attributes its methods assign; the others are Thread's
    __slots__ = ("config", "opened", "stored")
    thread_id: str
    ns: str
    parents: dict[str, str]
    event_ns: tuple[str, ...]
    subgraphs: frozenset[str]
    fields: Sequence[str]
    stream: bool
    debug: bool
    config: dict[str, Any]
    addressed: str | None
    loaded: Any
    opened: tuple[dict[str, Any], dict[str, Any] | None]
    stored: dict[str, Any]

    def _events(
        self,
        checkpoint_id: str,
        parent_config: dict[str, Any] | None,
        values: dict[str, Any],
        metadata: Mapping[str, Any],
        names: tuple[str, ...],
        tasks: tuple[dict[str, Any], ...],
        step: int,
    ) -> tuple[Event, ...]:
        event = CheckpointEvent(
            _config(self.thread_id, self.ns, checkpoint_id, self.parents),
            parent_config,
            values,
            metadata,
            names,
            tasks,
            step,
            self.event_ns,
        )
        out: list[Event] = []
        if self.stream:
            out.append(event)
        if self.debug:
            # the clock's reading is made into text when first read, as for task events
            stamped = CheckpointDebugEvent(step, time.time_ns(), event, self.event_ns)  # type: ignore[arg-type]
            out.append(stamped)
        return tuple(out)

    def superseded(self) -> Generator[tuple[str, tuple[Any, ...]], Any, bool]:
        """Whether the thread has moved past the checkpoint the run's config names (it asks
        its driver for the thread's latest checkpoint)."""
        if self.addressed is None or self.loaded is None:
            return False
        latest = yield ("get_tuple", (self.saver, self.config_of(None)))
        return latest is not None and latest.checkpoint["id"] != self.loaded.checkpoint["id"]

    def resume(
        self, answering: bool = False
    ) -> Generator[tuple[str, tuple[Any, ...]], Any, tuple[tuple[str, ...], int, bool]]:
        """A run without new input goes on from the loaded checkpoint: its due nodes, its step,
        and whether the checkpoint's pending writes count (the tasks that saved them are done).

        ``answering``: the run's input is a ``Command(resume=...)``. Addressed at the thread's
        latest checkpoint (``get_state(...).config`` of a paused thread), it answers the
        interrupts there, as without an id; at a checkpoint the thread has moved past, it replays.

        As in LangGraph: at the thread's latest checkpoint the tasks that saved
        their writes before the run stopped are not run again; a run at a
        checkpoint the config names replays it, every due task running again,
        on a branch of its own (a ``"fork"`` checkpoint, a copy of it) unless
        that checkpoint is an update or a fork the thread has not moved past.
        The checkpoint it goes on from is then :attr:`config` (see :meth:`reopened`).
        """
        saved = self.loaded
        checkpoint = saved.checkpoint
        due = next_of(checkpoint["channel_values"])
        metadata = dict(saved.metadata)
        step = int(metadata.get("step", -1))
        parent = saved.parent_config
        self.opened = (metadata, None if parent is None else dict(parent))
        if self.addressed is None:
            return due, step, True
        if answering and not (yield from self.superseded()):
            return due, step, True
        if metadata.get("source") in ("update", "fork") and not (yield from self.superseded()):
            return due, step, False
        # a branch of its own: a copy of the checkpoint, as LangGraph's time travel makes it
        fork = {
            **checkpoint,
            "id": str(_uuid6(step + 1)),
            "ts": _dt.datetime.now(_dt.UTC).isoformat(),
        }
        fork_metadata = {"source": "fork", "step": step + 1, "parents": metadata.get("parents", {})}
        parent_id = self.config["configurable"]["checkpoint_id"]
        self.config = self._store(self.stored, fork, dict(fork_metadata), {})
        self.stored = self.config
        self.opened = (fork_metadata, _config(self.thread_id, self.ns, parent_id))
        return due, step + 1, False

    def reopened(
        self,
        values: Mapping[str, Any],
        names: Sequence[str],
        pushed: int,
        tasks: Sequence[dict[str, Any]],
        step: int,
    ) -> tuple[Event, ...]:
        """The events of the checkpoint a resumed run goes on from, as LangGraph streams it again.

        Args:
            values: the state the run goes on with.
            names: the checkpoint's tasks' nodes, its ``Send`` tasks' first.
            pushed: how many of them are ``Send`` tasks.
            tasks: what each task's stored writes say (a finished task's
                ``result``, a failed one's ``error``, its ``interrupts``), in order.
            step: the checkpoint's step.
        """
        if not self.stream and not self.debug:
            return ()
        checkpoint_id = self.config["configurable"]["checkpoint_id"]
        metadata, parent_config = self.opened
        if parent_config is not None and self.parents:
            # the saver's config, then the map (LangGraph's order)
            configurable = parent_config["configurable"]
            own = {self.ns: configurable["checkpoint_id"]}
            parent_config = {
                "configurable": {**configurable, "checkpoint_map": {**self.parents, **own}}
            }
        reports = []
        for index, (name, report) in enumerate(zip(names, tasks, strict=True)):
            kind = f"push:{index}" if index < pushed else "pull"
            tid = task_id(checkpoint_id, self.ns, name, kind)
            state = (
                subgraph_state(self.thread_id, self.ns, name, tid)
                if name in self.subgraphs
                else None
            )
            reports.append({"id": tid, "name": name, **report, "state": state})
        shown = {key: values[key] for key in self.fields if key in values}
        return self._events(
            checkpoint_id, parent_config, shown, metadata, tuple(names), tuple(reports), step
        )
