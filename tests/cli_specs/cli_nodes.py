"""Node functions of the specs the CLI tests run (tests/cli_specs/*.toml)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Literal, TypedDict


class SleepyState(TypedDict, total=False):
    topic: str
    done: str
    done_too: str


def prepare(state: SleepyState) -> SleepyState:
    return {"topic": state.get("topic", "") + "!"}


def nap(state: SleepyState) -> SleepyState:
    # Long enough that only Ctrl-C ends the run in the tests.
    time.sleep(120)
    return {"done": "yes"}


def nap_too(state: SleepyState) -> SleepyState:
    time.sleep(120)
    return {"done_too": "yes"}


class RouteState(TypedDict, total=False):
    text: str
    kind: str
    answer: str


def classify(state: RouteState) -> RouteState:
    text = state["text"]
    return {"kind": "funny" if "cat" in text else "lyrical" if "moon" in text else "done"}


def pick(state: RouteState) -> Literal["funny", "lyrical", "done"]:
    kind = state["kind"]
    if kind == "funny":
        return "funny"
    if kind == "lyrical":
        return "lyrical"
    return "done"


def joke(state: RouteState) -> RouteState:
    return {"answer": f"a joke about {state['text']}"}


def poem(state: RouteState) -> RouteState:
    return {"answer": f"a poem about {state['text']}"}


class ParseState(TypedDict, total=False):
    text: str
    data: dict[str, object]


def parse(state: ParseState) -> ParseState:
    return {"data": json.loads(state["text"])}


def go_or_stop(state: object) -> Literal["go", "stop"]:
    return "go"


async def nap_async(state: SleepyState) -> SleepyState:
    await asyncio.sleep(120)
    return {"done": "yes"}
