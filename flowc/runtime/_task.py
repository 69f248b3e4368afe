"""The task a node runs in: its ids, its stream writer, its config, the current-task context.

:class:`Task` is one node running in one superstep of one run; the context
variable :data:`CURRENT_TASK` holds the running one, which
:func:`current_task`, :func:`get_stream_writer` and :func:`get_config` read.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
from collections.abc import (
    Callable,
)
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

from . import messages as _messages
from .config import NodeConfig
from .events import (
    CustomEvent,
    Event,
    Namespace,
    PendingTaskId,
    TaskId,
)

# asyncio, hashlib, uuid and the worker pool are imported where they are
# used: together they would double what importing a generated module costs,
# and a sync run of a graph without parallel steps needs none of them.
if TYPE_CHECKING:
    from .interrupts import Resumes

if TYPE_CHECKING:
    from .run import Run

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")

StreamWriter: TypeAlias = Callable[[C], None]
"""What ``get_stream_writer()`` returns and what a ``writer`` parameter receives."""


_current: contextvars.ContextVar[Task | None] = contextvars.ContextVar(
    "flowc_current_task", default=None
)
_calls_lock = threading.Lock()
CURRENT_TASK: Final = _current
"""The context variable holding the running task; runners set it around inline calls."""


def current_task() -> Task | None:
    """The task running in this context, or ``None`` outside a run.

    Runners set the context variable once for the inline task they reuse and
    mark that task active only while its node runs, instead of setting and
    resetting the variable around every node. Between two of a run's steps the
    variable may still hold its task, inactive: the code running then is the
    run's consumer, which runs in the run's parent task (or in no task).
    """
    task = _current.get()
    while task is not None and not task.active:
        task = task.run.parent
    return task


def _noop_writer(_: Any) -> None:
    return None


def running_task(caller: str) -> Task:
    """The task running in this context; outside a run, the error of calling ``caller()``."""
    task = current_task()
    if task is None:
        raise RuntimeError(f"{caller}() was called outside a running flowc graph")
    return task


def get_stream_writer() -> StreamWriter[Any]:
    """The stream writer of the task running in this context.

    Calls to it become ``custom`` events of the run; when the run did not ask
    for ``custom``, it does nothing.

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    return running_task("get_stream_writer").writer


def get_config() -> NodeConfig:
    """The config of the task running in this context (as a ``config`` parameter gets it)."""
    return running_task("get_config").node_config()


def remaining_steps() -> int:
    """How many supersteps the run of the task running in this context may still take, its
    own included: 1 in the last one its recursion limit allows (LangGraph's managed
    ``RemainingSteps``; its ``IsLastStep`` is ``remaining_steps() == 1``).

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    task = running_task("remaining_steps")
    return task.run.stop - task.step


class Task:
    """One node running in one superstep of one run."""

    __slots__ = (
        "_calls_step",
        "_id",
        "_id_step",
        "_writer",
        "active",
        "calls",
        "emit",
        "metadata",
        "name",
        "resumes",
        "run",
        "step",
        "tags",
        "triggers",
    )

    def __init__(
        self,
        run: Run,
        name: str,
        step: int,
        triggers: tuple[str, ...],
        emit: Callable[[Event], None],
        metadata: dict[str, Any] | None = None,
        tags: tuple[str, ...] = (),
    ) -> None:
        self.run = run
        self.name = name
        self.step = step
        self.triggers = triggers
        self.emit = emit
        self.metadata = metadata
        self.tags = tags
        self.calls: itertools.count[int] | None = None
        self.active = True
        """Whether the node runs now (runners clear it between the steps of a reused task)."""
        self._calls_step = step
        self._id: TaskId | None = None
        self._id_step = step
        self._writer: StreamWriter[Any] | None = None
        self.resumes: Resumes | None = None
        """The task's answers to ``interrupt()`` (set on runs on a thread, else ``None``)."""

    # A runner reuses one task object for the inline steps of a run by assigning
    # ``step`` (and, for another node, ``name``, ``triggers``, ``metadata`` and
    # ``tags``): the id and the namespace count belong to a step, so a new step
    # makes them anew.

    def renew(self, step: int) -> None:
        """Make this task the same node's task of a later superstep (runners reuse inline tasks)."""
        self.step = step

    def pin_id(self, tid: TaskId) -> None:
        """Give this step's task the id ``tid`` (a ``Send`` task's, made from its index)."""
        self._id = tid
        self._id_step = self.step

    def id_or_pending(self) -> TaskId | PendingTaskId:
        """The id if this step's was made, else the run, step and node it is made from when read."""
        tid = self._id
        step = self.step
        return tid if tid is not None and self._id_step == step else (self.run, step, self.name)

    @property
    def id(self) -> TaskId:
        """The task's uuid-shaped id (computed on first use)."""
        tid = self._id
        step = self.step
        if tid is None or self._id_step != step:
            tid = self._id = self.run.task_id(step, self.name)
            self._id_step = step
        return tid

    @property
    def checkpoint_ns(self) -> str:
        """LangGraph's ``checkpoint_ns`` of this task: the run's, plus ``name:id``."""
        own = f"{self.name}:{self.id}"
        parent = self.run.checkpoint_ns
        return f"{parent}|{own}" if parent else own

    def next_segments(self) -> tuple[str, ...]:
        """Namespace segments for the next graph this task runs (``'1'``, ``'2'``... after the first)."""
        n = self.next_call()
        own = f"{self.name}:{self.id}"
        return (own,) if n == 0 else (own, str(n))

    def next_call(self) -> int:
        """How many graphs this task ran before the one it runs now (in this step)."""
        calls = self.calls
        step = self.step
        if calls is None or self._calls_step != step:
            with _calls_lock:
                calls = self.calls
                if calls is None or self._calls_step != step:
                    # next() on a count is atomic: threads a node starts may each run a graph
                    calls = self.calls = itertools.count()
                    self._calls_step = step
        return next(calls)

    @property
    def writer(self) -> StreamWriter[Any]:
        """This task's stream writer (a no-op unless the run streams ``custom``)."""
        writer = self._writer
        if writer is None:
            if self.run.custom:
                ns = self.run.ns

                def writer(chunk: Any, _task: Task = self, _ns: Namespace = ns) -> None:
                    _task.emit(CustomEvent(chunk, _ns))

            else:
                writer = _noop_writer
            self._writer = writer
        return writer

    def node_config(self) -> NodeConfig:
        """The config a node that declares a ``config`` parameter receives."""
        run = self.run
        # LangChain chat models read checkpoint_ns from here into their metadata
        configurable = dict(run.config.get("configurable", {}))
        configurable["checkpoint_ns"] = self.checkpoint_ns
        config: NodeConfig = {
            "tags": [*run.tags, *self.tags],
            "metadata": _messages.config_metadata(self),
            "recursion_limit": run.limit,
            "configurable": configurable,
        }
        if "callbacks" in run.config:
            config["callbacks"] = run.config["callbacks"]
        extras = _messages.config_extras() if run.wraps else None
        if extras:
            config.update(extras)  # type: ignore[typeddict-item]
        return config


def enter(task: Task) -> contextvars.Token[Task | None]:
    """Make ``task`` the current task (for tasks run inline)."""
    return _current.set(task)


def leave(token: contextvars.Token[Task | None]) -> None:
    """Undo :func:`enter`."""
    _current.reset(token)
