"""What generated runner modules import at run time (standard library only).

Application code uses the event classes (for ``match`` and annotations),
:func:`get_stream_writer` / :data:`StreamWriter` inside nodes, :class:`Config`
and the errors.
"""

from __future__ import annotations

from .chunks import ashape_chunks, shape_chunks
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
from .run import (
    MODES,
    Done,
    Run,
    StreamWriter,
    Task,
    adrain,
    check_concurrent_writes,
    check_update,
    current_task,
    default_mode,
    drain,
    enter,
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
    "DEFAULT_RECURSION_LIMIT",
    "MODES",
    "Config",
    "CustomEvent",
    "DebugEvent",
    "Done",
    "EmptyInputError",
    "Event",
    "GraphRecursionError",
    "InvalidInputError",
    "InvalidUpdateError",
    "MessageMetadata",
    "MessagesEvent",
    "Namespace",
    "NodeConfig",
    "Run",
    "StreamMode",
    "StreamWriter",
    "Task",
    "TaskEvent",
    "TaskId",
    "TaskResultEvent",
    "UpdatesEvent",
    "ValuesEvent",
    "adrain",
    "ashape_chunks",
    "check_concurrent_writes",
    "check_update",
    "current_task",
    "default_mode",
    "drain",
    "emit_node_output",
    "enter",
    "get_config",
    "get_stream_writer",
    "ignore",
    "leave",
    "no_sync",
    "parse_modes",
    "route",
    "shared_input",
    "recursion_message",
    "shape_chunks",
    "timestamp",
]
