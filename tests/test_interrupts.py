"""interrupt() and Command(resume=...): the engine's rules, on hand-built plans.

A node that calls ``interrupt()`` on a run on a thread stops the run after
its superstep, with the interrupt stored as the task's ``__interrupt__``
write; a run given ``Command(resume=...)`` goes on from that checkpoint and
the n-th call of the task returns the n-th answer. Sync and async runs share
these rules (one engine loop). The LangGraph traps the issue lists each have
a test here, named after what flowc does instead.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypedDict

import pytest

from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import astream, invoke, stream
from flowc.runtime._engine import Node, Plan
from flowc.runtime._persist import CHECKPOINTER, task_id
from flowc.runtime.control import Command
from flowc.runtime.events import InterruptEvent
from flowc.runtime.interrupts import Interrupt, interrupt, interrupt_id
from flowc.savers.memory import InMemorySaver


def _append(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = values.get(key, []) + value if key == "log" else value


def on_thread(saver: Any, thread: str = "t") -> Any:
    return {"configurable": {"thread_id": thread, CHECKPOINTER: saver}}


def plan_of(*nodes: Node, entry: tuple[str, ...]) -> Plan:
    return Plan("p", ("log",), nodes, entry=entry, merge=_append)


def events(
    plan: Plan, input: Any, config: Any, use_async: bool, mode: Any = "updates"
) -> list[Any]:
    """Every event of one run (sync or async), or ``("raised", type, message)`` at the end."""
    out: list[Any] = []
    try:
        if use_async:

            async def collect() -> None:
                async for event in astream(plan, input, mode, False, config):
                    out.append(event)

            asyncio.run(collect())
        else:
            out.extend(stream(plan, input, mode, False, config))
    except Exception as exc:
        out.append(("raised", type(exc).__name__, str(exc)))
    return out


def chunks(found: list[Any]) -> list[Any]:
    return [e if isinstance(e, tuple) else e.chunk() for e in found]


def pending_writes(saver: InMemorySaver, thread: str = "t") -> list[Any]:
    saved = saver.get_tuple({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
    assert saved is not None
    return list(saved.pending_writes or ())


both = pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])


def asking_plan(calls: list[str]) -> Plan:
    """pre -> ask -> after; ``ask`` interrupts once and logs its answer."""

    def ask(state: Any) -> Any:
        calls.append("ask")
        return {"log": [f"ask:{interrupt('go on?')}"]}

    return plan_of(
        Node("pre", UpdatesEvent, plain=lambda s: {"log": ["pre"]}, then=("ask",)),
        Node("ask", UpdatesEvent, plain=ask, then=("after",)),
        Node("after", UpdatesEvent, plain=lambda s: {"log": ["after"]}),
        entry=("pre",),
    )


@both
def test_a_run_stops_after_the_step_with_the_interrupt_stored(use_async: bool) -> None:
    saver = InMemorySaver()
    calls: list[str] = []
    found = events(asking_plan(calls), {"log": []}, on_thread(saver), use_async)
    saved = saver.get_tuple({"configurable": {"thread_id": "t", "checkpoint_ns": ""}})
    assert saved is not None
    tid = task_id(saved.checkpoint["id"], "", "ask")
    raised = Interrupt("go on?", interrupt_id(f"ask:{tid}", 0))
    assert found == [UpdatesEvent("pre", {"log": ["pre"]}), InterruptEvent((raised,))]
    # the run stopped: nothing after `ask` ran, and the thread still has `ask` due
    assert saved.checkpoint["channel_values"] == {"log": ["pre"], "branch:to:ask": None}
    assert pending_writes(saver) == [(tid, "__interrupt__", (raised,))]
    assert calls == ["ask"]


@both
def test_a_resume_runs_the_node_again_and_its_call_returns_the_answer(use_async: bool) -> None:
    saver = InMemorySaver()
    calls: list[str] = []
    plan = asking_plan(calls)
    events(plan, {"log": []}, on_thread(saver), use_async)
    found = events(plan, Command(resume="yes"), on_thread(saver), use_async, ["updates", "values"])
    assert chunks(found) == [
        {"log": ["pre"]},
        {"ask": {"log": ["ask:yes"]}},
        {"log": ["pre", "ask:yes"]},
        {"after": {"log": ["after"]}},
        {"log": ["pre", "ask:yes", "after"]},
    ]
    assert calls == ["ask", "ask"]


@both
def test_an_answered_interrupt_never_fires_again(use_async: bool) -> None:
    # LangGraph #5952: a resolved interrupt kept firing
    saver = InMemorySaver()
    calls: list[str] = []
    plan = asking_plan(calls)
    events(plan, {"log": []}, on_thread(saver), use_async)
    events(plan, Command(resume="yes"), on_thread(saver), use_async)
    assert events(plan, None, on_thread(saver), use_async) == []
    assert events(plan, Command(resume="again"), on_thread(saver), use_async) == []
    assert calls == ["ask", "ask"]
    assert invoke(plan, None, on_thread(saver)) == {"log": ["pre", "ask:yes", "after"]}


def test_interrupt_without_a_checkpointer_raises_naming_the_node() -> None:
    plan = asking_plan([])
    with pytest.raises(RuntimeError, match="node 'ask' called interrupt\\(\\), which needs a "):
        invoke(plan, {"log": []}, None)


def test_interrupt_outside_a_run_raises() -> None:
    with pytest.raises(RuntimeError, match="outside a running flowc graph"):
        interrupt("anyone?")


def two_asking_plan(calls: list[str], delay: float = 0.0) -> Plan:
    """START -> left, right (each interrupts); right asks twice."""

    def left(state: Any) -> Any:
        calls.append("left")
        return {"log": [f"left:{interrupt('left?')}"]}

    def right(state: Any) -> Any:
        time.sleep(delay)
        calls.append("right")
        first = interrupt("right?")
        calls.append("right answered once")
        return {"log": [f"right:{first}:{interrupt('right again?')}"]}

    def done(state: Any) -> Any:
        calls.append("done")
        return {"log": ["done"]}

    return plan_of(
        Node("left", UpdatesEvent, plain=left),
        Node("right", UpdatesEvent, plain=right),
        Node("done", UpdatesEvent, plain=done),
        entry=("left", "right", "done"),
    )


def raised_by(found: list[Any]) -> list[Interrupt[Any]]:
    return [i for e in found if isinstance(e, InterruptEvent) for i in e.interrupts]


@both
def test_parallel_tasks_interrupt_with_ids_of_their_own(use_async: bool) -> None:
    # LangGraph #6533/#6534: parallel tool calls got identical interrupt ids
    saver = InMemorySaver()
    found = events(two_asking_plan([], 0.02), {"log": []}, on_thread(saver), use_async)
    saved = saver.get_tuple({"configurable": {"thread_id": "t", "checkpoint_ns": ""}})
    assert saved is not None
    cid = saved.checkpoint["id"]
    assert sorted((i.value, i.id) for i in raised_by(found)) == [
        ("left?", interrupt_id(f"left:{task_id(cid, '', 'left')}", 0)),
        ("right?", interrupt_id(f"right:{task_id(cid, '', 'right')}", 0)),
    ]
    assert len({i.id for i in raised_by(found)}) == 2


@both
def test_a_scalar_resume_with_several_interrupts_pending_is_refused(use_async: bool) -> None:
    # LangGraph #8579 accepted a scalar where several interrupts were pending
    saver = InMemorySaver()
    calls: list[str] = []
    plan = two_asking_plan(calls)
    events(plan, {"log": []}, on_thread(saver), use_async)
    before = pending_writes(saver)
    found = events(plan, Command(resume="which?"), on_thread(saver), use_async)
    assert found == [
        (
            "raised",
            "RuntimeError",
            "When there are multiple pending interrupts, you must specify the interrupt id "
            "when resuming. Docs: https://docs.langchain.com/oss/python/langgraph/interrupts"
            "#handling-multiple-interrupts.",
        )
    ]
    # nothing was stored or run
    assert pending_writes(saver) == before
    assert sorted(calls) == ["done", "left", "right"]


@both
def test_a_resume_map_answers_by_id_and_finished_tasks_do_not_run_again(use_async: bool) -> None:
    saver = InMemorySaver()
    calls: list[str] = []
    plan = two_asking_plan(calls, 0.02)
    first = raised_by(events(plan, {"log": []}, on_thread(saver), use_async))
    left = next(i for i in first if i.value == "left?")
    calls.clear()
    found = events(plan, Command(resume={left.id: "L"}), on_thread(saver), use_async)
    # `done` finished before the stop: its writes come back to it, marked as cached
    assert chunks(found)[0] == {"done": {"log": ["done"]}, "__metadata__": {"cached": True}}
    assert sorted(calls) == ["left", "right"]
    (second,) = raised_by(found)
    assert second.value == "right?" and second.id == next(
        i.id for i in first if i.value == "right?"
    )
    calls.clear()
    found = events(plan, Command(resume="R1"), on_thread(saver), use_async)
    # LangGraph #6208: the node runs again only up to its next unanswered interrupt
    assert calls == ["right", "right answered once"]
    (third,) = raised_by(found)
    # its second question has an id of its own: the task's namespace and one answer
    assert third.value == "right again?"
    assert third.id == interrupt_id(f"right:{_task_of(saver, 'right')}", 1)
    calls.clear()
    final = invoke(plan, Command(resume="R2"), on_thread(saver))
    assert calls == ["right", "right answered once"]
    assert final == {"log": ["done", "left:L", "right:R1:R2"]}


def _task_of(saver: InMemorySaver, name: str) -> str:
    saved = saver.get_tuple({"configurable": {"thread_id": "t", "checkpoint_ns": ""}})
    assert saved is not None
    return task_id(saved.checkpoint["id"], "", name)


@both
def test_interrupt_in_a_loop_takes_exactly_one_answer_per_call(use_async: bool) -> None:
    # LangGraph #7780: interrupt() in a loop replayed extra resumes
    saver = InMemorySaver()
    seen: list[list[Any]] = []

    def ask_each(state: Any) -> Any:
        answers = [interrupt(f"item {i}?") for i in range(3)]
        seen.append(answers)
        return {"log": answers}

    plan = plan_of(Node("ask_each", UpdatesEvent, plain=ask_each), entry=("ask_each",))
    asked = [raised_by(events(plan, {"log": []}, on_thread(saver), use_async))[0].value]
    for answer in ("a", "b"):
        found = events(plan, Command(resume=answer), on_thread(saver), use_async)
        asked.append(raised_by(found)[0].value)
    assert asked == ["item 0?", "item 1?", "item 2?"]
    assert invoke(plan, Command(resume="c"), on_thread(saver)) == {"log": ["a", "b", "c"]}
    assert seen == [["a", "b", "c"]]
    # the answers stored with the finished task: one per call, none extra
    ran_at = list(saver.list({"configurable": {"thread_id": "t"}}))[1]
    assert [w[2] for w in ran_at.pending_writes or () if w[1] == "__resume__"] == [
        "c",
        ["a", "b", "c"],
    ]


def test_breakpoints_stop_before_and_after_the_named_nodes() -> None:
    saver = InMemorySaver()
    plan = asking_plan([])
    config = on_thread(saver)
    config["configurable"]["__flowc_interrupt_before"] = ("ask",)
    found = events(plan, {"log": []}, config, False)
    assert chunks(found) == [{"pre": {"log": ["pre"]}}, {"__interrupt__": ()}]
    # the resumed run passes the breakpoint it stopped at, and the node then interrupts itself
    found = events(plan, None, config, False)
    assert [i.value for i in raised_by(found)] == ["go on?"]


@both
def test_send_tasks_interrupt_with_ids_of_their_own_and_resume(use_async: bool) -> None:
    # LangGraph #6533/#6534: parallel tool calls (one Send each) got identical interrupt ids
    from flowc.runtime.control import Send

    def tool(state: Any) -> Any:
        (item,) = state["log"]
        return {"log": [f"{item}:{interrupt(f'approve {item}?')}"]}

    plan = plan_of(
        Node(
            "fan",
            UpdatesEvent,
            plain=lambda s: Command(goto=[Send("tool", {"log": [i]}) for i in "ab"]),
        ),
        Node("tool", UpdatesEvent, plain=tool),
        entry=("fan",),
    )
    saver = InMemorySaver()
    raised = raised_by(events(plan, {"log": []}, on_thread(saver), use_async))
    assert sorted(i.value for i in raised) == ["approve a?", "approve b?"]
    assert len({i.id for i in raised}) == 2
    # the checkpoint keeps the Send tasks it names, so the resumed run has them
    answers = {i.id: i.value.split()[1] for i in raised}
    final = invoke(plan, Command(resume=answers), on_thread(saver))
    assert final == {"log": ["a:a?", "b:b?"]}


def subgraph_asking_plan(calls: list[str]) -> Plan:
    """first -> sub, where sub runs ``before -> ask`` (``ask`` interrupts once)."""
    from flowc.runtime._drive import subgraph_node

    def before(state: Any) -> Any:
        calls.append("before")
        return {"log": ["before"]}

    def ask(state: Any) -> Any:
        calls.append("ask")
        return {"log": [f"ask:{interrupt('deep?')}"]}

    child = Plan(
        "child",
        ("log",),
        (
            Node("before", UpdatesEvent, plain=before, then=("ask",)),
            Node("ask", UpdatesEvent, plain=ask),
        ),
        entry=("before",),
        merge=_append,
    )
    return plan_of(
        Node("first", UpdatesEvent, plain=lambda s: {"log": ["first"]}, then=("sub",)),
        subgraph_node("sub", UpdatesEvent, child, ("log",)),
        entry=("first",),
    )


@both
def test_an_interrupt_in_a_subgraph_stops_the_parent_and_resumes_inside_the_subgraph(
    use_async: bool,
) -> None:
    saver = InMemorySaver()
    calls: list[str] = []
    plan = subgraph_asking_plan(calls)
    found = events(plan, {"log": []}, on_thread(saver), use_async)
    ((raised,),) = [e.interrupts for e in found if isinstance(e, InterruptEvent)]
    assert raised.value == "deep?"
    # the id is the asking task's own: its namespace runs through the subgraph's task
    (sub_task,) = {tid for tid, channel, _ in pending_writes(saver) if channel == "__interrupt__"}
    assert sub_task == task_id(
        saver.get_tuple({"configurable": {"thread_id": "t", "checkpoint_ns": ""}}).config[  # type: ignore[union-attr]
            "configurable"
        ]["checkpoint_id"],
        "",
        "sub",
    )
    assert calls == ["before", "ask"]
    final = invoke(plan, Command(resume="yes"), on_thread(saver))
    # the subgraph goes on from its own checkpoint: `before` does not run again
    assert calls == ["before", "ask", "ask"]
    assert final == {"log": ["first", "first", "before", "ask:yes"]}


@both
def test_parallel_subgraphs_interrupt_in_one_step_and_a_resume_map_answers_each(
    use_async: bool,
) -> None:
    from flowc.runtime._drive import subgraph_node

    def child(name: str) -> Plan:
        def ask(state: Any) -> Any:
            return {"log": [f"{name}:{interrupt(name + '?')}"]}

        return Plan(
            "child_" + name,
            ("log",),
            (Node("ask", UpdatesEvent, plain=ask),),
            entry=("ask",),
            merge=_append,
        )

    plan = plan_of(
        subgraph_node("left", UpdatesEvent, child("left"), ("log",)),
        subgraph_node("right", UpdatesEvent, child("right"), ("log",)),
        entry=("left", "right"),
    )
    saver = InMemorySaver()
    raised = raised_by(events(plan, {"log": []}, on_thread(saver), use_async))
    assert sorted(i.value for i in raised) == ["left?", "right?"]
    assert len({i.id for i in raised}) == 2
    # both are pending: a scalar cannot say which it answers
    with pytest.raises(RuntimeError, match=r"^When there are multiple pending interrupts"):
        invoke(plan, Command(resume="x"), on_thread(saver))
    answers = {i.id: i.value.upper() for i in raised}
    final = invoke(plan, Command(resume=answers), on_thread(saver))
    assert final == {"log": ["left:LEFT?", "right:RIGHT?"]}


@both
def test_a_subgraph_answered_in_part_resumes_only_the_task_still_waiting(use_async: bool) -> None:
    from flowc.runtime._drive import subgraph_node

    calls: list[str] = []

    def child(name: str) -> Plan:
        def ask(state: Any) -> Any:
            calls.append(name)
            return {"log": [f"{name}:{interrupt(name + '?')}"]}

        return Plan(
            "child_" + name,
            ("log",),
            (Node("ask", UpdatesEvent, plain=ask),),
            entry=("ask",),
            merge=_append,
        )

    plan = plan_of(
        subgraph_node("left", UpdatesEvent, child("left"), ("log",)),
        subgraph_node("right", UpdatesEvent, child("right"), ("log",)),
        entry=("left", "right"),
    )
    saver = InMemorySaver()
    raised = raised_by(events(plan, {"log": []}, on_thread(saver), use_async))
    left = next(i for i in raised if i.value == "left?")
    calls.clear()
    again = raised_by(events(plan, Command(resume={left.id: "L"}), on_thread(saver), use_async))
    # right asks again under the same id; left, answered, is done
    assert [(i.value, i.id) for i in again] == [
        ("right?", next(i.id for i in raised if i.value == "right?"))
    ]
    assert sorted(calls) == ["left", "right"]
    final = invoke(plan, Command(resume="R"), on_thread(saver))
    assert final == {"log": ["left:L", "right:R"]}


def test_a_subgraph_of_a_run_without_a_checkpointer_cannot_interrupt() -> None:
    with pytest.raises(
        RuntimeError, match=r"^node 'ask' called interrupt\(\) in subgraph 'child', which needs a c"
    ):
        invoke(subgraph_asking_plan([]), {"log": []}, None)


def test_an_empty_command_as_input_is_refused_as_empty_input() -> None:
    # LangGraph 1.2.22 fails here with an UnboundLocalError (docs/differences-from-langgraph.md)
    from flowc.runtime.errors import EmptyInputError

    saver = InMemorySaver()
    plan = asking_plan([])
    invoke(plan, {"log": []}, on_thread(saver))
    with pytest.raises(EmptyInputError, match=r"^Received empty Command input$"):
        invoke(plan, Command(), on_thread(saver))


@both
def test_a_command_updates_the_paused_state_and_adds_the_nodes_it_goes_to(use_async: bool) -> None:
    saver = InMemorySaver()
    calls: list[str] = []
    plan = asking_plan(calls)
    events(plan, {"log": []}, on_thread(saver), use_async)
    found = events(
        plan, Command(update={"log": ["upd"]}, goto="after"), on_thread(saver), use_async
    )
    # `after` runs with the interrupted `ask`, on the updated state; `ask` asks again
    assert chunks(found)[0] == {"after": {"log": ["after"]}}
    assert [i.value for i in raised_by(found)] == ["go on?"]
    final = invoke(plan, Command(resume="ok"), on_thread(saver))
    assert final == {"log": ["pre", "upd", "after", "ask:ok", "after"]}


def test_an_update_given_to_a_run_that_stopped_again_is_stored_by_the_next_checkpoint() -> None:
    # the Command's write stays pending at the checkpoint while the node asks again; the
    # checkpoint the answered run saves must hold it (it once kept the older value)
    def ask(state: Any) -> Any:
        return {"log": [f"{interrupt('go on?')}:{state.get('topic')}"]}

    plan = Plan(
        "p",
        ("log", "topic"),
        (Node("ask", UpdatesEvent, plain=ask),),
        entry=("ask",),
        merge=_append,
    )
    saver = InMemorySaver()
    invoke(plan, {"log": [], "topic": "x"}, on_thread(saver))
    invoke(plan, Command(update={"topic": "t2"}), on_thread(saver))
    assert invoke(plan, Command(resume="ok"), on_thread(saver)) == {"log": ["ok:t2"], "topic": "t2"}
    saved = saver.get_tuple({"configurable": {"thread_id": "t", "checkpoint_ns": ""}})
    assert saved is not None
    assert saved.checkpoint["channel_values"] == {"log": ["ok:t2"], "topic": "t2"}


class LogState(TypedDict, total=False):
    log: list[str]


def _asks_through_a_helper(state: Any) -> Any:
    return {"log": [_ask_helper()]}


def _ask_helper() -> Any:
    return interrupt("through a helper?")


def test_a_root_run_without_a_checkpointer_stops_at_its_interrupt_and_cannot_be_resumed() -> None:
    from flowc.langgraph import START, StateGraph

    ran: list[str] = []

    def build() -> Any:
        builder = StateGraph(LogState)
        builder.add_node("ask", _asks_through_a_helper)
        builder.add_node("pre", lambda s: ran.append("pre") or {"log": ["pre"]})
        builder.add_edge(START, "pre")
        builder.add_edge("pre", "ask")
        return builder

    # as in LangGraph: the run stops there, and no checkpoint of it streams or stays
    graph = build().compile()
    result = graph.invoke({"log": []})
    assert result["log"] == ["pre"]
    ((asked,),) = (result["__interrupt__"],)
    assert asked.value == "through a helper?"
    chunks = list(graph.stream({"log": []}, stream_mode=["updates", "checkpoints"]))
    assert [mode for mode, _ in chunks] == ["updates", "updates"]
    assert chunks[1][1]["__interrupt__"][0].value == "through a helper?"
    assert ran == ["pre", "pre"]
    with pytest.raises(
        RuntimeError, match=r"^Cannot use Command\(resume=\.\.\.\) without checkpointer$"
    ):
        graph.invoke(Command(resume="yes"))
    with pytest.raises(ValueError, match="No checkpointer set"):
        graph.get_state({"configurable": {"thread_id": "t"}})
    graph = build().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    assert graph.invoke({"log": []}, config)["__interrupt__"][0].value == "through a helper?"
    assert graph.invoke(Command(resume="yes"), config) == {"log": ["yes"]}


@both
def test_a_graph_compiled_without_a_checkpointer_interrupts_as_a_subgraph_of_one_with(
    use_async: bool,
) -> None:
    from flowc.langgraph import START, StateGraph

    inner_builder = StateGraph(LogState)
    inner_builder.add_node("ask", _asks_through_a_helper)
    inner_builder.add_edge(START, "ask")
    inner = inner_builder.compile()

    def call_inner(state: LogState) -> Any:
        return {"log": inner.invoke({"log": []})["log"]}

    outer = StateGraph(LogState)
    outer.add_node("call_inner", call_inner)
    outer.add_edge(START, "call_inner")
    graph = outer.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}

    def run(given: Any) -> Any:
        if use_async:
            return asyncio.run(graph.ainvoke(given, config))
        return graph.invoke(given, config)

    paused = run({"log": []})
    assert [i.value for i in paused["__interrupt__"]] == ["through a helper?"]
    assert paused["log"] == []
    assert run(Command(resume="yes")) == {"log": ["yes"]}


def test_breakpoints_without_a_checkpointer_stop_the_run_as_in_langgraph() -> None:
    from flowc.langgraph import START, StateGraph

    ran: list[str] = []

    def one(state: LogState) -> Any:
        ran.append("one")
        return {"log": ["one"]}

    builder = StateGraph(LogState)
    builder.add_node("one", one)
    builder.add_node("two", lambda s: ran.append("two") or {"log": ["two"]})
    builder.add_edge(START, "one")
    builder.add_edge("one", "two")
    for graph, options in (
        (builder.compile(interrupt_before=["two"]), {}),
        (builder.compile(), {"interrupt_after": ["one"]}),
    ):
        assert list(graph.stream({"log": []}, **options)) == [
            {"one": {"log": ["one"]}},
            {"__interrupt__": ()},
        ]
        assert graph.invoke({"log": []}, **options) == {"log": ["one"]}
    assert ran == ["one"] * 4


class Answer(TypedDict):
    ok: bool


def test_a_response_schema_validates_the_answer_and_a_refused_one_is_asked_again() -> None:
    import langgraph.errors
    from pydantic import TypeAdapter, ValidationError
    from typing_extensions import TypedDict as ValidatedDict

    class Checked(ValidatedDict):
        ok: bool

    schemas: list[Any] = [Checked, TypeAdapter(Checked)]
    for schema in schemas:

        def ask(state: Any, schema: Any = schema) -> Any:
            return {"log": [str(interrupt("ok?", response_schema=schema)["ok"])]}

        plan = plan_of(Node("ask", UpdatesEvent, plain=ask), entry=("ask",))
        config = on_thread(InMemorySaver())
        (asked,) = events(plan, {"log": []}, config, use_async=False)
        assert asked.interrupts[0].response_schema == TypeAdapter(Checked).json_schema()
        with pytest.raises(ValidationError) as refused:
            invoke(plan, Command(resume={"ok": "perhaps"}), config)
        # marked as LangGraph marks it, so LangGraph's own test says so too
        assert langgraph.errors.is_invalid_resume(refused.value)
        # nothing of the refused answer was kept: a good one answers the same question
        assert invoke(plan, Command(resume={"ok": "yes"}), config) == {"log": ["True"]}


def test_a_response_schema_that_is_no_schema_is_refused_naming_it() -> None:
    def ask(state: Any) -> Any:
        return {"log": [interrupt("ok?", response_schema=42)]}

    plan = plan_of(Node("ask", UpdatesEvent, plain=ask), entry=("ask",))
    assert events(plan, {"log": []}, on_thread(InMemorySaver()), use_async=False) == [
        (
            "raised",
            "TypeError",
            "interrupt(response_schema=42): give a class, a JSON schema dict, or a validator "
            "such as pydantic.TypeAdapter(...)",
        )
    ]
