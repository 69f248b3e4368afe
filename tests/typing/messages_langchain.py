"""With LangChain installed, a ``messages`` event's message is LangChain's message (or
the OpenAI client's): ``tests/test_messages_typing.py`` reads the types mypy reveals."""

from __future__ import annotations

from typing import reveal_type

from langchain_core.messages import AIMessageChunk

from tests.golden import agent, messages_subgraph

for event in agent.stream({"messages": []}, stream_mode="messages"):
    reveal_type(event.message)
    reveal_type(event.metadata["langgraph_node"])
    if isinstance(event.message, AIMessageChunk):
        reveal_type(event.message.tool_call_chunks[0]["name"])

for deep in messages_subgraph.stream({"topic": "cats"}, stream_mode="messages", subgraphs=True):
    reveal_type(deep.metadata["langgraph_node"])
