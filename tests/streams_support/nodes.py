"""One node function per way a node can, or cannot, emit while it runs."""

from __future__ import annotations

import functools
import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, TypedDict

import libcst

from flowc.runtime import StreamWriter, get_stream_writer

from . import helpers

LOG: list[str] = []


class Point(TypedDict):
    x: int


@dataclass
class Box:
    n: int


class Loud:
    def __init__(self, n: int) -> None:
        get_stream_writer()(n)
        self.n = n


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def quiet(self, state: dict[str, Any]) -> dict[str, Any]:
        return {"n": state["n"] + self.n}

    def calls_itself(self, state: dict[str, Any]) -> dict[str, Any]:
        return {"n": self.helper(state)}

    def helper(self, state: dict[str, Any]) -> int:
        return int(state["n"])

    def __call__(self, state: dict[str, Any]) -> dict[str, Any]:
        return {"n": state["n"]}


def plain(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def builtins_and_values(state: dict[str, Any]) -> dict[str, Any]:
    words = " ".join(sorted(str(k).upper() for k in state))
    LOG.append(words)
    return {"n": len(words) + max(state.get("n", 0), 0)}


def standard_library(state: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0)
    return {"n": math.floor(len(json.dumps(state)))}


def state_classes(state: dict[str, Any]) -> dict[str, Any]:
    point = Point(x=state["n"])
    return {"n": Box(point["x"]).n}


def writes(state: dict[str, Any]) -> dict[str, Any]:
    get_stream_writer()({"n": state["n"]})
    return {"n": 1}


def through_a_helper(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": _local_helper(state)}


def _local_helper(state: dict[str, Any]) -> int:
    return helpers.loud_helper(state)


def through_a_quiet_helper(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": helpers.quiet_helper(state)}


def through_a_module_attribute(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": helpers.loud_helper(state)}


def looked_up_at_run_time(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": getattr(helpers, "quiet_helper")(state)}  # noqa: B009


def calls_a_parameter(state: dict[str, Any], fn: Any = helpers.quiet_helper) -> dict[str, Any]:
    return {"n": fn(state)}


def calls_an_unknown_method(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": state["graph"].invoke({"n": 1})}


def third_party(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": len(libcst.parse_module("x = 1").body)}


def makes_a_loud_object(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": Loud(state["n"]).n}


def generator(state: dict[str, Any]) -> Any:
    yield {"n": 1}


def recursive(state: dict[str, Any], depth: int = 3) -> dict[str, Any]:
    return {"n": 0} if depth == 0 else recursive(state, depth - 1)


def _logged(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(state: dict[str, Any]) -> Any:
        get_stream_writer()("called")
        return fn(state)

    return wrapper


@_logged
def decorated(state: dict[str, Any]) -> dict[str, Any]:
    return {"n": 1}


def takes_a_writer(state: dict[str, Any], writer: StreamWriter[Any]) -> dict[str, Any]:
    writer("hi")
    return {"n": 1}


def add_amount(state: dict[str, Any], amount: int) -> dict[str, Any]:
    return {"n": state["n"] + amount}


WHERE: dict[str, bool] = {}


def quiet(state: dict[str, Any]) -> dict[str, Any]:
    WHERE["quiet"] = threading.current_thread() is threading.main_thread()
    return {"n": state["n"] + 1}


def loud(state: dict[str, Any]) -> dict[str, Any]:
    WHERE["loud"] = threading.current_thread() is threading.main_thread()
    get_stream_writer()({"at": state["n"]})
    return {"n": state["n"] + 1}


def make_node(fn: Any) -> Any:
    def node(state: dict[str, Any]) -> dict[str, Any]:
        return {"n": fn(state)}

    return node


quiet_lambda = lambda state: {"n": state["n"] * 2}  # noqa: E731
loud_lambda = lambda state: get_stream_writer()(state) or {"n": 1}  # noqa: E731
quiet_partial = functools.partial(add_amount, amount=2)
loud_partial = functools.partial(calls_a_parameter, fn=helpers.loud_helper)
quiet_closure = make_node(helpers.quiet_helper)
loud_closure = make_node(helpers.loud_helper)
counter = Counter()
