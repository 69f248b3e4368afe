"""The runtime's pieces on their own: events, chunk shapes, modes, writers, routes, errors."""

from __future__ import annotations

import re
import threading

import pytest

from flowc import runtime as rt
from flowc.runtime import (
    CustomEvent,
    DebugEvent,
    GraphRecursionError,
    InvalidUpdateError,
    MessagesEvent,
    TaskEvent,
    TaskId,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)

UUID_SHAPE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# -- events render LangGraph's chunks ---------------------------------------------------


def test_each_event_renders_its_modes_chunk() -> None:
    start = TaskEvent(TaskId("i"), "n", {"a": 1}, ("branch:to:n",), None, 1)
    result = TaskResultEvent(TaskId("i"), "n", None, {"a": 2}, 1)
    assert ValuesEvent({"a": 1}).chunk() == {"a": 1}
    assert UpdatesEvent("n", {"a": 1}).chunk() == {"n": {"a": 1}}
    assert UpdatesEvent("n", None).chunk() == {"n": None}
    assert CustomEvent("anything").chunk() == "anything"
    assert MessagesEvent("m", {"langgraph_node": "n"}).chunk() == ("m", {"langgraph_node": "n"})
    assert start.chunk() == {
        "id": "i",
        "name": "n",
        "input": {"a": 1},
        "triggers": ("branch:to:n",),
    }
    assert result.chunk() == {
        "id": "i",
        "name": "n",
        "error": None,
        "result": {"a": 2},
        "interrupts": [],
    }
    wrapped = DebugEvent(1, "2026-01-01T00:00:00+00:00", result)
    assert wrapped.type == "task_result"
    assert wrapped.chunk() == {
        "step": 1,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "type": "task_result",
        "payload": result.chunk(),
    }
    assert DebugEvent(1, "t", start).chunk()["type"] == "task"


def test_task_events_show_metadata_only_when_there_is_some() -> None:
    event = TaskEvent(TaskId("i"), "n", {}, (), {"user_id": "u"}, 1)
    assert event.chunk()["metadata"] == {"user_id": "u"}


def test_events_are_frozen() -> None:
    event = UpdatesEvent("n", {"a": 1})
    with pytest.raises(AttributeError):
        event.node = "m"  # type: ignore[misc]


def test_every_event_carries_its_mode_and_namespace() -> None:
    ns = ("node_2:abc",)
    events = [
        ValuesEvent({}, ns),
        UpdatesEvent("n", None, ns),
        CustomEvent(1, ns),
        MessagesEvent("m", {}, ns),
    ]
    assert [(e.mode, e.ns) for e in events] == [
        ("values", ns),
        ("updates", ns),
        ("custom", ns),
        ("messages", ns),
    ]


# -- chunk shapes by stream_mode form --------------------------------------------------


EVENTS = [ValuesEvent({"a": 1}), UpdatesEvent("n", {"a": 2})]


@pytest.mark.parametrize(
    ("stream_mode", "subgraphs", "expected"),
    [
        ("values", False, [{"a": 1}, {"n": {"a": 2}}]),
        ("values", True, [((), {"a": 1}), ((), {"n": {"a": 2}})]),
        (["values", "updates"], False, [("values", {"a": 1}), ("updates", {"n": {"a": 2}})]),
        (["values"], True, [((), "values", {"a": 1}), ((), "updates", {"n": {"a": 2}})]),
        (("values", "updates"), False, [{"a": 1}, {"n": {"a": 2}}]),
        (("values", "updates"), True, [((), {"a": 1}), ((), {"n": {"a": 2}})]),
    ],
    ids=["string", "string-subgraphs", "list", "list-subgraphs", "tuple", "tuple-subgraphs"],
)
def test_chunks_are_shaped_as_langgraph_shapes_them(
    stream_mode: object, subgraphs: bool, expected: list[object]
) -> None:
    assert list(rt.shape_chunks(iter(EVENTS), stream_mode, subgraphs)) == expected  # type: ignore[arg-type]


