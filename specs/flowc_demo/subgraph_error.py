"""Nodes of `subgraph_error`: the subgraph's `review` step raises."""

from __future__ import annotations

from typing import TypedDict

from flowc import get_stream_writer

EXAMPLE_INPUT = {"topic": "  ice cream "}


class DraftState(TypedDict, total=False):
    topic: str
    draft: str


def outline(state: DraftState) -> DraftState:
    return {"topic": state["topic"].strip()}


def draft(state: DraftState) -> DraftState:
    get_stream_writer()({"drafting": state["topic"]})
    return {"draft": f"A few words on {state['topic']}"}


def review(state: DraftState) -> DraftState:
    get_stream_writer()({"reviewing": len(state["draft"])})
    raise ValueError(f"review of {state['topic']!r} failed")


def publish(state: DraftState) -> DraftState:
    return {"draft": state["draft"] + ", published"}
