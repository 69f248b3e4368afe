"""Copies of a plan's nodes whose bodies and routers report to the running task's chain run.

Used by :mod:`flowc.integrations.langchain_callbacks` for runs given callbacks only: a
run without callbacks runs the plan's own nodes. A copy records what its node
returned (the task run's output, as LangGraph records it: before flowc reads it
as writes) and reports each call of its routers as a chain run under the task's
run (``seq:step:3``), named after the router function, whose output is what the
router returned (before a ``path_map`` maps it).
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import inspect
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Final

from langchain_core.callbacks.manager import AsyncCallbackManager, CallbackManager

if TYPE_CHECKING:
    from flowc.runtime._plan import Node, Plan

__all__ = [
    "RUNNING",
    "UNSET",
    "Running",
    "acall_router",
    "call_router",
    "picked",
    "record",
    "router_of",
    "run_name",
    "traced_node",
]

_END: Final = "__end__"
UNSET: Final = object()


class Running:
    """A task's chain run, as its node and routers report under it."""

    __slots__ = ("loop", "manager", "output", "tags")

    def __init__(
        self, manager: Any, loop: asyncio.AbstractEventLoop | None, tags: list[str]
    ) -> None:
        self.manager = manager
        """The task run's manager."""
        self.loop = loop
        """The event loop of an async run (its handlers are the loop's), else ``None``."""
        self.tags = tags
        """The run's tags: a router's run has them after its own."""
        self.output: Any = UNSET
        """What the node returned, once it returned."""

    def on_loop(self, coro: Any) -> Any:
        """Run a callback coroutine on the run's loop, from a worker thread, and wait for it."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()


RUNNING: contextvars.ContextVar[Running | None] = contextvars.ContextVar(
    "flowc_task_run", default=None
)
"""The running task's chain run."""


def router_of(
    route: Callable[..., Any], plan: Plan, source: str
) -> tuple[str, Mapping[Hashable, str] | None]:
    """The name of the (first) router of node ``source`` (START's: ``__start__``) of ``plan``,
    and the ``path_map`` its results go through, if any.

    The plan knows them if its graph is a drop-in's; else they are read off the generated
    ``_route_<node>`` (or ``_first``), from the router function it calls first.
    """
    known = plan.routers.get(source) if plan.routers else None
    if known is not None:
        return known
    code = getattr(route, "__code__", None)
    scope = getattr(route, "__globals__", {})
    for name in getattr(code, "co_names", ()):
        if name.startswith("_router_") and name in scope:
            found = scope[name]
            path_map = None
            while path_map is None and found is not None:
                path_map = getattr(found, "path_map", None)
                found = getattr(found, "__wrapped__", None)
            fn = inspect.unwrap(scope[name])
            return str(getattr(fn, "__name__", None) or type(fn).__name__), path_map
    return str(getattr(route, "__name__", "route")).lstrip("_"), None


def picked(goto: Any, path_map: Mapping[Hashable, str] | None) -> Any:
    """A router's result as LangGraph records it, from where the node leads: a node's name
    (or the key of the ``path_map`` that names it), ``__end__``, or a list of them."""
    targets = list(goto) if goto else [_END]
    if path_map is not None:
        keys = {target: key for key, target in path_map.items()}
        targets = [keys.get(t, t) if isinstance(t, str) else t for t in targets]
    return targets[0] if len(targets) == 1 else targets


def traced_node(node: Node, plan: Plan) -> Node:
    """A copy of ``node`` that records its output and reports its routers (see the module)."""
    traced = copy.copy(node)
    if node.stream is None:
        # a subgraph node's output is its graph's, which the graph's run records (a function
        # that runs a graph has that graph's state, not its output: ``node.subgraph``)
        _record_outputs(traced, node)
    if node.route is not None:
        traced.route = _traced_route(node.route, *router_of(node.route, plan, node.name))
    if node.aroute is not None:
        traced.aroute = _traced_aroute(node.aroute, *router_of(node.aroute, plan, node.name))
    return traced


