"""``metadata["tags"]`` is a list of tags: comparing it with one tag is always false."""

from __future__ import annotations

from tests.golden import messages_tags


async def main() -> None:
    async for event in messages_tags.astream({"topic": "cats"}, stream_mode="messages"):
        if event.metadata["tags"] == "joke":
            print(event.message.content)
