"""Nodes of the custom-data graph: a node and a tool called from a node use the stream writer.

These are the reference document's "Stream custom data" examples: ``node``
writes one payload with :func:`flowc.get_stream_writer`, and the tool
``query_database`` reports its progress the same way while ``call_tool`` runs it.
"""

from __future__ import annotations

from typing import TypedDict

from flowc import get_stream_writer

EXAMPLE_INPUT = {"query": "example"}
"""An input the example runs and tests use."""


class State(TypedDict, total=False):
    query: str
    answer: str
    records: str


class AnswerUpdate(TypedDict):
    answer: str


class RecordsUpdate(TypedDict):
    records: str


def node(state: State) -> AnswerUpdate:
    writer = get_stream_writer()
    writer({"custom_key": "Generating custom data inside node"})
    return {"answer": "some data"}


def query_database(query: str) -> str:
    """A tool: query the database, reporting progress to whoever streams ``custom``."""
    writer = get_stream_writer()
    writer({"data": "Retrieved 0/100 records", "type": "progress"})
    writer({"data": "Retrieved 100/100 records", "type": "progress"})
    return f"some-answer to {query}"


def call_tool(state: State) -> RecordsUpdate:
    return {"records": query_database(state["query"])}
