"""Unreachable nodes, a run that can never end, and a loop of plain edges."""

from __future__ import annotations

from typing import Literal

from decostate import CountUpdate, State, TopicUpdate

from flowc import END, START, Graph

graph = Graph("topology", State)


@graph.node
def start(state: State) -> TopicUpdate:
    return {"topic": "start"}


@graph.node
def orphan(state: State) -> TopicUpdate:
    return {"topic": "orphan"}


@graph.node
def ping(state: State) -> CountUpdate:
    return {"count": 1}


@graph.node
def pong(state: State) -> CountUpdate:
    return {"count": 2}


@graph.node
def spin(state: State) -> None:
    return None


@graph.router("pong")
def back_to_ping(state: State) -> Literal["ping"]:
    return "ping"


graph.add_edge(START, "start")
graph.add_edge("start", "ping")
graph.add_edge("ping", "pong")
graph.add_edge("start", "spin")
graph.add_edge("spin", "spin")
graph.add_edge("orphan", END)
