"""Subgraphs and namespaces: what a parent streams of the graphs it runs.

A subgraph is a node that is a whole graph (``subgraph = "other.toml"`` or a
decorator ``Graph``), or a graph that a node function runs with ``invoke`` /
``stream``. These tests pin flowc's typed events; ``tests/conformance/
test_subgraphs.py`` compares the same specs with LangGraph chunk by chunk.
"""

from __future__ import annotations

import asyncio
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, TypedDict

import pytest

from flowc import END, START, Graph, build
from flowc.runtime import (
    CustomEvent,
    DebugEvent,
    TaskEvent,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)

from .conftest import SPECS

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MODES = ("values", "updates", "custom", "tasks", "debug")


@cache
def spec(name: str) -> ModuleType:
    """The runner module of ``specs/<name>.toml`` (built once per test session)."""
    return build(SPECS / f"{name}.toml")


def child_module(parent: ModuleType, name: str) -> ModuleType:
    """The runner module of a subgraph, generated into the parent's package."""
    return sys.modules[f"{parent.__package__}.{name}"]


def run(module: ModuleType, inp: Any, *, use_async: bool = False, **kwargs: Any) -> list[Any]:
    """Every event of one run; a raised exception is the last item."""
    events: list[Any] = []

    async def consume() -> None:
        async for event in module.astream(inp, **kwargs):
            events.append(event)

    try:
        if use_async:
            asyncio.run(consume())
        else:
            events.extend(module.stream(inp, **kwargs))
    except Exception as exc:
        events.append(exc)
    return events


def task_ids(events: list[Any]) -> list[str]:
    return [e.id for e in events if isinstance(e, TaskEvent)]


# -- the reference example --------------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_subgraph_updates_come_with_the_namespace_of_the_task_that_ran_them(
    use_async: bool,
) -> None:
    parent = spec("subgraph")
    child = child_module(parent, "subgraph_child")
    events = run(
        parent,
        {"foo": "foo"},
        stream_mode=["updates", "tasks"],
        subgraphs=True,
        use_async=use_async,
    )
    node_2 = next(e for e in events if isinstance(e, TaskEvent) and e.name == "node_2")
    ns = (f"node_2:{node_2.id}",)
    updates = [(type(e), e.ns, e.node, e.data) for e in events if isinstance(e, UpdatesEvent)]
    assert updates == [
        (parent.Node1Updated, (), "node_1", {"foo": "hi! foo"}),
        (child.SubgraphNode1Updated, ns, "subgraph_node_1", {"bar": "bar"}),
        (child.SubgraphNode2Updated, ns, "subgraph_node_2", {"foo": "hi! foobar"}),
        (parent.Node2Updated, (), "node_2", {"foo": "hi! foobar"}),
    ]
    # the subgraph's events come between the parent task's start and its result
    names = [(type(e).__name__, e.ns, getattr(e, "name", None) or e.node) for e in events]
    assert names == [
        ("TaskEvent", (), "node_1"),
        ("Node1Updated", (), "node_1"),
        ("TaskResultEvent", (), "node_1"),
        ("TaskEvent", (), "node_2"),
        ("TaskEvent", ns, "subgraph_node_1"),
        ("SubgraphNode1Updated", ns, "subgraph_node_1"),
        ("TaskResultEvent", ns, "subgraph_node_1"),
        ("TaskEvent", ns, "subgraph_node_2"),
        ("SubgraphNode2Updated", ns, "subgraph_node_2"),
        ("TaskResultEvent", ns, "subgraph_node_2"),
        ("Node2Updated", (), "node_2"),
        ("TaskResultEvent", (), "node_2"),
    ]


