"""flowc's own client for OpenAI-compatible chat-completions endpoints (extra ``http``).

No LangChain needed: :class:`ChatClient` talks to ``POST {base_url}/chat/completions``
with httpx, streams the reply as server-sent events, and, called inside a node
of a run that streams ``messages``, streams every token as a ``messages``
event, with LangGraph's metadata::

    from flowc.integrations.openai_compat import ChatClient

    llm = ChatClient(model="gpt-4o-mini")          # OPENAI_BASE_URL, OPENAI_API_KEY

    def call_model(state: State) -> dict[str, str]:
        reply = llm.invoke([{"role": "user", "content": f"A joke about {state['topic']}"}])
        return {"joke": reply.content}

``invoke`` / ``ainvoke`` stream under the hood when the run streams
``messages`` (so tokens arrive as they are made) and make one plain request
otherwise; ``stream`` / ``astream`` yield :class:`ChatMessageChunk` objects.

Failures are exceptions of :class:`ChatError`'s family: :class:`ChatHTTPError`
(an error status), :class:`ChatTimeoutError`, :class:`ChatStreamError` (the
server reported an error, or the connection ended, part-way through a reply:
everything streamed before it was delivered, and ``.partial`` holds it) and
:class:`ChatProtocolError` (a malformed event). Connection failures and
``408``/``409``/``429``/``5xx`` answers are retried, with backoff, but never
once a token has been streamed.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

import httpx

from flowc.runtime import messages as _messages
from flowc.runtime.events import MessageMetadata

__all__ = [
    "ChatClient",
    "ChatError",
    "ChatHTTPError",
    "ChatMessage",
    "ChatMessageChunk",
    "ChatProtocolError",
    "ChatStreamError",
    "ChatTimeoutError",
    "MessageInput",
    "ToolCall",
    "ToolCallChunk",
    "merge_chunks",
]

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"
RETRY_STATUSES: Final = frozenset({408, 409, 429, 500, 502, 503, 504})
_MAX_BACKOFF: Final = 30.0


# -- errors -----------------------------------------------------------------------------


class ChatError(Exception):
    """A chat-completions request failed."""


class ChatHTTPError(ChatError):
    """The endpoint answered with an error status."""

    def __init__(self, status_code: int, message: str, url: str) -> None:
        super().__init__(f"{url} answered {status_code}: {message}")
        self.status_code = status_code
        self.url = url


class ChatTimeoutError(ChatError, TimeoutError):
    """The endpoint did not answer, or stopped sending, within the timeout."""

    def __init__(self, message: str, partial: ChatMessage | None = None) -> None:
        super().__init__(message)
        self.partial = partial
        """What had been streamed of the reply when the time ran out, if anything."""


class ChatStreamError(ChatError):
    """The reply stopped part-way: the server sent an error event, or hung up."""

    def __init__(self, message: str, partial: ChatMessage) -> None:
        super().__init__(message)
        self.partial = partial
        """What had been streamed of the reply before the error."""


class ChatProtocolError(ChatError):
    """The server sent something that is not an OpenAI chat-completions stream."""

    def __init__(self, message: str, line: int, text: str, partial: ChatMessage) -> None:
        excerpt = text if len(text) <= 120 else text[:117] + "..."
        super().__init__(f"{message} (event line {line}: {excerpt!r})")
        self.line = line
        self.partial = partial


# -- messages ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function call the model asked for."""

    id: str
    name: str
    arguments: str
    """The arguments as the model wrote them (JSON text)."""

    @property
    def args(self) -> Any:
        """The arguments, parsed (raises ``json.JSONDecodeError`` if they are not JSON)."""
        return json.loads(self.arguments) if self.arguments else {}

    def to_openai(self) -> dict[str, Any]:
        """The call as the API writes it in an assistant message."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(frozen=True, slots=True)
class ToolCallChunk:
    """A piece of a tool call, as one streamed event carries it."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(slots=True)
