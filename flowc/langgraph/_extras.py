"""What a node returns beside the state's keys, for the routers after it that take no schema.

LangGraph drops a node's writes of keys that are no channel, but a router of the node
whose parameter has no schema (no annotation, or ``dict``) is called with the node's
output under the state (``{**output, **state}``): a node can pass its routers data that
the state does not keep. The drop-in does the same: such a node's output is kept for the
task that ran it, and its schema-less routers read it (``tests/conformance/dropin/``
``router_extras.py``).
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Callable, Mapping
from typing import Any

from flowc.dsl.usercode import is_async, resolve_annotations
from flowc.runtime import current_task

__all__ = ["keeping_output", "reading_output"]

_kept: dict[tuple[int, str], tuple[Any, int, Mapping[str, Any]]] = {}
"""The last output of each node that keeps it: (its run, the step, the output), by the run's
id and the node's name (a router runs in its node's task, or in a task of the same run,
step and name)."""

_lock = threading.Lock()


def keeping_output(fn: Any, keys: tuple[str, ...]) -> Callable[..., Any]:
    """``fn`` (a node), keeping what it returns beside the state's ``keys`` for its task's
    routers."""

    def keep(output: Any) -> Any:
        if isinstance(output, Mapping) and not all(key in keys for key in output):
            task = current_task()
            if task is not None:
                with _lock:
                    _kept[id(task.run), task.name] = (task.run, task.step, output)
        return output

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return keep(await fn(*args, **kwargs))

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return keep(fn(*args, **kwargs))

        wrapper = node
    return _like(wrapper, fn)


def _with_output(state: Any) -> Any:
    task = current_task()
    if task is None or not isinstance(state, Mapping):
        return state
    with _lock:
        kept = _kept.pop((id(task.run), task.name), None)
    if kept is None or kept[0] is not task.run or kept[1] != task.step:
        return state
    return {**kept[2], **state}


def reading_output(fn: Any) -> Callable[..., Any]:
    """``fn`` (a router that takes no schema), called with its node's output under the state."""
    wrapper: Callable[..., Any]
    if is_async(fn):

        async def aroute(state: Any, *args: Any, **kwargs: Any) -> Any:
            return await fn(_with_output(state), *args, **kwargs)

        wrapper = aroute
    else:

        def route(state: Any, *args: Any, **kwargs: Any) -> Any:
            return fn(_with_output(state), *args, **kwargs)

        wrapper = route
    return _like(wrapper, fn)


def _like(wrapper: Callable[..., Any], fn: Any) -> Callable[..., Any]:
    # flowc reads the wrapper as it would read fn: its signature and annotations
    with contextlib.suppress(TypeError, ValueError):
        wrapper.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
    wrapper.__annotations__ = dict(resolve_annotations(fn)[0])
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    wrapper.__module__ = getattr(fn, "__module__", None) or __name__
    return wrapper