def test_subgraph_values_start_with_the_shared_keys_the_child_was_given() -> None:
    events = run(spec("nested"), {"foo": "f"}, stream_mode="values", subgraphs=True)
    by_depth = [(len(e.ns), e.data) for e in events]
    assert by_depth == [
        (0, {"foo": "f", "steps": []}),
        (0, {"foo": "f|parent_1", "steps": ["parent_1"], "note": "seen by the parent only"}),
        # the child gets the keys it shares with the parent, not `note`
        (1, {"foo": "f|parent_1", "steps": ["parent_1"]}),
        (1, {"foo": "f|parent_1", "steps": ["parent_1", "child_1"], "bar": "bar"}),
        (2, {"foo": "f|parent_1"}),
        (2, {"foo": "f|parent_1", "depth": 2}),
        (2, {"foo": "f|parent_1|grandchild@2", "depth": 2}),
        (1, {"foo": "f|parent_1|grandchild@2", "steps": ["parent_1", "child_1"], "bar": "bar"}),
        (
            1,
            {
                "foo": "f|parent_1|grandchild@2|bar",
                "steps": ["parent_1", "child_1", "child_2"],
                "bar": "bar",
            },
        ),
        # the child's final `steps` (which repeats the parent's) goes through the parent's reducer
        (
            0,
            {
                "foo": "f|parent_1|grandchild@2|bar",
                "steps": ["parent_1", "parent_1", "child_1", "child_2"],
                "note": "seen by the parent only",
            },
        ),
        (
            0,
            {
                "foo": "f|parent_1|grandchild@2|bar|parent_2 after 4 steps",
                "steps": ["parent_1", "parent_1", "child_1", "child_2"],
                "note": "seen by the parent only",
            },
        ),
    ]


def test_a_subgraph_node_writes_the_childs_final_values_of_the_parents_keys() -> None:
    events = run(spec("nested"), {"foo": "f"}, stream_mode="updates")
    assert [(e.node, e.data) for e in events] == [
        (
            "parent_1",
            {"foo": "f|parent_1", "steps": ["parent_1"], "note": "seen by the parent only"},
        ),
        # `bar` is the child's own key: it is not part of the update
        (
            "child_graph",
            {"foo": "f|parent_1|grandchild@2|bar", "steps": ["parent_1", "child_1", "child_2"]},
        ),
        ("parent_2", {"foo": "f|parent_1|grandchild@2|bar|parent_2 after 4 steps"}),
    ]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_subgraph_sharing_no_key_starts_empty_and_writes_nothing_back(use_async: bool) -> None:
    events = run(
        spec("subgraph_disjoint"),
        {"topic": "cats", "count": 0},
        stream_mode=["updates", "values"],
        subgraphs=True,
        use_async=use_async,
    )
    seen = [(e.ns[0].split(":")[0] if e.ns else "", e.mode, e.data) for e in events]
    assert seen == [
        ("", "values", {"topic": "cats", "count": 0}),
        ("", "updates", {"count": 1}),
        ("", "values", {"topic": "cats", "count": 1}),
        # the child's own start: no key of the parent's reaches it
        ("child", "updates", {"query": "seen ['notes']", "notes": ["0 notes"]}),
        ("child", "values", {"query": "seen ['notes']", "notes": ["0 notes"]}),
        ("", "updates", None),
        ("", "updates", {"count": 2}),
        ("", "values", {"topic": "cats", "count": 2}),
    ]


# -- subgraphs=False ----------------------------------------------------------------------


WITHOUT_SUBGRAPHS = [
    pytest.param(name, inp, mode, id=f"{name}-{mode}")
    for name, inp in (
        ("subgraph", {"foo": "f"}),
        ("nested", {"foo": "f"}),
        ("subgraph_in_node", {"foo": "f"}),
        ("subgraph_custom", {"items": ["b", "a"]}),
    )
    for mode in MODES
    # only subgraph_custom writes custom data
    if mode != "custom" or name == "subgraph_custom"
]


@pytest.mark.parametrize(("name", "inp", "mode"), WITHOUT_SUBGRAPHS)
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_without_subgraphs_nothing_from_inside_a_subgraph_is_streamed(
    name: str, inp: Any, mode: str, use_async: bool
) -> None:
    module = spec(name)
    inside = run(module, inp, stream_mode=mode, subgraphs=True, use_async=use_async)
    outside = run(module, inp, stream_mode=mode, use_async=use_async)
    assert any(e.ns for e in inside)
    assert all(e.ns == () for e in outside)

    # what is left is exactly the root's own events
    def strip(events: list[Any]) -> list[Any]:
        return [
            (
                type(e).__name__,
                e.payload.name if isinstance(e, DebugEvent) else getattr(e, "name", None),
            )
            for e in events
            if e.ns == ()
        ]

    assert strip(outside) == strip(inside)


