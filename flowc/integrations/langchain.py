"""LangChain integration: chat models called inside a node stream in ``messages`` mode.

Needs ``langchain-core`` (extra ``langchain``). The runtime imports this module
by itself the first time a run streams ``messages``; importing it registers

* LangChain's ``BaseMessage`` as a message class, so that messages a node
  returns are streamed once, by id;
* a per-task context that does what LangGraph does around a node: it sets
  LangChain's ``var_child_runnable_config`` to the node's config, whose
  ``callbacks`` hold a :class:`StreamMessagesHandler` for the task. A chat
  model called in the node, with ``invoke``, ``stream``, ``ainvoke`` or
  ``astream``, with or without the node's ``config``, reports its tokens to
  that handler, which streams them.

The handler mirrors LangGraph's ``pregel/_messages.py``: every new token is
streamed as its ``AIMessageChunk``; the final message only if its id was not
streamed yet (so a model that cannot stream, or has ``disable_streaming=True``,
gives one whole ``AIMessage``); models tagged ``nostream`` are skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler, BaseCallbackManager, CallbackManager
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, LLMResult
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tracers._streaming import _V2StreamingCallbackHandler

from flowc.runtime import messages
from flowc.runtime.events import MessageMetadata, MessagesEvent
from flowc.runtime.run import current_task

if TYPE_CHECKING:
    from langchain_core.runnables import RunnableConfig

    from flowc.runtime.run import Task

__all__ = ["CONTENT_BLOCK_EVENTS", "NOSTREAM", "StreamMessagesHandler", "task_context"]

T = TypeVar("T")

CONTENT_BLOCK_EVENTS: Final = "__pregel_stream_messages_v2"
"""A ``configurable`` key (LangGraph's): the run streams chat models' content-block events
(``message-start``...) instead of their token chunks, as LangGraph's v3 event streams ask."""

NOSTREAM: Final = "nostream"
"""A model tagged with this is not streamed (its reply still is, once, if the node returns it)."""


def _user_tags(tags: list[str] | None) -> list[str] | None:
    """Tags without LangChain's internal ``seq:step:*`` ones; ``None`` if none are left."""
    if not tags:
        return None
    kept = [tag for tag in tags if not tag.startswith("seq:step")]
    return kept or None


class StreamMessagesHandler(BaseCallbackHandler):
    """Streams the chat-model calls of one task as ``messages`` events.

    Having ``tap_output_iter`` / ``tap_output_aiter`` makes it a streaming
    handler to LangChain, so that ``invoke`` streams token by token too.
    """

    run_inline = True
    """Called in the caller's thread and context, so events keep their order."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.metadata: dict[UUID, MessageMetadata] = {}

    def tap_output_aiter(self, run_id: UUID, output: AsyncIterator[T]) -> AsyncIterator[T]:
        """Part of LangChain's streaming-handler protocol; passes ``output`` through."""
        return output

    def tap_output_iter(self, run_id: UUID, output: Iterator[T]) -> Iterator[T]:
        """Part of LangChain's streaming-handler protocol; passes ``output`` through."""
        return output

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Remember the call's metadata, unless it is not to be streamed."""
        if not metadata or (tags and NOSTREAM in tags):
            return
        running = current_task()
        # a graph run inside this task that does not stream messages inherits
        # this task's LangChain config; its model calls are not this task's
        if running is not None and running is not self.task:
            return
        meta = dict(metadata)
        user_tags = _user_tags(tags)
        if user_tags is not None:
            meta["tags"] = user_tags
        self.metadata[run_id] = cast(MessageMetadata, meta)

    def on_llm_new_token(
        self,
        token: str | list[str | dict[str, Any]],
        *,
        chunk: Any = None,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Stream the token's message chunk."""
        if not isinstance(chunk, ChatGenerationChunk):
            return
        meta = self.metadata.get(run_id)
        if meta is not None:
            messages.emit_chunk(chunk.message, meta, self.task)

    def on_llm_end(
        self,
        response: LLMResult,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> Any:
        """Stream the whole reply if none of it was streamed."""
        meta = self.metadata.pop(run_id, None)
        if meta is not None and response.generations and response.generations[0]:
            generation = response.generations[0][0]
            if isinstance(generation, ChatGeneration):
                messages.emit_message(generation.message, meta, self.task)

    def on_llm_error(
        self,
        error: BaseException,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> Any:
        """Forget the failed call."""
        self.metadata.pop(run_id, None)


class ContentBlockMessagesHandler(StreamMessagesHandler, _V2StreamingCallbackHandler):
    """Streams a task's chat-model calls as LangChain's content-block events.

    Being a ``_V2StreamingCallbackHandler`` makes LangChain's ``invoke`` report
    ``on_stream_event`` instead of tokens; each event is streamed as the ``messages``
    payload, with the model run's id added to its metadata (``run_id``). A streamed
    reply's id counts as streamed, so the node returning it does not stream it again.
    """

    def __init__(self, task: Task) -> None:
        super().__init__(task)
        self._streamed: set[UUID] = set()

    def on_llm_new_token(
        self, token: Any, *, chunk: Any = None, run_id: UUID, **kwargs: Any
    ) -> Any:
        """Token chunks are not streamed (a node's own ``model.stream()`` reports them)."""

    def on_stream_event(
        self,
        event: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Stream one content-block event of a model call."""
        meta = self.metadata.get(run_id)
        task = messages.streaming_task(self.task)
        if meta is None or task is None:
            return
        if event.get("event") == "message-start":
            self._streamed.add(run_id)
            if event.get("message_id"):
                cast(messages.MessageStream, task.run.message_stream).add(event["message_id"])
        tagged = cast(MessageMetadata, {**meta, "run_id": str(run_id)})
        task.emit(MessagesEvent(event, tagged, task.run.ns))

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> Any:
        """Stream the whole reply unless its events were streamed."""
        if run_id not in self._streamed:
            super().on_llm_end(response, run_id=run_id, **kwargs)
            return
        self._streamed.discard(run_id)
        self.metadata.pop(run_id, None)
        task = messages.streaming_task(self.task)
        generation = (
            response.generations[0][0] if response.generations and response.generations[0] else None
        )
        if task is not None and isinstance(generation, ChatGeneration):
            if generation.message.id is None:
                import uuid

                generation.message.id = str(uuid.uuid4())
            cast(messages.MessageStream, task.run.message_stream).add(generation.message.id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> Any:
        """Forget the failed call."""
        self._streamed.discard(run_id)
        super().on_llm_error(error, run_id=run_id, **kwargs)


def _content_blocks(task: Task) -> bool:
    # the nearest run that says: a v1 run inside a node of a v3 run turns it off
    run: Any = task.run
    while True:
        configurable = run.config.get("configurable") or {}
        if CONTENT_BLOCK_EVENTS in configurable:
            return bool(configurable[CONTENT_BLOCK_EVENTS])
        if run.parent is None:
            return False
        run = run.parent.run


def _root_callbacks(task: Task) -> Any:
    run = task.run
    while run.parent is not None:
        run = run.parent.run
    return run.config.get("callbacks")


def _callback_manager(task: Task, handler: StreamMessagesHandler) -> CallbackManager:
    """The task's callbacks: the run's own, plus ``handler``, with LangGraph's run metadata."""
    from .langchain_callbacks import node_callbacks

    traced = node_callbacks()
    if traced is not None:
        # the run reports to callbacks: model calls report under the task's run too
        manager = traced.copy()
        manager.add_handler(handler, inherit=True)
        manager.add_metadata(messages.run_metadata(task), inherit=True)
        return manager  # type: ignore[no-any-return]
    user = _root_callbacks(task)
    if isinstance(user, BaseCallbackManager):
        manager = CallbackManager(
            handlers=list(user.handlers),
            inheritable_handlers=list(user.inheritable_handlers),
            tags=list(user.tags),
            inheritable_tags=list(user.inheritable_tags),
            metadata=dict(user.metadata),
            inheritable_metadata=dict(user.inheritable_metadata),
        )
        manager.add_handler(handler, inherit=True)
    else:
        handlers = [*(user or ()), handler]
        manager = CallbackManager(handlers=handlers, inheritable_handlers=list(handlers))
    # first in the merged metadata, as on LangGraph's run: a model call then
    # lists the run's metadata, thread_id and ls_integration first
    manager.add_metadata(messages.run_metadata(task), inherit=True)
    return manager


@contextmanager
def task_context(task: Task) -> Iterator[Mapping[str, Any]]:
    """Set LangChain's child config to ``task``'s node config, with a streaming handler.

    Yields the node config's ``callbacks``, so that a node that passes its
    ``config`` to a model explicitly streams the same way.
    """
    handler_cls = ContentBlockMessagesHandler if _content_blocks(task) else StreamMessagesHandler
    manager = _callback_manager(task, handler_cls(task))
    config = cast("RunnableConfig", dict(task.node_config()))
    config["callbacks"] = manager
    token = var_child_runnable_config.set(config)
    try:
        yield {"callbacks": manager}
    finally:
        var_child_runnable_config.reset(token)


messages.register_message_type(BaseMessage)
messages.register_task_context(task_context)
