"""A misspelt metadata key is an error, with a hint."""

from __future__ import annotations

from tests.golden import messages_parallel

for event in messages_parallel.stream({"topic": "cats"}, stream_mode="messages"):
    print(event.metadata["langgraph_nodes"])
