"""The rules of a superstep of several tasks, and of the node policies, as engine methods.

:class:`Policies` takes what a plan's policies need of a run (its cache,
error handlers, step timeout); :class:`Supersteps` plans a superstep's tasks
in LangGraph's order, records each task's outcome and applies their writes
(:meth:`Supersteps.settle`). Both are bases of :class:`~._engine.Engine`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

from ._persist import put_error
from .control import Command, ParentCommand, Send
from .drain import control_of, drained
from .errors import (
    GraphDrained,
    GraphRecursionError,
    InvalidUpdateError,
    recursion_message,
)
from .events import (
    CustomEvent,
    Event,
    ValuesEvent,
)
from .run import (
    Done,
    Run,
    Task,
    check_concurrent_writes,
    ignore,
)

if TYPE_CHECKING:
    pass


from ._plan import Goto, Node, Plan, Writes
from ._steps import (
    _NO_PUSHES,
    _NO_WRITES,
    _NONE_HELD,
    _NOTHING,
    _PUSH,
    STEP_TIMEOUT,
    CachedUpdates,
    EngineState,
    _from_cache,
    _PushTask,
    _to_cache,
    abody,
    arescue_body,
    body,
    rescue_body,
)


class Policies(EngineState):
    """The engine's making, its step boundary (recursion limit, drain), and its methods for
    the node policies: cache, error handlers, step timeout."""

    def __init__(self, plan: Plan, run: Run, values: dict[str, Any], given: Any = None) -> None:
        self.plan = plan
        self.given = given
        """The run's input as given (on a thread, only its keys are written over the state)."""
        self.run = run
        self.values = values
        if plan.joins:
            self.seen = [set() for _ in plan.joins]

    @property
    def lone(self) -> Task | None:
        """The one task object the run reuses for its supersteps of a single task."""
        return self._lone

    def new_lone(self, node: Node, step: int, emit: Callable[[Event], None]) -> Task:
        """The task object the run's lone supersteps reuse, made for ``node`` at ``step``."""
        task = self._lone = Task(
            self.run, node.name, step, node.triggers, emit, node.metadata, node.tags
        )
        return task

    def at_boundary(self, step: int, bound: int, due: bool) -> None:
        """Before superstep ``step``: fail past the recursion limit ``bound``, or, when tasks
        are ``due``, if the run's control asks it to drain (see :mod:`.drain`).

        Raises:
            GraphRecursionError: past the limit.
            GraphDrained: the run's control asked it to drain.
        """
        if step > bound:
            raise GraphRecursionError(recursion_message(bound))
        if due:
            error = drained(control_of(self.run.config))
            if error is not None:
                raise error

    def use_policies(self, saving: bool) -> bool:
        """Take what the plan's policies need of the run (its cache, handlers, step timeout).

        Returns whether the run's supersteps must all go through :meth:`record` and
        :meth:`settle` (``saving``, or a policy that needs them): then no task runs
        on the lone-task path.
        """
        plan = self.plan
        if plan.caching and self.use_cache():
            # cached tasks are looked up with their superstep's others: no lone-task path
            saving = True
        if plan.handling:
            # a failed task's handler runs in its superstep, next to the others
            saving = True
            self.rescues = []
        if plan.timing and self.use_timeout():
            # a task that takes too long is given up on: it runs on a worker
            saving = True
        return saving

    def use_cache(self) -> bool:
        """Take the run's node cache (its config's), if it has one: :attr:`cache`."""
        from .policies import CACHE

        configurable = self.run.config.get("configurable")
        self.cache = None if not configurable else configurable.get(CACHE)
        return self.cache is not None

    def rescue(self, task: Task, error: BaseException, asynchronous: bool = False) -> bool:
        """Whether a failed task's node has an error handler, which then runs in this superstep.

        The handler's job joins :attr:`rescues`, which the executor running the superstep
        starts at once, next to the superstep's tasks still running.

        As LangGraph's node error handlers: the handler gets the task's input and the
        error; its task streams its updates and its result (no start); its writes and its
        ``Command``'s goto stand in for the failed task's, whose edges are not followed.
        Only an ``Exception`` is handled, and a handler's own failure fails the run.
        """
        node = self.plan.nodes[task.name]
        handler = node.handler
        if handler is None or not isinstance(error, Exception):
            return False
        index = self.order.index(task)
        pushed = self.pushes_running
        inp = pushed[index].arg if index < len(pushed) else node.input(self.values)
        rescuer = Task(
            self.run, handler.name, self.step, _PUSH, ignore, handler.metadata, handler.tags
        )
        # the handlers of two tasks of one node have ids of their own
        rescuer.pin_id(self.run.task_id(self.step, f"{handler.name}\x00{task.id}"))
        if self.run.custom:
            # LangGraph runs a handler in its failed task's config: what it writes comes
            # from that task's namespace
            ns = (*self.run.ns, f"{task.name}:{task.id}")

            def writer(chunk: Any) -> None:
                rescuer.emit(CustomEvent(chunk, ns))

            rescuer._writer = writer
        args = (inp, self.values, handler, self.plan, (task.name, error))
        assert self.rescues is not None
        if not asynchronous:
            self.rescues.append((rescuer, rescue_body, args))
        elif handler.is_async:
            self.rescues.append((rescuer, arescue_body, args, True))
        else:
            self.rescues.append((rescuer, rescue_body, args, False))
        if self.rescued is _NO_WRITES:
            self.rescued = {}
        self.rescued[rescuer] = task
        return True

    def use_timeout(self) -> bool:
        """Take the run's step timeout (its config's, for this plan), if it has one: :attr:`timeout`.

        The config names the plan it is for, so that the graphs a task runs (a subgraph)
        keep their own.
        """
        configurable = self.run.config.get("configurable")
        given = None if not configurable else configurable.get(STEP_TIMEOUT)
        if given is not None and given[0] is self.plan:
            if given[1]:
                self.timeout = float(given[1])
        elif self.plan.step_timeout is not None:
            # the spec's own
            self.timeout = self.plan.step_timeout
        return self.timeout is not None

    def look_up(
        self, tasks: tuple[Task, ...], nodes: tuple[Node, ...], inputs: list[Any]
    ) -> Generator[Any, None, set[Task]]:
        """Take the writes of this superstep's cached tasks from the cache: the tasks it had.

        A hit is recorded as the task's outcome without running it, and streams its
        ``updates`` at once (marked cached, as LangGraph does), and no task result; the
        others' keys wait in :attr:`cache_keys` for their writes (:meth:`remember`).
        """
        from .policies import cache_key

        keys: dict[Any, Task] = {}
        for task, node, inp in zip(tasks, nodes, inputs, strict=True):
            if node.cache is not None:
                keys[cache_key(node.cache, node.cache_ns, inp)] = task
        if not keys:
            return set()
        found = self.cache.get(tuple(keys))
        hits: set[Task] = set()
        run = self.run
        for key, task in keys.items():
            value = found.get(key)
            if value is None:
                if self.cache_keys is _NO_WRITES:
                    self.cache_keys = {}
                self.cache_keys[task] = key
                continue
            update, goto = _from_cache(value)
            hits.add(task)
            self.writes[task] = (task, update, goto)
            if self.thread is not None:
                self.thread.put_writes(task.id, update, goto)
            if run.updates:
                yield CachedUpdates(self.plan.nodes[task.name].updated(task.name, update, run.ns))
        return hits

    def remember(self, task: Task, update: Writes, goto: Goto) -> None:
        """Store a cached task's writes and where it led, once it finished."""
        key = self.cache_keys.pop(task, None)
        if key is None:
            return
        node = self.plan.nodes[task.name]
        assert node.cache is not None
        self.cache.set({key: (_to_cache(update, goto), node.cache.ttl)})


