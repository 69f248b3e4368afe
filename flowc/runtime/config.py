"""The run configuration a caller passes to ``stream`` / ``invoke``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TypedDict, cast

if TYPE_CHECKING:
    from uuid import UUID

__all__ = ["CACHE", "DEFAULT_RECURSION_LIMIT", "Config", "NodeConfig"]

DEFAULT_RECURSION_LIMIT = 10007
"""LangGraph 1.x's default: a run may take this many supersteps minus one."""


class Config(TypedDict, total=False):
    """Options of one run.

    Attributes:
        recursion_limit: the most supersteps a run may take (default 10007).
        tags: tags added to every task and every model call of the run.
        metadata: metadata added to task events and message metadata.
        run_id: fixes the run's id; task ids are derived from it, so a fixed
            ``run_id`` gives the same task ids on every run.
        configurable: free-form values for nodes that take ``config``.
        callbacks: LangChain callbacks: the run reports its graph and its
            tasks to them as chain runs (see :mod:`flowc.runtime.hooks`), and
            nodes that take ``config`` get their task's.
        run_name: the name of the graph's chain run (default: the graph's name).
        max_concurrency: the most tasks of one superstep that run at once
            (default: all of them); the others start, in order, as those
            finish. Graphs run inside the run's nodes get the same limit for
            their own tasks, unless their own config sets another.
    """

    recursion_limit: int
    tags: list[str]
    metadata: dict[str, Any]
    run_id: str | UUID
    configurable: dict[str, Any]
    callbacks: Any
    run_name: str
    max_concurrency: int


class NodeConfig(TypedDict, total=False):
    """What a node that declares a ``config`` parameter receives."""

    recursion_limit: int
    tags: list[str]
    metadata: dict[str, Any]
    run_id: str
    configurable: dict[str, Any]
    callbacks: Any


def with_configurable(config: Mapping[str, Any] | None, key: str, value: Any) -> Config:
    """``config`` carrying ``value`` under ``key`` in its ``configurable``, where every graph
    the run's tasks run inherits it (a new dict; ``config`` is left as it was)."""
    out = dict(config or {})
    out["configurable"] = {**(out.get("configurable") or {}), key: value}
    return cast(Config, out)


CACHE: Final = "__flowc_cache"
"""The ``configurable`` key of a run's node cache (a subgraph's runs use their parent's)."""
