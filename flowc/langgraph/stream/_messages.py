"""``run.messages``: one LangChain ``ChatModelStream`` per chat message of the run's own
level (LangChain is imported when the first message comes).

Two shapes arrive in ``messages`` events' ``(payload, metadata)``: a content-block protocol
event (``{"event": "message-start"...}``), routed to its stream by the model run's id, and
a whole message a node returned, replayed as a finished stream. Token chunks
(``AIMessageChunk``) and tool messages are not projected.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ._types import ProtocolEvent, StreamTransformer
from .stream_channel import StreamChannel

__all__ = ["MessagesTransformer"]


class MessagesTransformer(StreamTransformer):
    """``run.messages``: a chat-model stream per message at the transformer's scope."""

    _native = True
    required_stream_modes = ("messages",)

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        super().__init__(scope)
        self._log: StreamChannel[Any] = StreamChannel()
        self._by_run: dict[str, Any] = {}
        self._ignored_runs: set[str] = set()
        self._pump_fn: Callable[[], bool] | None = None
        self._apump_fn: Callable[[], Awaitable[bool]] | None = None
        self._scope_list: list[str] = list(scope)

    def init(self) -> dict[str, Any]:
        return {"messages": self._log}

    def _bind_pump(self, fn: Callable[[], bool]) -> None:
        self._pump_fn = fn

    def _bind_apump(self, fn: Callable[[], Awaitable[bool]]) -> None:
        self._apump_fn = fn

    def _make_stream(
        self, *, namespace: list[str], node: str | None, message_id: str | None
    ) -> Any:
        from langchain_core.language_models.chat_model_stream import (
            AsyncChatModelStream,
            ChatModelStream,
        )

        if self._apump_fn is not None:
            astream = AsyncChatModelStream(namespace=namespace, node=node, message_id=message_id)
            astream.set_arequest_more(self._apump_fn)
            return astream
        if self._pump_fn is not None:
            stream = ChatModelStream(namespace=namespace, node=node, message_id=message_id)
            stream.set_request_more(self._pump_fn)
            return stream
        return AsyncChatModelStream(namespace=namespace, node=node, message_id=message_id)

    def process(self, event: ProtocolEvent) -> bool:
        if event["method"] != "messages" or event["params"]["namespace"] != self._scope_list:
            return True
        payload, metadata = event["params"]["data"]
        node = metadata.get("langgraph_node") if metadata else None
        run_id = str(metadata.get("run_id", "")) if metadata else ""
        if isinstance(payload, dict) and "event" in payload:
            self._route_protocol_event(payload, run_id=run_id, node=node)
        elif _is_whole_message(payload):
            self._route_whole_message(payload, node=node)
        return True

    def _route_protocol_event(
        self, event: dict[str, Any], *, run_id: str, node: str | None
    ) -> None:
        kind = event.get("event")
        if kind == "message-start":
            if event.get("role") == "tool":
                self._ignored_runs.add(run_id)
                return
            message_id = event.get("message_id")
            stream = self._make_stream(
                namespace=[], node=node, message_id=None if message_id is None else str(message_id)
            )
            self._by_run[run_id] = stream
            self._log.push(stream)
            stream.dispatch(event)
        elif run_id in self._ignored_runs:
            if kind == "message-finish":
                self._ignored_runs.discard(run_id)
        elif run_id in self._by_run:
            self._by_run[run_id].dispatch(event)
            if kind == "message-finish":
                del self._by_run[run_id]

    def _route_whole_message(self, message: Any, *, node: str | None) -> None:
        from langchain_core.language_models._compat_bridge import message_to_events

        stream = self._make_stream(namespace=[], node=node, message_id=message.id)
        for part in message_to_events(message, message_id=message.id):
            stream.dispatch(part)
        self._log.push(stream)

    def finalize(self) -> None:
        self._by_run.clear()
        self._ignored_runs.clear()

    def fail(self, err: BaseException) -> None:
        for stream in list(self._by_run.values()):
            stream.fail(err)
        self._by_run.clear()
        self._ignored_runs.clear()


def _is_whole_message(payload: Any) -> bool:
    try:
        from langchain_core.messages import AIMessageChunk, BaseMessage, ToolMessage
    except ImportError:  # without LangChain no message is a LangChain message
        return False
    return isinstance(payload, BaseMessage) and not isinstance(
        payload, AIMessageChunk | ToolMessage
    )
