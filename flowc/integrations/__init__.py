"""Optional integrations with chat-model clients, for ``messages`` mode.

* :mod:`flowc.integrations.langchain` (extra ``langchain``): any LangChain chat
  model called inside a node streams its tokens. The runtime loads it by
  itself when a run streams ``messages`` and ``langchain_core`` is installed.
* :mod:`flowc.integrations.openai_compat` (extra ``openai``): chat models
  behind any OpenAI-compatible endpoint, on the official ``openai`` SDK, whose
  tokens stream in ``messages`` mode; no LangChain needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

__all__ = ["Message"]

if TYPE_CHECKING:
    # without LangChain installed, mypy sees Any here and the union is flowc's messages only
    from langchain_core.messages import BaseMessage  # type: ignore[import-not-found, unused-ignore]

    from .openai_compat import ChatMessage

    Message: TypeAlias = BaseMessage | ChatMessage
    """What a ``messages`` event carries: LangChain's messages and message chunks (with the
    ``langchain`` extra), and the OpenAI client's ``ChatMessage``/``ChatMessageChunk``."""
else:
    # the run never reads it: importing a runner module loads neither LangChain nor the client
    Message = Any
