"""Retry policies: a node that fails twice and then succeeds, under each form of `retry_on`.

Each failing node counts its attempts: it fails until its third attempt of a run (a
retried task starts and ends once in `tasks`/`debug`; the `custom` chunks of its failed
attempts stay streamed), or always. Intervals are short and without jitter.
"""

import operator
import threading
import time
from typing import Annotated

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


class Flaky(Exception):
    """Retried by LangGraph's default rules (not one of the errors that say the code is wrong)."""


FAST = {"initial_interval": 0.001, "jitter": False}
counts = {"third": 0, "always": 0, "value": 0}


def third_time(error, key="third", before_second=None):
    """A node that raises ``error`` on its first two attempts of each run (its second waits
    for ``before_second`` if given, so that chunks of parallel nodes come in a fixed order)."""

    def node(state: State):
        counts[key] = counts.get(key, 0) + 1
        attempt = (counts[key] - 1) % 3 + 1
        if attempt == 2 and before_second is not None:
            before_second.wait(5)
            before_second.clear()
            time.sleep(0.04)
        get_stream_writer()({"attempt": attempt})
        if attempt < 3:
            raise error(f"attempt {attempt}")
        return {"log": [f"ok on attempt {attempt}"]}

    return node


def always_fails(state: State):
    counts["always"] += 1
    raise Flaky("always")


def value_error(state: State):
    counts["value"] += 1
    raise ValueError("not retried by default")


def other(state: State):
    return {"log": ["other"]}


async def async_flaky(state: State):
    return third_time(ConnectionError)(state)


def single(node, policy, *, sibling=None):
    builder = StateGraph(State).add_node("node", node, retry_policy=policy)
    builder.add_edge(START, "node")
    if sibling is not None:
        builder.add_node("other", sibling).add_edge(START, "other")
    else:
        builder.add_node("other", other).add_edge("node", "other")
    return builder.compile()


default_rules = single(third_time(ConnectionError), RetryPolicy(**FAST))
custom_error = single(third_time(Flaky), RetryPolicy(**FAST))
class_given = single(third_time(KeyError), RetryPolicy(retry_on=KeyError, **FAST))
classes_given = single(third_time(KeyError), RetryPolicy(retry_on=[ValueError, KeyError], **FAST))
callable_given = single(
    third_time(ValueError), RetryPolicy(retry_on=lambda e: "attempt" in str(e), **FAST)
)
policy_list = single(
    third_time(KeyError),
    [
        RetryPolicy(retry_on=ValueError, max_attempts=1, **FAST),
        RetryPolicy(retry_on=KeyError, **FAST),
    ],
)
exhausted = single(always_fails, RetryPolicy(max_attempts=2, **FAST))
not_retried = single(value_error, RetryPolicy(**FAST))
# the sibling finishes before the retried node's second attempt
other_done = threading.Event()


def signalling_other(state: State):
    other_done.set()
    return {"log": ["other"]}


parallel = single(
    third_time(ConnectionError, "parallel", other_done),
    RetryPolicy(**FAST),
    sibling=signalling_other,
)
asynchronous = single(async_flaky, RetryPolicy(**FAST))
defaults = (
    StateGraph(State)
    .set_node_defaults(retry_policy=RetryPolicy(**FAST))
    .add_node("node", third_time(ConnectionError))
    .add_node("other", other)
    .add_edge(START, "node")
    .add_edge("node", "other")
    .compile()
)

child = StateGraph(State).add_node("inner", third_time(Flaky)).add_edge(START, "inner").compile()
retried_subgraph = (
    StateGraph(State)
    .add_node("child", child, retry_policy=RetryPolicy(**FAST))
    .add_edge(START, "child")
    .compile()
)
retrying_child = (
    StateGraph(State)
    .add_node("inner", third_time(Flaky), retry_policy=RetryPolicy(**FAST))
    .add_edge(START, "inner")
    .compile()
)
subgraph_retries = (
    StateGraph(State).add_node("child", retrying_child).add_edge(START, "child").compile()
)


def knows_its_attempt(state: State, runtime: Runtime):
    info = runtime.execution_info
    counts["info"] = counts.get("info", 0) + 1
    if counts["info"] % 2:
        raise ConnectionError("first attempt")
    return {
        "log": [
            f"attempt {info.node_attempt}",
            f"own namespace: {info.checkpoint_ns == f'node:{info.task_id}'}",
            f"timed: {info.node_first_attempt_time is not None}",
        ]
    }


execution_info = single(knows_its_attempt, RetryPolicy(**FAST))

GRAPHS = [
    "default_rules",
    "custom_error",
    "class_given",
    "classes_given",
    "callable_given",
    "policy_list",
    "exhausted",
    "not_retried",
    "parallel",
    "asynchronous",
    "defaults",
    "retried_subgraph",
    "subgraph_retries",
    "execution_info",
]
INPUTS = [{"topic": "cats", "log": []}]
