"""The superstep engine: LangGraph's step semantics, written once, without I/O.

A generated module describes its graph as a :class:`Plan` of :class:`Node`
objects (its functions: what a node receives, what it does, where it leads).
An :class:`Engine` runs one plan for one run, in the manner of h11 and of
LangGraph's ``PregelLoop``: it plans each superstep's tasks, takes each
task's outcome, records its writes, applies them with the reducers in
node-name order, decides the next step and enforces the recursion limit, and
makes the events of the requested modes. It never calls a node, starts a
thread or awaits anything: the drivers (:mod:`._drive`) do that and feed
outcomes back, so one set of rules serves ``stream``, ``astream``,
``invoke``, ``ainvoke`` and nested graphs.

A superstep, as the drivers walk it::

    tasks = engine.tick()            # None when the run is over
    # lone task: run it, then
    engine.commit(task, update)      # its writes go into the state at once
    engine.finish(task, update, goto)
    # several tasks: run them, record each as it ends, then
    engine.record(task, update, goto)
    engine.settle()                  # writes applied in node-name order

The seams of what comes next are here: the step boundary (:meth:`tick`) is
where a checkpoint will be taken and a resumed run start; writes are recorded
per task (:attr:`Engine.writes`) before :meth:`settle` applies them; a task's
outcome is handed in whole, so an interrupt, a retry or a timeout is one more
kind of outcome; push tasks (``Send``) join :meth:`tick`'s plan ahead of the
triggered ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any, Final

from .errors import EmptyInputError, GraphRecursionError, InvalidInputError, recursion_message
from .events import Event, UpdatesEvent, ValuesEvent
from .run import Run, Task, check_concurrent_writes, check_update, ignore, no_sync

__all__ = ["Engine", "Node", "Plan", "abody", "body", "keyed_input"]

Writes = dict[str, Any] | None
"""What a task wrote: a dict of state keys, or ``None`` for nothing."""
Goto = tuple[str, ...]
"""The nodes a task leads to (from its edges and routers)."""


class Node:
    """One node of a plan: its name, what it runs and where it leads.

    Args:
        name: the node's name.
        updated: the node's ``@final`` updates-event class.
        call: runs the node on a task: ``call(task, input, values)`` returns
            what the node returned (the engine checks it against the state's
            keys). Made from ``plain`` if not given.
        then: the nodes its plain edges lead to (END left out).
        plain: the node's own function, when it takes the state alone: the
            drivers call it directly, and the engine checks what it returns.
        acall: the async twin of ``call`` (async nodes and subgraph nodes).
        stream: a subgraph node's body as a generator of its graph's events
            that returns its writes, which a lone sync task runs in the loop.
        route: ``route(state)`` gives where the node leads (edges and
            routers) from the state with its writes applied.
        aroute: the async twin of ``route``, when a router is async.
        input: what the node receives, made from the state (the plan's
            ``input`` if not given).
        triggers, metadata, tags: what ``tasks`` and ``debug`` events show.
        joins: the indices of the plan's joins this node feeds.
    """

    __slots__ = (
        "acall",
        "after",
        "aroute",
        "call",
        "input",
        "is_async",
        "joins",
        "metadata",
        "name",
        "plain",
        "route",
        "stream",
        "tags",
        "then",
        "triggers",
        "updated",
    )

    def __init__(
        self,
        name: str,
        updated: type[UpdatesEvent[Any, Any]],
        call: Callable[[Task, Any, dict[str, Any]], object] | None = None,
        *,
        then: Goto = (),
        plain: Callable[[Any], object] | None = None,
        acall: Callable[[Task, Any, dict[str, Any]], Awaitable[object]] | None = None,
        stream: Callable[[Task, Any, dict[str, Any]], Generator[Event, None, Writes]] | None = None,
        route: Callable[[dict[str, Any]], Goto] | None = None,
        aroute: Callable[[dict[str, Any]], Awaitable[Goto]] | None = None,
        input: Callable[[dict[str, Any]], Any] | None = None,
        triggers: tuple[str, ...] | None = None,
        metadata: dict[str, Any] | None = None,
        tags: tuple[str, ...] = (),
        joins: tuple[int, ...] = (),
    ) -> None:
        self.name = name
        self.updated = updated
        if call is None:
            if plain is not None:
                call = _plain_call(plain)
            elif acall is not None:
                call = _async_only(name)
            else:
                raise TypeError(f"node {name!r} needs a call, a plain function or an acall")
        self.call = call
        self.then = then
        self.plain = plain
        self.acall = acall
        self.stream = stream
        self.route = route
        self.aroute = aroute
        self.input: Callable[[dict[str, Any]], Any] = input or dict
        self.triggers = triggers if triggers is not None else (f"branch:to:{name}",)
        self.metadata = metadata
        self.tags = tags
        self.joins = joins
        self.after: tuple[Node, ...] = ()
        """The nodes of ``then``, sorted (the plan resolves them)."""
        self.is_async = acall is not None or aroute is not None
        """Whether the node's task awaits something (an async node, subgraph or router)."""

    def __repr__(self) -> str:
        return f"Node({self.name!r})"


