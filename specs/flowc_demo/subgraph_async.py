"""Nodes of `subgraph_async`: async nodes in the parent and in the subgraph."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

from flowc import get_stream_writer
from flowc.runtime import StreamWriter

EXAMPLE_INPUT = {"query": "Cats"}


class SearchState(TypedDict, total=False):
    query: str
    results: Annotated[list[str], operator.add]
    summary: str


class FetchState(TypedDict, total=False):
    query: str
    results: Annotated[list[str], operator.add]


def plan(state: SearchState) -> SearchState:
    return {"query": state["query"].lower()}


async def fetch_first(state: FetchState, writer: StreamWriter[Any]) -> FetchState:
    writer({"fetching": 1})
    await asyncio.sleep(0)
    return {"results": [f"{state['query']} #1"]}


async def fetch_second(state: FetchState) -> FetchState:
    get_stream_writer()({"fetching": 2})
    await asyncio.sleep(0)
    return {"results": [f"{state['query']} #2"]}


async def summarise(state: SearchState) -> SearchState:
    await asyncio.sleep(0)
    return {"summary": "; ".join(state["results"])}
