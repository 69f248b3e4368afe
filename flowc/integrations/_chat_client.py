""":class:`ChatClient`: the chat model itself, its requests and streams over the ``openai`` SDK,
and the SDK's errors turned into :class:`~flowc.integrations.openai_compat.ChatError` s.

Imported from :mod:`flowc.integrations.openai_compat`, which defines the messages and
errors it builds on.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager, nullcontext
from typing import Any

import openai

from flowc.runtime import messages as _messages
from flowc.runtime.events import MessageMetadata

from .openai_compat import (
    DEFAULT_BASE_URL,
    ChatError,
    ChatHTTPError,
    ChatMessage,
    ChatMessageChunk,
    ChatProtocolError,
    ChatStreamError,
    ChatTimeoutError,
    MessageInput,
    _as_chunk,
    _Chunks,
    _error_text,
    _fresh_id,
    _parse_completion,
    _Reply,
    _to_openai,
)


class ChatClient:
    """A chat model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    Args:
        model: the model name; default: ``$OPENAI_MODEL``.
        base_url: default: ``$OPENAI_BASE_URL``, else OpenAI's.
        api_key: default: the environment variable ``api_key_env``; no
            ``Authorization`` header when there is none (local servers).
        api_key_env: where to look for the key (``OPENAI_API_KEY``).
        timeout: seconds to connect, and to wait for each piece of the answer.
        max_retries: how many times the SDK retries a failed connection or a
            retryable status (``408``, ``409``, ``429``, ``5xx``).
        tags: added to ``metadata["tags"]`` of this model's ``messages`` events.
        disable_streaming: never stream; in ``messages`` mode a reply comes as
            one whole message.
        provider: ``metadata["ls_provider"]`` of the events.
        headers: sent with every request.
        client: an ``openai.OpenAI`` client to use for sync calls (then
            ``base_url``, ``api_key``, ``timeout``, ``max_retries`` and
            ``headers`` are the client's).
        async_client: an ``openai.AsyncOpenAI`` client for async calls.
        params: sent with every request (``temperature``, ``max_tokens``...).
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        timeout: float = 60.0,
        max_retries: int = 2,
        tags: Sequence[str] = (),
        disable_streaming: bool = False,
        provider: str = "openai",
        headers: Mapping[str, str] | None = None,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        **params: Any,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.max_retries = max_retries
        self.tags = tuple(tags)
        self.disable_streaming = disable_streaming
        self.provider = provider
        self.headers = dict(headers or {})
        self.params = params
        self._client = client
        self._async_client = async_client
        self._clients: dict[tuple[Any, ...], openai.OpenAI] = {}
        self._lock = threading.Lock()

    # -- settings, resolved at call time so the environment can change ------------------

    def _model(self) -> str:
        model = self.model or os.environ.get("OPENAI_MODEL")
        if not model:
            raise ChatError("no model: pass ChatClient(model=...) or set OPENAI_MODEL")
        return model

    def _base(self) -> str:
        if self._client is not None:
            return str(self._client.base_url).rstrip("/")
        base = self.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        return base.rstrip("/")

    def _url(self) -> str:
        return self._base() + "/chat/completions"

    def _key(self) -> str | None:
        return self.api_key or os.environ.get(self.api_key_env) or None

    def _options(self) -> dict[str, Any]:
        return {
            "base_url": self._base(),
            # a local server wants no key, the SDK one: requests then omit the header
            "api_key": self._key() or "unused",
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": dict(self.headers),
        }

    def _sync(self) -> openai.OpenAI:
        if self._client is not None:
            return self._client
        options = self._options()
        cache_key = (
            options["base_url"],
            options["api_key"],
            self.timeout,
            self.max_retries,
            tuple(sorted(self.headers.items())),
        )
        with self._lock:
            found = self._clients.get(cache_key)
            if found is None:
                found = self._clients[cache_key] = openai.OpenAI(**options)
        return found

    def _async(self) -> AbstractAsyncContextManager[openai.AsyncOpenAI]:
        # an async client is bound to the event loop it first ran on: one per call
        if self._async_client is not None:
            return nullcontext(self._async_client)
        return openai.AsyncOpenAI(**self._options())

    def _request(
        self, messages: Iterable[MessageInput], stream: bool, params: dict[str, Any]
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self._model(),
            "messages": [_to_openai(m) for m in messages],
            **self.params,
            **params,
            "stream": stream,
        }
        headers: dict[str, Any] = {}
        if stream:
            headers["Accept"] = "text/event-stream"
        if self._client is None and self._key() is None:
            headers["Authorization"] = openai.omit
        if headers:
            request["extra_headers"] = headers
        return request

    def _metadata(self, request: Mapping[str, Any]) -> MessageMetadata | None:
        task = _messages.streaming_task()
        if task is None:
            return None
        ls: dict[str, Any] = {
            "ls_integration": "flowc_openai_compat",
            "ls_provider": self.provider,
            "ls_model_name": request["model"],
            "ls_model_type": "chat",
        }
        if isinstance(request.get("temperature"), int | float):
            ls["ls_temperature"] = request["temperature"]
        if isinstance(request.get("max_tokens"), int):
            ls["ls_max_tokens"] = request["max_tokens"]
        if request.get("stop"):
            stop = request["stop"]
            ls["ls_stop"] = [stop] if isinstance(stop, str) else list(stop)
        return _messages.model_metadata(task, ls, self.tags)

    # -- public API ---------------------------------------------------------------------

    def invoke(self, messages: Iterable[MessageInput], **params: Any) -> ChatMessage:
        """The model's reply to ``messages`` (streamed as it comes in ``messages`` mode)."""
        messages = list(messages)
        if not self.disable_streaming and _messages.streaming_task() is not None:
            request = self._request(messages, True, params)
            meta = self._metadata(request)
            reply = _Reply(_fresh_id())
            for chunk in self._stream(request, reply, meta):
                reply.add(chunk)
            return _finish(reply.message(), meta)
        request = self._request(messages, False, params)
        meta = self._metadata(request)
        with self._requesting():
            completion = self._sync().chat.completions.create(**request)
        return _received(completion, meta)

    def stream(self, messages: Iterable[MessageInput], **params: Any) -> Iterator[ChatMessageChunk]:
        """The reply, chunk by chunk (one whole chunk if streaming is disabled)."""
        messages = list(messages)
        if self.disable_streaming:
            whole = self.invoke(messages, **params)
            yield _as_chunk(whole)
            return
        request = self._request(messages, True, params)
        meta = self._metadata(request)
        reply = _Reply(_fresh_id())
        for chunk in self._stream(request, reply, meta):
            reply.add(chunk)
            yield chunk
        _finish(reply.message(), meta)

    async def ainvoke(self, messages: Iterable[MessageInput], **params: Any) -> ChatMessage:
        """Async twin of :meth:`invoke`."""
        messages = list(messages)
        if not self.disable_streaming and _messages.streaming_task() is not None:
            request = self._request(messages, True, params)
            meta = self._metadata(request)
            reply = _Reply(_fresh_id())
            async for chunk in self._astream(request, reply, meta):
                reply.add(chunk)
            return _finish(reply.message(), meta)
        request = self._request(messages, False, params)
        meta = self._metadata(request)
        async with self._async() as client:
            with self._requesting():
                completion = await client.chat.completions.create(**request)
        return _received(completion, meta)

    async def astream(
        self, messages: Iterable[MessageInput], **params: Any
    ) -> AsyncIterator[ChatMessageChunk]:
        """Async twin of :meth:`stream`."""
        messages = list(messages)
        if self.disable_streaming:
            whole = await self.ainvoke(messages, **params)
            yield _as_chunk(whole)
            return
        request = self._request(messages, True, params)
        meta = self._metadata(request)
        reply = _Reply(_fresh_id())
        async for chunk in self._astream(request, reply, meta):
            reply.add(chunk)
            yield chunk
        _finish(reply.message(), meta)

    # -- streaming ----------------------------------------------------------------------

    def _stream(
        self, request: dict[str, Any], reply: _Reply, meta: MessageMetadata | None
    ) -> Iterator[ChatMessageChunk]:
        url = self._url()
        chunks = _Chunks(reply)
        with self._reading(url, chunks):
            events = self._sync().chat.completions.create(**request)
            with events:
                for event in events:
                    if (chunk := _next_chunk(chunks, event, meta)) is not None:
                        yield chunk
        _check_complete(chunks, url)

    async def _astream(
        self, request: dict[str, Any], reply: _Reply, meta: MessageMetadata | None
    ) -> AsyncIterator[ChatMessageChunk]:
        url = self._url()
        chunks = _Chunks(reply)
        async with self._async() as client:
            with self._reading(url, chunks):
                events = await client.chat.completions.create(**request)
                async with events:
                    async for event in events:
                        if (chunk := _next_chunk(chunks, event, meta)) is not None:
                            yield chunk
        _check_complete(chunks, url)

    @contextmanager
    def _requesting(self) -> Iterator[None]:
        """flowc's error for a request that failed before any reply."""
        url = self._url()
        try:
            yield
        except openai.APIError as exc:
            raise _request_error(exc, url, self.timeout) from exc

    @contextmanager
    def _reading(self, url: str, chunks: _Chunks) -> Iterator[None]:
        """flowc's errors for a stream that failed while it was read (what came is kept)."""
        try:
            yield
        except openai.APIError as exc:
            raise _stream_error(exc, url, self.timeout, chunks) from exc
        except json.JSONDecodeError as exc:
            raise _bad_json(exc, chunks) from None


def _received(completion: Any, meta: MessageMetadata | None) -> ChatMessage:
    """The message of a whole reply, emitted as a message of the run."""
    message = _parse_completion(completion)
    if meta is not None:
        _messages.emit_message(message, meta)
    return message


def _next_chunk(
    chunks: _Chunks, event: Any, meta: MessageMetadata | None
) -> ChatMessageChunk | None:
    """The chunk a stream event makes, if any, emitted as a message chunk of the run."""
    chunk = chunks.chunk(event)
    if chunk is not None and meta is not None:
        _messages.emit_chunk(chunk, meta)
    return chunk


def _request_error(exc: openai.APIError, url: str, timeout: float) -> ChatError:
    """flowc's error for a request that failed before any reply."""
    if isinstance(exc, openai.APIStatusError):
        return ChatHTTPError(exc.status_code, _error_text(exc.body), url)
    if isinstance(exc, openai.APITimeoutError):
        return ChatTimeoutError(f"{url} did not answer within {timeout} s")
    if isinstance(exc, openai.APIConnectionError):
        return ChatError(f"cannot reach {url}: {exc}")
    return ChatError(f"{url}: {_error_text(exc.body) if exc.body is not None else exc}")


def _stream_error(exc: openai.APIError, url: str, timeout: float, chunks: _Chunks) -> ChatError:
    """flowc's error for a streamed request that failed, before or during the reply."""
    if chunks.received == 0 and not isinstance(exc, openai.APIResponseValidationError):
        if isinstance(exc, openai.APIStatusError | openai.APITimeoutError):
            return _request_error(exc, url, timeout)
        if isinstance(exc, openai.APIConnectionError):
            return _request_error(exc, url, timeout)
    partial = chunks.reply.message()
    if isinstance(exc, openai.APITimeoutError):
        return ChatTimeoutError(
            f"{url} sent nothing for {timeout} s in the middle of a reply "
            f"({len(partial.content)} characters received)",
            partial,
        )
    if isinstance(exc, openai.APIConnectionError):
        return ChatStreamError(f"the connection to {url} broke mid-stream: {exc}", partial)
    text = _error_text(exc.body) if exc.body is not None else str(exc)
    return ChatStreamError(f"the server reported an error mid-stream: {text}", partial)


def _bad_json(exc: json.JSONDecodeError, chunks: _Chunks) -> ChatProtocolError:
    return ChatProtocolError(f"event data is not JSON ({exc.msg})", exc.doc, chunks.reply.message())


def _check_complete(chunks: _Chunks, url: str) -> None:
    """A reply must end with a finish reason (a hang-up before it is no short reply)."""
    if chunks.reply.finish_reason is None:
        raise ChatStreamError(
            f"the stream from {url} ended before the reply was complete",
            chunks.reply.message(),
        )


def _finish(message: ChatMessage, meta: MessageMetadata | None) -> ChatMessage:
    """The whole reply, streamed if none of it was (a reply without any chunk)."""
    if meta is not None:
        _messages.emit_message(message, meta)
    return message
