"""``langgraph.types`` on flowc: ``Send``, ``Command``, ``interrupt``, ``Interrupt``,
``Overwrite``, ``RetryPolicy``, ``CachePolicy``, ``TracePolicy``, ``StateSnapshot``,
``PregelTask`` and ``StateUpdate``; the types of a ``version="v2"`` run (``GraphOutput``, the
``*StreamPart`` TypedDicts and their payloads, which are flowc's own from
:mod:`flowc.runtime.parts`), and the aliases ``StreamMode``, ``StreamWriter``, ``Durability``
and ``All``.

``from langgraph.types import Send, Command, interrupt`` becomes ``from flowc.langgraph.types
import Send, Command, interrupt``. LangGraph's other types refuse to import with the feature named.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, NamedTuple, NotRequired, TypeAlias, TypedDict, TypeVar

from flowc.runtime import StreamWriter
from flowc.runtime._overwrite import Overwrite
from flowc.runtime.control import Command, Send
from flowc.runtime.events import Namespace
from flowc.runtime.interrupts import GraphInterrupt, Interrupt, interrupt
from flowc.runtime.parts import CustomPart as CustomStreamPart
from flowc.runtime.parts import DebugPart as DebugStreamPart
from flowc.runtime.parts import (
    DebugTaskPayload,
    DebugTaskResultPayload,
    StreamPart,
    TaskPayload,
    TaskResultPayload,
)
from flowc.runtime.parts import MessagesPart as MessagesStreamPart
from flowc.runtime.parts import TasksPart as TasksStreamPart
from flowc.runtime.parts import UpdatesPart as UpdatesStreamPart
from flowc.runtime.parts import ValuesPart as ValuesStreamPart
from flowc.runtime.policies import CachePolicy, RetryPolicy, TimeoutPolicy

from ._chunks import GraphOutput
from ._compiled import PregelTask, StateSnapshot
from ._tracing import TracePolicy, omit_payload

__all__ = [
    "All",
    "CachePolicy",
    "CheckpointPayload",
    "CheckpointStreamPart",
    "CheckpointTask",
    "Command",
    "CustomStreamPart",
    "DebugPayload",
    "DebugStreamPart",
    "Durability",
    "GraphInterrupt",
    "GraphOutput",
    "Interrupt",
    "MessagesStreamPart",
    "Overwrite",
    "PregelTask",
    "RetryPolicy",
    "Send",
    "StateSnapshot",
    "StateUpdate",
    "StreamMode",
    "StreamPart",
    "StreamWriter",
    "TaskPayload",
    "TaskResultPayload",
    "TasksStreamPart",
    "TimeoutPolicy",
    "TracePolicy",
    "UpdatesStreamPart",
    "ValuesStreamPart",
    "interrupt",
    "omit_payload",
]

S = TypeVar("S")

Durability: TypeAlias = Literal["sync", "async", "exit"]
"""When a run on a thread stores its checkpoints: before the next step (``"sync"``), while
it runs (``"async"``) or when the run ends (``"exit"``)."""

All: TypeAlias = Literal["*"]
"""``interrupt_before="*"`` / ``interrupt_after="*"``: every node."""

StreamMode: TypeAlias = Literal[
    "values", "updates", "checkpoints", "tasks", "debug", "messages", "custom", "tools"
]
"""The names ``stream_mode=`` takes."""


class StateUpdate(NamedTuple):
    """One update of ``bulk_update_state``: the values, as which node, for which task."""

    values: dict[str, Any] | None
    as_node: str | None = None
    task_id: str | None = None


class CheckpointTask(TypedDict):
    """A task of a ``checkpoints`` payload (its keys depend on the task: see LangGraph's)."""

    id: str
    name: str
    error: NotRequired[str]
    result: NotRequired[Any]
    interrupts: NotRequired[list[dict[str, Any]]]
    state: Any


class CheckpointPayload(TypedDict, Generic[S]):
    """A ``checkpoints`` payload: a checkpoint as ``get_state()`` shows it."""

    config: dict[str, Any] | None
    metadata: dict[str, Any]
    values: S
    next: list[str]
    parent_config: dict[str, Any] | None
    tasks: list[CheckpointTask]


class CheckpointStreamPart(TypedDict, Generic[S]):
    """A ``checkpoints`` stream part (``version="v2"``)."""

    type: Literal["checkpoints"]
    ns: Namespace
    data: CheckpointPayload[S]


DebugPayload: TypeAlias = DebugTaskPayload[Any, Any] | DebugTaskResultPayload[Any, Any]
"""A ``debug`` part's data (a task start or result; a checkpoint as the ``checkpoints`` mode's)."""


def __getattr__(name: str) -> Any:
    from . import _unknown

    raise _unknown(__name__, name)
