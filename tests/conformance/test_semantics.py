"""LangGraph's streaming rules that surprise people, each shown on a small graph.

Every test states the exact chunks expected and checks that LangGraph streams
them too, so a test here documents the rule and proves flowc follows it
(SEMANTICS.md §1-4, §7-10, §12).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import pytest

import flowc
from flowc.runtime import DEFAULT_RECURSION_LIMIT, GraphRecursionError

from ..conftest import SPECS
from . import graphs
from .oracle import MODE_ARGS, assert_conforms, both_agreeing, build_pair, collect, normalize

pytestmark = pytest.mark.conformance

SYNC_ASYNC = pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])


def both(graph: Any, input: Any, **kwargs: Any) -> list[Any]:
    """The normalised chunks of flowc, after checking that LangGraph streams the same."""
    module, compiled = build_pair(graph)
    # parallel nodes that finish apart by a sleep can still swap places under load, on
    # either side: both run again while they differ
    actual, expected = both_agreeing(
        lambda: normalize(collect(compiled, copy.deepcopy(input), **kwargs)),
        lambda: normalize(collect(module, copy.deepcopy(input), **kwargs)),
    )
    assert actual == expected
    return actual


# -- supersteps, parallel nodes, reducers ---------------------------------------------


@pytest.mark.parametrize(
    ("graph", "use_async"),
    [(graphs.parallel, False), (graphs.parallel, True), (graphs.async_parallel, True)],
    ids=["threads-sync", "threads-async", "asyncio_tasks-async"],
)
def test_updates_come_in_completion_order_and_reducers_apply_in_node_name_order(
    graph: Any, use_async: bool
) -> None:
    items = both(
        graph, {"topic": "t"}, stream_mode=["updates", "values", "custom"], use_async=use_async
    )
    assert items == [
        ("values", {"topic": "t", "log": []}),
        ("custom", {"finishing": "zeta"}),
        ("updates", {"zeta": {"log": ["zeta"]}}),
        ("custom", {"finishing": "mid"}),
        ("updates", {"mid": {"log": ["mid"]}}),
        ("custom", {"finishing": "alpha"}),
        ("updates", {"alpha": {"log": ["alpha"]}}),
        ("values", {"topic": "t", "log": ["alpha", "mid", "zeta"]}),
    ]


def test_async_nodes_are_refused_by_a_sync_stream_with_langgraphs_error() -> None:
    module, _ = build_pair(graphs.async_parallel)
    with pytest.raises(TypeError, match=r'No synchronous function provided to "(alpha|mid|zeta)"'):
        list(module.stream({"topic": "t"}))


@SYNC_ASYNC
def test_task_starts_come_in_node_name_order_before_any_task_runs(use_async: bool) -> None:
    items = both(graphs.parallel, {"topic": "t"}, stream_mode="tasks", use_async=use_async)
    assert [(("start" if "input" in i else "result"), i["name"]) for i in items] == [
        ("start", "alpha"),
        ("start", "mid"),
        ("start", "zeta"),
        ("result", "zeta"),
        ("result", "mid"),
        ("result", "alpha"),
    ]
    assert items[0] == {
        "id": "<id0>",
        "name": "alpha",
        "input": {"topic": "t", "log": []},
        "triggers": ("branch:to:alpha",),
    }
    assert items[-1] == {
        "id": "<id0>",
        "name": "alpha",
        "error": None,
        "result": {"log": ["alpha"]},
        "interrupts": [],
    }


@SYNC_ASYNC
def test_nodes_that_write_nothing_give_node_none_and_no_values_chunk(use_async: bool) -> None:
    items = both(
        graphs.empty_writes, {"topic": "t"}, stream_mode=["updates", "values"], use_async=use_async
    )
    assert items == [
        # reducer keys are there from the start, at their type's empty value
        ("values", {"topic": "t", "count": 0, "log": []}),
        ("updates", {"returns_none": None}),
        ("updates", {"returns_empty": None}),
        ("updates", {"adds_one": {"count": 1, "log": ["count was 0"]}}),
        ("values", {"topic": "t", "count": 1, "log": ["count was 0"]}),
        # writing the value a key already has is still a write
        ("updates", {"same_topic": {"topic": "t"}}),
        ("values", {"topic": "t", "count": 1, "log": ["count was 0"]}),
    ]


@SYNC_ASYNC
def test_task_results_of_nodes_that_write_nothing_have_an_empty_result(use_async: bool) -> None:
    items = both(graphs.empty_writes, {"topic": "t"}, stream_mode="tasks", use_async=use_async)
    results = [(i["name"], i["result"]) for i in items if "result" in i]
    assert results == [
        ("returns_none", {}),
        ("returns_empty", {}),
        ("adds_one", {"count": 1, "log": ["count was 0"]}),
        ("same_topic", {"topic": "t"}),
    ]


@SYNC_ASYNC
@pytest.mark.parametrize("empty", [{}, {"count": 0}], ids=["no_keys", "zero_for_a_reducer"])
def test_an_input_that_writes_nothing_gives_no_first_values_chunk(
    empty: Any, use_async: bool
) -> None:
    items = both(graphs.empty_writes, empty, stream_mode="values", use_async=use_async)
    if empty:
        # 0 added to a reducer's 0 is a write all the same
        assert items[0] == {"count": 0, "log": []}
        items = items[1:]
    assert items == [
        {"count": 1, "log": ["count was 0"]},
        {"topic": "", "count": 1, "log": ["count was 0"]},
    ]


def test_the_input_none_is_refused_before_anything_is_streamed() -> None:
    items = both(graphs.empty_writes, None, stream_mode=["values", "debug"])
    assert items == [("<raised>", "EmptyInputError", "Received no input for __start__")]


# -- fan-in ------------------------------------------------------------------------------


@SYNC_ASYNC
def test_separate_fan_in_edges_on_uneven_branches_run_the_target_twice(use_async: bool) -> None:
    items = both(graphs.fanin_separate, {"topic": "t"}, stream_mode="updates", use_async=use_async)
    names = [next(iter(i)) for i in items]
    assert names[:2] in (["a", "b"], ["b", "a"])
    # superstep 2 runs `a2` and `c` (triggered by `b`); superstep 3 runs `c` again
    assert names[2:] == ["c", "a2", "c"]
    assert items[2] == {"c": {"log": ["c after 2"]}}
    assert items[-1] == {"c": {"log": ["c after 4"]}}


@SYNC_ASYNC
def test_a_join_waits_for_every_source_and_runs_the_target_once(use_async: bool) -> None:
    items = both(
        graphs.fanin_join, {"topic": "t"}, stream_mode=["updates", "tasks"], use_async=use_async
    )
    updates = [i[1] for i in items if i[0] == "updates"]
    assert [next(iter(u)) for u in updates][2:] == ["a2", "c"]
    assert updates[-1] == {"c": {"log": ["c after 3"]}}
    starts = [i[1] for i in items if i[0] == "tasks" and "input" in i[1]]
    # a node's triggers list every channel that can trigger it, not the one that did
    assert [(s["name"], s["triggers"]) for s in starts] == [
        ("a", ("branch:to:a",)),
        ("b", ("branch:to:b",)),
        ("a2", ("branch:to:a2",)),
        ("c", ("branch:to:c", "join:a2+b:c")),
    ]


# -- conditional edges ----------------------------------------------------------------------


@SYNC_ASYNC
@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("one", ["left", "right", "finish"]),
        ("both", ["right", "left", "finish", "right", "finish"]),
    ],
)
def test_routers_choose_the_next_nodes_from_the_state_after_their_nodes_write(
    topic: str, expected: list[str], use_async: bool
) -> None:
    items = both(graphs.routed, {"topic": topic}, stream_mode="updates", use_async=use_async)
    assert [next(iter(i)) for i in items] == expected


@pytest.mark.parametrize("mode", MODE_ARGS, ids=str)
def test_a_graph_with_routers_streams_like_langgraph_in_every_mode(mode: Any) -> None:
    assert_conforms(graphs.routed, {"topic": "one"}, stream_mode=mode)


@SYNC_ASYNC
@pytest.mark.parametrize("topic", ["one", "right"])
def test_async_routers_run_in_async_streams_and_refuse_sync_ones(
    topic: str, use_async: bool
) -> None:
    items = both(
        graphs.async_routed,
        {"topic": topic},
        stream_mode=["values", "updates"],
        use_async=use_async,
    )
    if not use_async:
        # START's router runs before anything, even the input's values chunk
        assert items == [
            (
                "<raised>",
                "TypeError",
                'No synchronous function provided to "apick_start".\n'
                "Either initialize with a synchronous function or invoke via the async API "
                "(ainvoke, astream, etc.)",
            )
        ]
    elif topic == "one":
        assert [next(iter(i[1])) for i in items if i[0] == "updates"] == ["left", "right"]
    else:
        assert [next(iter(i[1])) for i in items if i[0] == "updates"] == ["right"]


# -- dataclass and pydantic states --------------------------------------------------------


STATE_GRAPHS = pytest.mark.parametrize(
    ("graph", "cls"),
    [(graphs.dataclass_state, graphs.DataState), (graphs.pydantic_state, graphs.ModelState)],
    ids=["dataclass", "pydantic"],
)


@SYNC_ASYNC
@STATE_GRAPHS
def test_class_states_stream_dicts_without_the_defaults_never_written(
    graph: Any, cls: type, use_async: bool
) -> None:
    items = both(graph, {"topic": "t"}, stream_mode="values", use_async=use_async)
    assert items == [
        {"topic": "t", "log": []},
        # the node got an instance, with the default filled in
        {"topic": "t and cats", "log": ["joke was 'no joke yet'"]},
        {
            "topic": "t and cats",
            "joke": "This is a joke about t and cats",
            "log": ["joke was 'no joke yet'"],
        },
    ]


@SYNC_ASYNC
@STATE_GRAPHS
def test_an_instance_as_input_writes_every_field(graph: Any, cls: type, use_async: bool) -> None:
    items = both(graph, cls(topic="t"), stream_mode="values", use_async=use_async)
    assert items[0] == {"topic": "t", "joke": "no joke yet", "log": []}


@STATE_GRAPHS
def test_class_states_give_nodes_instances_in_task_events(graph: Any, cls: type) -> None:
    items = both(graph, {"topic": "t"}, stream_mode="tasks")
    assert items[0]["input"] == (cls.__name__, {"topic": "t", "joke": "no joke yet", "log": []})


@STATE_GRAPHS
@pytest.mark.parametrize("mode", ["debug", ["values", "updates", "tasks"], ("updates",)], ids=str)
def test_class_states_stream_like_langgraph(graph: Any, cls: type, mode: Any) -> None:
    assert_conforms(graph, {"topic": "t"}, stream_mode=mode)
    assert_conforms(graph, {"topic": "t"}, stream_mode=mode, use_async=True, subgraphs=True)


@STATE_GRAPHS
def test_invoke_returns_a_plain_dict_for_class_states(graph: Any, cls: type) -> None:
    module, compiled = build_pair(graph)
    for inp in ({"topic": "t"}, cls(topic="t")):
        assert (
            module.invoke(inp)
            == compiled.invoke(inp)
            == {
                "topic": "t and cats",
                "joke": "This is a joke about t and cats",
                "log": ["joke was 'no joke yet'"],
            }
        )
        assert asyncio.run(module.ainvoke(inp)) == asyncio.run(compiled.ainvoke(inp))


@pytest.mark.parametrize("bad", [{"topic": 3}, {}], ids=["wrong_type", "missing"])
def test_invalid_pydantic_input_raises_langgraphs_validation_error_first(bad: Any) -> None:
    items = both(graphs.pydantic_state, bad, stream_mode=["values", "tasks"])
    assert len(items) == 1
    assert items[0][:2] == ("<raised>", "ValidationError")


# -- metadata, tags and node input schemas ------------------------------------------------


CONFIG = {"tags": ["my-tag"], "metadata": {"user_id": "u-1"}}


@SYNC_ASYNC
def test_task_events_carry_run_metadata_node_metadata_and_run_tags(use_async: bool) -> None:
    items = both(
        graphs.meta, {"topic": "t"}, stream_mode="tasks", config=CONFIG, use_async=use_async
    )
    starts = [(i["name"], i.get("metadata")) for i in items if "input" in i]
    assert starts == [
        ("tagged", {"user_id": "u-1", "node_meta": "gj", "tags": ["my-tag"]}),
        ("narrow", {"user_id": "u-1", "tags": ["my-tag"]}),
    ]


def test_task_events_have_no_metadata_without_metadata_or_tags() -> None:
    items = both(graphs.meta, {"topic": "t"}, stream_mode="tasks")
    assert [("metadata" in i, i["name"]) for i in items if "input" in i] == [
        (True, "tagged"),
        (False, "narrow"),
    ]


def test_a_node_with_its_own_input_schema_gets_only_those_keys() -> None:
    items = both(graphs.meta, {"topic": "t"}, stream_mode=["tasks", "updates"])
    assert items[-2:] == [
        ("updates", {"narrow": {"joke": "['topic'] -> t!"}}),
        (
            "tasks",
            {
                "id": "<id1>",
                "name": "narrow",
                "error": None,
                "result": {"joke": "['topic'] -> t!"},
                "interrupts": [],
            },
        ),
    ]
    narrow_start = next(i[1] for i in items if i[0] == "tasks" and i[1]["name"] == "narrow")
    assert narrow_start["input"] == {"topic": "t!"}


@pytest.mark.parametrize("mode", ["debug", ["tasks", "values"], ("tasks", "debug")], ids=str)
@SYNC_ASYNC
def test_metadata_streams_like_langgraph(mode: Any, use_async: bool) -> None:
    for subgraphs in (False, True):
        assert_conforms(
            graphs.meta,
            {"topic": "t"},
            stream_mode=mode,
            config=CONFIG,
            subgraphs=subgraphs,
            use_async=use_async,
        )


# -- errors ------------------------------------------------------------------------------


def _raised(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except BaseException as exc:
        return exc
    raise AssertionError("nothing was raised")


@SYNC_ASYNC
def test_a_failing_node_streams_what_ran_before_it_then_its_error(use_async: bool) -> None:
    items = both(
        graphs.error_midway,
        {"topic": "t"},
        stream_mode=["values", "updates", "custom", "tasks"],
        use_async=use_async,
    )
    error = ("<error>", "Exploded", "joke generator exploded")
    assert items == [
        ("values", {"topic": "t"}),
        (
            "tasks",
            {
                "id": "<id0>",
                "name": "refine",
                "input": {"topic": "t"},
                "triggers": ("branch:to:refine",),
            },
        ),
        ("updates", {"refine": {"topic": "t and cats"}}),
        (
            "tasks",
            {
                "id": "<id0>",
                "name": "refine",
                "error": None,
                "result": {"topic": "t and cats"},
                "interrupts": [],
            },
        ),
        ("values", {"topic": "t and cats"}),
        (
            "tasks",
            {
                "id": "<id1>",
                "name": "explode",
                "input": {"topic": "t and cats"},
                "triggers": ("branch:to:explode",),
            },
        ),
        # the custom write before the failure, the failed task's result, no updates, no values
        ("custom", {"progress": "about to fail"}),
        (
            "tasks",
            {"id": "<id1>", "name": "explode", "error": error, "result": {}, "interrupts": []},
        ),
        ("<raised>", "Exploded", "joke generator exploded"),
    ]


@SYNC_ASYNC
def test_a_failing_parallel_node_streams_the_siblings_that_finished_first(use_async: bool) -> None:
    items = both(
        graphs.error_parallel,
        {"topic": "t"},
        stream_mode=["updates", "custom", "tasks"],
        use_async=use_async,
    )
    finished = [(i[0], i[1]["name"] if i[0] == "tasks" else i[1]) for i in items[3:]]
    assert finished == [
        ("custom", {"from": "fast_ok"}),
        ("updates", {"fast_ok": {"log": ["fast_ok"]}}),
        ("tasks", "fast_ok"),
        ("custom", {"from": "boom"}),
        ("tasks", "boom"),
        ("<raised>", "Exploded"),
    ]
    assert items[-1] == ("<raised>", "Exploded", "parallel node exploded")


@pytest.mark.parametrize(
    "graph", [graphs.error_midway, graphs.error_parallel], ids=["chain", "parallel"]
)
@SYNC_ASYNC
def test_a_node_exception_is_re_raised_unchanged(graph: Any, use_async: bool) -> None:
    module = flowc.build(graph)

    def run() -> None:
        if use_async:

            async def consume() -> None:
                async for _ in module.astream({"topic": "t"}, stream_mode=["updates", "debug"]):
                    pass

            asyncio.run(consume())
        else:
            for _ in module.stream({"topic": "t"}, stream_mode=["updates", "debug"]):
                pass

    graphs.LAST_ERROR.clear()
    raised = _raised(run)
    assert raised is graphs.LAST_ERROR[-1]
    graphs.LAST_ERROR.clear()
    raised = _raised(lambda: module.invoke({"topic": "t"}))
    assert raised is graphs.LAST_ERROR[-1]


@SYNC_ASYNC
def test_the_failed_tasks_debug_event_holds_the_exception_object(use_async: bool) -> None:
    module = flowc.build(graphs.error_midway)
    seen: list[Any] = []

    def run() -> None:
        if use_async:

            async def consume() -> None:
                async for chunk in module.astream_chunks({"topic": "t"}, stream_mode="debug"):
                    seen.append(chunk)

            asyncio.run(consume())
        else:
            for chunk in module.stream_chunks({"topic": "t"}, stream_mode="debug"):
                seen.append(chunk)

    graphs.LAST_ERROR.clear()
    raised = _raised(run)
    assert seen[-1]["type"] == "task_result"
    assert seen[-1]["payload"]["error"] is raised is graphs.LAST_ERROR[-1]


# -- recursion limit -------------------------------------------------------------------------

LOOP = SPECS / "loop.toml"


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5])
@pytest.mark.parametrize(
    "mode", [["values", "updates", "debug"], "updates", ("tasks", "values")], ids=str
)
@SYNC_ASYNC
def test_recursion_limits_1_to_5_behave_as_in_langgraph(
    limit: int, mode: Any, use_async: bool
) -> None:
    # three turns of the loop: the run needs three node supersteps
    items = both(
        LOOP,
        {"count": 0, "target": 3},
        stream_mode=mode,
        config={"recursion_limit": limit},
        use_async=use_async,
    )
    raised = isinstance(items[-1], tuple) and items[-1][0] == "<raised>"
    # limit N runs supersteps 1..N and fails, unless the graph needed at most N - 1
    assert raised is (limit <= 3)
    if raised:
        assert items[-1] == (
            "<raised>",
            "GraphRecursionError",
            f"Recursion limit of {limit} reached without hitting a stop condition. "
            "You can increase the limit by setting the `recursion_limit` config key.\n"
            "For troubleshooting, visit: "
            "https://docs.langchain.com/oss/python/langgraph/errors/GRAPH_RECURSION_LIMIT",
        )


def test_a_recursion_limit_of_3_streams_three_supersteps_then_fails() -> None:
    items = both(
        LOOP, {"count": 0, "target": 3}, stream_mode="updates", config={"recursion_limit": 3}
    )
    assert items[:3] == [
        {"increment": {"count": 1, "history": [1]}},
        {"increment": {"count": 2, "history": [2]}},
        {"increment": {"count": 3, "history": [3]}},
    ]
    assert items[3][:2] == ("<raised>", "GraphRecursionError")


def test_the_recursion_error_is_a_recursion_error() -> None:
    module = flowc.build(LOOP)
    error = _raised(lambda: module.invoke({"count": 0, "target": 3}, config={"recursion_limit": 2}))
    assert isinstance(error, GraphRecursionError)
    assert isinstance(error, RecursionError)


def test_the_default_recursion_limit_is_10007_supersteps_minus_one() -> None:
    module = flowc.build(LOOP)
    assert DEFAULT_RECURSION_LIMIT == 10007
    final = module.invoke({"count": 0, "target": 10006})
    assert final["count"] == 10006
    error = _raised(lambda: module.invoke({"count": 0, "target": 10007}))
    assert str(error).startswith("Recursion limit of 10007 reached")


@SYNC_ASYNC
def test_a_recursion_limit_of_0_is_refused_before_anything_is_streamed(use_async: bool) -> None:
    items = both(
        LOOP,
        {"count": 0, "target": 3},
        stream_mode=["values", "updates"],
        config={"recursion_limit": 0},
        use_async=use_async,
    )
    assert items == [("<raised>", "ValueError", "recursion_limit must be at least 1")]


def test_stream_raises_bad_arguments_on_the_first_next_as_langgraph_does() -> None:
    module, compiled = build_pair(LOOP)
    for target in (module.stream_chunks, compiled.stream, module.stream):
        events = target(None, config={"recursion_limit": 0})
        with pytest.raises(ValueError, match="recursion_limit must be at least 1"):
            next(iter(events))


# -- the order of everything -----------------------------------------------------------------


@SYNC_ASYNC
def test_all_modes_come_in_langgraphs_order_within_a_superstep(use_async: bool) -> None:
    items = both(
        SPECS / "custom_writer.toml",
        {"query": "q"},
        stream_mode=["values", "updates", "custom", "messages", "tasks", "checkpoints", "debug"],
        use_async=use_async,
    )
    kinds = []
    for mode, chunk in items:
        if mode == "tasks":
            kinds.append(("tasks", "result" if "result" in chunk else "start"))
        elif mode == "debug":
            kinds.append(("debug", chunk["type"]))
        else:
            kinds.append((mode, ""))
    per_step = [
        ("tasks", "start"),
        ("debug", "task"),
        ("custom", ""),
        ("updates", ""),
        ("tasks", "result"),
        ("debug", "task_result"),
        ("values", ""),
    ]
    # node `node` writes one custom chunk, node `call_tool` two; no checkpointer, no checkpoints
    assert kinds == [("values", ""), *per_step, *per_step[:3], ("custom", ""), *per_step[3:]]
    debug = [chunk for mode, chunk in items if mode == "debug"]
    assert [(d["step"], d["timestamp"], d["payload"]["name"]) for d in debug] == [
        (1, "<ts>", "node"),
        (1, "<ts>", "node"),
        (2, "<ts>", "call_tool"),
        (2, "<ts>", "call_tool"),
    ]


@pytest.mark.parametrize(
    ("config", "raised"),
    [(None, True), ({"recursion_limit": 5}, True), ({"recursion_limit": 6}, False)],
    ids=["graph_limit_3", "run_limit_5", "run_limit_6"],
)
def test_a_graphs_own_recursion_limit_applies_unless_the_run_sets_one(
    config: Any, raised: bool
) -> None:
    # five supersteps: the graph's limit of 3 stops it, a run's own limit of 6 lets it end
    items = both(graphs.limited, {"count": 0}, stream_mode="updates", config=config)
    assert (isinstance(items[-1], tuple) and items[-1][0] == "<raised>") is raised
    if raised:
        limit = 3 if config is None else config["recursion_limit"]
        assert items[-1][2].startswith(f"Recursion limit of {limit} reached")
