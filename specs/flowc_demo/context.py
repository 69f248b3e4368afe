"""Nodes of the context graph: a run is given who it runs for, and its node reads it.

The context is static for a run (LangGraph's ``context=``): ``graph.stream(input,
context=UserContext(...))``; a node reads it with ``get_context()``, which the
generated ``context_types`` module types as the spec's ``context_type``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from flowc.runtime.context import get_context


@dataclass(frozen=True)
class UserContext:
    """Who a run is for."""

    user_id: str
    greeting: str = "Hello"


class GreetState(TypedDict, total=False):
    name: str
    message: str


def greet(state: GreetState) -> GreetState:
    context: UserContext = get_context()
    return {"message": f"{context.greeting}, {state['name']} (for {context.user_id})"}
