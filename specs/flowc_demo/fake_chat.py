"""A fake chat model that plays back tool calls: agents run without an API key.

:class:`ToolCallingFakeModel` replies with the next of its ``responses``
(starting over after the last) and streams each reply as LangChain's chat
models do: its text token by token (split on whitespace, as LangChain's own
``GenericFakeChatModel``), then one chunk per tool call. ``bind_tools`` and
``with_structured_output`` work as on a real model: a structured response is
read from the reply's tool call named after the schema.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

__all__ = ["ToolCallingFakeModel", "weather_model"]


class ToolCallingFakeModel(BaseChatModel):
    """Replies with ``responses`` in turn; streams their text and tool calls."""

    responses: list[AIMessage]
    """The replies, in order; the first comes again after the last."""

    _next: int = PrivateAttr(default=0)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "tool-calling-fake"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """The model with ``tools`` bound (the replies are played back all the same)."""
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=formatted, **kwargs)

    def _reply(self) -> AIMessage:
        with self._lock:
            reply = self.responses[self._next % len(self.responses)]
            self._next += 1
        return reply.model_copy(deep=True)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply())])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._reply()
        text = reply.content if isinstance(reply.content, str) else ""
        pieces: list[AIMessageChunk] = [
            AIMessageChunk(content=token, id=reply.id) for token in re.split(r"(\s)", text) if token
        ]
        pieces.extend(
            AIMessageChunk(
                content="",
                id=reply.id,
                tool_call_chunks=[
                    {
                        "name": call["name"],
                        "args": json.dumps(call["args"]),
                        "id": call["id"],
                        "index": index,
                        "type": "tool_call_chunk",
                    }
                ],
            )
            for index, call in enumerate(reply.tool_calls)
        )
        if not pieces:
            pieces.append(AIMessageChunk(content="", id=reply.id))
        pieces[-1].chunk_position = "last"
        for piece in pieces:
            chunk = ChatGenerationChunk(message=piece)
            if run_manager is not None:
                run_manager.on_llm_new_token(
                    piece.content if isinstance(piece.content, str) else "", chunk=chunk
                )
            yield chunk


def weather_model(**kwargs: Any) -> ToolCallingFakeModel:
    """The reference document's agent model: it asks for ``get_weather``, then answers."""
    return ToolCallingFakeModel(
        responses=[
            AIMessage(
                content="",
                id="ai-1",
                tool_calls=[{"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"}],
            ),
            AIMessage(content="It's always sunny in sf!", id="ai-2"),
        ],
        **kwargs,
    )
