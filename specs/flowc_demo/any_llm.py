"""Nodes of the "use with any LLM" graph: a tool streams a raw client's chunks as custom data.

The reference document calls OpenAI's streaming client; here a fake client
yields a canned reply word by word, so the example runs offline and the same
way every time.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any, TypedDict

from flowc import get_stream_writer

EXAMPLE_INPUT = {
    "messages": [
        {
            "content": None,
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "1",
                    "function": {"arguments": '{"place":"bedroom"}', "name": "get_items"},
                    "type": "function",
                }
            ],
        }
    ]
}
"""The reference document's input: an assistant message that calls ``get_items``."""

_REPLY = "bed: for sleeping, lamp: for light, wardrobe: for clothes"


class State(TypedDict, total=False):
    messages: list[dict[str, Any]]


class MessagesUpdate(TypedDict):
    messages: list[dict[str, Any]]


async def stream_tokens(messages: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    """A stand-in for a raw LLM client's streaming call: the reply, word by word."""
    del messages
    role = "assistant"
    for i, word in enumerate(_REPLY.split(" ")):
        await asyncio.sleep(0)
        yield {"role": role, "content": word if i == 0 else " " + word}


async def get_items(place: str) -> str:
    """A tool: list items one might find in a place, streaming the reply as it comes."""
    writer = get_stream_writer()
    response = ""
    prompt = (
        "Can you tell me what kind of items "
        f"i might find in the following place: '{place}'. "
        "List at least 3 such items separating them by a comma. "
        "And include a brief description of each item."
    )
    async for msg_chunk in stream_tokens([{"role": "user", "content": prompt}]):
        response += msg_chunk["content"]
        writer(msg_chunk)
    return response


async def call_tool(state: State) -> MessagesUpdate:
    ai_message = state["messages"][-1]
    tool_call = ai_message["tool_calls"][-1]
    function_name = tool_call["function"]["name"]
    if function_name != "get_items":
        raise ValueError(f"Tool {function_name} not supported")
    arguments = json.loads(tool_call["function"]["arguments"])
    function_response = await get_items(**arguments)
    tool_message = {
        "tool_call_id": tool_call["id"],
        "role": "tool",
        "name": function_name,
        "content": function_response,
    }
    return {"messages": [tool_message]}
