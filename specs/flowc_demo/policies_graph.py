"""The policies graph declared with decorators: the twin of ``specs/policies.toml``."""

from __future__ import annotations

import operator
from typing import Annotated

from flowc import END, START, Graph
from flowc.runtime.policies import CachePolicy, RetryPolicy
from flowc_demo.policies import by_topic, check, fetch, lookup, summarize

graph = Graph(
    "policies",
    fields={"topic": str, "pages": Annotated[list[str], operator.add], "summary": str},
    description="Fetch a page (retried) and look the topic up (cached), then sum up.",
    step_timeout=60,
)
graph.add_node(
    fetch,
    retry=RetryPolicy(
        max_attempts=3, initial_interval=0.005, jitter=False, retry_on=ConnectionError
    ),
)
graph.add_node(lookup, cache=CachePolicy(key_func=by_topic, ttl=60))
graph.add_node(check)
graph.add_node(summarize, defer=True)
graph.add_edge(START, "fetch")
graph.add_edge(START, "lookup")
graph.sequence("fetch", "summarize", END)
graph.sequence("lookup", "check", "summarize")
