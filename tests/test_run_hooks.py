"""Run hooks (``flowc.runtime.hooks``): what a run given callbacks calls around itself and its
tasks, and what a run without callbacks never calls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypedDict

import pytest

from flowc import END, START, Graph, build, get_config
from flowc.runtime import hooks as rt_hooks


class State(TypedDict, total=False):
    seen: list[str]


def first(state: State) -> dict[str, Any]:
    return {"seen": [*state.get("seen", []), "first"]}


def second(state: State) -> dict[str, Any]:
    # the hooks' extras reach the node's config
    return {"seen": [*state.get("seen", []), f"second:{get_config().get('callbacks')}"]}


graph = Graph("hooked", State)
graph.add_sequence([first, second])
graph.add_edge(START, "first")
graph.add_edge("second", END)


class Recorder:
    """Hooks that log what the run asks of them."""

    def __init__(self, log: list[Any]) -> None:
        self.log = log

    def traced(self, events: Iterator[Any], input: Any, plan: Any) -> Iterator[Any]:
        self.log.append(("start", plan.name, input))
        yield from events
        self.log.append(("end", plan.name))

    async def atraced(
        self, events: AsyncIterator[Any], input: Any, plan: Any
    ) -> AsyncIterator[Any]:
        self.log.append(("start", plan.name, input))
        async for event in events:
            yield event
        self.log.append(("end", plan.name))

    def first(self, plan: Any, values: dict[str, Any]) -> Any:
        return plan.first(values)

    async def afirst(self, plan: Any, values: dict[str, Any]) -> Any:
        return plan.first(values)

    def run_task(self, task: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        self.log.append(("task", task.name, task.step))
        undo = rt_hooks._messages.set_config_extras({"callbacks": f"cb-{task.name}"})
        try:
            return fn(task, *args)
        finally:
            undo()

    async def arun_task(self, task: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        self.log.append(("task", task.name, task.step))
        undo = rt_hooks._messages.set_config_extras({"callbacks": f"cb-{task.name}"})
        try:
            return await fn(task, *args)
        finally:
            undo()

    async def astart(self, task: Any, args: tuple[Any, ...]) -> None:
        self.log.append(("astart", task.name))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The log of hooks that every run given callbacks gets (instead of LangChain's)."""
    log: list[Any] = []
    monkeypatch.setattr(rt_hooks._INTEGRATIONS, "loaded", True)
    monkeypatch.setattr(rt_hooks, "_factories", [lambda run: Recorder(log)])
    return log


def test_a_run_without_callbacks_asks_for_no_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(run: Any) -> Any:
        raise AssertionError("a run without callbacks asked for hooks")

    monkeypatch.setattr(rt_hooks, "for_run", refuse)
    module = build(graph)
    assert module.invoke({}, config={"tags": ["t"]})["seen"] == ["first", "second:None"]
    assert asyncio.run(module.ainvoke({}))["seen"] == ["first", "second:None"]


def test_a_run_given_callbacks_has_its_events_and_every_task_go_through_its_hooks(
    recorded: list[Any],
) -> None:
    module = build(graph)
    events = list(module.stream({}, stream_mode="updates", config={"callbacks": ["user"]}))
    assert [e.node for e in events] == ["first", "second"]
    assert recorded == [
        ("start", "hooked", {}),
        ("task", "first", 1),
        ("task", "second", 2),
        ("end", "hooked"),
    ]
    # what the hooks add to a task's node config is what the node's config has
    assert events[1].data == {"seen": ["first", "second:cb-second"]}


def test_an_async_run_given_callbacks_starts_each_task_on_the_loop_then_runs_it(
    recorded: list[Any],
) -> None:
    module = build(graph)
    result = asyncio.run(module.ainvoke({}, config={"callbacks": ["user"]}))
    assert result["seen"] == ["first", "second:cb-second"]
    assert recorded == [
        ("start", "hooked", {}),
        ("astart", "first"),
        ("task", "first", 1),
        ("astart", "second"),
        ("task", "second", 2),
        ("end", "hooked"),
    ]
