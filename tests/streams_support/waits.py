"""Nodes for the analysis of what may wait (flowc.dsl.streams.may_block).

Each function here has source, which the analysis reads.
"""

from __future__ import annotations

import functools
import json
import math
import queue
import threading
import time
from typing import Any

INBOX: queue.Queue[int] = queue.Queue()
RELEASED = threading.Event()


def pure(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def computes(state: dict[str, Any]) -> dict[str, Any]:
    words = ", ".join(str(item) for item in sorted(state.get("items", []), key=len))
    return {"text": json.dumps({"words": words, "root": math.sqrt(len(words))}), "at": time.time()}


def _helper(value: int) -> int:
    return value * 2


def through_a_pure_helper(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": _helper(state["n"])}


pure_lambda = lambda state: {"n": state["n"] - 1}  # noqa: E731
pure_partial = functools.partial(through_a_pure_helper)


class Counter:
    def bump(self, state: dict[str, Any]) -> dict[str, Any]:
        return {"n": state["n"] + 1}


def sleeps(state: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0.01)
    return {"n": state["n"]}


def prints(state: dict[str, Any]) -> dict[str, Any]:
    print(state)
    return {}


def takes_from_a_queue(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": INBOX.get()}


def waits_for_an_event(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": int(RELEASED.wait(timeout=1))}


def joins_a_local(state: dict[str, Any]) -> dict[str, Any]:
    worker = state["worker"]
    worker.join()
    return {}


def through_a_sleeping_helper(state: dict[str, Any]) -> dict[str, Any]:
    return sleeps(state)


def opens_a_file(state: dict[str, Any]) -> dict[str, Any]:
    with open(state["path"]) as handle:
        return {"text": handle.read()}


PURE = ["pure", "computes", "through_a_pure_helper", "pure_lambda", "pure_partial"]
WAITING = [
    "sleeps",
    "prints",
    "takes_from_a_queue",
    "waits_for_an_event",
    "joins_a_local",
    "through_a_sleeping_helper",
    "opens_a_file",
]
