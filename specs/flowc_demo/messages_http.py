"""Nodes that call an OpenAI-compatible endpoint with flowc's own client (no LangChain).

The client reads the endpoint, model and API key from the environment
(``OPENAI_BASE_URL``, ``OPENAI_MODEL``, ``OPENAI_API_KEY``) when it is called.
``call_model`` uses ``invoke``: in ``messages`` mode its tokens stream as they
arrive. ``stream_answer`` is the reference document's "use with any LLM"
example done with this client: it passes each piece of the reply to the
stream writer (``custom`` mode) while ``messages`` mode streams the tokens too.
"""

from __future__ import annotations

from typing import Any, TypedDict

from flowc import StreamWriter
from flowc.integrations.openai_compat import ChatClient

EXAMPLE_INPUT = {"topic": "cats"}

llm = ChatClient(tags=["http"], timeout=5.0, max_retries=0, temperature=0.5)


class State(TypedDict, total=False):
    topic: str
    answer: str


def _prompt(topic: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": f"Tell me about {topic}"}]


def call_model(state: State) -> State:
    reply = llm.invoke(_prompt(state["topic"]))
    return {"answer": reply.content}


async def stream_answer(state: State, writer: StreamWriter[dict[str, Any]]) -> State:
    answer = ""
    async for chunk in llm.astream(_prompt(state["topic"])):
        if chunk.content:
            answer += chunk.content
            writer({"custom_llm_chunk": chunk.content})
    return {"answer": answer}
