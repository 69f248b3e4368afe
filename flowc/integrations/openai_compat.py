"""Chat models behind any OpenAI-compatible endpoint, on the official ``openai`` SDK (extra ``openai``).

No LangChain needed: :class:`ChatClient` calls ``chat.completions.create`` with
the SDK's sync and async clients (any ``base_url``: OpenAI, vLLM, llama.cpp's
server, Ollama, LiteLLM...) and, called inside a node of a run that streams
``messages``, streams every token as a ``messages`` event, with LangGraph's
metadata::

    from flowc.integrations.openai_compat import ChatClient

    llm = ChatClient(model="gpt-4o-mini")          # OPENAI_BASE_URL, OPENAI_API_KEY

    def call_model(state: State) -> dict[str, str]:
        reply = llm.invoke([{"role": "user", "content": f"A joke about {state['topic']}"}])
        return {"joke": reply.content}

The SDK does the HTTP, the server-sent events and the retries (connection
failures and ``408``/``409``/``429``/``5xx`` answers, with its backoff and the
server's ``Retry-After``; never once a token has been streamed). flowc's own
parts are the ``messages`` events and the typed messages: ``invoke`` /
``ainvoke`` stream under the hood when the run streams ``messages`` (so tokens
arrive as they are made) and make one plain request otherwise; ``stream`` /
``astream`` yield :class:`ChatMessageChunk` objects.

Failures are exceptions of :class:`ChatError`'s family: :class:`ChatHTTPError`
(an error status), :class:`ChatTimeoutError`, :class:`ChatStreamError` (the
server reported an error, or the connection ended, part-way through a reply:
everything streamed before it was delivered, and ``.partial`` holds it) and
:class:`ChatProtocolError` (event data that is not JSON, an answer that is no
completion).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from flowc.runtime import messages as _messages

if TYPE_CHECKING:
    from ._chat_client import ChatClient

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
    """The server sent something that is not an OpenAI chat completion."""

    def __init__(self, message: str, text: str, partial: ChatMessage) -> None:
        excerpt = text if len(text) <= 120 else text[:117] + "..."
        super().__init__(f"{message} ({excerpt!r})")
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


class _Chunks:
    """Turns the SDK's ``ChatCompletionChunk`` objects into flowc's chunks."""

    __slots__ = ("received", "reply", "role")

    def __init__(self, reply: _Reply) -> None:
        self.reply = reply
        self.role = "assistant"
        self.received = 0
        """How many events arrived (a timeout after the first is a stalled reply)."""

    def chunk(self, event: Any) -> ChatMessageChunk | None:
        self.received += 1
        reply = self.reply
        if isinstance(getattr(event, "id", None), str) and event.id:
            reply.id = event.id
        if isinstance(getattr(event, "model", None), str):
            reply.model = event.model
        usage = getattr(event, "usage", None)
        if usage is not None:
            reply.usage = _plain(usage)
        choices = getattr(event, "choices", None)
        if not isinstance(choices, list):
            raise ChatProtocolError(
                "event has no `choices` list", json.dumps(_plain(event)), reply.message()
            )
        if not choices:
            return None  # e.g. the final usage-only event
        choice = choices[0]
        delta = getattr(choice, "delta", None)
        if delta is None:
            raise ChatProtocolError(
                "choice has no `delta`", json.dumps(_plain(event)), reply.message()
            )
        if isinstance(delta.role, str):
            self.role = delta.role
        pieces = [
            ToolCallChunk(
                index=int(call.index if call.index is not None else i),
                id=call.id,
                name=call.function.name if call.function is not None else None,
                arguments=(call.function.arguments or "") if call.function is not None else "",
            )
            for i, call in enumerate(delta.tool_calls or ())
        ]
        finish = choice.finish_reason
        return ChatMessageChunk(
            content=delta.content or "",
            role=self.role,
            id=reply.id,
            tool_call_chunks=pieces,
            finish_reason=finish if isinstance(finish, str) else None,
            model=reply.model,
            last=isinstance(finish, str),
        )


def _plain(obj: Any) -> Any:
    """An SDK object as plain JSON values."""
    dump = getattr(obj, "model_dump", None)
    return dump(mode="json", exclude_unset=True) if callable(dump) else obj


def _error_text(body: Any) -> str:
    error = body.get("error", body) if isinstance(body, Mapping) else body
    if isinstance(error, Mapping):
        message = error.get("message") or json.dumps(dict(error))
        kind = error.get("type") or error.get("code")
        return f"{message} ({kind})" if kind else str(message)
    return str(error) if error is not None else "(no body)"


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


def _parse_completion(completion: Any) -> ChatMessage:
    """The reply of a non-streaming completion."""
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise ChatProtocolError(
            "the answer has no `choices`", json.dumps(_plain(completion))[:500], ChatMessage()
        )
    choice = choices[0]
    message = getattr(choice, "message", None)
    if message is None:
        raise ChatProtocolError(
            "the answer's choice has no `message`",
            json.dumps(_plain(completion))[:500],
            ChatMessage(),
        )
    calls = [
        ToolCall(
            str(call.id or ""),
            str(getattr(call.function, "name", "") or ""),
            str(getattr(call.function, "arguments", "") or ""),
        )
        for call in message.tool_calls or ()
    ]
    reply_id = getattr(completion, "id", None)
    usage = getattr(completion, "usage", None)
    model = getattr(completion, "model", None)
    return ChatMessage(
        content=message.content or "",
        role=str(message.role or "assistant"),
        id=reply_id if isinstance(reply_id, str) and reply_id else _fresh_id(),
        tool_calls=calls,
        finish_reason=choice.finish_reason,
        model=model if isinstance(model, str) else None,
        usage=_plain(usage) if usage is not None else None,
    )


_messages.register_message_type(ChatMessage)


def __getattr__(name: str) -> Any:
    # the client builds on the messages and errors above: it is imported when first asked for,
    # so that either module may be imported first
    if name == "ChatClient":
        from ._chat_client import ChatClient

        return ChatClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
