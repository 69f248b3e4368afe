"""A run's context: the static value a run is given (LangGraph's ``context=``), read by its nodes.

The context travels in the run's ``configurable`` under :data:`CONTEXT`, so
that every graph a task runs (a subgraph, a graph called from a node)
inherits it with the rest of ``configurable``, as LangGraph's runtime does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

from .config import Config
from .run import current_task

__all__ = ["CONTEXT", "get_context", "with_context"]

CONTEXT: Final = "__flowc_context"
"""The ``configurable`` key of a run's context."""


def with_context(config: Mapping[str, Any] | None, context: Any) -> Config:
    """``config`` carrying ``context`` (a new dict; ``config`` is left as it was)."""
    out = dict(config or {})
    out["configurable"] = {**(out.get("configurable") or {}), CONTEXT: context}
    return cast(Config, out)


def get_context() -> Any:
    """The context of the run the current task belongs to (``None`` if it was given none).

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    task = current_task()
    if task is None:
        raise RuntimeError("get_context() was called outside a running flowc graph")
    configurable = task.run.config.get("configurable")
    return None if not configurable else configurable.get(CONTEXT)
