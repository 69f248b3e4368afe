"""What ``StateGraph.add_node`` checks of a node's function and the state's reducers, as
LangGraph checks them at the call (see :mod:`._builder`)."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from ._adapt import _annotations, _metadata

if TYPE_CHECKING:
    pass


def _coerced(action: Any) -> Any:
    """A dict of runnables as a node is LangChain's ``RunnableParallel`` of them, as LangGraph
    takes it (each value run on the state, the results its update)."""
    if isinstance(action, dict):
        try:
            from langchain_core.runnables import RunnableParallel
        except ImportError:
            return action  # refused at compile() (E602), naming the dict
        return RunnableParallel(action)
    if inspect.isfunction(action) and not _takes_a_state(action):
        return _called_with_the_state(action)
    return action


def _takes_a_state(fn: Any) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in params
    )


def _called_with_the_state(fn: Any) -> Any:
    """A node function that takes no state, called with it all the same, as LangGraph calls it:
    its run fails with Python's own ``TypeError`` (``f() takes 0 positional arguments but 1
    was given``), and a graph that never runs it compiles and runs."""
    if inspect.iscoroutinefunction(fn):

        async def anode(state: Any) -> Any:
            return await fn(state)

        wrapper: Any = anode
    else:

        def node(state: Any) -> Any:
            return fn(state)

        wrapper = node
    wrapper.__name__ = fn.__name__
    return wrapper


def _check_reducers(state: Any) -> None:
    """A reducer must take two arguments: LangGraph refuses the state at ``StateGraph()``."""
    if not isinstance(state, type):
        return
    for tp in _annotations(state).values():
        extras = _metadata(tp)
        reducer = extras[-1] if extras else None
        if reducer is None or not callable(reducer) or isinstance(reducer, type):
            continue
        try:
            sig = inspect.signature(reducer)
        except (TypeError, ValueError):
            continue
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        if sum(p.kind in positional for p in sig.parameters.values()) != 2:
            raise ValueError(f"Invalid reducer signature. Expected (a, b) -> c. Got {sig}")
