"""A run on a thread: its checkpoints, its resume, its interrupts, as engine methods.

:class:`OnThread` puts a run on its thread (a config naming a ``thread_id``
and carrying a checkpointer), goes on from a thread's checkpoint, records
interrupts and takes LangGraph's checkpoints at the step boundaries
(:mod:`._persist`). It is a base of :class:`~._engine.Engine`.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._persist import (
    BRANCH,
    CHECKPOINTER,
    DURABILITY,
    INTERRUPT,
    START,
    TASKS,
    Thread,
    check_codecs,
    task_id,
)
from ._sansio import drive_async, drive_sync
from ._saver_io import Read, read_async, read_sync
from ._thread_keys import deferred_of, without_waiting
from .control import as_command, as_send
from .errors import (
    InvalidUpdateError,
)
from .events import (
    Event,
    ReplayedUpdatesEvent,
    ValuesEvent,
)
from .interrupts import Resumes
from .run import (
    Task,
)

if TYPE_CHECKING:
    pass


from ._interrupting import Interrupting
from ._plan import Goto
from ._steps import (
    BREAKPOINTS,
    NODE_FINISHED,
    _interrupt_dict,
    _resuming,
)

SCRATCH = "__flowc_scratch_thread"
"""The configurable key that marks a run's thread as scratch: a saver of the run's own, made
by a caller (the drop-in) so that a graph without a checkpointer can stop at an interrupt or a
breakpoint as LangGraph's does; nothing can resume it, and it streams no checkpoints."""

REPLAY = "__flowc_replay"
"""The configurable key of a root run's :class:`Replay`, which its nested runs inherit."""


class Replay:
    """A root run replaying an earlier checkpoint, as its subgraphs see it (LangGraph's
    ``ReplayState``): each subgraph's first run starts from the subgraph's latest checkpoint
    before that one; its later runs (a subgraph in a loop) from its latest."""

    __slots__ = ("bound", "visited")

    def __init__(self, bound: str) -> None:
        self.bound = bound
        self.visited: set[str] = set()

    def first_visit(self, ns: str) -> bool:
        """Whether a subgraph of namespace ``ns`` runs for the first time in the replay
        (its last task id left out: the same subgraph in a loop is one subgraph)."""
        stable = ns.rpartition(":")[0] if ":" in ns else ns
        if stable in self.visited:
            return False
        self.visited.add(stable)
        return True

    def earlier(self, saver: Any, config: Mapping[str, Any]) -> Generator[Read, Any, str | None]:
        """The id of the latest checkpoint of ``config``'s namespace before the bound."""
        before = {"configurable": {**config["configurable"], "checkpoint_id": self.bound}}
        saved = yield ("earlier", (saver, config, before))
        return None if saved is None else str(saved.checkpoint["id"])


