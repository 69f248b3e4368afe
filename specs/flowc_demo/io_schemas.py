"""Nodes and schemas of the io_schemas graph: a question in, an answer out, notes kept inside.

A run takes only ``Question``'s key (any other key of its input is ignored, as
LangGraph ignores it) and ``invoke`` returns only ``Answer``'s; the ``notes``
the graph gathers on the way stay in its state (its ``values`` events show
them), not in what ``invoke`` gives back.
"""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict


class AskState(TypedDict, total=False):
    question: str
    notes: Annotated[list[str], operator.add]
    answer: str


class Question(TypedDict):
    """What a run starts from."""

    question: str


class Answer(TypedDict):
    """What ``invoke`` returns."""

    answer: str


def research(state: AskState) -> AskState:
    return {"notes": [f"looked up {state['question']}"]}


def respond(state: AskState) -> AskState:
    notes = "; ".join(state.get("notes", []))
    return {"answer": f"{state['question'].upper()} ({notes})"}