class ChatMessage:
    """A chat message: what the model replied, or what is sent to it.

    ``id`` is the completion's id for a reply; ``messages`` mode streams a
    message once per id (a message without one gets a uuid4).
    """

    content: str = ""
    role: str = "assistant"
    id: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None
    finish_reason: str | None = None
    model: str | None = None
    usage: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """The text content (the same as ``content``)."""
        return self.content

    def to_openai(self) -> dict[str, Any]:
        """The message as the chat-completions API takes it."""
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = [call.to_openai() for call in self.tool_calls]
            if not self.content:
                out["content"] = None
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.name is not None:
            out["name"] = self.name
        return out


@dataclass(slots=True)
class ChatMessageChunk(ChatMessage):
    """One streamed piece of a reply: its new text and tool-call pieces.

    Every chunk of a reply has the reply's ``id``; the last one has
    ``last=True`` and the ``finish_reason``.
    """

    tool_call_chunks: list[ToolCallChunk] = field(default_factory=list)
    last: bool = False


MessageInput: TypeAlias = ChatMessage | Mapping[str, Any] | tuple[str, str] | str
"""A message to send: a :class:`ChatMessage`, an OpenAI message dict, ``(role, content)``
or a string (a user message)."""


def _to_openai(message: MessageInput) -> dict[str, Any]:
    if isinstance(message, ChatMessage):
        return message.to_openai()
    if isinstance(message, str):
        return {"role": "user", "content": message}
    if isinstance(message, tuple):
        role, content = message
        return {"role": role, "content": content}
    return dict(message)


class _Reply:
    """Accumulates the chunks of one streamed reply."""

    __slots__ = ("calls", "finish_reason", "id", "model", "parts", "role", "usage")

    def __init__(self, default_id: str) -> None:
        self.id = default_id
        self.role = "assistant"
        self.parts: list[str] = []
        self.calls: dict[int, list[str]] = {}
        self.finish_reason: str | None = None
        self.model: str | None = None
        self.usage: dict[str, Any] | None = None

    def add(self, chunk: ChatMessageChunk) -> None:
        self.role = chunk.role
        self.parts.append(chunk.content)
        for piece in chunk.tool_call_chunks:
            call = self.calls.setdefault(piece.index, ["", "", ""])
            if piece.id:
                call[0] = piece.id
            if piece.name:
                call[1] += piece.name
            call[2] += piece.arguments
        if chunk.finish_reason is not None:
            self.finish_reason = chunk.finish_reason

    def message(self) -> ChatMessage:
        return ChatMessage(
            content="".join(self.parts),
            role=self.role,
            id=self.id,
            tool_calls=[
                ToolCall(call_id, name, arguments)
                for _, (call_id, name, arguments) in sorted(self.calls.items())
            ],
            finish_reason=self.finish_reason,
            model=self.model,
            usage=self.usage,
        )


# -- server-sent events -----------------------------------------------------------------


class _Events:
    """Turns the lines of an SSE body into chat chunks (OpenAI's streaming format)."""

    __slots__ = ("_data", "_event", "_role", "done", "line", "reply")

    def __init__(self, reply: _Reply) -> None:
        self.reply = reply
        self.line = 0
        self.done = False
        self._data: list[str] = []
        self._event = "message"
        self._role = "assistant"

    def feed(self, text: str) -> ChatMessageChunk | None:
        """Take one line; return the chunk an event it completes carries, if any."""
        self.line += 1
        if text == "":
            return self._dispatch()
        if text.startswith(":"):
            return None  # a comment (keep-alive)
        name, _, value = text.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name not in ("id", "retry"):
            raise ChatProtocolError("malformed event line", self.line, text, self.reply.message())
        return None

    def close(self) -> ChatMessageChunk | None:
        """The body ended: dispatch what is pending."""
        return self._dispatch()

    def _dispatch(self) -> ChatMessageChunk | None:
        if not self._data:
            self._event = "message"
            return None
        data = "\n".join(self._data)
        event = self._event
        self._data = []
        self._event = "message"
        if data.strip() == "[DONE]":
            self.done = True
            return None
        try:
            payload = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ChatProtocolError(
                f"event data is not JSON ({exc.msg})", self.line, data, self.reply.message()
            ) from None
        if not isinstance(payload, dict):
            raise ChatProtocolError(
                "event data is not a JSON object", self.line, data, self.reply.message()
            )
        if event == "error" or "error" in payload:
            raise ChatStreamError(
                f"the server reported an error mid-stream: {_error_text(payload)}",
                self.reply.message(),
            )
        return self._chunk(payload, data)

    def _chunk(self, payload: dict[str, Any], data: str) -> ChatMessageChunk | None:
        reply = self.reply
        if isinstance(payload.get("id"), str) and payload["id"]:
            reply.id = payload["id"]
        if isinstance(payload.get("model"), str):
            reply.model = payload["model"]
        if isinstance(payload.get("usage"), dict):
            reply.usage = payload["usage"]
        choices = payload.get("choices")
        if not isinstance(choices, list):
            raise ChatProtocolError("event has no `choices` list", self.line, data, reply.message())
        if not choices:
            return None  # e.g. the final usage-only event
        choice = choices[0]
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            raise ChatProtocolError("choice has no `delta`", self.line, data, reply.message())
        if isinstance(delta.get("role"), str):
            self._role = delta["role"]
        pieces = [
            ToolCallChunk(
                index=int(call.get("index", i)),
                id=call.get("id"),
                name=(call.get("function") or {}).get("name"),
                arguments=(call.get("function") or {}).get("arguments") or "",
            )
            for i, call in enumerate(delta.get("tool_calls") or ())
        ]
        finish = choice.get("finish_reason")
        return ChatMessageChunk(
            content=delta.get("content") or "",
            role=self._role,
            id=reply.id,
            tool_call_chunks=pieces,
            finish_reason=finish if isinstance(finish, str) else None,
            model=reply.model,
            last=isinstance(finish, str),
        )


