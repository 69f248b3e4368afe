"""flowc's runtime (standard library only): what compiled graphs and their users share.

Application code uses the event classes (for ``match`` and annotations),
:func:`get_stream_writer` / :data:`StreamWriter`, :func:`get_config`,
:func:`remaining_steps` and :func:`interrupt` inside nodes, :class:`Send` and
:class:`Command` from routers and nodes, :class:`Config` and the errors. The superstep engine that runs a
compiled graph lives in private modules (``_engine``, ``_drive``, ``_graph``)
that generated modules import explicitly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chunks import Version, ashape_chunks, ashape_parts, shape_chunks, shape_parts
from .config import DEFAULT_RECURSION_LIMIT, Config, NodeConfig
from .control import Command, Send
from .drain import RunControl, with_control
from .errors import (
    EmptyInputError,
    GraphDrained,
    GraphRecursionError,
    InvalidInputError,
    InvalidUpdateError,
)
from .events import (
    CustomEvent,
    DebugEvent,
    Event,
    InterruptEvent,
    InterruptValuesEvent,
    MessageMetadata,
    MessagesEvent,
    Namespace,
    ReplayedUpdatesEvent,
    StreamMode,
    TaskEvent,
    TaskId,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)
from .interrupts import GraphInterrupt, Interrupt, interrupt
from .run import StreamWriter, current_task, get_config, get_stream_writer, remaining_steps

if TYPE_CHECKING:
    from ._state import StateSnapshot, TaskState
    from .parts import (
        CustomPart,
        DebugPart,
        MessagesPart,
        StreamPart,
        TasksPart,
        UpdatesPart,
        ValuesPart,
    )

__all__ = [
    "DEFAULT_RECURSION_LIMIT",
    "Command",
    "Config",
    "CustomEvent",
    "CustomPart",
    "DebugEvent",
    "DebugPart",
    "EmptyInputError",
    "Event",
    "GraphDrained",
    "GraphInterrupt",
    "GraphRecursionError",
    "Interrupt",
    "InterruptEvent",
    "InterruptValuesEvent",
    "InvalidInputError",
    "InvalidUpdateError",
    "MessageMetadata",
    "MessagesEvent",
    "MessagesPart",
    "Namespace",
    "NodeConfig",
    "ReplayedUpdatesEvent",
    "RunControl",
    "Send",
    "StateSnapshot",
    "StreamMode",
    "StreamPart",
    "StreamWriter",
    "TaskEvent",
    "TaskId",
    "TaskResultEvent",
    "TaskState",
    "TasksPart",
    "UpdatesEvent",
    "UpdatesPart",
    "ValuesEvent",
    "ValuesPart",
    "Version",
    "ashape_chunks",
    "ashape_parts",
    "current_task",
    "deferred_form",
    "get_config",
    "get_stream_writer",
    "interrupt",
    "remaining_steps",
    "shape_chunks",
    "shape_parts",
    "with_control",
]


class _DeferredForm:
    __slots__ = ("_module", "_name")

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name

    def __getitem__(self, parameters: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(self._module), self._name)[parameters]

    def __repr__(self) -> str:
        return f"deferred_form({self._module!r}, {self._name!r})"


def deferred_form(module: str, name: str) -> Any:
    """``module.name``, a typing form such as ``ReadOnly``, imported when first subscripted.

    Generated types modules use it for ``typing_extensions.ReadOnly`` before
    Python 3.13: only type checkers and code that evaluates annotations
    (``typing.get_type_hints``, pydantic) need it, and they get the real form,
    while importing the module does not import ``typing_extensions`` (and the
    ``inspect`` it imports).
    """
    return _DeferredForm(module, name)


_PARTS = frozenset(
    (
        "CustomPart",
        "DebugPart",
        "MessagesPart",
        "StreamPart",
        "TasksPart",
        "UpdatesPart",
        "ValuesPart",
    )
)


def __getattr__(name: str) -> Any:
    # the v2 parts' TypedDicts (.parts), made on first use: runners never need them
    if name in _PARTS:
        from . import parts

        value = getattr(parts, name)
        globals()[name] = value
        return value
    if name in ("StateSnapshot", "TaskState"):
        # a thread's snapshots (._state), loaded with the first use of a thread
        from . import _state

        value = getattr(_state, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