# -- modes ----------------------------------------------------------------------------------


def test_modes_are_parsed_from_a_string_a_list_or_a_tuple() -> None:
    assert rt.run.parse_modes("values") == {"values"}
    assert rt.run.parse_modes(["values", "debug"]) == {"values", "debug"}
    assert rt.run.parse_modes(("tasks",)) == {"tasks"}
    assert rt.run.parse_modes([]) == frozenset()


def test_an_unknown_mode_is_named() -> None:
    with pytest.raises(ValueError, match="unknown stream mode 'value'; expected one of"):
        rt.run.parse_modes(["updates", "value"])


def test_the_default_mode_is_updates_outside_a_task_and_values_inside() -> None:
    assert rt.run.default_mode() == "updates"
    run = rt.run.Run("g", frozenset())
    task = rt.run.Task(run, "n", 1, (), rt.run.ignore)
    token = rt.run.enter(task)
    try:
        assert rt.run.default_mode() == "values"
    finally:
        rt.run.leave(token)


# -- the stream writer and the task context -------------------------------------------------


def test_the_writer_and_the_config_need_a_running_task() -> None:
    with pytest.raises(RuntimeError, match="get_stream_writer\\(\\) was called outside"):
        rt.get_stream_writer()
    with pytest.raises(RuntimeError, match="get_config\\(\\) was called outside"):
        rt.get_config()


def test_the_writer_emits_custom_events_only_when_custom_is_streamed() -> None:
    for modes, expected in (
        (frozenset({"custom"}), [CustomEvent({"k": 1})]),
        (frozenset({"updates"}), []),
    ):
        seen: list[object] = []
        run = rt.run.Run("g", modes)
        task = rt.run.Task(run, "n", 1, (), seen.append)
        token = rt.run.enter(task)
        try:
            rt.get_stream_writer()({"k": 1})
        finally:
            rt.run.leave(token)
        assert seen == expected


def test_a_task_config_has_langgraphs_metadata() -> None:
    run = rt.run.Run(
        "g", frozenset(), config={"tags": ["t"], "metadata": {"user": "u"}, "recursion_limit": 7}
    )
    task = rt.run.Task(
        run, "node", 3, ("branch:to:node",), rt.run.ignore, {"node_meta": 1}, ("nt",)
    )
    config = task.node_config()
    assert config["tags"] == ["t", "nt"]
    assert config["recursion_limit"] == 7
    meta = config["metadata"]
    assert meta["user"] == "u"
    assert meta["node_meta"] == 1
    assert meta["langgraph_step"] == 3
    assert meta["langgraph_node"] == "node"
    assert meta["langgraph_triggers"] == ("branch:to:node",)
    assert meta["langgraph_path"] == ("__pregel_pull", "node")
    assert meta["langgraph_checkpoint_ns"] == f"node:{task.id}"


# -- ids and namespaces -------------------------------------------------------------------------


def test_task_ids_are_uuid_shaped_and_depend_on_run_step_and_node() -> None:
    run = rt.run.Run("g", frozenset(), config={"run_id": "r"})
    same = rt.run.Run("g", frozenset(), config={"run_id": "r"})
    ids = {run.task_id(1, "a"), run.task_id(2, "a"), run.task_id(1, "b")}
    assert len(ids) == 3
    assert all(UUID_SHAPE.match(i) for i in ids)
    assert same.task_id(1, "a") == run.task_id(1, "a")
    assert rt.run.Run("g", frozenset()).task_id(1, "a") != run.task_id(1, "a")


def test_a_renewed_task_gets_the_id_of_its_new_step_and_a_fresh_namespace_count() -> None:
    run = rt.run.Run("g", frozenset(), config={"run_id": "r"})
    task = rt.run.Task(run, "n", 1, (), rt.run.ignore)
    first = task.id
    assert task.next_segments() == (f"n:{first}",)
    assert task.next_segments() == (f"n:{first}", "1")
    task.renew(2)
    assert task.id == run.task_id(2, "n") != first
    assert task.next_segments() == (f"n:{task.id}",)