class OnThread(Interrupting):
    """The engine's methods for a run on a thread."""

    def on_thread(self) -> Thread | None:
        """Put the run on its thread, if its config names one and carries a checkpointer.

        The thread's latest state becomes the run's, with the input applied
        on top of it through the reducers (as LangGraph applies it), and the
        step numbers go on from the thread's. Nested runs keep no thread of
        their own.
        """
        return drive_sync(self.joining(False), read_sync)

    async def aon_thread(self) -> Thread | None:
        """:meth:`on_thread` for an async run: the saver's reads are awaited, and its stores
        (a saver that is not flowc's) go through its async twins (see :mod:`._persist`)."""
        return await drive_async(self.joining(True), read_async)

    def joining(self, asynchronous: bool) -> Generator[Read, Any, Thread | None]:
        """:meth:`on_thread` as a sans-I/O procedure: it asks its driver for what it reads."""
        run = self.run
        if run.parent is not None:
            return (yield from self._nested_thread(asynchronous))
        configurable = run.config.get("configurable")
        if not configurable or configurable.get(CHECKPOINTER) is None:
            if self.plan.breakpoints is not None:
                raise ValueError(
                    f"graph {self.plan.name!r} has interrupt_before / interrupt_after, which need "
                    "a checkpointer: run graph.with_checkpointer(saver) on a thread "
                    "(config={'configurable': {'thread_id': ...}}) so that the run can be resumed"
                )
            return None
        if configurable.get("thread_id") is None:
            raise ValueError(
                "a graph with a checkpointer needs a thread to run on: pass "
                'config={"configurable": {"thread_id": ...}}'
            )
        # a scratch thread (see SCRATCH) is the run's own business: no checkpoint streams
        scratch = configurable.get(SCRATCH) is not None
        thread = self.thread = run.thread = Thread(
            configurable[CHECKPOINTER],
            run.config,
            self.plan.fields,
            stream="checkpoints" in run.modes and not scratch,
            debug=run.debug and not scratch,
            durability=configurable.get(DURABILITY) or "async",
            subgraphs=self.plan.subgraphs,
            schema=self.plan.schema,
            untracked=self.plan.untracked,
            asynchronous=asynchronous,
        )
        if self.plan.codecs:
            check_codecs(self.plan.name, self.plan.codecs, self.plan.schema, thread.saver)
        self.node_finished = configurable.get(NODE_FINISHED)
        self.breaks = breaks_of(configurable, self.plan) or self.breaks
        saved, step = yield from thread.load()
        given = self.given
        command = None if given is None or type(given) is dict else as_command(given)
        if (
            thread.addressed is not None
            and thread.loaded is not None
            and (command is None or command.resume is None)
        ):
            # time travel (not a resume): the subgraphs start from what they had then
            self._replaying(thread)
        if given is None or command is not None:
            return (yield from self.resume_thread(thread, saved, step))
        return self._started(thread, saved, step)

    def _replaying(self, thread: Thread) -> None:
        """A root run going on from an earlier checkpoint hands its subgraphs a :class:`Replay`.

        As LangGraph's: bounded by that checkpoint (by its parent's, for one an
        update or a fork made, which came after the subgraphs' checkpoints).
        """
        loaded = thread.loaded
        bound = loaded.checkpoint["id"]
        parent = loaded.parent_config
        if (loaded.metadata or {}).get("source") in ("update", "fork") and parent:
            bound = parent["configurable"].get("checkpoint_id", bound)
        run = self.run
        configurable = run.config.get("configurable") or {}
        # a new config, inherited by the nested runs: the caller's own is not changed
        run.config = {**run.config, "configurable": {**configurable, REPLAY: Replay(bound)}}

    def _nested_thread(self, asynchronous: bool) -> Generator[Read, Any, Thread | None]:
        """A subgraph's run inside a run on a thread keeps its checkpoints in its own namespace.

        As in LangGraph, its namespace is its task's (``node:task id``), and a
        run of a task that ran before (the parent resumed it) goes on from the
        subgraph's latest checkpoint there instead of starting from its input.
        """
        run = self.run
        parent = run.parent
        assert parent is not None
        outer = parent.run.thread
        if outer is None:
            return None
        if self.plan.own_saver is not None:
            return _scratch_thread(self, outer)
        streamed = SCRATCH not in (run.config.get("configurable") or ())
        thread = self.thread = run.thread = Thread(
            outer.saver,
            outer.config,
            self.plan.fields,
            stream=streamed and "checkpoints" in run.modes,
            debug=streamed and run.debug,
            durability=outer.durability,
            subgraphs=self.plan.subgraphs,
            schema=self.plan.schema,
            untracked=self.plan.untracked,
            ns=run.checkpoint_ns,
            parents={**outer.parents, outer.ns: outer.config["configurable"]["checkpoint_id"]},
            event_ns=run.ns,
            mapped=outer.mapped,
            asynchronous=asynchronous,
        )
        # the root run's config keys go into its subgraphs' checkpoint metadata too
        thread.extras = outer.extras
        if self.plan.codecs:
            check_codecs(self.plan.name, self.plan.codecs, self.plan.schema, thread.saver)
        configurable = run.config.get("configurable") or {}
        self.node_finished = configurable.get(NODE_FINISHED)
        replay = configurable.get(REPLAY)
        if replay is not None and thread.addressed is None and replay.first_visit(thread.ns):
            # the root run replays an earlier checkpoint: the subgraph starts from its latest
            # checkpoint before it (or afresh), with its input applied, as in LangGraph
            earlier = yield from replay.earlier(outer.saver, thread.config)
            if self.plan.breakpoints is not None:
                self.breaks = self.plan.breakpoints
            if earlier is None:
                return self._started(thread, {}, -2)
            thread.addressed = earlier
            saved, step = yield from thread.load()
            return self._started(thread, saved, step)
        # the parent run's own breakpoints, which its config passes down, are not the subgraph's
        inherited = parent.run.config.get("configurable") or {}
        self.breaks = breaks_of(configurable, self.plan, inherited) or self.breaks
        saved, step = yield from thread.load()
        if thread.loaded is not None and (
            not self.plan.stateful or _resuming(parent) or thread.addressed is not None
        ):
            return (yield from self.resume_thread(thread, saved, step))
        return self._started(thread, saved, step)

    def exit_checkpoint(self, thread: Thread) -> None:
        """Under ``"exit"``, as the run ends: store its last checkpoint and writes.

        As LangGraph's: a root run's always; a subgraph's only if it stops at an
        interrupt or an error (a resume goes on from it) or keeps its state from one
        run to the next (``checkpointer=True``: a namespace without task ids). A
        subgraph that finished leaves nothing: its parent's checkpoint holds its result.
        """
        run = self.run
        if (
            run.parent is None
            or sys.exc_info()[0] is not None
            or all(":" not in part for part in run.ns)
        ):
            thread.flush()
        else:
            thread.deferred = None
            thread.deferred_writes.clear()

    def _started(self, thread: Thread, saved: dict[str, Any], step: int) -> Thread:
        """A run with input on its thread: the input applied on top of the thread's state."""
        values = self.values
        given = self.given
        self.step = step + 2
        # the input writes the keys it has; `values` also holds the defaults it starts a state with
        thread.given = (
            {key: value for key, value in values.items() if key in given}
            if isinstance(given, Mapping)
            else dict(values)
        )
        # savers keep only channels that were written: the others have their start values
        saved = self.plan.stored(saved)
        # a key the thread never wrote starts as the input's start made it (a reducer's empty
        # start), also for a state class whose required fields leave `stored` no empty start
        fresh = {key: value for key, value in values.items() if key not in saved}
        if fresh and isinstance(given, Mapping):
            fresh = {key: value for key, value in fresh.items() if key not in given}
            saved = {
                key: saved[key] if key in saved else fresh[key]
                for key in self.plan.fields
                if key in saved or key in fresh
            }
        thread.saved = dict(saved)
        values.clear()
        values.update(saved)
        if thread.given:
            self.plan.apply(values, thread.given)
        return thread

    def resume_thread(
        self, thread: Thread, saved: dict[str, Any], step: int
    ) -> Generator[Read, Any, Thread]:
        """Go on from the thread's checkpoint (the input is ``None`` or a ``Command``).

        The run's state is the checkpoint's, its first superstep the one the
        checkpoint names (or, at a checkpoint its config names, a fork of it:
        see :meth:`Thread.resume`), numbered after it; nothing is written for
        the input. A run that stopped right after its input checkpoint takes
        that input again: the hidden ``__start__`` task runs (see :meth:`begin`).
        A subgraph's run whose task ran before goes on the same way from the
        subgraph's own checkpoint.
        """
        from ._resume import Resumed, no_checkpoint

        loaded = thread.loaded
        if loaded is None:
            raise no_checkpoint()
        values = self.values
        values.clear()
        values.update(self.plan.stored(saved))
        thread.saved = dict(values)
        # the due tasks run now: none of them is discarded, as a new input would
        thread.ran.clear()
        # as LangGraph's resume, the run records having seen every channel as stored
        thread.seen[INTERRUPT] = dict(thread.versions)
        command = None if self.given is None else as_command(self.given)
        due, self.step, latest = yield from thread.resume(
            command is not None and command.resume is not None
        )
        if START in due:
            thread.restarted = True
            thread.given = dict(loaded.checkpoint["channel_values"].get(START) or {})
            if thread.given:
                self.plan.apply(values, thread.given)
            self.step += 1
        else:
            # only the root run's input is the resume's (a subgraph's is its task's input)
            given = self.given if self.run.parent is None else None
            # the pending writes of a checkpoint the run replays are not its tasks'
            pending = (loaded.pending_writes or ()) if latest else ()
            resumed = self.resumed = Resumed(
                thread, pending, given, self.plan.fields, self.plan.nodes
            )
            for target in (*resumed.goto, *(send.node for send in resumed.sends)):
                if target not in self.plan.nodes:
                    raise InvalidUpdateError(
                        f"Command(goto={target!r}) as input: {target!r} is not a node of the graph"
                    )
            for key, value in resumed.update:
                self.plan.apply(values, {key: value})
        # LangGraph counts a resumed run's recursion limit from its checkpoint
        thread.bound = 2 + step - self.step
        return thread

    def resume(self, thread: Thread) -> Generator[Event, None, None]:
        """A resumed run's start: the state it goes on from, its checkpoint's event; its tasks."""
        from ._persist import next_of

        loaded = thread.loaded
        if self.run.values:
            yield ValuesEvent(dict(self.values), self.run.ns)
        stored = loaded.checkpoint["channel_values"]
        due = {name for name in next_of(stored) if name in self.plan.nodes}
        due.update(self.resumed.goto)
        if loaded.checkpoint.get("updated_channels") or len(due) < 2:
            self.ready = self.nodes(due) if due else ()
        else:
            # as LangGraph's: a checkpoint that does not say which channels it updated (an
            # update's) has its tasks planned in the graph's order of nodes, not by name
            self.ready = tuple(node for name, node in self.plan.nodes.items() if name in due)
            self.unsorted = True
        sends = [as_send(send) for send in stored.get(TASKS) or ()]
        self.pushes = [send for send in sends if send is not None]
        if self.resumed.sends:
            # a Command(goto=Send(...)) input's tasks come first, as LangGraph's null task's
            self.pushes[:0] = self.resumed.sends
        if thread.stream or thread.debug:
            pushed = [send.node for send in self.pushes]
            names = (
                *pushed,
                *without_waiting(tuple(n.name for n in self.ready), deferred_of(self.plan)),
            )
            yield from self.resumed_checkpoint(thread, names, len(pushed), self.values, self.step)

    def resumed_checkpoint(
        self,
        thread: Thread,
        names: Sequence[str],
        pushed: int,
        values: Mapping[str, Any],
        step: int,
    ) -> tuple[Event, ...]:
        """The events of the checkpoint a resumed run goes on from, as LangGraph streams it again.

        Its tasks (``pushed`` ``Send`` tasks first) show what their stored
        writes say: a finished task's result, a failed one's error, an
        interrupted one's interrupts.
        """
        from ._resume import task_statuses

        resumed = self.resumed
        loaded = thread.loaded
        statuses = (
            resumed.statuses if resumed is not None else task_statuses(loaded.pending_writes or ())
        )
        checkpoint_id = thread.config["configurable"]["checkpoint_id"]
        reports: list[dict[str, Any]] = []
        for index, name in enumerate(names):
            kind = f"push:{index}" if index < pushed else "pull"
            status = statuses.get(task_id(checkpoint_id, thread.ns, name, kind))
            if status is None:
                reports.append({"interrupts": ()})
                continue
            if status.error is not None:
                reports.append({"error": status.error})
                continue
            raised = tuple(_interrupt_dict(i) for i in status.interrupts)
            result = None
            if status.finished:
                result = {k: v for k, v in status.output if k in self.plan.keys}
            reports.append(
                {"result": result, "interrupts": raised} if result else {"interrupts": raised}
            )
        return thread.reopened(values, names, pushed, reports, step)

    def prepare(self, tasks: tuple[Task, ...]) -> Generator[Event, None, None]:
        """Ready a superstep's tasks on a thread for ``interrupt()``; hand back finished ones' writes.

        Every task gets its :class:`~.interrupts.Resumes` (a subgraph's tasks
        share the answers of the task that runs their graph). In
        the first superstep of a resumed run, a task that finished before the
        run stopped does not run again: its stored writes are its outcome,
        and its update streams marked as cached, as LangGraph streams it.
        """
        resumed = self.resumed
        run = self.run
        given, by_id = self.answers_given()
        if resumed is None:
            for task in tasks:
                task.resumes = Resumes(task.checkpoint_ns, [], given, by_id)
            return
        self.resumed = None
        from ._resume import stored_goto, stored_update

        fields = self.plan.fields
        thread = self.thread
        assert thread is not None
        for task in tasks:
            output = resumed.finished.get(task.id)
            if output is None:
                task.resumes = Resumes(
                    task.checkpoint_ns, resumed.answers(task.id), given, by_id, resuming=True
                )
                continue
            update = stored_update(output, fields)
            goto = stored_goto(output)
            self.writes[task] = (task, update, goto)
            # the next checkpoint holds them as it holds the writes of the tasks that run
            thread.written.update(update or ())
            thread.written.update(BRANCH + name if type(name) is str else TASKS for name in goto)
            if run.updates:
                yield ReplayedUpdatesEvent(task.name, update, run.ns)

    def begin(self, thread: Thread, first: Goto) -> tuple[Event, ...]:
        """The input checkpoint and the hidden ``__start__`` task's writes (where START leads).

        A run resumed at its input checkpoint (see :meth:`resume_thread`) has
        that checkpoint already: its first events are the state and that
        checkpoint's, as LangGraph streams them again.
        """
        if thread.restarted:
            # as LangGraph's resume: the state as stored, that checkpoint, then the input applied
            events: tuple[Event, ...] = ()
            if self.run.values:
                events = (ValuesEvent(dict(thread.saved), self.run.ns),)
            if thread.stream or thread.debug:
                events += self.resumed_checkpoint(thread, (START,), 0, thread.saved, self.step - 1)
            if self.run.values and thread.given:
                events += (ValuesEvent(dict(self.values), self.run.ns),)
            checkpoint_id = thread.config["configurable"]["checkpoint_id"]
        else:
            checkpoint_id, events = thread.checkpoint(
                "input", self.step - 1, thread.saved, (), start=thread.given
            )
        thread.ran_task(START, (START,))
        thread.put_writes(task_id(checkpoint_id, "", START), thread.given, first)
        return events

    def save(self, thread: Thread, step: int) -> tuple[Event, ...]:
        """The checkpoint after superstep ``step``; it names the next superstep's tasks."""
        checkpoint_id, events = thread.checkpoint(
            "loop",
            step,
            self.values,
            tuple(node.name for node in self.ready),
            tuple(send.node for send in self.pushes),
            sends=self.pushes,
            deferred=deferred_of(self.plan),
        )
        del checkpoint_id
        return events


