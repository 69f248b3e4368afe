"""The superstep engine: LangGraph's step semantics, written once.

A generated module describes its graph as a :class:`Plan` of :class:`Node`
objects (its functions: what a node receives, what it does, where it leads).
An :class:`Engine` runs one plan for one run, in the manner of LangGraph's
``PregelLoop``: it plans each superstep's tasks in LangGraph's order, takes
each task's outcome, records its writes, applies them with the reducers in
node-name order, decides the next step, enforces the recursion limit and
makes the events of the requested modes.

It knows no threads and no asyncio. What needs an executor it hands out: a
sync run's supersteps of several tasks go to the run's worker pool
(:meth:`Run.run_threads`, the executor interface), and an async run asks
its driver (:mod:`._drive`) through a :class:`Request` for what must be
awaited. Only a lone sync task, which needs no executor, is called right in
the superstep loop: a step of one task is what most runs take most often,
and a call into an engine object and back per step would cost more than the
step itself (docs/design.md). So one loop, :meth:`Engine.steps`, serves
``stream``, ``astream``, ``invoke``, ``ainvoke`` and nested graphs.

A run on a thread (its config names a ``thread_id`` and carries a
checkpointer) starts from the thread's state and takes LangGraph's
checkpoints at the step boundaries (:mod:`._persist`); its supersteps all go
through :meth:`Engine.record` and :meth:`Engine.settle`, which store each
task's writes before they are applied, so the lone-task path costs a run
without a checkpointer nothing more. The seams of what comes next: a resumed
run starts at the step boundary (the top of the loop); writes of a
superstep of several tasks are recorded per task (:attr:`Engine.writes`)
before :meth:`Engine.settle` applies them; a task's outcome comes in whole
(a result, or an error thrown in), so a retry or a timeout is one more kind
of outcome, as an interrupt is (:meth:`Engine.interrupted`, then
:meth:`Engine.halt` ends the run after the superstep); push tasks (``Send``)
join the planned nodes ahead of the triggered ones.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ._persist import Thread
from ._saved_step import saved_step, takes_saved_steps
from .control import ParentCommand
from .drain import control_of
from .errors import (
    GraphDrained,
    node_failure,
)
from .events import (
    Event,
    ValuesEvent,
)
from .interrupts import GraphInterrupt
from .run import (
    CURRENT_TASK,
    Task,
    ignore,
    no_sync,
    route,
)

if TYPE_CHECKING:
    pass


from ._onthread import OnThread
from ._plan import Goto, Node, Plan, Writes, keyed_input
from ._steps import (
    _NO_EVENTS,
    _NO_INTERRUPTS,
    _NO_PUSHES,
    BREAKPOINTS,
    STEP_TIMEOUT,
    CachedUpdates,
    Request,
    _skipped,
    abody,
    body,
)

__all__ = [
    "BREAKPOINTS",
    "STEP_TIMEOUT",
    "CachedUpdates",
    "Engine",
    "Goto",
    "Node",
    "Plan",
    "Request",
    "Task",
    "Writes",
    "abody",
    "body",
    "keyed_input",
    "no_sync",
    "route",
]


class Engine(OnThread):
    """One run of one plan, superstep by superstep.

    :meth:`steps` is the superstep loop. A superstep of one task that needs no executor (a
    sync node whose events need not stream while it runs) is called right in the loop's
    frame, through one task object reused from step to step; every other superstep is handed
    to an executor: the sync run's worker pool (:meth:`Run.run_threads`), or the async
    driver, which the loop asks through :class:`Request`. The rules of a superstep of several
    tasks are also methods of their own (:meth:`record`, :meth:`settle`), which the drivers
    and tests call.

    Args:
        plan: the graph.
        run: the run (its modes, config and namespace).
        values: the state after the input was applied; the engine updates it in place.
    """

    # The engine's methods live in its bases, one concern each (a run on a thread, supersteps
    # of several tasks, policies); its state and defaults in EngineState. Here: the loop.

    def steps(
        self,
        wrote: bool,
        first: Goto | None = None,
        asynchronous: bool = False,
        onward: bool = False,
    ) -> Generator[Any, Any, None]:
        """Run the supersteps, yielding the requested events (and, if ``asynchronous``, requests).

        Args:
            wrote: whether the input wrote something (then ``values`` streams it first).
            first: the nodes of the first superstep; if not given, START's
                edges and (sync) routers, which run in LangGraph's hidden
                first task, before the input's values.
            asynchronous: the run is an async driver's, which does what the
                loop asks of it.
            onward: the run's first supersteps ran already (see :mod:`._quick`):
                it goes on after :attr:`step` with :attr:`ready` and :attr:`pushes`.

        LangGraph checks the recursion limit before it looks for work: limit N
        allows N supersteps, and the step after the Nth fails even with
        nothing left to run. When the run ends, ``run.result`` is the state.

        A sync run (``asynchronous`` false) yields only events: it calls its
        lone tasks here and hands other supersteps to the worker pool. An
        async run calls its lone sync tasks here only at the root (nested, a
        sync node would block the event loop, and with it the graph's
        parallel siblings) and asks its driver for the rest.

        Raises:
            GraphRecursionError: past the recursion limit.
        """
        plan = self.plan
        run = self.run
        values = self.values
        ns = run.ns
        want_values = run.values
        want_updates = run.updates
        want_tasks = run.tasks or run.debug
        live = run.live
        limit = run.limit
        merge = plan.merge_writes
        full = plan.width
        get_current = CURRENT_TASK.get
        alone = plan.alone
        lone: Task | None = None
        # a live run's lone task hands its events to the loop here (a quiet one has none)
        held: list[Event] = [] if live else _NO_EVENTS
        # a run that shows no task and streams nothing live calls a node that reads no task
        # without one
        bare = not want_tasks and not live
        ready: tuple[Node, ...] = ()
        pushes = _NO_PUSHES
        thread: Thread | None = None
        step = 0
        try:
            if first is None and plan.quick and not run.config:
                # the common run: no thread, policies, breakpoints or run control to ask for
                inline = not live and (not asynchronous or run.parent is None)
                calm = not run.wraps and (not asynchronous or run.parent is None)
                resuming = saving = saved_alone = False
                bound = limit
                ready = self.ready = plan.entry_lone or self.start_superstep()
                pushes = self.pushes
                if wrote and want_values:
                    yield ValuesEvent(dict(values), ns)
            else:
                # every lone task is called in the loop: a sync run streaming nothing live,
                # or an async one at the root streaming nothing live, without retries (their
                # waits are not for the event loop); else, see the step's own test
                inline = not live and (
                    not asynchronous or (run.parent is None and not plan.guarded)
                )
                # only a run given a config can be on a thread (or breakpoints, which refuse to
                # run without one); the async driver put its run on its thread, if any
                if first is not None:
                    thread = self.thread
                elif run.config or plan.breakpoints is not None:
                    thread = self.on_thread()
                step = self.step
                resuming = self.resumed is not None
                if first is None:
                    first = (
                        () if resuming else plan.entry if plan.first is None else self.first(values)
                    )
                if onward:
                    ready, pushes = self.ready, self.pushes
                elif len(first) == 1 and type(first[0]) is str:
                    ready = self.ready = alone[first[0]]
                else:
                    # START's routers may send tasks too
                    ready = self.ready = self.first_superstep(first)
                    pushes = self.pushes
                # a run on a thread takes every step through record and settle, which store
                # its writes before they are applied: the lone-task path stays as it was
                saving = thread is not None
                if saving:
                    inline = False
                if plan.caching or plan.handling or plan.timing:
                    saving = self.use_policies(saving)
                    inline = inline and not saving
                # a node that cannot stream runs right here in every mode but messages (whose
                # events of the node's output are made around a task that runs live)
                calm = (
                    not saving
                    and (not asynchronous or (run.parent is None and not plan.guarded))
                    and not run.wraps
                )
                if thread is not None:
                    limit += step + thread.bound
                    if resuming:
                        yield from self.resume(thread)
                        ready = self.ready
                        pushes = self.pushes
                    else:
                        yield from self.begin(thread, first)
                if wrote and want_values and not resuming:
                    yield ValuesEvent(dict(values), ns)
                if thread is not None and not resuming:
                    yield from self.save(thread, step)
                saved_alone = thread is not None and takes_saved_steps(self, asynchronous)
                bound = run.stop = limit
                if run.config and control_of(run.config) is not None:
                    # a run with a RunControl takes the limit's branch at every step (see it)
                    limit = -1
            careful: tuple[bool, bool] | None = None
            if asynchronous and plan.blocking and (inline or calm):
                # a sync node that may wait runs on a worker, not on the event loop's thread
                # (where it would hold up every run on the loop): each lone step asks
                careful = (inline, calm)
                inline = calm = False
            while True:
                step += 1
                if step > limit:
                    self.at_boundary(step, bound, bool(ready or pushes))
                if (
                    len(ready) == 1
                    and not pushes
                    and (
                        inline
                        or (calm and not ready[0].streams)
                        or (
                            not saving
                            and (
                                # a nested async run's lone sync node goes to a thread: here, it
                                # would block the event loop, and with it the graph's parallel siblings
                                (
                                    (not live and ready[0].is_async and ready[0].loop_safe)
                                    or (
                                        careful is not None
                                        and ready[0].loop_safe
                                        and (careful[0] or (careful[1] and not ready[0].streams))
                                    )
                                )
                                if asynchronous
                                # a lone subgraph node runs its graph right here even when events
                                # stream live: the graph's events come out of its own loop as they happen
                                else (ready[0].stream is not None and not run.wraps)
                            )
                        )
                    )
                ):
                    node = ready[0]
                    plain = node.plain
                    task: Task | None
                    if bare and plain is not None and not node.reads_task:
                        # a node proven quiet that takes the state alone reads no task: none
                        # is made or renamed for it, and the context variable is left as it is
                        # (an inactive task there stands for the run's parent, as between steps)
                        task = None
                        input_of = node.input
                        inp = input_of(values)
                    else:
                        # one task and nothing to stream while it runs: call it right here,
                        # through the one task object every such step of the run reuses
                        task = lone
                        if task is None:
                            # in a live run, what a node runs here emits anyway (a node the
                            # analysis took for quiet) comes out as the node ends: late, but
                            # never lost
                            task = lone = self.new_lone(node, step, held.append if live else ignore)
                        else:
                            if task.name != node.name:
                                task.name = node.name
                                task.triggers = node.triggers
                                task.metadata = node.metadata
                                task.tags = node.tags
                            task.step = step
                        # a callable in a slot is loaded, then called: Python 3.11 does not
                        # specialise a method-style call of an instance attribute
                        input_of = node.input
                        inp = input_of(values)
                        if want_tasks:
                            yield from run.task_starts((task,), (inp,))
                        # the context variable is set once for the reused task, which is
                        # active only while its node runs: cheaper than setting it around
                        # every node
                        if get_current() is not task:
                            CURRENT_TASK.set(task)
                        task.active = True
                    try:
                        result: object
                        if plain is not None:
                            result = plain(inp)
                        else:
                            assert task is not None  # only a plain node may run without one
                            if asynchronous and node.acall is not None:
                                self.request = Request("await", node.acall(task, inp, values))
                                result = yield None
                            elif not asynchronous and node.stream is not None:
                                # while it yields, the code running is the run's consumer
                                task.active = False
                                result = yield from node.stream(task, inp, values)
                            else:
                                result = node.call(task, inp, values)
                        update: Writes
                        # the common case, a non-empty dict of state keys, needs no call
                        if type(result) is dict and result and node.keys.issuperset(result):
                            update = result
                            # the only task of its superstep: its writes go straight into
                            # the state, which is then what its routers see (a state that has
                            # every key keeps its order)
                            if len(values) != full:
                                plan.apply(values, update)
                            elif merge is None:
                                values.update(update)
                            else:
                                merge(values, update)
                            after = node.after
                            if after is None:
                                direct = node.direct
                                if direct is not None:
                                    # a sync router that names one node: that node alone is next
                                    goto = direct(values)
                                    if len(goto) == 1 and type(goto[0]) is str:
                                        after = alone[goto[0]]
                                elif not node.routed:
                                    goto = node.then
                                elif asynchronous and node.aroute is not None:
                                    self.request = Request("await", node.aroute(values))
                                    goto = yield None
                                else:
                                    goto = node.route(values)  # type: ignore[misc]
                        else:
                            # a Command, a list of updates, None: its writes and where it leads
                            update, goto, after = yield from _lone_outcome(
                                self, node, result, values, asynchronous
                            )
                    except BaseException as exc:
                        if task is not None:
                            task.active = False
                        if type(exc).__name__ == "CancelledError":
                            exc = node_failure(node.name, exc, asynchronous)
                        taken = (
                            self.taken(task, exc)
                            if task is not None and type(exc) is ParentCommand
                            else None
                        )
                        if taken is None:
                            if held:
                                yield from held
                                held.clear()
                            if type(exc) is ParentCommand:
                                # a command for the parent graph ends this graph, not the task:
                                # the task this graph runs in takes it
                                if exc.receiver is None:
                                    exc.receiver = run.parent
                            elif want_tasks and task is not None and type(exc) is not GraphDrained:
                                # a subgraph's drain stops its task, which did not fail either
                                yield from run.task_result(task, None, exc)
                            raise exc
                        # a graph the node ran sent this graph a command: the task's outcome
                        update, goto = taken
                        if update:
                            plan.apply(values, update)
                        after = None
                    if task is not None:
                        task.active = False
                    if live and held:
                        yield from held
                        held.clear()
                    if want_updates:
                        updated = node.updated
                        yield updated(node.name, update, ns)
                    if want_tasks:
                        # a run that shows tasks gives every step one (``bare`` is false)
                        yield from run.task_result(task, update, None)  # type: ignore[arg-type]
                    if want_values and update:
                        yield ValuesEvent(dict(values), ns)
                    if after is not None:
                        ready = after
                    elif len(goto) == 1 and type(goto[0]) is str and not node.joins:
                        ready = alone[goto[0]]
                    else:
                        ready = self._successors(((node, goto),))
                        pushes = self.pushes
                    continue
                if not ready and not pushes:
                    break
                if saved_alone and len(ready) == 1 and not pushes and not resuming:
                    if not (yield from saved_step(self, ready[0], step)):
                        break
                    ready, pushes = self.ready, self.pushes
                    continue
                if not saving and not asynchronous and len(ready) == 1 and not pushes:
                    # one task that streams while it runs: on the run's worker
                    ready, pushes = yield from self.live_lone(ready[0], step)
                    continue
                # several tasks, or one whose events stream as they happen
                breaks = self.breaks
                if breaks is not None and not resuming and self.breaks_before(breaks[0], ready):
                    # interrupt_before: the checkpoint that names these tasks is saved
                    yield from self.at_breakpoint()
                    break
                self.step = step
                if plan.deferring:
                    ready = self.hold(ready)
                self.ready = ready
                tasks = self.tasks_of(ready, step)
                if thread is not None:
                    thread.started(tasks, self.pushes_running)
                nodes = self.running
                inputs = self.inputs(values)
                if want_tasks:
                    yield from run.task_starts(tasks, inputs)
                if thread is not None:
                    yield from self.prepare(tasks)
                hits: Any = None
                if self.cache is not None:
                    hits = yield from self.look_up(tasks, nodes, inputs)
                # on a resumed thread, tasks whose writes were saved are not run again
                done = self.writes if thread is not None and self.writes else None
                if asynchronous:
                    jobs: Any = self.jobs(tasks, nodes, inputs, True)
                    if hits or done:
                        jobs = [job for job in jobs if not _skipped(job[0], hits, done)]
                    self.request = Request("superstep", jobs, self.timeout, self.rescues)
                    yield None
                else:
                    jobs = self.jobs(tasks, nodes, inputs, False)
                    if hits or done:
                        jobs = [job for job in jobs if not _skipped(job[0], hits, done)]
                    yield from self.run_sync(jobs, thread, live)
                resuming = False
                # a subgraph stopped at a breakpoint interrupts its task with no interrupts
                if thread is not None and self.interrupts is not _NO_INTERRUPTS:
                    yield from self.halt()
                    if run.parent is not None:
                        # the task that runs this graph stops at the same interrupts
                        raise GraphInterrupt(tuple(self.interrupts))
                    break
                yield from self.settle()
                ready = self.ready
                pushes = self.pushes
                if thread is not None:
                    yield from self.save(thread, step)
                    if breaks is not None and self.breakpoint(breaks[1], nodes):
                        # interrupt_after: the checkpoint after these tasks is saved
                        yield from self.at_breakpoint()
                        break
            run.result = dict(values)
        finally:
            self.step = step
            self.ready = ready
            if thread is not None:
                if thread.deferred is not None:
                    # durability "exit": the run's last checkpoint is stored as it ends
                    # (a subgraph that finished leaves nothing)
                    self.exit_checkpoint(thread)
                # a saver storing in the background has stored what the run gave it
                thread.flush()
            if lone is not None and get_current() is lone:
                # hand the context back to the task this run started in (or to none)
                CURRENT_TASK.set(run.parent)
            if not asynchronous:
                # the async driver waits for its tasks itself, without blocking its loop
                run.close()


def _lone_outcome(
    engine: Engine, node: Node, result: object, values: dict[str, Any], asynchronous: bool
) -> Generator[Any, Any, tuple[Writes, Goto, tuple[Node, ...] | None]]:
    """A lone task's outcome when its node returned other than a dict of state keys: its
    writes (applied to ``values``), its goto, and its successors when they are known."""
    plan = engine.plan
    update, sent = plan.outcome(node.name, result)
    if update:
        plan.apply(values, update)
    after = node.after
    if after is not None and not sent:
        return update, (), after
    direct = node.direct
    goto: Goto
    if direct is not None and not sent:
        goto = direct(values)
        if len(goto) == 1 and type(goto[0]) is str:
            return update, goto, plan.alone[goto[0]]
        return update, goto, None
    if not node.routed:
        goto = node.then
    elif asynchronous and node.aroute is not None:
        engine.request = Request("await", node.aroute(values))
        goto = yield None
    else:
        goto = node.route(values)  # type: ignore[misc]
    # a Command's goto adds to the node's edges
    return update, goto + sent, None