def test_namespace_segments_are_counted_safely_across_threads() -> None:
    run = rt.run.Run("g", frozenset(), config={"run_id": "r"})
    task = rt.run.Task(run, "n", 1, (), rt.run.ignore)
    got: list[tuple[str, ...]] = []
    lock = threading.Lock()

    def grab() -> None:
        for _ in range(50):
            segments = task.next_segments()
            with lock:
                got.append(segments)

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = sorted(int(s[1]) if len(s) == 2 else 0 for s in got)
    assert counts == list(range(200))


# -- routes and updates -----------------------------------------------------------------------


def test_route_maps_names_lists_path_maps_and_end() -> None:
    targets = ("a", "b", "__end__")
    assert rt.run.route("r", "a", targets, None) == ("a",)
    assert rt.run.route("r", ["a", "b"], targets, None) == ("a", "b")
    assert rt.run.route("r", "__end__", targets, None) == ()
    assert rt.run.route("r", "yes", ("a", "__end__"), {"yes": "a", "no": "__end__"}) == ("a",)
    assert rt.run.route("r", "no", ("a", "__end__"), {"yes": "a", "no": "__end__"}) == ()


@pytest.mark.parametrize(
    ("result", "path_map", "message"),
    [
        ("c", None, "router 'r' returned 'c'; it may lead to 'a', '__end__'"),
        ("maybe", {"yes": "a"}, "router 'r' returned 'maybe', which its path map does not map"),
        (None, None, "router 'r' returned None; a router returns a node name or a list of them"),
    ],
)
def test_route_refuses_what_the_router_may_not_return(
    result: object, path_map: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(InvalidUpdateError) as caught:
        rt.run.route("r", result, ("a", "__end__"), path_map)
    assert str(caught.value) == message


def test_check_update_accepts_dicts_mappings_and_nothing() -> None:
    keys = frozenset({"a", "b"})
    update = {"a": 1}
    assert rt.run.check_update("n", update, keys) is update
    assert rt.run.check_update("n", None, keys) is None
    assert rt.run.check_update("n", {}, keys) is None
    from types import MappingProxyType

    assert rt.run.check_update("n", MappingProxyType({"b": 2}), keys) == {"b": 2}


def test_the_recursion_error_is_langgraphs() -> None:
    error = GraphRecursionError(rt.errors.recursion_message(3))
    assert isinstance(error, RecursionError)
    assert str(error) == (
        "Recursion limit of 3 reached without hitting a stop condition. "
        "You can increase the limit by setting the `recursion_limit` config key.\n"
        "For troubleshooting, visit: "
        "https://docs.langchain.com/oss/python/langgraph/errors/GRAPH_RECURSION_LIMIT"
    )


def test_a_recursion_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="recursion_limit must be at least 1"):
        rt.run.Run("g", frozenset(), config={"recursion_limit": 0})
    assert rt.run.Run("g", frozenset()).limit == rt.DEFAULT_RECURSION_LIMIT == 10007


def test_timestamps_are_utc_iso_8601() -> None:
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$", rt.run.timestamp())


def test_the_runtime_imports_only_the_standard_library() -> None:
    import ast
    import sys
    from pathlib import Path

    folder = Path(rt.__file__).parent
    allowed = set(sys.stdlib_module_names) | {"flowc"}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # typing_extensions only for a type checker (typeshed always has it), never run
        checking_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
            for statement in node.body
            for inner in ast.walk(statement)
        }
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name == "typing_extensions" and id(node) in checking_only:
                    continue
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_importing_the_runtime_and_a_runner_loads_no_third_party_module() -> None:
    import subprocess
    import sys

    code = (
        "import sys, flowc.runtime, tests.golden.joke\n"
        "print(sorted(m for m in ('typing_extensions', 'langchain_core', 'pydantic', 'openai') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"