class Supersteps(Policies):
    """The engine's methods for a superstep of several tasks (the drivers and tests call them)."""

    def jobs(
        self,
        tasks: Sequence[Task],
        nodes: Sequence[Node],
        inputs: Sequence[Any],
        asynchronous: bool,
    ) -> list[Any]:
        """A superstep's tasks as its driver runs them, each with its body and arguments."""
        values = self.values
        plan = self.plan
        if asynchronous:
            return [
                (task, abody if n.is_async else body, (inp, values, n, plan), n.is_async)
                for task, n, inp in zip(tasks, nodes, inputs, strict=True)
            ]
        return [
            (task, body, (inp, values, n, plan))
            for task, n, inp in zip(tasks, nodes, inputs, strict=True)
        ]

    def tasks_of(self, ready: tuple[Node, ...], step: int) -> tuple[Task, ...]:
        """The tasks of a superstep of ``ready`` (each one new), after those of its ``Send``s.

        Send tasks come first, in the order they were sent, then the
        triggered nodes' in name order: LangGraph's order of tasks, of their
        start events and of their writes. :attr:`running` then holds each
        task's node, in the same order.
        """
        run = self.run
        nodes = self.plan.nodes
        tasks: list[Task] = []
        running: list[Node] = []
        for index, send in enumerate(self.pushes):
            node = nodes[send.node]
            if send.timeout is not None:
                from .policies import timed_for_send

                node = timed_for_send(node, send.timeout)
            task = _PushTask(run, node.name, step, _PUSH, ignore, node.metadata, node.tags)
            task.path = ("__pregel_push", index, False)
            # tasks of one node sent twice in a step have ids of their own
            task.pin_id(run.task_id(step, f"{node.name}\x00push:{index}"))
            tasks.append(task)
            running.append(node)
        for node in ready:
            tasks.append(
                Task(run, node.name, step, node.triggers, ignore, node.metadata, node.tags)
            )
            running.append(node)
        self.running = tuple(running)
        self.order = tuple(tasks)
        self.pushes_running = self.pushes
        if self.writes is _NO_WRITES:
            self.writes = {}
        return self.order

    def inputs(self, values: dict[str, Any]) -> list[Any]:
        """What each task of :meth:`tasks_of` receives: a ``Send``'s argument, or its node's input."""
        pushes = self.pushes
        inputs = [send.arg for send in pushes]
        inputs.extend(node.input(values) for node in self.running[len(pushes) :])
        return inputs

    def live_lone(
        self, node: Node, step: int
    ) -> Generator[Event, None, tuple[tuple[Node, ...], list[Send]]]:
        """Superstep ``step`` of a sync run: ``node``'s task alone, on the run's worker (it
        streams while it runs), its outcome taken right here (a superstep of one needs none
        of :meth:`settle`'s ordering). Yields its events; returns the next superstep's nodes
        and ``Send``s."""
        run = self.run
        plan = self.plan
        values = self.values
        task = Task(run, node.name, step, node.triggers, ignore, node.metadata, node.tags)
        input_of = node.input
        inp = input_of(values)
        if run.tasks or run.debug:
            yield from run.task_starts((task,), (inp,))
        update = None
        goto: Goto = ()
        for item in run.run_threads(((task, body, (inp, values, node, plan)),)):
            if not isinstance(item, Done):
                yield item
                continue
            if item.error is not None:
                taken = self.taken(task, item.error)
                if taken is None:
                    yield from self.failed(task, item.error)
                    raise item.error
                update, goto = taken
                continue
            update, goto = item.result
        if update:
            plan.apply(values, update)
        if run.updates:
            updated = node.updated
            yield updated(node.name, update, run.ns)
        if run.tasks or run.debug:
            yield from run.task_result(task, update, None)
        if run.values and update:
            yield ValuesEvent(dict(values), run.ns)
        after = node.after
        if after is not None and goto is node.then:
            return after, _NO_PUSHES
        if len(goto) == 1 and type(goto[0]) is str and not node.joins:
            return plan.alone[goto[0]], _NO_PUSHES
        return self._successors(((node, goto),)), self.pushes

    def first_superstep(self, first: Goto) -> tuple[Node, ...]:
        """The first superstep's nodes from where START leads, ``first`` (its ``Send``s
        become :attr:`pushes`); START's plain edges make the same superstep in every run of
        the plan, so it is made once (:attr:`Plan.entry_ready`)."""
        plan = self.plan
        if first is not plan.entry:
            return self._successors(((None, first),))
        if plan.entry_ready is None:
            plan.entry_ready = self._successors(((None, first),))
        return plan.entry_ready

    def _successors(self, outcomes: Any) -> tuple[Node, ...]:
        """The next superstep's nodes from each task's ``goto``, in task order.

        Names trigger nodes (joins counted); ``Send``s become :attr:`pushes`.
        """
        triggered: set[str] = set()
        pushes: list[Send] = []
        nodes = self.plan.nodes
        for node, goto in outcomes:
            for target in goto:
                if type(target) is str:
                    triggered.add(target)
                else:
                    if target.node not in nodes:
                        raise InvalidUpdateError(
                            f"{'START' if node is None else repr(node.name)} sent a task to "
                            f"{target.node!r}, which is not a node of the graph"
                        )
                    pushes.append(target)
            if node is None:
                continue
            for index in node.joins:
                self.seen[index].add(node.name)
        for index, (sources, target) in enumerate(self.plan.joins):
            if self.seen[index] >= sources:
                triggered.add(target)
                self.seen[index].clear()
        self.pushes = pushes
        return self.nodes(triggered)

    def record(self, task: Task, update: Writes, goto: Goto) -> tuple[Event, ...]:
        """Take one task's outcome in a superstep of several: record its writes; its events."""
        self.writes[task] = (task, update, goto)
        thread = self.thread
        if thread is not None:
            resumes = task.resumes
            thread.put_writes(task.id, update, goto, None if resumes is None else resumes.written())
            if self.node_finished is not None:
                self.node_finished(task.name)
        if self.cache_keys:
            self.remember(task, update, goto)
        run = self.run
        if not run.tasks and not run.debug:
            if run.updates:
                return (self.plan.nodes[task.name].updated(task.name, update, run.ns),)
            return _NOTHING
        events: list[Event] = []
        if run.updates:
            events.append(self.plan.nodes[task.name].updated(task.name, update, run.ns))
        events.extend(run.task_result(task, update, None))
        return tuple(events)

    def failed(self, task: Task, error: BaseException) -> tuple[Event, ...]:
        """A task raised ``error``: its events (the error then goes through)."""
        if type(error) is ParentCommand or type(error) is GraphDrained:
            # the task handed a command to the parent graph, or its subgraph drained (the
            # task runs again when the run is resumed): it did not fail
            if type(error) is ParentCommand and error.receiver is None:
                error.receiver = self.run.parent
            return _NOTHING
        run = self.run
        thread = self.thread
        if thread is not None:
            put_error(thread, task.id, error)
        if run.tasks or run.debug:
            return run.task_result(task, None, error)
        return _NOTHING

    def taken(self, task: Task, error: BaseException) -> tuple[Writes, Goto] | None:
        """The outcome of ``task`` whose node ran a graph that sent ``Command(graph=PARENT)``:
        the command's update, and where it leads besides the node's edges (as LangGraph takes
        it); ``None`` for any other error."""
        if type(error) is not ParentCommand or error.receiver is not task:
            return None
        command = error.command
        plan = self.plan
        update, sent = plan.outcome(task.name, Command(update=command.update, goto=command.goto))
        node = plan.nodes[task.name]
        route = node.route
        if route is None:
            return update, node.then + sent
        local = dict(self.values)
        if update:
            plan.apply(local, update)
        return update, route(local) + sent

    def settle(self) -> tuple[Event, ...]:
        """End a superstep of several tasks: apply their writes; its events; its successors.

        Writes are applied in LangGraph's order of task paths (the triggered
        nodes' in name order, then the ``Send`` tasks' in the order sent),
        whatever order the tasks finished in. A plain key written by two tasks fails as in LangGraph. The next
        superstep's nodes are then :attr:`ready` (and its ``Send``s :attr:`pushes`).
        """
        writes = self.writes
        if self.rescued:
            # a handler's writes take the place of those its failed task did not make
            for rescuer, failed in self.rescued.items():
                writes[failed] = writes.pop(rescuer)
            self.rescued = {}
        order, running = self.in_path_order()
        plan = self.plan
        if plan.last_value and len(order) > 1:
            check_concurrent_writes(
                [writes[task][1] for task in order], plan.last_value, plan.untracked
            )
        values = self.values
        wrote = False
        outcomes = []
        settled = (
            _settled_overwrites(
                [writes[task][1] for task in order], lambda key: key not in plan.plain_keys
            )
            if plan.overwrites
            else None
        )
        for index, (task, node) in enumerate(zip(order, running, strict=True)):
            owner, update, goto = writes[task]
            if settled is not None:
                update = settled[index]
            if update:
                plan.apply(values, update)
                wrote = True
            # a failed task's joins wait on: only its handler's goto counts
            outcomes.append((node if owner is task else None, goto))
        writes.clear()
        self.ready = self._successors(outcomes)
        if self.held:
            # the next superstep decides again which of them still wait
            self.ready = self.nodes({node.name for node in self.ready} | self.held)
            self.held = _NONE_HELD
        if wrote and self.run.values:
            return (ValuesEvent(dict(values), self.run.ns),)
        return _NOTHING

    def in_path_order(self) -> tuple[tuple[Task, ...], tuple[Node, ...]]:
        """This superstep's tasks and their nodes in the order their writes are applied."""
        # LangGraph applies writes by task path: its triggered nodes' (`__pregel_pull`, by
        # name) before its Sends' (`__pregel_push`, in the order sent), though the Send
        # tasks start first (and a resumed run may have started its nodes in graph order)
        pushed = len(self.pushes_running)
        order = self.order
        running = self.running
        if pushed:
            order = order[pushed:] + order[:pushed]
            running = running[pushed:] + running[:pushed]
        if self.unsorted:
            self.unsorted = False
            pulls = len(order) - pushed
            pairs = sorted(
                zip(order[:pulls], running[:pulls], strict=True), key=lambda pair: pair[0].name
            )
            order = tuple(task for task, _ in pairs) + order[pulls:]
            running = tuple(node for _, node in pairs) + running[pulls:]
        return order, running

    def hold(self, ready: tuple[Node, ...]) -> tuple[Node, ...]:
        """The nodes of a superstep of several, deferred ones held back while others run.

        As LangGraph's deferred channels, which become available only in a step that
        triggers no other node: the held nodes join the next superstep's nodes
        (:meth:`settle`), and so on until one has no other (its ``Send`` tasks aside).
        """
        waiting = frozenset(node.name for node in ready if node.defer)
        if not waiting or len(waiting) == len(ready):
            self.held = _NONE_HELD
            return ready
        self.held = waiting
        return tuple(node for node in ready if not node.defer)

    def nodes(self, names: Goto | set[str]) -> tuple[Node, ...]:
        """The nodes of ``names``, once each, in name order (LangGraph's order of tasks)."""
        nodes = self.plan.nodes
        if len(names) == 1:
            for name in names:
                return (nodes[name],)
        return tuple(nodes[name] for name in sorted(set(names)))


def _settled_overwrites(updates: Any, reduced: Any) -> Any:
    # only plans that take LangGraph's Overwrite load it (its dataclass module costs a runner)
    from ._overwrite import settled_overwrites

    return settled_overwrites(updates, reduced)
