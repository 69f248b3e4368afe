"""Code that consumes ``messages`` events the reference document's ways; ``mypy --strict`` accepts it.

``tests/test_messages_typing.py`` runs mypy over this module and over
``messages_errors/``, whose every file holds one mistake. ``metadata`` is a
:class:`flowc.runtime.MessageMetadata` of the graph's node names: LangGraph's
keys, typed, with ``langgraph_node`` the graph's node-name literal.
"""

from __future__ import annotations

from typing import Any, Literal, assert_type

from flowc.runtime import MessageMetadata, MessagesEvent
from tests.golden import messages_parallel, messages_tags


def poem_tokens() -> str:
    """Filter by node: only the tokens ``write_poem`` streamed."""
    out: list[str] = []
    for event in messages_parallel.stream({"topic": "cats"}, stream_mode="messages"):
        assert_type(event, messages_parallel.MessagesParallelMessagesEvent)
        assert_type(event.metadata, MessageMetadata[Literal["write_joke", "write_poem"]])
        assert_type(event.metadata["langgraph_node"], Literal["write_joke", "write_poem"])
        # a LangChain message's content is text or a list of content blocks
        content = event.message.content
        if isinstance(content, str) and event.metadata["langgraph_node"] == "write_poem":
            out.append(content)
    return "".join(out)


async def joke_tokens() -> str:
    """Filter by LLM invocation: only the tokens of the model tagged ``joke``."""
    out: list[str] = []
    async for event in messages_tags.astream({"topic": "cats"}, stream_mode="messages"):
        assert_type(event.metadata.get("tags"), list[str] | None)
        content = event.message.content
        if event.metadata.get("tags") == ["joke"] and isinstance(content, str):
            out.append(content)
    return "".join(out)


def tokens_and_updates() -> list[tuple[str, Any]]:
    """With several modes, each event's class says which mode it belongs to."""
    out: list[tuple[str, Any]] = []
    for event in messages_parallel.stream({"topic": "cats"}, stream_mode=["messages", "updates"]):
        if isinstance(event, MessagesEvent):
            step: int = event.metadata["langgraph_step"]
            out.append((event.metadata["langgraph_node"], step))
        else:
            out.append((event.node, event.data))
    return out


def any_graphs_tokens(event: MessagesEvent) -> str:
    """A bare ``MessagesEvent`` is any graph's: ``MessagesEvent[Any, str]``."""
    assert_type(event.metadata["langgraph_node"], str)
    node: str = event.metadata["langgraph_node"]
    return node