def _plain_call(plain: Callable[[Any], object]) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        return plain(inp)

    return call


def _async_only(name: str) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        raise no_sync(name)

    return call


def _merge(values: dict[str, Any], update: dict[str, Any]) -> None:
    values.update(update)


class Plan:
    """A compiled graph as the engine runs it.

    Args:
        name: the graph's name.
        fields: the state's keys in declaration order (the order of ``values``).
        nodes: the graph's nodes.
        entry: the nodes of the first superstep (START's plain edges).
        start: the state a run starts from, given its input, and whether the
            input wrote anything (checks the input; a dict of the plan's keys
            is taken as it is if not given).
        merge: writes one task's writes into the state, through each field's
            reducer (a plain ``update`` if not given).
        first: START's routers, if any: the first superstep's nodes from the
            input's state. ``afirst`` is its async twin.
        joins: each join (an edge from several nodes at once): its sources
            and its target.
        last_value: the keys without a reducer: two tasks of one superstep
            may not both write one.
        input: what a node receives by default, made from the state.
        recursion_limit: the graph's default recursion limit.
    """

    __slots__ = (
        "afirst",
        "entry",
        "fields",
        "first",
        "input",
        "joins",
        "keys",
        "last_value",
        "merge",
        "merge_writes",
        "name",
        "nodes",
        "recursion_limit",
        "start",
    )

    def __init__(
        self,
        name: str,
        fields: tuple[str, ...],
        nodes: tuple[Node, ...],
        entry: Goto = (),
        *,
        start: Callable[[Any], tuple[dict[str, Any], bool]] | None = None,
        merge: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
        first: Callable[[dict[str, Any]], Goto] | None = None,
        afirst: Callable[[dict[str, Any]], Awaitable[Goto]] | None = None,
        joins: tuple[tuple[frozenset[str], str], ...] = (),
        last_value: frozenset[str] = frozenset(),
        input: Callable[[dict[str, Any]], Any] | None = None,
        recursion_limit: int | None = None,
    ) -> None:
        self.name = name
        self.fields = fields
        self.keys = frozenset(fields)
        self.nodes: Mapping[str, Node] = {node.name: node for node in nodes}
        self.entry = entry
        self.merge = merge or _merge
        self.merge_writes = merge
        """The graph's own merge; ``None`` when writes are a plain ``update``."""
        for node in nodes:
            node.after = tuple(self.nodes[name] for name in sorted(set(node.then)))
        self.first = first
        self.afirst = afirst
        self.joins = joins
        self.last_value = last_value if len(nodes) > 1 else frozenset()
        self.input = input
        self.recursion_limit = recursion_limit
        self.start = start or self._start
        if input is not None:
            for node in nodes:
                if node.input is dict:
                    node.input = input

    def _start(self, input: Any) -> tuple[dict[str, Any], bool]:
        # into an empty state every key is written as it is, in declaration order
        input = self.checked_input(input)
        return {key: input[key] for key in self.fields if key in input}, bool(input)

    def checked_input(self, input: Any) -> Mapping[str, Any]:
        """A run's input, checked: a mapping of the state's keys.

        Raises:
            EmptyInputError: for ``None``, as LangGraph says it.
            InvalidInputError: for anything but a mapping, or a key the state does not have.
        """
        if input is None:
            raise EmptyInputError("Received no input for __start__")
        if type(input) is not dict and not isinstance(input, Mapping):
            raise InvalidInputError(
                f"graph {self.name!r} takes a mapping of state keys as input, "
                f"not {type(input).__name__}"
            )
        if not self.keys.issuperset(input):
            unknown = [key for key in input if key not in self.keys]
            raise InvalidInputError(
                f"graph {self.name!r} has no state key {unknown[0]!r} "
                f"(its keys: {', '.join(self.fields)})"
            )
        return input

    def check(self, node: str, result: object) -> Writes:
        """What ``node`` returned, as its writes (see :func:`check_update`)."""
        if type(result) is dict and result and self.keys.issuperset(result):
            return result
        return check_update(node, result, self.keys)

    def apply(self, values: dict[str, Any], update: dict[str, Any]) -> None:
        """Write ``update`` into ``values``, keeping ``values`` in declaration order."""
        known = len(values)
        self.merge(values, update)
        if len(values) != known:
            self.reorder(values)

    def reorder(self, values: dict[str, Any]) -> None:
        """Put the keys back in declaration order after a key was written for the first time.

        That happens at most once per key and run.
        """
        ordered = [(key, values[key]) for key in self.fields if key in values]
        values.clear()
        values.update(ordered)