def _error_text(payload: Any) -> str:
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        message = error.get("message") or json.dumps(error)
        kind = error.get("type") or error.get("code")
        return f"{message} ({kind})" if kind else str(message)
    if error is not None:
        return str(error)
    return json.dumps(payload) if isinstance(payload, dict) else str(payload)


# -- the client -------------------------------------------------------------------------


class ChatClient:
    """A chat model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    Args:
        model: the model name; default: ``$OPENAI_MODEL``.
        base_url: default: ``$OPENAI_BASE_URL``, else OpenAI's.
        api_key: default: the environment variable ``api_key_env``; no
            ``Authorization`` header when there is none (local servers).
        api_key_env: where to look for the key (``OPENAI_API_KEY``).
        timeout: seconds to connect, and to wait for each piece of the answer.
        max_retries: how many times to retry a failed connection or a
            retryable status (``408``, ``409``, ``429``, ``5xx``).
        backoff: the first retry's delay in seconds, doubled each time
            (a ``Retry-After`` header wins).
        tags: added to ``metadata["tags"]`` of this model's ``messages`` events.
        disable_streaming: never stream; in ``messages`` mode a reply comes as
            one whole message.
        provider: ``metadata["ls_provider"]`` of the events.
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
        backoff: float = 0.5,
        tags: Sequence[str] = (),
        disable_streaming: bool = False,
        provider: str = "openai",
        headers: Mapping[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.tags = tuple(tags)
        self.disable_streaming = disable_streaming
        self.provider = provider
        self.headers = dict(headers or {})
        self.params = params

    # -- request pieces, resolved at call time so the environment can change ---------

    def _model(self) -> str:
        model = self.model or os.environ.get("OPENAI_MODEL")
        if not model:
            raise ChatError("no model: pass ChatClient(model=...) or set OPENAI_MODEL")
        return model

    def _url(self) -> str:
        base = self.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        return base.rstrip("/") + "/chat/completions"

    def _headers(self, stream: bool) -> dict[str, str]:
        headers = {"Content-Type": "application/json", **self.headers}
        if stream:
            headers["Accept"] = "text/event-stream"
        key = self.api_key or os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _body(
        self, messages: Iterable[MessageInput], stream: bool, params: dict[str, Any]
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._model(),
            "messages": [_to_openai(m) for m in messages],
            **self.params,
            **params,
            "stream": stream,
        }
        return body

    def _timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout)

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            after = response.headers.get("retry-after")
            if after is not None:
                try:
                    return min(max(float(after), 0.0), _MAX_BACKOFF)
                except ValueError:
                    pass
        return min(self.backoff * 2.0**attempt, _MAX_BACKOFF)

    def _metadata(self, body: Mapping[str, Any]) -> MessageMetadata | None:
        task = _messages.streaming_task()
        if task is None:
            return None
        ls: dict[str, Any] = {
            "ls_integration": "flowc_openai_compat",
            "ls_provider": self.provider,
            "ls_model_name": body["model"],
            "ls_model_type": "chat",
        }
        if isinstance(body.get("temperature"), int | float):
            ls["ls_temperature"] = body["temperature"]
        if isinstance(body.get("max_tokens"), int):
            ls["ls_max_tokens"] = body["max_tokens"]
        if body.get("stop"):
            stop = body["stop"]
            ls["ls_stop"] = [stop] if isinstance(stop, str) else list(stop)
        return _messages.model_metadata(task, ls, self.tags)

    # -- public API ---------------------------------------------------------------------

    def invoke(self, messages: Iterable[MessageInput], **params: Any) -> ChatMessage:
        """The model's reply to ``messages`` (streamed as it comes in ``messages`` mode)."""
        messages = list(messages)
        if not self.disable_streaming and _messages.streaming_task() is not None:
            body = self._body(messages, True, params)
            meta = self._metadata(body)
            reply = _Reply(_fresh_id())
            for chunk in self._stream(body, reply, meta):
                reply.add(chunk)
            return _finish(reply.message(), meta)
        body = self._body(messages, False, params)
        meta = self._metadata(body)
        message = _parse_completion(self._post(body))
        if meta is not None:
            _messages.emit_message(message, meta)
        return message

    def stream(self, messages: Iterable[MessageInput], **params: Any) -> Iterator[ChatMessageChunk]:
        """The reply, chunk by chunk (one whole chunk if streaming is disabled)."""
        messages = list(messages)
        if self.disable_streaming:
            whole = self.invoke(messages, **params)
            yield _as_chunk(whole)
            return
        body = self._body(messages, True, params)
        meta = self._metadata(body)
        reply = _Reply(_fresh_id())
        for chunk in self._stream(body, reply, meta):
            reply.add(chunk)
            yield chunk
        _finish(reply.message(), meta)

    async def ainvoke(self, messages: Iterable[MessageInput], **params: Any) -> ChatMessage:
        """Async twin of :meth:`invoke`."""
        messages = list(messages)
        if not self.disable_streaming and _messages.streaming_task() is not None:
            body = self._body(messages, True, params)
            meta = self._metadata(body)
            reply = _Reply(_fresh_id())
            async for chunk in self._astream(body, reply, meta):
                reply.add(chunk)
            return _finish(reply.message(), meta)
        body = self._body(messages, False, params)
        meta = self._metadata(body)
        message = _parse_completion(await self._apost(body))
        if meta is not None:
            _messages.emit_message(message, meta)
        return message

    async def astream(
        self, messages: Iterable[MessageInput], **params: Any
    ) -> AsyncIterator[ChatMessageChunk]:
        """Async twin of :meth:`stream`."""
        messages = list(messages)
        if self.disable_streaming:
            whole = await self.ainvoke(messages, **params)
            yield _as_chunk(whole)
            return
        body = self._body(messages, True, params)
        meta = self._metadata(body)
        reply = _Reply(_fresh_id())
        async for chunk in self._astream(body, reply, meta):
            reply.add(chunk)
            yield chunk
        _finish(reply.message(), meta)

    # -- plumbing -----------------------------------------------------------------------

    def _post(self, body: dict[str, Any]) -> Any:
        url = self._url()
        attempt = 0
        with httpx.Client(timeout=self._timeout()) as client:
            while True:
                try:
                    response = client.post(url, json=body, headers=self._headers(False))
                except httpx.TimeoutException as exc:
                    if attempt < self.max_retries:
                        time.sleep(self._delay(attempt, None))
                        attempt += 1
                        continue
                    raise ChatTimeoutError(f"{url} did not answer within {self.timeout} s") from exc
                except httpx.TransportError as exc:
                    if attempt < self.max_retries:
                        time.sleep(self._delay(attempt, None))
                        attempt += 1
                        continue
                    raise ChatError(f"cannot reach {url}: {exc}") from exc
                if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                    time.sleep(self._delay(attempt, response))
                    attempt += 1
                    continue
                if response.status_code >= 400:
                    raise ChatHTTPError(response.status_code, _body_error(response.text), url)
                try:
                    return response.json()
                except ValueError:
                    raise ChatProtocolError(
                        "the answer is not JSON", 1, response.text, ChatMessage()
                    ) from None

    async def _apost(self, body: dict[str, Any]) -> Any:
        url = self._url()
        attempt = 0
        async with httpx.AsyncClient(timeout=self._timeout()) as client:
            while True:
                try:
                    response = await client.post(url, json=body, headers=self._headers(False))
                except httpx.TimeoutException as exc:
                    if attempt < self.max_retries:
                        await asyncio.sleep(self._delay(attempt, None))
                        attempt += 1
                        continue
                    raise ChatTimeoutError(f"{url} did not answer within {self.timeout} s") from exc
                except httpx.TransportError as exc:
                    if attempt < self.max_retries:
                        await asyncio.sleep(self._delay(attempt, None))
                        attempt += 1
                        continue
                    raise ChatError(f"cannot reach {url}: {exc}") from exc
                if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                    await asyncio.sleep(self._delay(attempt, response))
                    attempt += 1
                    continue
                if response.status_code >= 400:
                    raise ChatHTTPError(response.status_code, _body_error(response.text), url)
                try:
                    return response.json()
                except ValueError:
                    raise ChatProtocolError(
                        "the answer is not JSON", 1, response.text, ChatMessage()
                    ) from None

    def _stream(
        self, body: dict[str, Any], reply: _Reply, meta: MessageMetadata | None
    ) -> Iterator[ChatMessageChunk]:
        url = self._url()
        events = _Events(reply)
        attempt = 0
        with httpx.Client(timeout=self._timeout()) as client:
            while True:
                try:
                    with client.stream(
                        "POST", url, json=body, headers=self._headers(True)
                    ) as response:
                        if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                            delay = self._delay(attempt, response)
                        elif response.status_code >= 400:
                            response.read()
                            raise ChatHTTPError(
                                response.status_code, _body_error(response.text), url
                            )
                        else:
                            for line in response.iter_lines():
                                chunk = events.feed(line)
                                if chunk is not None:
                                    if meta is not None:
                                        _messages.emit_chunk(chunk, meta)
                                    yield chunk
                            chunk = events.close()
                            if chunk is not None:
                                if meta is not None:
                                    _messages.emit_chunk(chunk, meta)
                                yield chunk
                            _check_complete(events, url)
                            return
                except httpx.TimeoutException as exc:
                    if events.line == 0 and attempt < self.max_retries:
                        delay = self._delay(attempt, None)
                    else:
                        raise _timeout(url, self.timeout, events, exc) from exc
                except httpx.TransportError as exc:
                    if events.line == 0 and attempt < self.max_retries:
                        delay = self._delay(attempt, None)
                    elif events.line == 0:
                        raise ChatError(f"cannot reach {url}: {exc}") from exc
                    else:
                        raise ChatStreamError(
                            f"the connection to {url} broke mid-stream: {exc}", reply.message()
                        ) from exc
                time.sleep(delay)
                attempt += 1

    async def _astream(
        self, body: dict[str, Any], reply: _Reply, meta: MessageMetadata | None
    ) -> AsyncIterator[ChatMessageChunk]:
        url = self._url()
        events = _Events(reply)
        attempt = 0
        async with httpx.AsyncClient(timeout=self._timeout()) as client:
            while True:
                try:
                    async with client.stream(
                        "POST", url, json=body, headers=self._headers(True)
                    ) as response:
                        if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                            delay = self._delay(attempt, response)
                        elif response.status_code >= 400:
                            await response.aread()
                            raise ChatHTTPError(
                                response.status_code, _body_error(response.text), url
                            )
                        else:
                            async for line in response.aiter_lines():
                                chunk = events.feed(line)
                                if chunk is not None:
                                    if meta is not None:
                                        _messages.emit_chunk(chunk, meta)
                                    yield chunk
                            chunk = events.close()
                            if chunk is not None:
                                if meta is not None:
                                    _messages.emit_chunk(chunk, meta)
                                yield chunk
                            _check_complete(events, url)
                            return
                except httpx.TimeoutException as exc:
                    if events.line == 0 and attempt < self.max_retries:
                        delay = self._delay(attempt, None)
                    else:
                        raise _timeout(url, self.timeout, events, exc) from exc
                except httpx.TransportError as exc:
                    if events.line == 0 and attempt < self.max_retries:
                        delay = self._delay(attempt, None)
                    elif events.line == 0:
                        raise ChatError(f"cannot reach {url}: {exc}") from exc
                    else:
                        raise ChatStreamError(
                            f"the connection to {url} broke mid-stream: {exc}", reply.message()
                        ) from exc
                await asyncio.sleep(delay)
                attempt += 1


