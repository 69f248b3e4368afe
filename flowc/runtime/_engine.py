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
(a result, or an error thrown in), so an interrupt, a retry or a timeout is
one more kind of outcome; push tasks (``Send``) join the planned nodes ahead
of the triggered ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any, Final, Literal

from ._persist import BRANCH, CHECKPOINTER, DURABILITY, START, Thread, task_id
from .config import DEFAULT_RECURSION_LIMIT
from .control import Send, as_command, as_send
from .errors import (
    EmptyInputError,
    GraphRecursionError,
    InvalidInputError,
    InvalidUpdateError,
    recursion_message,
)
from .events import Event, UpdatesEvent, ValuesEvent, set_flag
from .run import (
    CURRENT_TASK,
    Done,
    Run,
    Task,
    check_concurrent_writes,
    check_update,
    ignore,
    no_sync,
    route,
)

__all__ = [
    "Engine",
    "Node",
    "Plan",
    "Request",
    "Task",
    "abody",
    "body",
    "keyed_input",
    "no_sync",
    "route",
]

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
        writes: the keys the spec declares the node writes: writing another
            is an error at run time (else any of the state's keys).
    """

    __slots__ = (
        "acall",
        "after",
        "aroute",
        "call",
        "input",
        "is_async",
        "joins",
        "keys",
        "metadata",
        "name",
        "plain",
        "route",
        "routed",
        "stream",
        "subgraph",
        "tags",
        "then",
        "triggers",
        "updated",
        "writes",
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
        writes: tuple[str, ...] | None = None,
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
        self.writes = None if writes is None else frozenset(writes)
        """The keys the spec declares the node writes; it may write no other."""
        self.keys: frozenset[str] = self.writes or frozenset()
        """The keys the node may write (its declared writes, else the plan's state keys)."""
        self.after: tuple[Node, ...] | None = None
        """The nodes of ``then``, sorted, when they alone decide where the node leads
        (no routers, no joins): the plan resolves them."""
        self.subgraph: Plan | None = None
        """A subgraph node's graph (its state is read from its own checkpoints)."""
        self.is_async = acall is not None or aroute is not None
        self.routed = route is not None or aroute is not None
        """Whether routers decide where the node leads (else its plain edges do)."""
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
        writes: per node, the keys its spec declares it writes (see :class:`Node`).
    """

    __slots__ = (
        "afirst",
        "alone",
        "entry",
        "fields",
        "first",
        "input",
        "joins",
        "keys",
        "last_value",
        "limit",
        "merge",
        "merge_writes",
        "name",
        "nodes",
        "recursion_limit",
        "start",
        "subgraphs",
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
        writes: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.name = name
        self.fields = fields
        self.keys = frozenset(fields)
        self.nodes: Mapping[str, Node] = {node.name: node for node in nodes}
        self.entry = entry
        self.merge = merge or _merge
        self.alone = {node.name: (node,) for node in nodes}
        """Each node as a superstep of its own (a tuple made once)."""
        self.merge_writes = merge
        """The graph's own merge; ``None`` when writes are a plain ``update``."""
        for node in nodes:
            if writes and node.name in writes:
                node.writes = frozenset(writes[node.name])
                node.keys = node.writes
            elif node.writes is None:
                node.keys = self.keys
            if not node.routed and not node.joins:
                node.after = tuple(self.nodes[name] for name in sorted(set(node.then)))
        self.first = first
        self.afirst = afirst
        self.joins = joins
        self.last_value = last_value if len(nodes) > 1 else frozenset()
        self.input = input
        self.recursion_limit = recursion_limit
        self.limit = DEFAULT_RECURSION_LIMIT if recursion_limit is None else recursion_limit
        """The recursion limit of a run that sets none."""
        self.start = start or self._start
        self.subgraphs = frozenset(node.name for node in nodes if node.stream is not None)
        """The nodes that run a subgraph (their tasks' states are the subgraphs')."""
        if input is not None:
            for node in nodes:
                if node.input is dict:
                    node.input = input

    def stored(self, channels: Mapping[str, Any]) -> dict[str, Any]:
        """The state a checkpoint's ``channels`` hold, in declaration order.

        A key never written has the value an empty input starts it with (an
        empty list for a list reducer, as LangGraph's channels start), if any.
        """
        try:
            state = self.start({})[0]
        except (EmptyInputError, InvalidInputError, TypeError, ValueError):
            # a state whose class requires fields has no empty start
            state = {}
        state.update((key, channels[key]) for key in self.fields if key in channels)
        return {key: state[key] for key in self.fields if key in state}

    def _start(self, input: Any) -> tuple[dict[str, Any], bool]:
        # the common input, a dict of state keys, needs no call
        if type(input) is not dict or not self.keys.issuperset(input):
            input = self.checked_input(input)
        # into an empty state every key is written as it is, in declaration order
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
        declared = self.nodes[node].writes
        if type(result) is dict and result and (declared or self.keys).issuperset(result):
            return result
        writes = check_update(node, result, self.keys)
        if writes and declared is not None and not declared.issuperset(writes):
            extra = sorted(str(k) for k in writes if k not in declared)
            raise InvalidUpdateError(
                f"node {node!r} wrote {', '.join(repr(k) for k in extra)}, which its spec "
                f"does not declare in `writes` (it writes {', '.join(sorted(declared))})"
            )
        return writes

    def outcome(self, node: str, result: object) -> tuple[Writes, Goto]:
        """What ``node`` returned, as its writes and where it sends the run besides its edges.

        A :class:`~.control.Command` gives both (its ``update`` and its
        ``goto``: node names and ``Send``s); anything else is writes alone.
        """
        command = as_command(result)
        if command is None:
            return self.check(node, result), ()
        if command.graph is not None:
            raise InvalidUpdateError(
                f"node {node!r} returned a Command for graph {command.graph!r}: "
                "commands to a parent graph are not supported by flowc yet"
            )
        if command.resume is not None:
            raise InvalidUpdateError(
                f"node {node!r} returned a Command with resume: resuming needs a checkpointer, "
                "which flowc runs do not have yet"
            )
        update = command.update
        if isinstance(update, list | tuple):
            update = dict(update)
        goto = command.goto
        targets: tuple[Any, ...] = (
            tuple(goto) if isinstance(goto, list | tuple) else (goto,) if goto else ()
        )
        out: list[Any] = []
        for target in targets:
            send = as_send(target) if not isinstance(target, str) else None
            if send is not None:
                out.append(send)
            elif target not in ("__end__", "END"):
                if target not in self.nodes:
                    raise InvalidUpdateError(
                        f"node {node!r} returned a Command to go to {target!r}, "
                        "which is not a node of the graph"
                    )
                out.append(target)
        return self.check(node, update), tuple(out)

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
    plain = node.plain
    result = plain(inp) if plain is not None else node.call(task, inp, values)
    sent: Goto = ()
    # the common case, a non-empty dict of state keys, needs no call
    if type(result) is dict and result and node.keys.issuperset(result):
        update: Writes = result
    else:
        update, sent = plan.outcome(node.name, result)
    route = node.route
    if route is None:
        return update, node.then + sent if sent else node.then
    local = dict(values)
    if update:
        plan.apply(local, update)
    return update, route(local) + sent


async def abody(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan
) -> tuple[Writes, Goto]:
    """Async twin of :func:`body`."""
    acall = node.acall
    result = await acall(task, inp, values) if acall is not None else node.call(task, inp, values)
    update, sent = plan.outcome(node.name, result)
    if node.route is None and node.aroute is None:
        return update, node.then + sent
    local = dict(values)
    if update:
        plan.apply(local, update)
    aroute = node.aroute
    if aroute is not None:
        return update, await aroute(local) + sent
    assert node.route is not None
    return update, node.route(local) + sent


_NOTHING: Final[tuple[Event, ...]] = ()
_NO_JOINS: Final[list[set[str]]] = []
_NO_WRITES: Final[dict[Any, Any]] = {}
_NO_PUSHES: Final[list[Any]] = []
"""Shared by every engine until it needs its own (never written to)."""
_PUSH: Final = ("__pregel_push",)
"""The triggers of a ``Send`` task, as LangGraph shows them."""
"""The joins' progress of every plan without joins (never written to)."""


class Request:
    """What the engine asks of an async driver, between the events it yields.

    ``await``: await :attr:`work` (a lone async node or router) and send the
    result back, or throw its error in. ``superstep``: run :attr:`work`, the
    jobs of a superstep, with :meth:`Run.run_async`; pass their live events
    on, give each finished task to :meth:`Engine.record` (or its error to
    :meth:`Engine.failed`, then raise it), and send ``None`` back.
    """

    __slots__ = ("kind", "work")

    def __init__(self, kind: Literal["await", "superstep"], work: Any) -> None:
        self.kind = kind
        self.work = work


class Engine:
    """One run of one plan, superstep by superstep.

    :meth:`steps` is the superstep loop. A superstep of one task that needs
    no executor (a sync node whose events need not stream while it runs) is
    called right in the loop's frame, through one task object reused from
    step to step; every other superstep is handed to an executor: the sync
    run's worker pool (:meth:`Run.run_threads`), or the async driver, which
    the loop asks through :class:`Request`. The rules of a superstep of
    several tasks are also methods of their own (:meth:`record`,
    :meth:`settle`), which the drivers and tests call.

    Args:
        plan: the graph.
        run: the run (its modes, config and namespace).
        values: the state after the input was applied; the engine updates it
            in place.
    """

    __slots__ = (
        "_lone",
        "given",
        "order",
        "plan",
        "pushes",
        "pushes_running",
        "ready",
        "run",
        "running",
        "seen",
        "step",
        "thread",
        "values",
        "writes",
    )

    def __init__(self, plan: Plan, run: Run, values: dict[str, Any], given: Any = None) -> None:
        self.plan = plan
        self.given = given
        """The run's input as given (on a thread, only its keys are written over the state)."""
        self.run = run
        self.values = values
        self.step = 0
        """The superstep running now (0 before the first)."""
        self.seen: list[set[str]] = [set() for _ in plan.joins] if plan.joins else _NO_JOINS
        """Per join, the sources that ran since its target last ran."""
        # made by the first superstep of several tasks: a run of lone tasks needs none
        self.writes: dict[Task, tuple[Task, Writes, Goto]] = _NO_WRITES
        """This superstep's recorded writes, by task, until :meth:`settle` applies them."""
        self.pushes: list[Send] = _NO_PUSHES
        """The next superstep's ``Send``s, in the order they were sent."""
        self.pushes_running: list[Send] = _NO_PUSHES
        """The ``Send``s of the superstep of several tasks that runs now."""
        self.order: tuple[Task, ...] = ()
        """The tasks of a superstep of several, in LangGraph's order."""
        self.running: tuple[Node, ...] = ()
        """The node of each task of :attr:`order`."""
        self._lone: Task | None = None
        self.ready: tuple[Node, ...] = ()
        """The next superstep's nodes, in order."""
        self.thread: Thread | None = None
        """The run's thread, when it runs on one with a checkpointer (see :meth:`on_thread`)."""

    @property
    def lone(self) -> Task | None:
        """The one task object the run reuses for its supersteps of a single task."""
        return self._lone

    def on_thread(self) -> Thread | None:
        """Put the run on its thread, if its config names one and carries a checkpointer.

        The thread's latest state becomes the run's, with the input applied
        on top of it through the reducers (as LangGraph applies it), and the
        step numbers go on from the thread's. Nested runs keep no thread of
        their own.
        """
        run = self.run
        if run.parent is not None:
            return self._nested_thread()
        configurable = run.config.get("configurable")
        if not configurable or configurable.get(CHECKPOINTER) is None:
            return None
        if configurable.get("thread_id") is None:
            raise ValueError(
                "a graph with a checkpointer needs a thread to run on: pass "
                'config={"configurable": {"thread_id": ...}}'
            )
        thread = self.thread = run.thread = Thread(
            configurable[CHECKPOINTER],
            run.config,
            self.plan.fields,
            stream="checkpoints" in run.modes,
            debug=run.debug,
            durability=configurable.get(DURABILITY) or "async",
            subgraphs=self.plan.subgraphs,
        )
        saved, step = thread.load()
        given = self.given
        if given is None:
            return self._resumed(thread, saved, step)
        return self._started(thread, saved, step)

    def _nested_thread(self) -> Thread | None:
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
        thread = self.thread = run.thread = Thread(
            outer.saver,
            outer.config,
            self.plan.fields,
            stream="checkpoints" in run.modes,
            debug=run.debug,
            durability=outer.durability,
            subgraphs=self.plan.subgraphs,
            ns=run.checkpoint_ns,
            parents={**outer.parents, outer.ns: outer.config["configurable"]["checkpoint_id"]},
            event_ns=run.ns,
        )
        saved, step = thread.load()
        if thread.loaded is not None:
            return self._resumed(thread, saved, step)
        return self._started(thread, saved, step)

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
        thread.saved = dict(saved)
        values.clear()
        values.update(saved)
        if thread.given:
            self.plan.apply(values, thread.given)
        return thread

    def _resumed(self, thread: Thread, saved: dict[str, Any], step: int) -> Thread:
        """A run without input: it goes on from the thread's checkpoint (see :meth:`Thread.resume`)."""
        if thread.loaded is None:
            raise EmptyInputError("Received no input for __start__")
        values = self.values
        values.clear()
        values.update(self.plan.stored(saved))
        thread.saved = dict(values)
        thread.resuming = True
        due, self.step, thread.opening = thread.resume(values)
        # LangGraph counts a resumed run's limit from the checkpoint: two more supersteps
        thread.bound = 2 + step - self.step
        # a run stopped after its input checkpoint: the hidden __start__ task takes the input
        thread.resumed = due if START not in due else None
        thread.given = (
            dict(thread.loaded.checkpoint["channel_values"].get(START) or {})
            if START in due
            else {}
        )
        if START in due:
            self.plan.apply(values, thread.given)
        return thread

    def begin(self, thread: Thread, first: Goto) -> tuple[Event, ...]:
        """The input checkpoint and the hidden ``__start__`` task's writes (where START leads)."""
        if thread.opening is not None:
            return self.reopen(thread, first)
        checkpoint_id, events = thread.checkpoint(
            "input", self.step - 1, thread.saved, (), start=thread.given
        )
        thread.ran_task(START, (START,))
        thread.put_writes(task_id(checkpoint_id, "", START), thread.given, first)
        return events

    def reopen(self, thread: Thread, first: Goto) -> tuple[Event, ...]:
        """A resumed run's first events: the state, then the checkpoint it goes on from."""
        events: list[Event] = []
        if self.run.values:
            events.append(ValuesEvent(dict(self.values), self.run.ns))
        events.extend(thread.opening or ())
        thread.opening = None
        if thread.resumed is None:
            # the hidden __start__ task's writes (a retried task's are stored once)
            checkpoint_id = thread.config["configurable"]["checkpoint_id"]
            thread.ran_task(START, (START,))
            thread.put_writes(task_id(checkpoint_id, "", START), thread.given, first)
            events.extend(self.save(thread, self.step + 1))
            self.step += 1
        return tuple(events)

    def reuse(self, tasks: tuple[Task, ...]) -> tuple[Event, ...]:
        """Record the writes the resumed step's tasks saved before the run stopped; their events.

        Those tasks do not run again; as LangGraph does, each one's update
        streams marked as cached.
        """
        thread = self.thread
        assert thread is not None
        cached = thread.cached
        thread.cached = {}
        events: list[Event] = []
        run = self.run
        for task in tasks:
            saved = cached.get(task.id)
            if saved is None:
                continue
            update, goto = saved
            self.writes[task] = (task, update, goto)
            thread.written.update(update or ())
            thread.written.update(BRANCH + name for name in goto)
            if run.updates:
                event = self.plan.nodes[task.name].updated(task.name, update, run.ns)
                events.append(set_flag(event, "cached"))
        return tuple(events)

    def save(self, thread: Thread, step: int) -> tuple[Event, ...]:
        """The checkpoint after superstep ``step``; it names the next superstep's tasks."""
        checkpoint_id, events = thread.checkpoint(
            "loop",
            step,
            self.values,
            tuple(node.name for node in self.ready),
            tuple(send.node for send in self.pushes),
        )
        del checkpoint_id
        return events

    def steps(
        self, wrote: bool, first: Goto | None = None, asynchronous: bool = False
    ) -> Generator[Any, Any, None]:
        """Run the supersteps, yielding the requested events (and, if ``asynchronous``, requests).

        Args:
            wrote: whether the input wrote something (then ``values`` streams it first).
            first: the nodes of the first superstep; if not given, START's
                edges and (sync) routers, which run in LangGraph's hidden
                first task, before the input's values.
            asynchronous: the run is an async driver's, which does what the
                loop asks of it.

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
        get_current = CURRENT_TASK.get
        alone = plan.alone
        # every lone task is called in the loop: a sync run streaming nothing live, or an
        # async one at the root streaming nothing live (else, see the step's own test)
        inline = not live and (not asynchronous or run.parent is None)
        lone = self._lone
        ready = self.ready
        pushes = self.pushes
        step = self.step
        thread = self.thread
        try:
            if first is None:
                # only a run given a config can be on a thread: others skip the call
                if run.config:
                    thread = self.on_thread()
                if thread is not None and thread.resumed is not None:
                    first = thread.resumed
                else:
                    first = plan.entry if plan.first is None else plan.first(values)
            if len(first) == 1 and type(first[0]) is str:
                ready = self.ready = alone[first[0]]
            else:
                # START's routers may send tasks too
                ready = self.ready = self._successors(((None, first),))
                pushes = self.pushes
            # a run on a thread takes every step through record and settle, which store
            # its writes before they are applied: the lone-task path stays as it was
            saving = thread is not None
            if saving:
                inline = False
            if thread is not None:
                step = self.step
                limit += step + thread.bound
                yield from self.begin(thread, first)
                step = self.step
            if wrote and want_values and (thread is None or not thread.resuming):
                yield ValuesEvent(dict(values), ns)
            if thread is not None and thread.resumed is None:
                yield from self.save(thread, step)
            while True:
                step += 1
                if step > limit:
                    raise GraphRecursionError(recursion_message(limit))
                if not ready and not pushes:
                    break
                if (
                    len(ready) == 1
                    and not pushes
                    and (
                        inline
                        or (
                            not saving
                            and (
                                # a nested async run's lone sync node goes to a thread: here, it
                                # would block the event loop, and with it the graph's parallel siblings
                                (not live and ready[0].is_async)
                                if asynchronous
                                # a lone subgraph node runs its graph right here even when events
                                # stream live: the graph's events come out of its own loop as they happen
                                else (ready[0].stream is not None and not run.messages)
                            )
                        )
                    )
                ):
                    node = ready[0]
                    # one task and nothing to stream while it runs: call it right here,
                    # through the one task object every such step of the run reuses
                    task = lone
                    if task is None:
                        task = lone = self._lone = Task(
                            run, node.name, step, node.triggers, ignore, node.metadata, node.tags
                        )
                    else:
                        if task.name != node.name:
                            task.name = node.name
                            task.triggers = node.triggers
                            task.metadata = node.metadata
                            task.tags = node.tags
                        task.step = step
                    inp = node.input(values)
                    if want_tasks:
                        yield from run.task_starts((task,), (inp,))
                    # the context variable is set once for the reused task, which is active
                    # only while its node runs: cheaper than setting it around every node
                    if get_current() is not task:
                        CURRENT_TASK.set(task)
                    task.active = True
                    try:
                        plain = node.plain
                        result: object
                        if plain is not None:
                            result = plain(inp)
                        elif asynchronous and node.acall is not None:
                            result = yield Request("await", node.acall(task, inp, values))
                        elif not asynchronous and node.stream is not None:
                            # while it yields, the code running is the run's consumer
                            task.active = False
                            result = yield from node.stream(task, inp, values)
                        else:
                            result = node.call(task, inp, values)
                        update: Writes
                        sent: Goto = ()
                        # the common case, a non-empty dict of state keys, needs no call
                        if type(result) is dict and result and node.keys.issuperset(result):
                            update = result
                        else:
                            update, sent = plan.outcome(node.name, result)
                        # the only task of its superstep: its writes go straight into the
                        # state, which is then what its routers see
                        if update:
                            known = len(values)
                            if merge is None:
                                values.update(update)
                            else:
                                merge(values, update)
                            if len(values) != known:
                                plan.reorder(values)
                        after = node.after
                        goto: Goto = ()
                        if after is None or sent:
                            if not node.routed:
                                goto = node.then
                            elif asynchronous and node.aroute is not None:
                                goto = yield Request("await", node.aroute(values))
                            else:
                                goto = node.route(values)  # type: ignore[misc]
                            if sent:
                                # a Command's goto adds to the node's edges
                                after = None
                                goto += sent
                    except BaseException as exc:
                        task.active = False
                        if want_tasks:
                            yield from run.task_result(task, None, exc)
                        raise
                    task.active = False
                    if want_updates:
                        yield node.updated(node.name, update, ns)
                    if want_tasks:
                        yield from run.task_result(task, update, None)
                    if update and want_values:
                        yield ValuesEvent(dict(values), ns)
                    if after is not None:
                        ready = after
                    elif len(goto) == 1 and type(goto[0]) is str and not node.joins:
                        ready = alone[goto[0]]
                    else:
                        ready = self._successors(((node, goto),))
                        pushes = self.pushes
                    continue
                # several tasks, or one whose events stream as they happen
                self.step = step
                self.ready = ready
                tasks = self.tasks_of(ready, step)
                if thread is not None:
                    thread.started(tasks, self.pushes_running)
                nodes = self.running
                inputs = self.inputs(values)
                if want_tasks:
                    yield from run.task_starts(tasks, inputs)
                if thread is not None and thread.cached:
                    # a resumed step: the tasks that saved their writes do not run again
                    yield from self.reuse(tasks)
                    kept = [i for i, task in enumerate(tasks) if task not in self.writes]
                    tasks = tuple(tasks[i] for i in kept)
                    nodes = tuple(nodes[i] for i in kept)
                    inputs = [inputs[i] for i in kept]
                if asynchronous:
                    jobs: Any = [
                        (task, abody if n.is_async else body, (inp, values, n, plan), n.is_async)
                        for task, n, inp in zip(tasks, nodes, inputs, strict=True)
                    ]
                    yield Request("superstep", jobs)
                else:
                    jobs = [
                        (task, body, (inp, values, n, plan))
                        for task, n, inp in zip(tasks, nodes, inputs, strict=True)
                    ]
                    for item in run.run_threads(jobs):
                        if not isinstance(item, Done):
                            yield item
                            continue
                        if item.error is not None:
                            yield from self.failed(item.task, item.error)
                            raise item.error
                        yield from self.record(item.task, *item.result)
                yield from self.settle()
                ready = self.ready
                pushes = self.pushes
                if thread is not None:
                    yield from self.save(thread, step)
            run.result = dict(values)
        finally:
            self.step = step
            self.ready = ready
            if thread is not None and thread.deferred is not None:
                # durability "exit": the run's last checkpoint is stored as it ends, however
                thread.flush()
            if lone is not None and get_current() is lone:
                # hand the context back to the task this run started in (or to none)
                CURRENT_TASK.set(run.parent)
            if not asynchronous:
                # the async driver waits for its tasks itself, without blocking its loop
                run.close()

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
            task = Task(run, node.name, step, _PUSH, ignore, node.metadata, node.tags)
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
            thread.put_writes(task.id, update, goto)
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
        run = self.run
        thread = self.thread
        if thread is not None:
            thread.put_error(task.id, error)
        if run.tasks or run.debug:
            return run.task_result(task, None, error)
        return _NOTHING

    def settle(self) -> tuple[Event, ...]:
        """End a superstep of several tasks: apply their writes; its events; its successors.

        Writes are applied in LangGraph's order of task paths (the triggered
        nodes' in name order, then the ``Send`` tasks' in the order sent),
        whatever order the tasks finished in. A plain key written by two tasks fails as in LangGraph. The next
        superstep's nodes are then :attr:`ready` (and its ``Send``s :attr:`pushes`).
        """
        writes = self.writes
        # LangGraph applies writes by task path: its triggered nodes' (`__pregel_pull`, by
        # name) before its Sends' (`__pregel_push`, in the order sent), though the Send
        # tasks start first
        pushed = len(self.pushes_running)
        order = self.order[pushed:] + self.order[:pushed]
        running = self.running[pushed:] + self.running[:pushed]
        plan = self.plan
        if plan.last_value and len(order) > 1:
            check_concurrent_writes([writes[task][1] for task in order], plan.last_value)
        values = self.values
        wrote = False
        outcomes = []
        for task, node in zip(order, running, strict=True):
            _, update, goto = writes[task]
            if update:
                plan.apply(values, update)
                wrote = True
            outcomes.append((node, goto))
        writes.clear()
        self.ready = self._successors(outcomes)
        if wrote and self.run.values:
            return (ValuesEvent(dict(values), self.run.ns),)
        return _NOTHING

    def nodes(self, names: Goto | set[str]) -> tuple[Node, ...]:
        """The nodes of ``names``, once each, in name order (LangGraph's order of tasks)."""
        nodes = self.plan.nodes
        if len(names) == 1:
            for name in names:
                return (nodes[name],)
        return tuple(nodes[name] for name in sorted(set(names)))
