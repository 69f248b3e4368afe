"""Nodes of the approval graph: a person approves an action before it is taken.

``review`` asks with :func:`flowc.runtime.interrupt`; the spec declares what it
asks (:class:`ApprovalRequest`) and what a resumed run answers (:class:`Approval`),
so the generated module types both.
"""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from flowc.runtime import interrupt


class ApprovalRequest(TypedDict):
    """What ``review`` asks: the action, and why it needs a person."""

    action: str
    reason: str


class Approval(TypedDict):
    """A person's answer."""

    approved: bool


class ApprovalState(TypedDict, total=False):
    action: str
    approved: bool
    log: Annotated[list[str], operator.add]


class ProposeUpdate(TypedDict):
    action: str
    log: list[str]


class ReviewUpdate(TypedDict):
    approved: bool
    log: list[str]


class ActUpdate(TypedDict):
    log: list[str]


def propose(state: ApprovalState) -> ProposeUpdate:
    return {"action": f"delete {state['action']}", "log": ["propose"]}


def review(state: ApprovalState) -> ReviewUpdate:
    request: ApprovalRequest = {"action": state["action"], "reason": "it cannot be undone"}
    answer: Approval = interrupt(request)
    return {"approved": answer["approved"], "log": ["review"]}


def act(state: ApprovalState) -> ActUpdate:
    return {"log": ["act" if state["approved"] else "skip"]}


EXAMPLE_INPUT = {"action": "old-backups"}
"""An input the example runs and tests use."""
