"""An agent declared in Python: a model made inline (no name holds it), a tool whose
parameter has no JSON schema, a response type that is no model."""

from __future__ import annotations

from erragent import fine, takes_a_lock

from flowc import Agent, Graph

graph = Graph(
    "deco_agent",
    agent=Agent(
        object(),
        [fine, takes_a_lock],
        response_format=int,
    ),
)
