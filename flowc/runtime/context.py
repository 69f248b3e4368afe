"""A run's context: the static value a run is given (LangGraph's ``context=``), read by its nodes.

The context travels in the run's ``configurable`` under :data:`CONTEXT`, so
that every graph a task runs (a subgraph, a graph called from a node)
inherits it with the rest of ``configurable``, as LangGraph's runtime does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._task import running_task
from .config import Config, with_configurable

__all__ = ["CONTEXT", "get_context", "with_context"]

CONTEXT: Final = "__flowc_context"
"""The ``configurable`` key of a run's context."""


def with_context(config: Mapping[str, Any] | None, context: Any) -> Config:
    """``config`` carrying ``context`` (a new dict; ``config`` is left as it was)."""
    return with_configurable(config, CONTEXT, context)


def get_context() -> Any:
    """The context of the run the current task belongs to (``None`` if it was given none).

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    configurable = running_task("get_context").run.config.get("configurable")
    return None if not configurable else configurable.get(CONTEXT)
