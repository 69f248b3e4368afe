"""LangChain callbacks: a run given ``callbacks`` reports its graph and its tasks as chain runs.

Needs ``langchain-core``. The runtime imports this module the first time a run's
config has callbacks (:mod:`flowc.runtime.hooks`); it then does what LangGraph's
Pregel does:

* the graph's run is a chain run named after the graph (``run_name`` if the
  config has one), with the config's run id, tags and metadata plus
  ``ls_integration: "langgraph"``; it ends with the run's final values;
* each task is a chain run under it, named after its node, tagged
  ``graph:step:N``, with the ``langgraph_*`` metadata of the task's config;
  its input is the node's input and its output what the node wrote;
* a node's ``config["callbacks"]`` (and LangChain's child config, which a
  runnable called inside the node without a config picks up) is the task run's
  child ``seq:step:1``: LangChain runnables and chat models report under it,
  and so does a graph run inside the node;
* a node's routers are chain runs under the task (``seq:step:3``), named after
  the router function;
* in an async run, a stream handler (``astream_events``, ``astream_log``) gets
  each task's output as the task run's streamed chunk, as LangGraph streams a
  node when it runs under ``astream_events``.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast
from uuid import UUID

from langchain_core.callbacks.manager import AsyncCallbackManager, CallbackManager
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tracers._streaming import _StreamingCallbackHandler

from flowc.runtime import hooks as _hooks
from flowc.runtime import messages as _messages
from flowc.runtime._steps import abody, body

from . import _trace_policy as _policy
from ._traced_nodes import (
    RUNNING,
    UNSET,
    Running,
    acall_router,
    call_router,
    record,
    router_of,
    traced_node,
)

if TYPE_CHECKING:
    import asyncio

    from flowc.runtime._plan import Goto, Node, Plan
    from flowc.runtime.events import Event
    from flowc.runtime.run import Run, Task

__all__ = ["node_callbacks"]

R = TypeVar("R")

_END: Final = "__end__"

_node_callbacks: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "flowc_node_callbacks", default=None
)
"""The callback manager of the running node (its task run's child ``seq:step:1``)."""

_START: Final = "__start__"
_HIDDEN: Final = "langsmith:hidden"
"""The tag LangGraph gives its ``__start__`` task (and its routers)."""


def node_callbacks() -> Any:
    """The callback manager of the node running here, if its run reports to callbacks."""
    return _node_callbacks.get()


def _stream_handlers(manager: Any) -> list[Any]:
    """The handlers of ``manager`` that take a run's streamed output (``astream_events``...)."""
    from .langchain import StreamMessagesHandler

    return [
        h
        for h in manager.handlers
        if _StreamingCallbackHandler in type(h).__mro__ and not isinstance(h, StreamMessagesHandler)
    ]


def _one(value: Any) -> AsyncIterator[Any]:
    async def gen() -> AsyncIterator[Any]:
        yield value

    return gen()


class _Hooks:
    """The hooks of one run given callbacks (see the module's docstring)."""

    __slots__ = ("_started", "_traced", "input", "loop", "manager", "policies", "run")

    def __init__(self, run: Run) -> None:
        self.run = run
        self.manager: Any = None
        """The graph's run manager, once the run started (async, in an async run)."""
        self.loop: asyncio.AbstractEventLoop | None = None
        """The event loop of an async run: its sync tasks report through it."""
        self.input: Any = None
        """The run's input (its ``__start__`` task's, when START has routers)."""
        self._traced: dict[int, Node] = {}
        self.policies: dict[str, Any] = {}
        """The nodes' trace policies (see :mod:`._trace_policy`)."""
        self._started: dict[int, Any] = {}
        """The runs of sync tasks of an async run started on the loop, by task."""

    # -- the graph's run ------------------------------------------------------------------

    def _configure(self, manager_class: Any) -> Any:
        run = self.run
        config = run.config
        parent = _node_callbacks.get() if run.parent is not None else None
        if parent is not None:
            # a graph run inside a node reports under the node's run
            manager = manager_class.configure(
                inheritable_callbacks=parent, inheritable_tags=config.get("tags")
            )
            if "checkpoint_ns" not in manager.metadata and run.parent is not None:
                manager.add_metadata({"checkpoint_ns": run.parent.checkpoint_ns})
        else:
            manager = manager_class.configure(
                inheritable_callbacks=config.get("callbacks"),
                inheritable_tags=config.get("tags"),
                inheritable_metadata=config.get("metadata"),
            )
        if "ls_integration" not in manager.metadata:
            manager.add_metadata({"ls_integration": "langgraph"})
        return manager

    def _start_args(self, plan: Plan) -> dict[str, Any]:
        run = self.run
        config: Any = run.config
        run_id = config.get("run_id") if run.parent is None else None
        if run_id is not None and not isinstance(run_id, UUID):
            run_id = UUID(str(run_id))
        name = config.get("run_name") if run.parent is None else None
        return {"name": name or plan.label or plan.name, "run_id": run_id}

    def _ended(self) -> Any:
        """The run's final values; a subgraph's are its node's output too, as in LangGraph."""
        result = self.run.result
        if self.run.parent is not None:
            record(result)
        return result

    def traced(self, events: Iterator[Event], input: Any, plan: Plan) -> Iterator[Event]:
        """The run's events between the graph's chain start and its end (or error)."""
        self.input = input
        self.policies = plan.trace_policies or {}
        manager = self._configure(CallbackManager)
        run_manager = manager.on_chain_start(None, input, **self._start_args(plan))
        self.manager = run_manager
        try:
            yield from events
        except BaseException as exc:
            run_manager.on_chain_error(exc)
            raise
        run_manager.on_chain_end(self._ended())

    async def atraced(
        self, events: AsyncIterator[Event], input: Any, plan: Plan
    ) -> AsyncIterator[Event]:
        """Async twin of :meth:`traced`."""
        import asyncio

        self.input = input
        self.policies = plan.trace_policies or {}
        self.loop = asyncio.get_running_loop()
        manager = self._configure(AsyncCallbackManager)
        run_manager = await manager.on_chain_start(None, input, **self._start_args(plan))
        self.manager = run_manager
        try:
            async for event in events:
                yield event
        except BaseException as exc:
            await asyncio.shield(run_manager.on_chain_error(exc))
            raise
        finally:
            close = getattr(events, "aclose", None)
            if close is not None:
                await close()
        await run_manager.on_chain_end(self._ended())

    # -- START's routers: LangGraph's __start__ task -----------------------------------------

    def _start_task(self) -> Task:
        from flowc.runtime.run import Task, ignore

        return Task(self.run, _START, 0, (_START,), ignore)

    def first(self, plan: Plan, values: dict[str, Any]) -> Goto:
        """START's routers, as routers of a ``__start__`` task whose output is the input."""
        route = plan.first
        assert route is not None
        if self.manager is None:
            return route(values)
        task = self._start_task()
        task_run = self._task_manager(task, CallbackManager, hidden=True).on_chain_start(
            None, self.input, name=_START
        )
        running = Running(task_run, None, [*self.run.tags, _HIDDEN])
        name, path_map = router_of(route, plan, _START)
        try:
            goto = call_router(running, name, path_map, route, values, "seq:step:2")
        except BaseException as exc:
            task_run.on_chain_error(exc)
            raise
        task_run.on_chain_end(self.input)
        return goto  # type: ignore[no-any-return]

    async def afirst(self, plan: Plan, values: dict[str, Any]) -> Goto:
        """Async twin of :meth:`first` (START has an async router)."""
        aroute = plan.afirst
        if aroute is None:
            # sync routers, called here on the loop (the callbacks are awaited)
            route = plan.first
            assert route is not None

            async def aroute(values: dict[str, Any]) -> Goto:
                return route(values)

            name, path_map = router_of(route, plan, _START)
        else:
            name, path_map = router_of(aroute, plan, _START)
        if self.manager is None:
            return await aroute(values)
        task = self._start_task()
        manager = self._task_manager(task, AsyncCallbackManager, hidden=True)
        task_run = await manager.on_chain_start(None, self.input, name=_START)
        running = Running(task_run, None, [*self.run.tags, _HIDDEN])
        try:
            goto = await acall_router(running, name, path_map, aroute, values, "seq:step:2")
        except BaseException as exc:
            await task_run.on_chain_error(exc)
            raise
        await _streamed(task_run, self.input)
        await task_run.on_chain_end(self.input)
        return goto  # type: ignore[no-any-return]

    # -- tasks ----------------------------------------------------------------------------

    def _task_manager(self, task: Task, manager_class: Any, *, hidden: bool = False) -> Any:
        child = self.manager.get_child(f"graph:step:{task.step}")
        # the run's tags come after the step's, as LangGraph's task config adds them
        tags = [*self.run.tags, _HIDDEN] if hidden else self.run.tags
        return manager_class.configure(
            inheritable_callbacks=child,
            inheritable_tags=tags,
            inheritable_metadata=_messages.config_metadata(task),
        )

    def _enter(self, task: Task, running: Running) -> Callable[[], None]:
        """Make the task run's child the node's callbacks (and LangChain's child config)."""
        callbacks = running.manager.get_child("seq:step:1")
        config = cast(Any, dict(task.node_config()))
        config["callbacks"] = callbacks
        tokens = (
            _node_callbacks.set(callbacks),
            RUNNING.set(running),
            var_child_runnable_config.set(config),
        )
        undo = _messages.set_config_extras({"callbacks": callbacks})

        def leave() -> None:
            undo()
            var_child_runnable_config.reset(tokens[2])
            RUNNING.reset(tokens[1])
            _node_callbacks.reset(tokens[0])

        return leave

    def _args(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
        """``args`` of a task's body with its node traced (its output, its routers)."""
        if fn is not body and fn is not abody:
            return args
        node = args[2]
        traced = self._traced.get(id(node))
        if traced is None:
            traced = self._traced[id(node)] = traced_node(node, args[3])
        return (args[0], args[1], traced, *args[3:])

    def run_task(self, task: Task, fn: Callable[..., R], args: tuple[Any, ...]) -> R:
        """Run a task as a chain run of its node (see the module's docstring)."""
        if self.manager is None:  # the run's events are not traced
            return fn(task, *args)
        if self.loop is not None:
            # a sync task of an async run, on a worker: the run's handlers are the loop's
            return self._run_task_on_loop(task, fn, args)
        policy = self.policies.get(task.name)
        manager = self._task_manager(task, CallbackManager)
        task_run = _policy.start(manager, args[0], task.name, policy)
        running = Running(task_run, None, self.run.tags)
        leave = self._enter(task, running)
        try:
            result = fn(task, *self._args(fn, args))
        except BaseException as exc:
            task_run.on_chain_error(exc)
            raise
        finally:
            leave()
        _policy.end(task_run, _output(running, result), policy)
        return result

    async def astart(self, task: Task, args: tuple[Any, ...]) -> None:
        """Start a task's run on the loop, before it runs (see the protocol)."""
        if self.manager is None:
            return
        manager = self._task_manager(task, AsyncCallbackManager)
        policy = self.policies.get(task.name)
        self._started[id(task)] = await _policy.astart(manager, args[0], task.name, policy)

    def _run_task_on_loop(self, task: Task, fn: Callable[..., R], args: tuple[Any, ...]) -> R:
        running = Running(None, self.loop, self.run.tags)
        policy = self.policies.get(task.name)
        task_run = self._started.pop(id(task), None)
        if task_run is None:
            manager = self._task_manager(task, AsyncCallbackManager)
            task_run = running.on_loop(_policy.astart(manager, args[0], task.name, policy))
        running.manager = task_run
        leave = self._enter(task, running)
        try:
            result = fn(task, *self._args(fn, args))
        except BaseException as exc:
            running.on_loop(task_run.on_chain_error(exc))
            raise
        finally:
            leave()
        output = _output(running, result)
        running.on_loop(_streamed(task_run, output))
        running.on_loop(_policy.aend(task_run, output, policy))
        return result

    async def arun_task(self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Async twin of :meth:`run_task`."""
        if self.manager is None:
            return await fn(task, *args)
        policy = self.policies.get(task.name)
        task_run = self._started.pop(id(task), None)
        if task_run is None:
            manager = self._task_manager(task, AsyncCallbackManager)
            task_run = await _policy.astart(manager, args[0], task.name, policy)
        running = Running(task_run, None, self.run.tags)
        leave = self._enter(task, running)
        try:
            result = await fn(task, *self._args(fn, args))
        except BaseException as exc:
            await task_run.on_chain_error(exc)
            raise
        finally:
            leave()
        output = _output(running, result)
        await _streamed(task_run, output)
        await _policy.aend(task_run, output, policy)
        return result


def _output(running: Running, result: Any) -> Any:
    """What a task's chain run records as its output: what its node returned (else its writes)."""
    if running.output is not UNSET:
        return running.output
    if type(result) is tuple and len(result) == 2:
        return result[0]
    return result


async def _streamed(task_run: Any, output: Any) -> None:
    """Hand ``output`` to the task run's stream handlers, as its one streamed chunk."""
    for handler in _stream_handlers(task_run):
        async for _ in handler.tap_output_aiter(task_run.run_id, _one(output)):
            pass


_hooks.register_run_hooks(_Hooks)