def test_custom_writes_inside_a_subgraph_are_dropped_without_subgraphs() -> None:
    module = spec("subgraph_custom")
    inp = {"items": ["pear", "apple"]}
    outside = run(module, inp, stream_mode="custom")
    assert [(e.ns, e.data) for e in outside] == [
        ((), {"stage": "prepare", "items": 2}),
        ((), {"stage": "report", "total": 2}),
    ]
    inside = run(module, inp, stream_mode=["custom", "tasks"], subgraphs=True)
    work = next(e for e in inside if isinstance(e, TaskEvent) and e.name == "work")
    ns = (f"work:{work.id}",)
    assert [(e.ns, e.data) for e in inside if isinstance(e, CustomEvent)] == [
        ((), {"stage": "prepare", "items": 2}),
        (ns, {"counted": "apple"}),
        (ns, {"counted": "pear"}),
        (ns, "total is 2"),
        ((), {"stage": "report", "total": 2}),
    ]


# -- graphs run inside a node ----------------------------------------------------------------


def test_each_further_call_in_one_task_adds_a_numbered_segment() -> None:
    events = run(
        spec("subgraph_in_node"), {"foo": "f"}, stream_mode=["updates", "tasks"], subgraphs=True
    )
    ids = {e.name: e.id for e in events if isinstance(e, TaskEvent) and e.ns == ()}
    namespaces = list(dict.fromkeys(e.ns for e in events if e.ns))
    assert namespaces == [
        (f"call_subgraph:{ids['call_subgraph']}",),
        (f"twice:{ids['twice']}",),
        (f"twice:{ids['twice']}", "1"),
        (f"three_times:{ids['three_times']}",),
        (f"three_times:{ids['three_times']}", "1"),
        (f"three_times:{ids['three_times']}", "2"),
    ]


def test_a_nested_stream_gets_its_own_modes_and_the_parent_gets_its_own() -> None:
    # `twice` reads the child's updates itself; the parent streams only values
    events = run(spec("subgraph_in_node"), {"foo": "f"}, stream_mode="values", subgraphs=True)
    assert all(isinstance(e, ValuesEvent) for e in events)
    assert [(len(e.ns), e.data["foo"]) for e in events if e.ns and e.ns[0].startswith("twice")] == [
        (1, "fbar"),
        (1, "fbar"),
        (1, "fbarbar"),
        (2, "fbarbar"),
        (2, "fbarbar"),
        (2, "fbarbarbar"),
    ]
    final = events[-1].data
    assert final["foo"] == "fbarbar+subgraph_node_1,subgraph_node_2barbarbar"