def _finish(message: ChatMessage, meta: MessageMetadata | None) -> ChatMessage:
    """The whole reply, streamed if none of it was (a reply without any chunk)."""
    if meta is not None:
        _messages.emit_message(message, meta)
    return message


def merge_chunks(chunks: Iterable[ChatMessageChunk]) -> ChatMessage:
    """The whole reply that streamed ``chunks`` make up (text joined, tool calls assembled)."""
    reply = _Reply(_fresh_id())
    first = True
    for chunk in chunks:
        if first and chunk.id is not None:
            reply.id = chunk.id
        first = False
        reply.model = chunk.model or reply.model
        reply.add(chunk)
    return reply.message()


def _fresh_id() -> str:
    return f"flowc-{uuid.uuid4()}"


def _as_chunk(message: ChatMessage) -> ChatMessageChunk:
    return ChatMessageChunk(
        content=message.content,
        role=message.role,
        id=message.id,
        tool_calls=list(message.tool_calls),
        finish_reason=message.finish_reason,
        model=message.model,
        usage=message.usage,
        tool_call_chunks=[
            ToolCallChunk(i, call.id, call.name, call.arguments)
            for i, call in enumerate(message.tool_calls)
        ],
        last=True,
    )


def _check_complete(events: _Events, url: str) -> None:
    """A stream must end with ``[DONE]``, or at least with a finish reason."""
    if not events.done and events.reply.finish_reason is None:
        raise ChatStreamError(
            f"the stream from {url} ended before the reply was complete",
            events.reply.message(),
        )


