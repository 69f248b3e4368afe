"""The built-in transformers of a v3 run (``langgraph.stream.transformers``).

Every v3 run has ``values``, ``messages``, ``lifecycle`` and ``subgraphs``; ``updates``,
``custom``, ``checkpoints``, ``debug`` and ``tasks`` are opt-in (``transformers=[...]`` at
compile time or per call). Each projects the events of its own scope only; a subgraph's
are on its handle (``run.subgraphs``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ._lifecycle import (
    LifecycleCause,
    LifecyclePayload,
    LifecycleTransformer,
    SubgraphStatus,
    SubgraphTransformer,
)
from ._messages import MessagesTransformer
from ._types import ProtocolEvent, StreamTransformer
from .stream_channel import StreamChannel

__all__ = [
    "CheckpointsTransformer",
    "CustomTransformer",
    "DebugTransformer",
    "LifecycleCause",
    "LifecyclePayload",
    "LifecycleTransformer",
    "MessagesTransformer",
    "SubgraphStatus",
    "SubgraphTransformer",
    "TasksTransformer",
    "UpdatesTransformer",
    "ValuesTransformer",
]


class _ModeProjection(StreamTransformer):
    """The payloads of one stream mode at the transformer's own scope, as a channel."""

    _native = True
    _mode: ClassVar[str]

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        super().__init__(scope)
        self._log: StreamChannel[Any] = StreamChannel()
        self._scope_list: list[str] = list(scope)

    def init(self) -> dict[str, Any]:
        return {self._mode: self._log}

    def _own(self, event: ProtocolEvent) -> bool:
        return event["method"] == self._mode and event["params"]["namespace"] == self._scope_list

    def process(self, event: ProtocolEvent) -> bool:
        if self._own(event):
            self._log.push(event["params"]["data"])
        return True


class ValuesTransformer(_ModeProjection):
    """``run.values``: the state after each step (also kept: the latest, the interrupts)."""

    _mode = "values"
    required_stream_modes = ("values",)

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        super().__init__(scope)
        self._latest: dict[str, Any] | None = None
        self._interrupted = False
        self._interrupts: list[Any] = []

    @property
    def error(self) -> BaseException | None:
        """The error the run ended with, if it failed."""
        return self._log._error

    def process(self, event: ProtocolEvent) -> bool:
        if self._own(event):
            self._latest = event["params"]["data"]
            interrupts = event["params"].get("interrupts", ())
            if interrupts:
                self._interrupted = True
                self._interrupts.extend(interrupts)
            self._log.push(event["params"]["data"])
        return True


class CustomTransformer(_ModeProjection):
    """``run.custom``: what the nodes wrote with their stream writer."""

    _mode = "custom"
    required_stream_modes = ("custom",)


class UpdatesTransformer(_ModeProjection):
    """``run.updates``: each step's ``{node: update}``."""

    _mode = "updates"
    required_stream_modes = ("updates",)


class CheckpointsTransformer(_ModeProjection):
    """``run.checkpoints``: each checkpoint, as ``get_state`` shows it (with a checkpointer)."""

    _mode = "checkpoints"
    required_stream_modes = ("checkpoints",)


class DebugTransformer(_ModeProjection):
    """``run.debug``: the debug mode's events."""

    _mode = "debug"
    required_stream_modes = ("debug",)


class TasksTransformer(_ModeProjection):
    """``run.tasks``: each task's start and result payloads."""

    _mode = "tasks"
    required_stream_modes = ("tasks",)
