"""A plan's :class:`Node`: one node of a compiled graph, as the engine runs it.

What a node receives, what it runs and where it leads (see :mod:`._plan`).
Standard library only, as all of the runtime.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from ._node_calls import _async_only, _failing_call, _plain_call
from .events import (
    Event,
    UpdatesEvent,
)
from .run import Task

if TYPE_CHECKING:
    from ._plan import Plan
    from .policies import CachePolicy, RetryPolicy, TimeoutPolicy


Writes = dict[str, Any] | None
"""What a task wrote: a dict of state keys, or ``None`` for nothing."""
Goto = tuple[str, ...]
"""The nodes a task leads to (from its edges and routers)."""


class Guards(TypedDict, total=False):
    """A node's policies (see :meth:`Node.guard`)."""

    retry: Sequence[RetryPolicy]
    defer: bool
    cache: CachePolicy | None
    cache_ns: tuple[str, ...]
    error_handler: Node | None
    timeout: TimeoutPolicy | None


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
        streams: the node may emit while it runs (the safe default); ``False``
            when the compiler proved it quiet.
        reads_task: the node may read its task (``get_config()``, ``get_stream_writer()``,
            a graph it runs): by default, what ``streams`` says; ``True`` for a node
            declared quiet (the compiler proved nothing of it).
        blocks: the node's sync code (its function, its sync routers) may wait
            (the safe default); ``False`` when the compiler proved it cannot:
            then an async run may call it on the event loop's thread.
        quiet: ``streams=False, blocks=False`` in one: the compiler proved the node
            neither emits while it runs nor waits (most nodes).
        writes: the keys the spec declares the node writes: writing another
            is an error at run time (else any of the state's keys).
        retry: the node's retry policies (see :meth:`guard`).
        defer: the node waits until nothing else is left to run (see :meth:`guard`).
    """

    __slots__ = (
        "acall",
        "after",
        "aroute",
        "base_acall",
        "blocks",
        "cache",
        "cache_ns",
        "call",
        "defer",
        "direct",
        "handler",
        "input",
        "is_async",
        "joins",
        "keys",
        "loop_safe",
        "metadata",
        "name",
        "plain",
        "reads_task",
        "retry",
        "route",
        "routed",
        "stream",
        "streams",
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
        streams: bool = True,
        blocks: bool = True,
        quiet: bool = False,
        reads_task: bool | None = None,
        retry: Sequence[RetryPolicy] = (),
        defer: bool = False,
    ) -> None:
        self.name = name
        self.updated = updated
        if quiet:
            streams = blocks = False
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
        self.base_acall = acall
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
        self.streams = streams
        """Whether the node (or a router of it) may emit while it runs: custom events,
        a graph's events. ``False`` (proven by the compiler) lets it run in the loop in
        every mode; a subgraph node streams."""
        self.reads_task = streams if reads_task is None else reads_task
        """Whether the node may read its task; ``False`` (a node the compiler proved quiet, that
        calls nothing of flowc's) lets a run that shows no task call it without one."""
        self.blocks = blocks
        self.loop_safe = acall is not None or not blocks
        """Whether an async run may run the node on the event loop's thread: an async
        node, or a sync one proven not to wait (``blocks`` false)."""
        self.keys: frozenset[str] = self.writes or frozenset()
        """The keys the node may write (its declared writes, else the plan's state keys)."""
        self.after: tuple[Node, ...] | None = None
        """The nodes of ``then``, sorted, when they alone decide where the node leads
        (no routers, no joins): the plan resolves them."""
        self.subgraph: Plan | None = None
        """A subgraph node's graph (its state is read from its own checkpoints)."""
        self.is_async = acall is not None or aroute is not None
        """Whether the node's task awaits something (an async node, subgraph or router)."""
        self.routed = route is not None or aroute is not None
        """Whether routers decide where the node leads (else its plain edges do)."""
        self.direct: Callable[[dict[str, Any]], Goto] | None = None
        """``route`` when it alone decides where the node leads (a sync router, no
        joins): a lone task's next superstep is then the one node it names."""
        self.retry: tuple[RetryPolicy, ...] = ()
        """The node's retry policies (none: a failure fails the run)."""
        self.cache: CachePolicy | None = None
        """The node's cache policy, if any (see :meth:`Engine.look_up`)."""
        self.cache_ns: tuple[str, ...] = ()
        """Where the node's cache entries live."""
        self.handler: Node | None = None
        """The node that runs in this node's place when it fails (see :meth:`Engine.rescue`)."""
        self.defer = defer
        """Whether the node, once triggered, waits until no other node is triggered (LangGraph's
        ``defer=True``): it then runs, with the ``Send`` tasks of that step if any."""
        if retry:
            self.guard(retry=retry)

    def guard(self, **policies: Unpack[Guards]) -> None:
        """Give the node policies (before it runs): ``retry`` runs a failed attempt again;
        ``defer`` makes it wait until nothing else is left to run; ``cache`` takes what it
        wrote from the run's cache when its input was seen before (its entries under
        ``cache_ns``, by default ``("__flowc_writes", node name)``); ``error_handler``
        runs when the node fails, in its place (see :meth:`Engine.rescue`); ``timeout``
        gives up on an attempt of an async node that takes too long (a sync run of it fails,
        as in LangGraph).

        A node with retry policies is called through its ``call`` (and ``acall``), which
        retry within the task (:mod:`.policies`): the engine no longer calls its ``plain``
        function or its ``stream`` directly.
        """
        retry, timeout = policies.get("retry", ()), policies.get("timeout")
        cache, error_handler = policies.get("cache"), policies.get("error_handler")
        if timeout is not None:
            from .policies import sync_timeout_message, timed

            # each attempt is timed: the retries go around the timed call
            if self.acall is not None:
                self.acall = timed(timeout, self.name, self.acall)
            self.call = _failing_call(sync_timeout_message(self.name))
            self.plain = None
            self.stream = None
        if retry:
            # only graphs with policies load them
            from .policies import aretrying, retrying

            self.retry = tuple(retry)
            if not getattr(self.call, "async_only", False):
                self.call = retrying(self.retry, self.call)
            if self.acall is not None:
                self.acall = aretrying(self.retry, self.acall)
            self.plain = None
            self.stream = None
        if policies.get("defer"):
            self.defer = True
        if cache is not None:
            self.cache = cache
            self.cache_ns = policies.get("cache_ns") or ("__flowc_writes", self.name)
        if error_handler is not None:
            self.handler = error_handler

    def __repr__(self) -> str:
        return f"Node({self.name!r})"
