"""``langgraph.runtime`` on flowc: :class:`Runtime`, :func:`get_runtime` and :class:`ServerInfo`.

``from langgraph.runtime import Runtime, get_runtime`` becomes ``from
flowc.langgraph.runtime import Runtime, get_runtime``. A node that takes a
``runtime`` parameter (``def node(state: State, runtime: Runtime[Context])``)
receives the run's runtime, whose ``context`` is what the run was given as
``context=`` (made an instance of the graph's ``context_schema`` when it is a
dataclass or pydantic model given as a dict, as in LangGraph).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flowc.runtime import StreamWriter, current_task
from flowc.runtime.context import get_context
from flowc.runtime.drain import RunControl, control_of
from flowc.runtime.policies import current_attempt, heartbeat
from flowc.runtime.store import STORE

__all__ = ["ExecutionInfo", "RunControl", "Runtime", "ServerInfo", "get_runtime"]

ContextT = TypeVar("ContextT")


def _no_writer(chunk: Any) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ExecutionInfo:
    """What a node learns of the task it runs in: LangGraph's ``ExecutionInfo``.

    Attributes:
        checkpoint_id: always ``""``: flowc does not tell a task its checkpoint.
        checkpoint_ns: the task's namespace (``node:task id``, under its parents').
        task_id: the task's id.
        thread_id: the run's ``thread_id``, if it runs on a thread.
        run_id: the run's ``run_id``, if its config gives one.
        node_attempt: the attempt running, from 1 (retries count up).
        node_first_attempt_time: when the first attempt started (``time.time()``).
    """

    checkpoint_id: str
    checkpoint_ns: str
    task_id: str
    thread_id: str | None = None
    run_id: str | None = None
    node_attempt: int = 1
    node_first_attempt_time: float | None = None


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What LangGraph Server tells a run of itself, read from the run's ``configurable``
    (``assistant_id``, ``graph_id``, and the user as ``langgraph_auth_user``), as LangGraph
    reads it; a run given none of them has none (``Runtime.server_info`` is ``None``).

    Attributes:
        assistant_id: the assistant's id (``""`` if only the other keys are given).
        graph_id: the graph's id (likewise).
        user: the authenticated user: an object with an ``identity``, else ``None``.
    """

    assistant_id: str
    graph_id: str
    user: Any = None


def server_info_of(config: Any) -> ServerInfo | None:
    """The :class:`ServerInfo` a run's config gives, if any."""
    configurable = config.get("configurable") or {}
    assistant_id = configurable.get("assistant_id")
    graph_id = configurable.get("graph_id")
    user = configurable.get("langgraph_auth_user")
    if user is not None and not hasattr(user, "identity"):
        user = None
    if assistant_id is None and graph_id is None and user is None:
        return None
    return ServerInfo(
        assistant_id=str(assistant_id) if assistant_id else "",
        graph_id=str(graph_id) if graph_id else "",
        user=user,
    )


@dataclass(frozen=True, slots=True)
class Runtime(Generic[ContextT]):
    """What a node learns of its run besides the state: LangGraph's ``Runtime``.

    Attributes:
        context: the run's ``context=`` argument (``None`` if it was given none).
        store: the graph's store (``compile(store=...)``), ``None`` if it has none.
        stream_writer: the task's stream writer (``custom`` events).
        heartbeat: tells the node's idle timeout that the node is still at work.
        execution_info: the task the node runs in and its attempt.
        previous: always ``None``: flowc has no functional API.
        control: the run's ``control=`` (a :class:`RunControl`), ``None`` if it was given none.
        server_info: what LangGraph Server tells the run (:class:`ServerInfo`), else ``None``.
    """

    context: ContextT = field(default=None)  # type: ignore[assignment]
    store: Any = None
    stream_writer: StreamWriter[Any] = field(default=_no_writer)
    heartbeat: Callable[[], None] = field(default=heartbeat)
    previous: Any = None
    execution_info: ExecutionInfo | None = None
    control: Any = None
    server_info: ServerInfo | None = None

    def override(self, **overrides: Any) -> Runtime[ContextT]:
        """A copy with the given fields replaced."""
        return dataclasses.replace(self, **overrides)

    def merge(self, other: Runtime[ContextT]) -> Runtime[ContextT]:
        """``other``'s fields where it has them (truthy, or not the default writer and
        heartbeat), this runtime's elsewhere, as LangGraph's ``Runtime.merge``."""
        return Runtime(
            context=other.context or self.context,
            store=other.store or self.store,
            stream_writer=other.stream_writer
            if other.stream_writer is not _no_writer
            else self.stream_writer,
            heartbeat=other.heartbeat if other.heartbeat is not heartbeat else self.heartbeat,
            previous=self.previous if other.previous is None else other.previous,
            execution_info=other.execution_info or self.execution_info,
            control=other.control or self.control,
            server_info=other.server_info or self.server_info,
        )

    @property
    def drain_requested(self) -> bool:
        """Whether the run's control asked it to drain (``False`` without a control)."""
        return self.control is not None and bool(self.control.drain_requested)

    @property
    def drain_reason(self) -> str | None:
        """The reason the run's control was given to drain, if any."""
        return None if self.control is None else self.control.drain_reason


def get_runtime(context_schema: type[ContextT] | None = None) -> Runtime[ContextT]:
    """The runtime of the task running in this context.

    Args:
        context_schema: only for the type checker (the type of ``context``).

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    del context_schema
    task = current_task()
    if task is None:
        raise RuntimeError("get_runtime() was called outside a running flowc graph")
    attempt, first = current_attempt()
    config = task.run.config
    configurable = config.get("configurable") or {}
    run_id = config.get("run_id")
    info = ExecutionInfo(
        checkpoint_id="",
        checkpoint_ns=task.checkpoint_ns,
        task_id=task.id,
        thread_id=configurable.get("thread_id"),
        run_id=None if run_id is None else str(run_id),
        node_attempt=attempt,
        node_first_attempt_time=time.time() if first is None else first,
    )
    return Runtime(
        context=get_context(),
        store=configurable.get(STORE),
        stream_writer=task.writer,
        execution_info=info,
        control=control_of(config),
        server_info=server_info_of(config),
    )


def coerce_context(context_schema: Any, context: Any) -> Any:
    """``context`` as LangGraph gives it to nodes: a dict made an instance of a dataclass or
    pydantic ``context_schema``, anything else as it is."""
    if context is None or context_schema is None or not isinstance(context, dict):
        return context
    if dataclasses.is_dataclass(context_schema) or hasattr(context_schema, "model_validate"):
        return context_schema(**context)
    return context