def test_a_node_sees_its_graphs_subgraphs_only_if_it_streams_them() -> None:
    module = spec("nested_in_node")
    for subgraphs in (False, True):
        steps = module.invoke({"foo": "f"})["steps"] if not subgraphs else None
        events = run(module, {"foo": "f"}, stream_mode="updates", subgraphs=subgraphs)
        root = [e.data for e in events if e.ns == ()]
        assert root[0]["steps"] == [
            "1:child_1",
            "2:grandchild_1",
            "2:grandchild_2",
            "1:grandchild_graph",
            "1:child_2",
        ]
        assert root[1]["steps"][:3] == ["values:2", "updates:child_1", "values:3"]
        if steps is not None:
            assert steps == [*root[0]["steps"], *root[1]["steps"]]
    # the root streams every level when it asks for subgraphs, whatever the node asked for
    events = run(module, {"foo": "f"}, stream_mode="updates", subgraphs=True)
    assert sorted({len(e.ns) for e in events}) == [0, 1, 2]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_async_nodes_run_graphs_with_ainvoke_and_astream(use_async: bool) -> None:
    module = spec("subgraph_in_node_async")
    events = run(module, {"foo": "f"}, stream_mode="updates", subgraphs=True, use_async=use_async)
    if not use_async:
        assert len(events) == 1 and isinstance(events[0], TypeError)
        assert str(events[0]).startswith('No synchronous function provided to "call_subgraph"')
        return
    assert [
        (len(e.ns), e.ns[-1] if e.ns and len(e.ns[-1]) == 1 else "", e.node) for e in events
    ] == [
        (1, "", "subgraph_node_1"),
        (1, "", "subgraph_node_2"),
        (0, "", "call_subgraph"),
        (1, "", "subgraph_node_1"),
        (1, "", "subgraph_node_2"),
        (2, "1", "subgraph_node_1"),
        (2, "1", "subgraph_node_2"),
        (0, "", "twice"),
    ]
    assert events[-1].data == {"foo": "fbarbarbar", "calls": ["twice", "twice"]}


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("subgraphs", [False, True])
def test_an_error_inside_a_subgraph_is_the_same_object_at_every_level(
    subgraphs: bool, use_async: bool
) -> None:
    events = run(
        spec("subgraph_error"),
        {"topic": " t "},
        stream_mode=["tasks", "updates"],
        subgraphs=subgraphs,
        use_async=use_async,
    )
    raised = events[-1]
    assert type(raised) is ValueError and str(raised) == "review of 't' failed"
    failed = [(e.ns != (), e.name) for e in events if isinstance(e, TaskResultEvent) and e.error]
    assert failed == ([(True, "review")] if subgraphs else []) + [(False, "write")]
    assert all(e.error is raised for e in events if isinstance(e, TaskResultEvent) and e.error)
    # no update for the failed subgraph node, nothing after it
    assert [e.node for e in events if isinstance(e, UpdatesEvent) and e.ns == ()] == ["outline"]
    assert isinstance(events[-2], TaskResultEvent) and events[-2].name == "write"


def test_a_subgraph_with_async_nodes_fails_in_a_sync_run_at_its_first_async_node() -> None:
    events = run(spec("subgraph_async"), {"query": "Q"}, stream_mode="tasks", subgraphs=True)
    raised = events[-1]
    assert type(raised) is TypeError
    assert str(raised).startswith('No synchronous function provided to "fetch_first".')
    assert [(e.name, e.error is raised) for e in events if isinstance(e, TaskResultEvent)] == [
        ("plan", False),
        ("fetch_first", True),
        ("search", True),
    ]
    good = run(spec("subgraph_async"), {"query": "Q"}, stream_mode="updates", use_async=True)
    assert [(e.node, e.data) for e in good] == [
        ("plan", {"query": "q"}),
        ("search", {"query": "q", "results": ["q #1", "q #2"]}),
        ("summarise", {"summary": "q #1; q #2"}),
    ]


# -- task ids ----------------------------------------------------------------------------------


def _ids_and_namespaces(module: ModuleType, config: Any) -> list[Any]:
    events = run(
        module,
        {"foo": "f"},
        stream_mode=["tasks", "debug", "updates"],
        subgraphs=True,
        config=config,
    )
    return [
        (e.ns, e.id if isinstance(e, TaskEvent | TaskResultEvent) else getattr(e, "node", None))
        for e in events
        if not isinstance(e, DebugEvent)
    ]


@pytest.mark.parametrize("name", ["nested", "subgraph_in_node"])
def test_task_ids_are_uuid_shaped_and_a_fixed_run_id_reproduces_them(name: str) -> None:
    module = spec(name)
    fixed = _ids_and_namespaces(module, {"run_id": "3f2c1a9e-0000-4000-8000-000000000001"})
    ids = {x for _, x in fixed if x and UUID.match(x)}
    assert len(ids) == len(task_ids(run(module, {"foo": "f"}, stream_mode="tasks", subgraphs=True)))
    segments = {seg.split(":")[1] for ns, _ in fixed for seg in ns if ":" in seg}
    assert segments and segments <= ids
    assert _ids_and_namespaces(module, {"run_id": "3f2c1a9e-0000-4000-8000-000000000001"}) == fixed
    other = _ids_and_namespaces(module, {"run_id": "another run"})
    assert len(other) == len(fixed) and other != fixed
    assert _ids_and_namespaces(module, None) != _ids_and_namespaces(module, None)


