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

    def __init_subclass__(cls, *, mode: str | None = None, **kwargs: Any) -> None:
        # a projection of one mode asks the graph for that mode
        super().__init_subclass__(**kwargs)
        if mode is not None:
            cls._mode = mode
            cls.required_stream_modes = (mode,)

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


class ValuesTransformer(_ModeProjection, mode="values"):
    """``run.values``: the state after each step (also kept: the latest, the interrupts)."""

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


class CustomTransformer(_ModeProjection, mode="custom"):
    """``run.custom``: what the nodes wrote with their stream writer."""


class UpdatesTransformer(_ModeProjection, mode="updates"):
    """``run.updates``: each step's ``{node: update}``."""


class CheckpointsTransformer(_ModeProjection, mode="checkpoints"):
    """``run.checkpoints``: each checkpoint, as ``get_state`` shows it (with a checkpointer)."""


class DebugTransformer(_ModeProjection, mode="debug"):
    """``run.debug``: the debug mode's events."""


class TasksTransformer(_ModeProjection, mode="tasks"):
    """``run.tasks``: each task's start and result payloads."""
