"""The engine's interrupts and breakpoints, and how a sync superstep of several tasks runs
(see :class:`~._engine.Engine`)."""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping, Sequence
from typing import Any

from ._executor import Done, _work
from ._persist import Thread
from ._plan import Goto, Node
from ._steps import (
    _NO_ANSWER,
    _NO_INTERRUPTS,
    _NO_PUSHES,
    _NOTHING,
    _interrupt_dict,
)
from ._supersteps import Supersteps
from .events import Event, InterruptEvent, InterruptValuesEvent, ValuesEvent
from .interrupts import GraphInterrupt
from .run import Task


class Interrupting(Supersteps):
    """The engine's methods for the interrupts its tasks raise and the breakpoints of its
    run, and the sync driver of a superstep of several tasks."""

    def run_here(
        self,
        jobs: Sequence[tuple[Task, Any, tuple[Any, ...]]],
        more: list[tuple[Task, Any, tuple[Any, ...]]] | None,
    ) -> Iterator[Done]:
        """Run a quiet superstep's tasks one after the other in the loop's thread.

        For a sync run on a thread whose superstep has one task and nothing that
        streams while it runs (the engine's lone-task path is not taken: the
        task's writes are stored before they are applied), and for a superstep
        whose tasks the compiler proved quiet and unable to wait: a worker's
        hand-off would cost more than most nodes. Every task runs before the
        first :class:`Done` comes (as on the pool, a task's failure does not stop
        its siblings), in the superstep's order, as :meth:`Run.run_threads` gives
        them, and the error handlers the consumer queues in ``more`` run after
        them, the same way.
        """
        yield from [_work(task, fn, args) for task, fn, args in jobs]
        while more:
            queued = list(more)
            more.clear()
            for task, fn, args in queued:
                yield _work(task, fn, args)

    def answers_given(self) -> tuple[list[Any], Mapping[str, Any] | None]:
        """The run's resume value (scalar, as a list the first unanswered call empties) and map.

        A root run's are its ``Command(resume=...)``'s. A subgraph's run shares
        those of the task that runs it: an ``interrupt()`` anywhere below a
        resumed task takes the answer the root run was given, as in LangGraph.
        """
        resumed = self.resumed
        parent = self.run.parent
        if parent is None:
            if resumed is None:
                return _NO_ANSWER, None
            return resumed.given, resumed.by_id
        outer = parent.resumes
        if outer is None:
            return _NO_ANSWER, None
        if self.plan.own_saver is not None:
            # as LangGraph's graph without a checkpointer: a resume map answers none of its
            # interrupts (their ids are new each run), a scalar resume its first
            return outer.given, None
        return outer.given, outer.by_id

    def interrupted(self, task: Task, error: GraphInterrupt) -> tuple[Event, ...]:
        """A task stopped at an interrupt: record it (the run stops after the superstep); its events."""
        raised = error.interrupts
        if self.interrupts is _NO_INTERRUPTS:
            self.interrupts = []
        self.interrupts.extend(raised)
        resumes = task.resumes
        thread = self.thread
        assert thread is not None
        thread.put_interrupt(task.id, raised, None if resumes is None else resumes.written())
        run = self.run
        if not raised:
            # a subgraph stopped at one of its breakpoints: no state and no task result, and
            # the root's `__interrupt__` update (with none) comes as the run stops (see halt)
            return _NOTHING
        events: list[Event] = []
        if run.updates:
            events.append(InterruptEvent(raised, run.ns))
        if run.values:
            events.append(InterruptValuesEvent(dict(self.values), raised, run.ns))
        if run.tasks or run.debug:
            events.extend(
                run.task_result_interrupted(task, tuple(_interrupt_dict(i) for i in raised))
            )
        return tuple(events)

    def halt(self) -> tuple[Event, ...]:
        """End a superstep that raised interrupts: the run stops here.

        The writes of the tasks that finished are stored (they are not run
        again on resume) and applied to the state the run ends with; if they
        wrote state keys, ``values`` streams it, as LangGraph does.
        """
        writes = self.writes
        order, _ = self.in_path_order()
        wrote = False
        for task in order:
            done = writes.get(task)
            if done is not None and done[1]:
                self.plan.apply(self.values, done[1])
                wrote = True
        writes.clear()
        self.ready = ()
        self.pushes = _NO_PUSHES
        run = self.run
        events: tuple[Event, ...] = _NOTHING
        if wrote and run.values:
            events = (ValuesEvent(dict(self.values), run.ns),)
        if not self.interrupts and run.updates and run.parent is None:
            # only subgraphs' breakpoints stopped the superstep: as LangGraph's root run ends
            events += (InterruptEvent((), run.ns),)
        return events

    def at_breakpoint(self) -> tuple[Event, ...]:
        """The run stops at a breakpoint: its ``__interrupt__`` update (with no interrupts).

        A subgraph's run stops its task too, as LangGraph's: the task is interrupted
        (with no interrupts), and the parent's run stops after its superstep.
        """
        if self.run.parent is not None:
            raise GraphInterrupt(())
        return (InterruptEvent((), self.run.ns),) if self.run.updates else _NOTHING

    def start_superstep(self) -> tuple[Node, ...]:
        """The first superstep's nodes, from START's edges and (sync) routers."""
        plan = self.plan
        return self.first_superstep(plan.entry if plan.first is None else self.first(self.values))

    def first(self, values: dict[str, Any]) -> Goto:
        """START's sync routers' pick (a run's hooks report them as LangGraph's ``__start__``)."""
        hooks = self.run.hooks
        plan = self.plan
        assert plan.first is not None
        return plan.first(values) if hooks is None else hooks.first(plan, values)

    def breakpoint(self, names: frozenset[str], nodes: tuple[Node, ...]) -> bool:
        """Whether a breakpoint (``interrupt_before`` / ``interrupt_after``) names one of ``nodes``."""
        return bool(names) and ("*" in names or any(node.name in names for node in nodes))

    def breaks_before(self, names: frozenset[str], ready: tuple[Node, ...]) -> bool:
        """Whether ``interrupt_before`` names a task of the next superstep: one of ``ready``,
        or a node a ``Send`` goes to (LangGraph stops before those too). A deferred node that
        waits while others run (:meth:`hold`) is no task of it."""
        if self.plan.deferring:
            ready = tuple(node for node in ready if not node.defer) or ready
        return self.breakpoint(names, ready) or (
            bool(names) and any(send.node in names for send in self.pushes)
        )

    def run_sync(
        self, jobs: Any, thread: Thread | None, live: bool
    ) -> Generator[Event, None, None]:
        """Run a sync superstep's ``jobs``: their events, each outcome recorded as it comes.

        A lone quiet task on a thread, and a superstep whose tasks are all proven quiet and
        unable to wait, run in the loop's thread (see ``run_here``), others on the run's
        worker pool.
        """
        run = self.run
        here = not live and self.timeout is None
        if here and (thread is None or len(jobs) != 1):
            # nothing such a task does can be seen to happen at once with its siblings:
            # handing each to a worker would cost more than running them all
            here = (
                not run.wraps
                and not self.plan.handling
                and all(not node.streams and not node.blocks for node in self.running)
            )
        ran = (
            self.run_here(jobs, self.rescues)
            if here
            else run.run_threads(jobs, self.timeout, self.rescues)
        )
        for item in ran:
            if not isinstance(item, Done):
                yield item
                continue
            yield from self.outcome(item, thread)

    def outcome(self, item: Done, thread: Thread | None) -> Generator[Event, None, None]:
        """Take a finished task of a sync superstep: record its writes (or its interrupt,
        its failure), yielding its events. A failure no handler takes is then raised."""
        error = item.error
        if error is None:
            yield from self.record(item.task, *item.result)
            return
        if type(error) is GraphInterrupt and thread is not None:
            yield from self.interrupted(item.task, error)
            return
        taken = self.taken(item.task, error)
        if taken is not None:
            yield from self.record(item.task, *taken)
            return
        yield from self.failed(item.task, error)
        if not self.rescue(item.task, error):
            raise error
