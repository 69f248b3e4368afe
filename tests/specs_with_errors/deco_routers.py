"""Routers whose return annotation names targets that are not declared or do not exist."""

from __future__ import annotations

from typing import Literal

from decostate import CountUpdate, State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("routers", State)


@graph.node
def draft(state: State) -> TopicUpdate:
    return {"topic": "x"}


@graph.node
def review(state: State) -> CountUpdate:
    return {"count": 1}


def after_draft(state: State) -> Literal["review", "publish", "__end__"]:
    return "review"


def after_review(state: State) -> Literal["draft", "revise"]:
    return "draft"


def anywhere(state: State) -> str:
    return "draft"


graph.add_edge(START, "draft")
graph.add_conditional_edges("draft", after_draft, ["review", END])
graph.add_conditional_edges("review", after_review)


@graph.router("review")
def keep_going(state: State) -> Literal["draft", "END"]:
    return "draft"


graph.set_conditional_entry_point(anywhere)