def _timeout(url: str, seconds: float, events: _Events, exc: Exception) -> ChatTimeoutError:
    if events.line == 0:
        return ChatTimeoutError(f"{url} did not answer within {seconds} s")
    partial = events.reply.message()
    return ChatTimeoutError(
        f"{url} sent nothing for {seconds} s in the middle of a reply "
        f"({len(partial.content)} characters received)",
        partial,
    )


def _body_error(text: str) -> str:
    try:
        payload = json.loads(text)
    except ValueError:
        return text.strip()[:500] or "(no body)"
    return _error_text(payload) if isinstance(payload, dict) else text.strip()[:500]


def _parse_completion(payload: Any) -> ChatMessage:
    """The reply of a non-streaming completion."""
    text = json.dumps(payload)[:500]
    if not isinstance(payload, dict):
        raise ChatProtocolError("the answer is not a JSON object", 1, text, ChatMessage())
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ChatProtocolError("the answer has no `choices`", 1, text, ChatMessage())
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise ChatProtocolError("the answer's choice has no `message`", 1, text, ChatMessage())
    calls = [
        ToolCall(
            str(call.get("id", "")),
            str((call.get("function") or {}).get("name", "")),
            str((call.get("function") or {}).get("arguments", "")),
        )
        for call in message.get("tool_calls") or ()
        if isinstance(call, dict)
    ]
    reply_id = payload.get("id")
    usage = payload.get("usage")
    return ChatMessage(
        content=message.get("content") or "",
        role=str(message.get("role") or "assistant"),
        id=reply_id if isinstance(reply_id, str) and reply_id else _fresh_id(),
        tool_calls=calls,
        finish_reason=choices[0].get("finish_reason"),
        model=payload.get("model") if isinstance(payload.get("model"), str) else None,
        usage=usage if isinstance(usage, dict) else None,
    )


_messages.register_message_type(ChatMessage)