def keyed_input(
    keys: tuple[str, ...], defaults: Mapping[str, Any] | None = None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What a node with an input schema of its own receives: only those keys."""
    if defaults:

        def with_defaults(values: dict[str, Any]) -> dict[str, Any]:
            state = {**defaults, **values}
            return {key: state[key] for key in keys if key in state}

        return with_defaults

    def only(values: dict[str, Any]) -> dict[str, Any]:
        return {key: values[key] for key in keys if key in values}

    return only


def body(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan
) -> tuple[Writes, Goto]:
    """Run ``node`` as one of several tasks of a superstep: its writes and where it leads.

    Its routers see the state with this task's own writes applied, not its
    siblings' (those are applied later, in node-name order).
    """
    update = plan.check(node.name, node.call(task, inp, values))
    route = node.route
    if route is None:
        return update, node.then
    local = dict(values)
    if update:
        plan.apply(local, update)
    return update, route(local)


async def abody(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan
) -> tuple[Writes, Goto]:
    """Async twin of :func:`body`."""
    acall = node.acall
    result = await acall(task, inp, values) if acall is not None else node.call(task, inp, values)
    update = plan.check(node.name, result)
    if node.route is None and node.aroute is None:
        return update, node.then
    local = dict(values)
    if update:
        plan.apply(local, update)
    aroute = node.aroute
    if aroute is not None:
        return update, await aroute(local)
    assert node.route is not None
    return update, node.route(local)


_NOTHING: Final[tuple[Event, ...]] = ()


class Engine:
    """One run of one plan, superstep by superstep, without I/O.

    The engine plans the first superstep when it is made; :attr:`tasks` is
    always the next superstep's tasks (``None`` once the run is over), and
    :meth:`finish` (one task) or :meth:`record` and :meth:`settle` (several)
    end a superstep and plan the next. :meth:`end` closes the run.

    Args:
        plan: the graph.
        run: the run (its modes, config and namespace).
        values: the state after the input was applied; the engine updates it
            in place.
        first: the nodes of the first superstep.
    """

    __slots__ = (
        "_lone",
        "_over",
        "limit",
        "ns",
        "plan",
        "ready",
        "run",
        "seen",
        "step",
        "tasks",
        "values",
        "want_tasks",
        "want_updates",
        "want_values",
        "writes",
    )

    def __init__(self, plan: Plan, run: Run, values: dict[str, Any], first: Goto) -> None:
        self.plan = plan
        self.run = run
        self.values = values
        self.ns = run.ns
        self.limit = run.limit
        self.want_values = run.values
        self.want_updates = run.updates
        self.want_tasks = run.tasks or run.debug
        self.step = 0
        self.seen: list[set[str]] = [set() for _ in plan.joins]
        self.writes: dict[str, tuple[Task, Writes, Goto]] = {}
        """This superstep's recorded writes, by node, until :meth:`settle` applies them."""
        self._lone: Task | None = None
        self._over = False
        self.ready: tuple[Node, ...] = self._nodes(first)
        """The nodes of :attr:`tasks`, in order."""
        self.tasks: tuple[Task, ...] | None = None
        """The next superstep's tasks; ``None`` when there is none to run."""
        self._plan_step()

    @property
    def lone(self) -> Task | None:
        """The one task object the run reuses for its supersteps of a single task."""
        return self._lone

    def started(self, wrote: bool) -> Event | None:
        """The ``values`` event of the input, if it wrote something and values are streamed."""
        return ValuesEvent(dict(self.values), self.ns) if wrote and self.want_values else None

    def _plan_step(self) -> None:
        """Make the next superstep's tasks from :attr:`ready`.

        LangGraph checks the recursion limit before it looks for work: limit N
        allows N supersteps, and the step after the Nth fails even with
        nothing left to run (:meth:`end` raises). A superstep of one task
        reuses one task object (its id and namespaces follow its step and
        node).
        """
        step = self.step = self.step + 1
        ready = self.ready
        if step > self.limit:
            self._over = True
            self.tasks = None
        elif not ready:
            self.tasks = None
        elif len(ready) == 1:
            node = ready[0]
            task = self._lone
            if task is None:
                task = self._lone = Task(
                    self.run, node.name, step, node.triggers, ignore, node.metadata, node.tags
                )
                self.tasks = (task,)
            elif task.name == node.name:
                task.step = step
            else:
                task.name = node.name
                task.step = step
                task.triggers = node.triggers
                task.metadata = node.metadata
                task.tags = node.tags
            if self.tasks is None or self.tasks[0] is not task:
                self.tasks = (task,)
        else:
            run = self.run
            self.tasks = tuple(
                Task(run, node.name, step, node.triggers, ignore, node.metadata, node.tags)
                for node in ready
            )

    def end(self) -> None:
        """Close a run that has no superstep left: its result is the state.

        Raises:
            GraphRecursionError: if the run stopped at the recursion limit.
        """
        if self._over:
            raise GraphRecursionError(recursion_message(self.limit))
        self.run.result = dict(self.values)

    def check(self, task: Task, result: object) -> Writes:
        """What ``task``'s node returned, as its writes (see :meth:`Plan.check`)."""
        return self.plan.check(task.name, result)

    def commit(self, update: dict[str, Any]) -> None:
        """Write the writes of a superstep's only task into the state before it routes.

        Its routers then see the state with them applied; :meth:`finish` is
        then told so.
        """
        values = self.values
        known = len(values)
        merge = self.plan.merge_writes
        if merge is None:
            values.update(update)
        else:
            merge(values, update)
        if len(values) != known:
            self.plan.reorder(values)

    def finish(
        self, task: Task, update: Writes, goto: Goto, committed: bool = False
    ) -> tuple[Event, ...]:
        """End a superstep of one task: apply its writes (unless ``committed``); its events.

        The next superstep is then planned from where the task leads. This is
        the step most runs take most often, so it is written out in full here
        rather than through :meth:`_plan_step`.
        """
        node = self.ready[0]
        values = self.values
        if update and not committed:
            known = len(values)
            merge = self.plan.merge_writes
            if merge is None:
                values.update(update)
            else:
                merge(values, update)
            if len(values) != known:
                self.plan.reorder(values)
        events: tuple[Event, ...]
        if not self.want_tasks:
            if self.want_updates:
                event = node.updated(node.name, update, self.ns)
                if update and self.want_values:
                    events = (event, ValuesEvent(dict(values), self.ns))
                else:
                    events = (event,)
            elif update and self.want_values:
                events = (ValuesEvent(dict(values), self.ns),)
            else:
                events = _NOTHING
        else:
            # made before the task object moves on to the next superstep
            out: list[Event] = []
            if self.want_updates:
                out.append(node.updated(node.name, update, self.ns))
            out.extend(self.run.task_result(task, update, None))
            if update and self.want_values:
                out.append(ValuesEvent(dict(values), self.ns))
            events = tuple(out)
        if goto is node.then and not node.joins:
            ready = self.ready = node.after
        else:
            if node.joins:
                goto = self._joined(node, goto)
            ready = self.ready = self._nodes(goto)
        step = self.step = self.step + 1
        if len(ready) == 1 and step <= self.limit:
            # the common case: one task again, which is the same task object
            after = ready[0]
            if task.name != after.name:
                task.name = after.name
                task.triggers = after.triggers
                task.metadata = after.metadata
                task.tags = after.tags
            task.step = step
        else:
            self.step = step - 1
            self._plan_step()
        return events

    def record(self, task: Task, update: Writes, goto: Goto) -> tuple[Event, ...]:
        """Take one task's outcome in a superstep of several: record its writes; its events."""
        self.writes[task.name] = (task, update, goto)
        if not self.want_tasks:
            if self.want_updates:
                return (self.plan.nodes[task.name].updated(task.name, update, self.ns),)
            return _NOTHING
        events: list[Event] = []
        if self.want_updates:
            events.append(self.plan.nodes[task.name].updated(task.name, update, self.ns))
        events.extend(self.run.task_result(task, update, None))
        return tuple(events)

    def failed(self, task: Task, error: BaseException) -> tuple[Event, ...]:
        """A task raised ``error``: its events (the driver then lets the error through)."""
        if self.want_tasks:
            return self.run.task_result(task, None, error)
        return _NOTHING

    def settle(self) -> tuple[Event, ...]:
        """End a superstep of several tasks: apply their writes; its events; plan the next step.

        Writes are applied in node-name order, whatever order the tasks finished
        in. A plain key written by two tasks fails as in LangGraph.
        """
        writes = self.writes
        ready = self.ready
        plan = self.plan
        if plan.last_value:
            check_concurrent_writes([writes[node.name][1] for node in ready], plan.last_value)
        values = self.values
        wrote = False
        triggered: set[str] = set()
        joins = plan.joins
        for node in ready:
            _, update, goto = writes[node.name]
            if update:
                plan.apply(values, update)
                wrote = True
            triggered.update(goto)
            for index in node.joins:
                self.seen[index].add(node.name)
        if joins:
            for index, (sources, target) in enumerate(joins):
                if self.seen[index] >= sources:
                    triggered.add(target)
                    self.seen[index].clear()
        writes.clear()
        self.ready = self._nodes(triggered)
        self._plan_step()
        if wrote and self.want_values:
            return (ValuesEvent(dict(values), self.ns),)
        return _NOTHING

    def _joined(self, node: Node, goto: Goto) -> Goto:
        """``goto`` plus the joins ``node`` completes."""
        triggered = set(goto)
        for index in node.joins:
            seen = self.seen[index]
            seen.add(node.name)
            sources, target = self.plan.joins[index]
            if seen >= sources:
                triggered.add(target)
                seen.clear()
        return tuple(triggered)

    def _nodes(self, names: Goto | set[str]) -> tuple[Node, ...]:
        nodes = self.plan.nodes
        if len(names) == 1:
            for name in names:
                return (nodes[name],)
        return tuple(nodes[name] for name in sorted(set(names)))
