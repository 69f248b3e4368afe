"""Two parallel nodes that prove their tokens are streamed live.

After its first token, each node waits until the consumer of the stream has
seen the *other* node's first token (the consumer calls :func:`saw`). That
can only happen if both nodes run at the same time and their tokens reach the
consumer while they run; otherwise the wait times out and the node fails.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

LEFT = "left tokens come first"
RIGHT = "right tokens come too"
WAIT = 5.0

EXAMPLE_INPUT = {"topic": "liveness"}

left_model = GenericFakeChatModel(messages=itertools.cycle([LEFT]))
right_model = GenericFakeChatModel(messages=itertools.cycle([RIGHT]))

_seen: dict[str, threading.Event] = {"left": threading.Event(), "right": threading.Event()}


class State(TypedDict, total=False):
    topic: str
    left: str
    right: str


def reset() -> None:
    """Forget what the consumer saw (before each run)."""
    for event in _seen.values():
        event.clear()


def saw(node: str) -> None:
    """The consumer has received a token of ``node``."""
    _seen[node].set()


def _wait_for(node: str) -> None:
    if not _seen[node].wait(WAIT):
        raise TimeoutError(f"no token of {node!r} reached the consumer while this node ran")


async def _await_for(node: str) -> None:
    deadline = time.monotonic() + WAIT
    while not _seen[node].is_set():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no token of {node!r} reached the consumer while this node ran")
        await asyncio.sleep(0.005)


def left(state: State) -> State:
    text = ""
    for i, chunk in enumerate(left_model.stream(state["topic"])):
        text += chunk.text
        if i == 0:
            _wait_for("right")
    return {"left": text}


def right(state: State) -> State:
    text = ""
    for i, chunk in enumerate(right_model.stream(state["topic"])):
        text += chunk.text
        if i == 0:
            _wait_for("left")
    return {"right": text}


async def aleft(state: State) -> State:
    text = ""
    i = 0
    async for chunk in left_model.astream(state["topic"]):
        text += chunk.text
        if i == 0:
            await _await_for("right")
        i += 1
    return {"left": text}


async def aright(state: State) -> State:
    text = ""
    i = 0
    async for chunk in right_model.astream(state["topic"]):
        text += chunk.text
        if i == 0:
            await _await_for("left")
        i += 1
    return {"right": text}
