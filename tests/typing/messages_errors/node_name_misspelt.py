"""A node name the graph does not have, in a filter on ``langgraph_node``: always false."""

from __future__ import annotations

from tests.golden import messages_parallel

for event in messages_parallel.stream({"topic": "cats"}, stream_mode="messages"):
    if event.metadata["langgraph_node"] == "write_poems":
        print(event.message.content)