def test_debug_events_of_a_subgraph_count_their_own_steps() -> None:
    events = run(spec("nested"), {"foo": "f"}, stream_mode="debug", subgraphs=True)
    steps = [(len(e.ns), e.type, e.payload.name, e.step) for e in events]
    assert steps == [
        (0, "task", "parent_1", 1),
        (0, "task_result", "parent_1", 1),
        (0, "task", "child_graph", 2),
        (1, "task", "child_1", 1),
        (1, "task_result", "child_1", 1),
        (1, "task", "grandchild_graph", 2),
        (2, "task", "grandchild_1", 1),
        (2, "task_result", "grandchild_1", 1),
        (2, "task", "grandchild_2", 2),
        (2, "task_result", "grandchild_2", 2),
        (1, "task_result", "grandchild_graph", 2),
        (1, "task", "child_2", 3),
        (1, "task_result", "child_2", 3),
        (0, "task_result", "child_graph", 2),
        (0, "task", "parent_2", 3),
        (0, "task_result", "parent_2", 3),
    ]
    assert all(e.ns == e.payload.ns for e in events)


# -- config reaches nested runs ---------------------------------------------------------------


class TagState(TypedDict, total=False):
    foo: str
    seen: str


def record_config(state: TagState) -> TagState:
    from flowc import get_config

    config = get_config()
    meta = config["metadata"]
    return {
        "seen": f"{config['tags']}|{meta.get('level')}|{meta['langgraph_checkpoint_ns'].count('|')}"
        f"|{config['configurable'].get('user')}|{config['recursion_limit']}"
    }


tagged_child = Graph("tagged_child", TagState)
tagged_child.node(record_config)
tagged_child.sequence(START, "record_config")

tagged = Graph("tagged", TagState)
tagged.subgraph("inner", tagged_child, tags=["node-tag"], metadata={"level": "inner"})
tagged.sequence(START, "inner", END)


def test_nested_tasks_inherit_the_run_config_and_the_subgraph_nodes_tags_and_metadata() -> None:
    module = build(tagged)
    config = {
        "tags": ["run-tag"],
        "metadata": {"user_id": "u-1"},
        "configurable": {"user": "ann"},
        "recursion_limit": 7,
    }
    events = run(
        module, {"foo": "f"}, stream_mode=["tasks", "updates"], subgraphs=True, config=config
    )
    starts = [(e.name, e.metadata) for e in events if isinstance(e, TaskEvent)]
    assert starts == [
        ("inner", {"user_id": "u-1", "level": "inner", "tags": ["run-tag", "node-tag"]}),
        ("record_config", {"user_id": "u-1", "level": "inner", "tags": ["run-tag", "node-tag"]}),
    ]
    assert events[-2].data == {"foo": "f", "seen": "['run-tag', 'node-tag']|inner|1|ann|7"}


def test_the_recursion_limit_counts_each_graphs_own_supersteps() -> None:
    # `nested` and `nested_child` take three supersteps each: limit 4 is enough, 3 is not
    module = spec("nested")
    assert module.invoke({"foo": "f"}, config={"recursion_limit": 4})["foo"].endswith("4 steps")
    events = run(
        module, {"foo": "f"}, stream_mode="updates", subgraphs=True, config={"recursion_limit": 3}
    )
    assert type(events[-1]).__name__ == "GraphRecursionError"
    assert str(events[-1]).startswith("Recursion limit of 3 reached")


# -- parallel subgraphs -------------------------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_parallel_subgraphs_stream_their_events_as_they_happen(use_async: bool) -> None:
    # the subgraph run by `right` finishes first; in an async run its sync node goes
    # to a thread, so that `left`'s subgraph is not held up behind it
    events = run(
        spec("subgraph_parallel"),
        {"topic": "t"},
        stream_mode=["updates", "custom"],
        subgraphs=True,
        use_async=use_async,
    )
    seen = [
        (e.ns[0].split(":")[0] if e.ns else "", e.mode, e.data if e.mode == "custom" else e.node)
        for e in events
    ]
    assert seen == [
        ("right", "custom", {"finishing": "right"}),
        ("right", "updates", "work"),
        ("", "updates", "right"),
        ("left", "custom", {"finishing": "left"}),
        ("left", "updates", "work"),
        ("", "updates", "left"),
        ("", "updates", "summarize"),
    ]
    assert events[-1].data == {"summary": "t: left after 0 / right after 0"}


