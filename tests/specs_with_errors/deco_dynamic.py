"""Interrupts, Sends and Commands that name what the graph lacks, in the decorator DSL."""

from __future__ import annotations

from typing import Literal, TypedDict

from decostate import CountUpdate, State

from flowc import END, START, Graph
from flowc.runtime import Command, Send

graph = Graph("dynamic", State, interrupt_after=["reveiw"])


class Job(TypedDict):
    item: str


@graph.node(interrupts=Job, resumes=bool)
def review(state: State) -> Command[Literal["work", "publish"]]:
    return Command(goto="work")


@graph.node
def work(job: Job) -> CountUpdate:
    return {"count": len(job["item"])}


def fan_out(state: State) -> list[Send[Literal["worker"], Job]]:
    return [Send("worker", {"item": "x"})]


def wrong_jobs(state: State) -> list[Send[Literal["work"], int]]:
    return [Send("work", 1)]


graph.add_edge(START, "review")
graph.add_conditional_edges("review", fan_out)
graph.add_conditional_edges("review", wrong_jobs)
graph.add_edge("work", END)
