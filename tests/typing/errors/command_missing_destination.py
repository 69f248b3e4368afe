"""A node whose Command goes where its annotation does not say it may."""

from typing import Literal

from flowc_demo.approval import ApprovalState

from flowc.runtime import Command


def route(state: ApprovalState) -> Command[Literal["review", "act"]]:
    return Command(goto="publish")