def _scratch_thread(engine: OnThread, outer: Thread) -> Thread:
    """A run of a subgraph compiled with ``checkpointer=False``: on a thread of its own
    saver (see :attr:`~._plan.Plan.own_saver`), from its input, streaming no checkpoint."""
    plan, run = engine.plan, engine.run
    assert plan.own_saver is not None
    thread = engine.thread = run.thread = Thread(
        plan.own_saver(),
        outer.config,
        plan.fields,
        stream=False,
        debug=False,
        durability="exit",
        schema=plan.schema,
        untracked=plan.untracked,
        ns=run.checkpoint_ns,
        event_ns=run.ns,
    )
    if plan.breakpoints is not None:
        engine.breaks = plan.breakpoints
    return engine._started(thread, {}, -2)


def breaks_of(
    configurable: Mapping[str, Any], plan: Any, inherited: Mapping[str, Any] | None = None
) -> tuple[frozenset[str], frozenset[str]] | None:
    """A run's ``interrupt_before`` / ``interrupt_after``: its config's (a run's own, or those
    of a graph compiled with them that a node runs), else its plan's (a subgraph's compile()).
    A subgraph's config passes on its parent run's (``inherited``): those are not its own."""
    before, after = (
        None if inherited and configurable.get(key) is inherited.get(key) else configurable.get(key)
        for key in BREAKPOINTS
    )
    if before or after:
        return (frozenset(before or ()), frozenset(after or ()))
    return plan.breakpoints  # type: ignore[no-any-return]