def run_name(router: str, asynchronous: bool) -> str:
    """The name of a router's run: LangGraph names a lambda's by its run's flavour."""
    if router != "<lambda>":
        return router
    return "Unnamed" if asynchronous else "RunnableCallable"


def record(output: Any) -> None:
    """Record ``output`` as the running task's."""
    running = RUNNING.get()
    if running is not None:
        running.output = output


def _record_outputs(traced: Node, node: Node) -> None:
    plain = node.plain
    call = node.call
    acall = node.acall
    if plain is not None:

        def traced_plain(inp: Any) -> object:
            out = plain(inp)
            record(out)
            return out

        traced.plain = traced_plain

    def traced_call(task: Any, inp: Any, values: dict[str, Any]) -> object:
        out = call(task, inp, values)
        record(out)
        return out

    traced.call = traced_call
    if acall is not None:

        async def traced_acall(task: Any, inp: Any, values: dict[str, Any]) -> object:
            out = await acall(task, inp, values)
            record(out)
            return out

        traced.acall = traced_acall


def router_manager(running: Running, manager_class: Any, step: str = "seq:step:3") -> Any:
    """The callback manager of a router's run under ``running``'s task run."""
    return manager_class.configure(
        inheritable_callbacks=running.manager.get_child(step), inheritable_tags=running.tags
    )


def _traced_route(
    route: Callable[[dict[str, Any]], Any], name: str, path_map: Mapping[Hashable, str] | None
) -> Callable[[dict[str, Any]], Any]:

    def traced_route(state: dict[str, Any]) -> Any:
        running = RUNNING.get()
        if running is None:
            return route(state)
        return call_router(running, name, path_map, route, state)

    return traced_route


def call_router(
    running: Running,
    name: str,
    path_map: Mapping[Hashable, str] | None,
    route: Callable[[dict[str, Any]], Any],
    state: dict[str, Any],
    step: str = "seq:step:3",
) -> Any:
    """Call a sync router as a chain run under ``running``'s task run."""
    # a task of an async run, on a worker: the run's handlers are the loop's
    in_async_run = running.loop is not None
    manager = router_manager(
        running, AsyncCallbackManager if in_async_run else CallbackManager, step
    )
    deliver: Callable[[Any], Any] = running.on_loop if in_async_run else _returned
    router_run = deliver(manager.on_chain_start(None, state, name=run_name(name, in_async_run)))
    try:
        goto = route(state)
    except BaseException as exc:
        deliver(router_run.on_chain_error(exc))
        raise
    deliver(router_run.on_chain_end(picked(goto, path_map)))
    return goto


def _returned(value: Any) -> Any:
    """What a sync callback manager's call returned (its async twin's is run on the loop)."""
    return value


def _traced_aroute(
    aroute: Callable[[dict[str, Any]], Any], name: str, path_map: Mapping[Hashable, str] | None
) -> Callable[[dict[str, Any]], Any]:

    async def traced_aroute(state: dict[str, Any]) -> Any:
        running = RUNNING.get()
        if running is None:
            return await aroute(state)
        return await acall_router(running, name, path_map, aroute, state)

    return traced_aroute


async def acall_router(
    running: Running,
    name: str,
    path_map: Mapping[Hashable, str] | None,
    aroute: Callable[[dict[str, Any]], Any],
    state: dict[str, Any],
    step: str = "seq:step:3",
) -> Any:
    """Await an async router as a chain run under ``running``'s task run."""
    manager = router_manager(running, AsyncCallbackManager, step)
    router_run = await manager.on_chain_start(None, state, name=run_name(name, True))
    try:
        goto = await aroute(state)
    except BaseException as exc:
        await router_run.on_chain_error(exc)
        raise
    await router_run.on_chain_end(picked(goto, path_map))
    return goto
