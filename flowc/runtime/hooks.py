"""Run hooks: what a run given ``callbacks`` in its config calls around itself and its tasks.

Standard library only. An integration registers a factory
(:func:`register_run_hooks`), for example the LangChain one
(``flowc.integrations.langchain_callbacks``), which opens a chain run for the graph and
one per task, as LangGraph does. The runtime asks for hooks once per run, and
only when the run's config has callbacks (:func:`for_run`): a run without
callbacks has ``run.hooks is None`` and pays nothing per step, since its tasks
are wrapped only when ``run.wraps`` (``messages`` or hooks) is set.

A :class:`RunHooks` object sees

* the run's events, from first to last (:meth:`RunHooks.traced` /
  :meth:`RunHooks.atraced`, given the run's input and plan): the graph's run opens
  before the first and closes with the run's final values, or with its error;
* START's routers (:meth:`RunHooks.first` / :meth:`RunHooks.afirst`), which it calls;
* every task's body (:meth:`RunHooks.run_task` / :meth:`RunHooks.arun_task`), which it
  calls as ``fn(task, *args)``; what it yields to the node config (``callbacks``)
  goes through :func:`set_config_extras`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from . import messages as _messages
from ._integrations import Integrations

if TYPE_CHECKING:
    from ._plan import Goto, Plan
    from .events import Event
    from .run import Run, Task

__all__ = ["RunHooks", "arun_task", "for_run", "register_run_hooks", "run_task"]

R = TypeVar("R")

_INTEGRATIONS: Final = Integrations(("langchain_core", "flowc.integrations.langchain_callbacks"))
"""(module that must be importable, integration module that registers its factory)."""


class RunHooks(Protocol):
    """What an integration does around one run given callbacks and around its tasks."""

    def traced(self, events: Iterator[Event], input: Any, plan: Plan) -> Iterator[Event]:
        """The run's events, passed through between the run's start and its end."""
        ...

    def atraced(self, events: AsyncIterator[Event], input: Any, plan: Plan) -> AsyncIterator[Event]:
        """Async twin of :meth:`traced`."""
        ...

    def first(self, plan: Plan, values: dict[str, Any]) -> Goto:
        """Call ``plan.first(values)``, START's sync routers (LangGraph's ``__start__`` task)."""
        ...

    async def afirst(self, plan: Plan, values: dict[str, Any]) -> Goto:
        """Await ``plan.afirst(values)``, START's routers when one is async."""
        ...

    def run_task(self, task: Task, fn: Callable[..., R], args: tuple[Any, ...]) -> R:
        """Call ``fn(task, *args)`` (a task's body, ``args[0]`` its input) and return its result."""
        ...

    async def arun_task(self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Async twin of :meth:`run_task` (``await fn(task, *args)``)."""
        ...

    async def astart(self, task: Task, args: tuple[Any, ...]) -> None:
        """Start a task of an async run's superstep, before any of them runs (they then start
        in order, as LangGraph's do; a worker running a sync one would start it at any time)."""
        ...


_factories: list[Callable[[Run], RunHooks | None]] = []


def register_run_hooks(factory: Callable[[Run], RunHooks | None]) -> None:
    """Ask ``factory(run)`` for the hooks of every run whose config has callbacks."""
    if factory not in _factories:
        _factories.append(factory)


def for_run(run: Run) -> RunHooks | None:
    """The hooks of ``run`` (whose config has callbacks), or ``None`` if no integration has any."""
    _INTEGRATIONS.load()
    for factory in _factories:
        hooks = factory(run)
        if hooks is not None:
            return hooks
    return None


def run_task(task: Task, fn: Callable[..., R], args: tuple[Any, ...]) -> R:
    """Run a task of a run whose tasks are wrapped: in its hooks, and as a task that streams
    ``messages`` if the run streams them."""
    run = task.run
    hooks = run.hooks
    if hooks is None:
        return _messages.run_task(task, fn, args)
    if not run.messages:
        return hooks.run_task(task, fn, args)
    return hooks.run_task(task, _streaming(fn), args)


async def arun_task(task: Task, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """Async twin of :func:`run_task`."""
    run = task.run
    hooks = run.hooks
    if hooks is None:
        return await _messages.arun_task(task, fn, args)
    if not run.messages:
        return await hooks.arun_task(task, fn, args)
    return await hooks.arun_task(task, _astreaming(fn), args)


def _streaming(fn: Callable[..., R]) -> Callable[..., R]:
    def body(task: Task, *args: Any) -> R:
        return _messages.run_task(task, fn, args)

    return body


def _astreaming(fn: Callable[..., Any]) -> Callable[..., Any]:
    async def body(task: Task, *args: Any) -> Any:
        return await _messages.arun_task(task, fn, args)

    return body
