"""Nodes of the error-handler graph: a parser that fails on bad input, and what runs instead.

``parse`` raises on a number it cannot read; its error handler ``recover`` runs in
its place with the same input and the failure (``error: NodeError``), and its
writes stand in for the parser's. The failed node's edges are not followed (as in
LangGraph): the handler's ``Command`` says where the run goes on, here to ``report``.
"""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from flowc.runtime import Command
from flowc.runtime.errors import NodeError


class ParseState(TypedDict, total=False):
    text: str
    number: int
    log: Annotated[list[str], operator.add]


def parse(state: ParseState) -> ParseState:
    return {"number": int(state["text"]), "log": ["parsed"]}


def recover(state: ParseState, error: NodeError) -> Command[str]:
    failed = f"{error.node} failed: {type(error.error).__name__}"
    return Command(update={"number": 0, "log": [failed]}, goto="report")


def report(state: ParseState) -> ParseState:
    return {"log": [f"number {state['number']}"]}