# -- checks ------------------------------------------------------------------------------------


def _diagnostics(target: str) -> list[tuple[str, str]]:
    from flowc.dsl.load import check_target

    result = check_target(target)
    return [(d.code, d.message) for d in result.diagnostics]


def test_a_graph_that_names_itself_by_another_path_still_contains_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "again.toml").write_text(
        "[graph]\nname = 'again'\n[state.fields]\nfoo = 'str'\n"
        f"[nodes.inner]\nsubgraph = {str(tmp_path / 'again.toml')!r}\n"
        "[[edges]]\nchain = ['START', 'inner', 'END']\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert _diagnostics("again.toml") == [
        ("E503", "graph contains itself: again.toml → again.toml")
    ]


def test_two_different_subgraphs_with_one_name_are_an_error_not_a_mixup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # both would be generated as module `child` of the parent's package
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "child.toml").write_text(
            "[graph]\nname = 'child'\n[state.fields]\nfoo = 'str'\n"
            "[nodes.work]\ncall = 'flowc_demo.subgraph:node_1'\n"
            "[[edges]]\nchain = ['START', 'work', 'END']\n"
            + ("" if folder == "a" else "# the other one\n"),
            encoding="utf-8",
        )
    (tmp_path / "parent.toml").write_text(
        "[graph]\nname = 'parent'\n[state.fields]\nfoo = 'str'\n"
        "[nodes.first]\nsubgraph = 'a/child.toml'\n[nodes.second]\nsubgraph = 'b/child.toml'\n"
        "[[edges]]\nchain = ['START', 'first', 'second', 'END']\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert _diagnostics("parent.toml") == [
        (
            "E505",
            "graphs `child` (a/child.toml) and `child` (b/child.toml) would both be compiled "
            "to module `child`",
        )
    ]
    # the same child twice is one module
    text = (tmp_path / "parent.toml").read_text(encoding="utf-8")
    (tmp_path / "parent.toml").write_text(text.replace("b/child.toml", "a/child.toml"))
    assert _diagnostics("parent.toml") == []


def test_checking_a_subgraph_leaves_the_callers_source_map_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowc.dsl.checker import check
    from flowc.dsl.load import load_subgraph, load_target

    (tmp_path / "child.toml").write_text(
        "[graph]\nname = 'child'\n[state.fields]\nfoo = 'int'\n"
        "[nodes.work]\ncall = 'flowc_demo.subgraph:node_1'\n"
        "[[edges]]\nchain = ['START', 'work', 'END']\n",
        encoding="utf-8",
    )
    (tmp_path / "parent.toml").write_text(
        "[graph]\nname = 'parent'\n[state.fields]\nfoo = 'str'\n"
        "[nodes.inner]\nsubgraph = 'child.toml'\n"
        "[[edges]]\nchain = ['START', 'inner', 'END']\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    loaded, origin = load_target("parent.toml")
    assert loaded.spec is not None
    smap = loaded.source_map
    spans, texts = dict(smap.spans), {k: list(v) for k, v in smap.texts.items()}
    result = check(loaded.spec, smap, origin, load_subgraph=load_subgraph)
    # the child's node takes and returns `str`, its state says `int`: errors in the child's file
    assert [(d.code, d.span and d.span.file) for d in result.diagnostics] == [
        ("E316", "child.toml"),
        ("E307", "child.toml"),
    ]
    # the caller's map is unchanged; the result's adds the child's text, to show that error
    assert (smap.spans, smap.texts) == (spans, texts)
    assert sorted(result.source_map.texts) == ["child.toml", "parent.toml"]
    assert result.source_map.spans == spans
