"""What generated runner modules import at run time (standard library only).

Application code uses the event classes (for ``match`` and annotations),
:func:`get_stream_writer` / :data:`StreamWriter` inside nodes, :class:`Config`
and the errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chunks import Version, ashape_chunks, ashape_parts, shape_chunks, shape_parts
from .config import DEFAULT_RECURSION_LIMIT, Config, NodeConfig
from .errors import (
    EmptyInputError,
    GraphRecursionError,
    InvalidInputError,
    InvalidUpdateError,
    recursion_message,
)
from .events import (
    CustomEvent,
    DebugEvent,
    Event,
    MessageMetadata,
    MessagesEvent,
    Namespace,
    StreamMode,
    TaskEvent,
    TaskId,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)
from .messages import emit_node_output

if TYPE_CHECKING:
    from .parts import (
        CustomPart,
        DebugPart,
        MessagesPart,
        StreamPart,
        TasksPart,
        UpdatesPart,
        ValuesPart,
    )
from .run import (
    CURRENT_TASK,
    MODES,
    Done,
    Run,
    StreamWriter,
    Task,
    adrain,
    afailing,
    check_concurrent_writes,
    check_update,
    current_task,
    default_mode,
    drain,
    enter,
    failing,
    get_config,
    get_stream_writer,
    ignore,
    leave,
    no_sync,
    parse_modes,
    route,
    shared_input,
    timestamp,
)

__all__ = [
    "CURRENT_TASK",
    "DEFAULT_RECURSION_LIMIT",
    "MODES",
    "Config",
    "CustomEvent",
    "CustomPart",
    "DebugEvent",
    "DebugPart",
    "Done",
    "EmptyInputError",
    "Event",
    "GraphRecursionError",
    "InvalidInputError",
    "InvalidUpdateError",
    "MessageMetadata",
    "MessagesEvent",
    "MessagesPart",
    "Namespace",
    "NodeConfig",
    "Run",
    "StreamMode",
    "StreamPart",
    "StreamWriter",
    "Task",
    "TaskEvent",
    "TaskId",
    "TaskResultEvent",
    "TasksPart",
    "UpdatesEvent",
    "UpdatesPart",
    "ValuesEvent",
    "ValuesPart",
    "Version",
    "adrain",
    "afailing",
    "ashape_chunks",
    "ashape_parts",
    "check_concurrent_writes",
    "check_update",
    "current_task",
    "default_mode",
    "deferred_form",
    "drain",
    "emit_node_output",
    "enter",
    "failing",
    "get_config",
    "get_stream_writer",
    "ignore",
    "leave",
    "no_sync",
    "parse_modes",
    "recursion_message",
    "route",
    "shape_chunks",
    "shape_parts",
    "shared_input",
    "timestamp",
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
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
