"""Subgraph nodes whose graphs share a key with another type, or are held by no module-level name
(`lookup` shares no key at all, which is no error: it runs on an empty input, as in LangGraph)."""

from __future__ import annotations

from typing import TypedDict

from decostate import State, TopicUpdate

from flowc import END, START, Graph


class Search(TypedDict, total=False):
    query: str
    hits: int


class IntTopic(TypedDict, total=False):
    topic: int


class HitsUpdate(TypedDict):
    hits: int


class IntTopicUpdate(TypedDict):
    topic: int


def search(state: Search) -> HitsUpdate:
    return {"hits": 3}


def number(state: IntTopic) -> IntTopicUpdate:
    return {"topic": 1}


searcher = Graph("searcher", Search)
searcher.add_node(search)
searcher.sequence(START, "search", END)

numbers = Graph("numbers", IntTopic)
numbers.add_node(number)
numbers.sequence(START, "number", END)

graph = Graph("subgraphs", State)


def refine(state: State) -> TopicUpdate:
    return {"topic": "x"}


graph.add_node(refine)
graph.add_node("lookup", searcher)
graph.add_node("count_words", numbers)
graph.sequence(START, "refine", "lookup", "count_words", END)


def make_local_graph() -> Graph[Search]:
    local = Graph("local", Search)
    local.add_node(search)
    local.sequence(START, "search", END)
    return local


# only a graph held by a module-level name can be imported by generated code
graph.add_node("local", make_local_graph())
