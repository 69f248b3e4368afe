"""``flowc run`` as users run it: a subprocess, its exit code and its exact output."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk

from flowc.cli import main
from flowc.cli.run import Pretty, event_json, ns_label
from flowc.runtime import CustomEvent, MessagesEvent, UpdatesEvent, ValuesEvent

from .cli_support import CLI_SPECS, FLOWC, ROOT, assert_snapshot, cli_env, flowc, normalize


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flowc-cache")


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def inproc(
    cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """``flowc ARGS`` run in this process (for the many small cases): exit code, stdout, stderr."""
    monkeypatch.setenv("FLOWC_CACHE_DIR", str(cache))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(ROOT)

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# -- jsonl: exact -------------------------------------------------------------------


def test_jsonl_prints_langgraph_v2_stream_parts_for_every_requested_mode(cache: Path) -> None:
    proc = flowc(
        "run", "specs/custom_writer.toml", "--input", '{"query": "example"}',
        "--stream-mode", "updates", "--stream-mode", "custom", "--format", "jsonl",
        cache=cache,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert jsonl(proc.stdout) == [
        {"type": "custom", "ns": [], "data": {"custom_key": "Generating custom data inside node"}},
        {"type": "updates", "ns": [], "data": {"node": {"answer": "some data"}}},
        {
            "type": "custom",
            "ns": [],
            "data": {"data": "Retrieved 0/100 records", "type": "progress"},
        },
        {
            "type": "custom",
            "ns": [],
            "data": {"data": "Retrieved 100/100 records", "type": "progress"},
        },
        {"type": "updates", "ns": [], "data": {"call_tool": {"records": "some-answer to example"}}},
    ]


def test_jsonl_text_is_one_compact_object_per_line(cache: Path) -> None:
    proc = flowc(
        "run", "specs/joke.toml", "--input", '{"topic": "ice cream"}',
        "--stream-mode", "values", "--format", "jsonl",
        cache=cache,
    )  # fmt: skip
    assert proc.returncode == 0
    assert proc.stdout == (
        '{"type": "values", "ns": [], "data": {"topic": "ice cream"}}\n'
        '{"type": "values", "ns": [], "data": {"topic": "ice cream and cats"}}\n'
        '{"type": "values", "ns": [], "data": {"topic": "ice cream and cats", '
        '"joke": "This is a joke about ice cream and cats"}}\n'
    )


def test_jsonl_tasks_with_a_fixed_run_id_are_reproducible(
    inproc: Callable[..., tuple[int, str, str]],
) -> None:
    args = (
        "run", "specs/loop.toml", "--input", '{"count": 0, "target": 2}',
        "--stream-mode", "tasks", "--format", "jsonl", "--config", '{"run_id": "r-1"}',
    )  # fmt: skip
    (code, first, _), (_, second, _) = inproc(*args), inproc(*args)
    assert code == 0 and first == second
    events = jsonl(first)
    assert [(e["type"], sorted(e["data"])) for e in events] == [  # type: ignore[arg-type]
        ("tasks", ["id", "input", "name", "triggers"]),
        ("tasks", ["error", "id", "interrupts", "name", "result"]),
        ("tasks", ["id", "input", "name", "triggers"]),
        ("tasks", ["error", "id", "interrupts", "name", "result"]),
    ]
    data = [e["data"] for e in events]
    assert data[1] == {
        "id": data[0]["id"],  # type: ignore[index]
        "name": "increment",
        "error": None,
        "result": {"count": 1, "history": [1]},
        "interrupts": [],
    }
    assert data[0]["id"] != data[2]["id"]  # type: ignore[index]


def test_jsonl_subgraph_events_carry_their_namespace(cache: Path) -> None:
    proc = flowc(
        "run", "specs/subgraph.toml", "--input", '{"foo": "foo"}', "--subgraphs",
        "--format", "jsonl", cache=cache,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    events = jsonl(proc.stdout)
    child_ns = events[1]["ns"]
    assert isinstance(child_ns, list) and len(child_ns) == 1
    assert child_ns[0].startswith("node_2:")
    assert events == [
        {"type": "updates", "ns": [], "data": {"node_1": {"foo": "hi! foo"}}},
        {"type": "updates", "ns": child_ns, "data": {"subgraph_node_1": {"bar": "bar"}}},
        {"type": "updates", "ns": child_ns, "data": {"subgraph_node_2": {"foo": "hi! foobar"}}},
        {"type": "updates", "ns": [], "data": {"node_2": {"foo": "hi! foobar"}}},
    ]


# -- pretty: snapshots (colour off) ---------------------------------------------------


@pytest.mark.parametrize(
    ("snapshot", "args"),
    [
        (
            "run/joke_updates_values.txt",
            ("specs/joke.toml", "--input", '{"topic": "ice cream"}',
             "--stream-mode", "updates", "--stream-mode", "values"),
        ),
        (
            "run/loop_values.txt",
            ("specs/loop.toml", "--input", '{"count": 0, "target": 3}', "--stream-mode", "values"),
        ),
        (
            "run/subgraph_all_modes.txt",
            ("specs/subgraph.toml", "--input", '{"foo": "foo"}', "--subgraphs",
             "--stream-mode", "values", "--stream-mode", "updates", "--stream-mode", "tasks"),
        ),
        (
            "run/nested_updates.txt",
            ("specs/nested.toml", "--input", '{"foo": "foo"}', "--subgraphs"),
        ),
        (
            "run/custom_writer_custom.txt",
            ("specs/custom_writer.toml", "--input", '{"query": "example"}',
             "--stream-mode", "custom", "--stream-mode", "debug"),
        ),
    ],
)  # fmt: skip
def test_pretty_output_matches_its_snapshot(
    cache: Path, snapshot: str, args: tuple[str, ...]
) -> None:
    proc = flowc("run", *args, "--color", "never", cache=cache, merge=True)
    assert proc.returncode == 0, proc.stdout
    assert "\x1b[" not in proc.stdout
    assert_snapshot(snapshot, normalize(proc.stdout))


def test_pretty_prints_a_summary_of_steps_nodes_and_time(cache: Path) -> None:
    proc = flowc("run", "specs/loop.toml", "--input", '{"count": 0, "target": 3}', cache=cache)
    assert proc.returncode == 0
    assert proc.stdout == (
        "updates   increment: {'count': 1, 'history': [1]}\n"
        "updates   increment: {'count': 2, 'history': [2]}\n"
        "updates   increment: {'count': 3, 'history': [3]}\n"
    )
    assert normalize(proc.stderr) == "-- 3 steps, 3 nodes run, 3 events in <time>\n"


def test_colour_follows_the_color_option_and_no_color(
    cache: Path, inproc: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("run", "specs/joke.toml", "--input", '{"topic": "x"}')
    always = flowc(*args, "--color", "always", cache=cache)
    assert always.stdout.splitlines()[0] == (
        "\x1b[32mupdates  \x1b[0m refine_topic: {'topic': 'x and cats'}"
    )
    # not a terminal: auto means no colour
    assert "\x1b[" not in inproc(*args)[1]
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert "\x1b[" in inproc(*args, "--color", "auto")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in inproc(*args, "--color", "auto")[1]
    assert "\x1b[" in inproc(*args, "--color", "always")[1]


def test_a_global_color_option_applies_to_run(
    inproc: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    args = ("run", "specs/joke.toml", "--input", '{"topic": "x"}')
    assert "\x1b[" not in inproc("--color", "never", *args)[1]
    assert "\x1b[" in inproc(*args)[1]


def test_errors_are_red_with_color_always(inproc: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = inproc("run", "docs/examples/bakery.toml", "--input", '{"dough": "x"}',
                          "--color", "always")  # fmt: skip
    assert code == 1
    assert err.startswith("\x1b[1;31merror\x1b[0m: node 'bake' failed at step 2")


# -- inputs ------------------------------------------------------------------------------


def test_input_from_a_file_and_from_stdin(
    inproc: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    source = tmp_path / "input.json"
    source.write_text('{"topic": "from a file"}', encoding="utf-8")
    by_file = inproc("run", "specs/joke.toml", "--input", f"@{source}")
    by_stdin = inproc("run", "specs/joke.toml", "--input", "-", stdin='{"topic": "from a file"}')
    assert by_file[0] == by_stdin[0] == 0
    assert by_file[1] == by_stdin[1]
    assert by_file[1].splitlines()[0] == "updates   refine_topic: {'topic': 'from a file and cats'}"


def test_bad_json_input_is_a_located_usage_error(cache: Path) -> None:
    proc = flowc("run", "specs/joke.toml", "--input", '{"topic": ice}', cache=cache)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        "flowc: error: --input:1:11: invalid JSON: Expecting value\n"
        '  {"topic": ice}\n'
        "            ^\n"
    )


def test_missing_input_file_is_a_usage_error(inproc: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = inproc("run", "specs/joke.toml", "--input", "@no/such.json")
    assert code == 2
    assert err == "flowc: error: --input: cannot read no/such.json: No such file or directory\n"


def test_unknown_stream_mode_is_a_usage_error(inproc: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = inproc("run", "specs/joke.toml", "--input", "{}", "--stream-mode", "everything")
    assert code == 2
    assert "argument --stream-mode: invalid choice: 'everything'" in err


def test_config_must_be_a_json_object(inproc: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = inproc("run", "specs/joke.toml", "--input", "{}", "--config", "[1]")
    assert code == 2
    assert err == (
        "flowc: error: --config: expected a JSON object (recursion_limit, tags, metadata, ...)\n"
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('{"recursion_limit": "3"}', 'recursion_limit must be an integer, not "3"'),
        ('{"tags": ["a", 1]}', 'tags must be a list of strings, not ["a", 1]'),
        (
            '{"recursion": 3}',
            "unknown key 'recursion' (known keys: recursion_limit, tags, metadata, configurable, run_id)",
        ),
    ],
)
def test_config_keys_are_checked(
    inproc: Callable[..., tuple[int, str, str]], config: str, message: str
) -> None:
    code, out, err = inproc("run", "specs/joke.toml", "--input", "{}", "--config", config)
    assert (code, out, err) == (2, "", f"flowc: error: --config: {message}\n")


def test_config_reaches_the_run(inproc: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = inproc(
        "run", "specs/loop.toml", "--input", '{"count": 0, "target": 5}',
        "--config", '{"recursion_limit": 3}', "--color", "never",
    )  # fmt: skip
    assert code == 1
    assert out == (
        "updates   increment: {'count': 1, 'history': [1]}\n"
        "updates   increment: {'count': 2, 'history': [2]}\n"
        "updates   increment: {'count': 3, 'history': [3]}\n"
    )
    assert err.startswith("error: run failed: GraphRecursionError: Recursion limit of 3 reached")


def test_a_spec_with_errors_prints_diagnostics_and_exits_1(
    inproc: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    spec = tmp_path / "broken.toml"
    spec.write_text(
        '[graph]\nname = "broken"\n\n[state.fields]\ntopic = "str"\n\n[nodes.a]\ncall = "nowhere:fn"\n'
    )
    code, out, err = inproc("run", str(spec), "--input", "{}")
    assert code == 1
    assert out == ""
    assert f"{spec}:8:8: error[" in err


# -- failures -----------------------------------------------------------------------------


def test_a_failing_node_is_reported_with_node_namespace_and_step(cache: Path) -> None:
    proc = flowc("run", "specs/subgraph_error.toml", "--input", '{"topic": "x"}', "--subgraphs",
                 "--color", "never", cache=cache)  # fmt: skip
    assert proc.returncode == 1
    assert proc.stdout == (
        "updates   outline: {'topic': 'x'}\n"
        "  updates   [write] draft: {'draft': 'A few words on x'}\n"
    )
    source = (ROOT / "specs/flowc_demo/subgraph_error.py").read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if "raise ValueError" in text)
    assert proc.stderr == (
        "error: node 'review' in subgraph write failed at step 2: ValueError: review of 'x' failed\n"
        f"  at specs/flowc_demo/subgraph_error.py:{line} in review\n"
    )


def test_without_subgraphs_the_failing_subgraph_node_is_named(
    inproc: Callable[..., tuple[int, str, str]],
) -> None:
    code, _, err = inproc("run", "specs/subgraph_error.toml", "--input", '{"topic": "x"}')
    assert code == 1
    assert err.splitlines()[0] == (
        "error: node 'write' failed at step 2: ValueError: review of 'x' failed"
    )


def test_the_failure_points_at_the_node_not_inside_a_library(
    inproc: Callable[..., tuple[int, str, str]],
) -> None:
    code, _, err = inproc("run", "tests/cli_specs/parse.toml", "--input", '{"text": "{oops"}')
    source = (CLI_SPECS / "cli_nodes.py").read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if "json.loads(state" in text)
    assert code == 1
    assert err == (
        "error: node 'parse' failed at step 1: JSONDecodeError: Expecting property name "
        "enclosed in double quotes: line 1 column 2 (char 1)\n"
        f"  at tests/cli_specs/cli_nodes.py:{line} in parse\n"
    )


def test_a_failure_in_jsonl_ends_with_an_error_object(cache: Path) -> None:
    proc = flowc("run", "specs/subgraph_error.toml", "--input", '{"topic": "x"}', "--subgraphs",
                 "--format", "jsonl", cache=cache)  # fmt: skip
    assert proc.returncode == 1
    events = jsonl(proc.stdout)
    assert events[-1] == {
        "type": "error",
        "ns": events[-2]["ns"],
        "data": {
            "node": "review",
            "step": 2,
            "error": "ValueError",
            "message": "review of 'x' failed",
        },
    }


def test_traceback_option_prints_the_whole_traceback(
    inproc: Callable[..., tuple[int, str, str]],
) -> None:
    code, _, err = inproc(
        "run", "specs/subgraph_error.toml", "--input", '{"topic": "x"}', "--traceback"
    )
    assert code == 1
    assert "Traceback (most recent call last):" in err
    assert err.rstrip().endswith("ValueError: review of 'x' failed")


def test_an_input_the_graph_rejects_fails_cleanly(
    inproc: Callable[..., tuple[int, str, str]],
) -> None:
    code, _, err = inproc("run", "specs/joke.toml", "--input", '{"topik": "x"}')
    assert code == 1
    assert err == (
        "error: run failed: InvalidInputError: graph 'joke' has no state key 'topik' "
        "(its keys: topic, joke)\n"
    )


# -- targets, async, cache ---------------------------------------------------------------


def test_async_graphs_run_with_astream(cache: Path) -> None:
    proc = flowc("run", "specs/async_writer.toml", "--input", '{"topic": "ice cream"}',
                 "--stream-mode", "custom", "--format", "jsonl", cache=cache)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert jsonl(proc.stdout) == [
        {
            "type": "custom",
            "ns": [],
            "data": {"custom_key": "Streaming custom data while generating a joke"},
        },
    ]


def test_a_module_attribute_target_runs(cache: Path) -> None:
    proc = flowc("run", "cli_graphs:joke", "--input", '{"topic": "decorators"}', cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "updates   refine_topic: {'topic': 'decorators and cats'}\n"
        "updates   generate_joke: {'joke': 'This is a joke about decorators and cats'}\n"
    )


def test_runs_compile_only_when_the_spec_changed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spec = tmp_path / "joke.toml"
    spec.write_text((ROOT / "specs" / "joke.toml").read_text())
    args = ("run", str(spec), "--input", '{"topic": "x"}')
    assert flowc(*args, cache=cache).returncode == 0
    (entry,) = cache.glob("_flowc_*")
    runner = entry / "joke.py"
    stamp = runner.stat().st_mtime_ns
    assert flowc(*args, cache=cache).returncode == 0
    assert [p.name for p in cache.glob("_flowc_*")] == [entry.name]
    assert runner.stat().st_mtime_ns == stamp
    spec.write_text(spec.read_text().replace("Refine a topic", "Refine the topic"))
    assert flowc(*args, cache=cache).returncode == 0
    assert len(list(cache.glob("_flowc_*"))) == 2
    assert not list(cache.glob(".staging-*"))


def test_the_cache_forgets_packages_unused_for_a_month(tmp_path: Path) -> None:
    import time as clock

    from flowc.cache import UNUSED_DAYS, prune

    cache = tmp_path / "cache"
    for name in ("_flowc_old", "_flowc_recent", ".staging-dead", ".staging-live", "unrelated"):
        (cache / name).mkdir(parents=True)
    now = clock.time()
    month = UNUSED_DAYS * 86400
    os.utime(cache / "_flowc_old", (now - month - 60, now - month - 60))
    os.utime(cache / "_flowc_recent", (now - month + 3600, now - month + 3600))
    os.utime(cache / ".staging-dead", (now - 7200, now - 7200))
    os.utime(cache / "unrelated", (now - 2 * month, now - 2 * month))
    assert prune(cache, now=now) == [".staging-dead", "_flowc_old"]
    assert sorted(p.name for p in cache.iterdir()) == [
        ".staging-live",
        "_flowc_recent",
        "unrelated",
    ]


# -- Ctrl-C -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "fmt", "running"),
    [
        ("tests/cli_specs/sleepy.toml", "pretty", "nap"),
        ("tests/cli_specs/sleepy_parallel.toml", "jsonl", "nap, nap_too"),
        ("tests/cli_specs/sleepy_async.toml", "pretty", "nap"),
    ],
)
def test_ctrl_c_stops_the_run_with_exit_130(cache: Path, spec: str, fmt: str, running: str) -> None:
    proc = subprocess.Popen(
        [*FLOWC, "run", spec, "--input", '{"topic": "x"}', "--format", fmt, "--color", "never"],
        cwd=ROOT,
        env=cli_env(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # `prepare` finished: the nappers are running now
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    if fmt == "pretty":
        assert first == "updates   prepare: {'topic': 'x!'}\n"
    else:
        assert json.loads(first) == {
            "type": "updates",
            "ns": [],
            "data": {"prepare": {"topic": "x!"}},
        }
    assert out == ""
    assert err == f"\nflowc: interrupted at step 2 (running: {running})\n"


# -- the printers, in process -------------------------------------------------------------


def test_message_tokens_are_printed_inline_as_they_arrive() -> None:
    import io

    out = io.StringIO()
    pretty = Pretty(out, color=False)
    meta = {"langgraph_node": "call_model"}
    for token in ("Why", " did", " the", " cat"):
        pretty.event(MessagesEvent(AIMessageChunk(content=token, id="run-1"), meta))  # type: ignore[arg-type]
        assert not out.getvalue().endswith("\n")
    pretty.event(MessagesEvent(AIMessageChunk(content="Hi", id="run-2"), meta, ("sub:1",)))  # type: ignore[arg-type]
    pretty.event(UpdatesEvent("call_model", {"joke": "Why did the cat"}))
    pretty.event(MessagesEvent(AIMessage(content="whole reply", id="m-3"), meta))  # type: ignore[arg-type]
    pretty.close_line()
    assert out.getvalue() == (
        "messages  call_model: Why did the cat\n"
        "  messages  [sub] call_model: Hi\n"
        "updates   call_model: {'joke': 'Why did the cat'}\n"
        "messages  call_model: [ai] whole reply\n"
    )


def test_namespace_labels_drop_task_ids_and_number_repeated_calls() -> None:
    assert ns_label(()) == ""
    assert ns_label(("child_graph:1f2e", "grandchild_graph:9a8b")) == "child_graph/grandchild_graph"
    assert ns_label(("twice:1f2e", "1")) == "twice#2"


def test_event_json_renders_messages_and_exceptions() -> None:
    message = AIMessageChunk(content="Why", id="run-1")
    line = event_json(MessagesEvent(message, {"langgraph_node": "n", "langgraph_path": ("a", "b")}))
    assert line["type"] == "messages" and line["ns"] == []
    dumped, meta = line["data"]
    assert (dumped["type"], dumped["content"], dumped["id"]) == ("AIMessageChunk", "Why", "run-1")
    assert meta == {"langgraph_node": "n", "langgraph_path": ["a", "b"]}
    assert event_json(CustomEvent({1, 2}, ("a:1",))) == {
        "type": "custom",
        "ns": ["a:1"],
        "data": [1, 2],
    }
    assert event_json(ValuesEvent({"error": ValueError("boom")})) == {
        "type": "values",
        "ns": [],
        "data": {"error": {"type": "ValueError", "message": "boom"}},
    }


def test_no_traceback_when_the_output_pipe_closes(cache: Path) -> None:
    # 2000 lines overflow the pipe's buffer, so flowc writes after `head` has gone
    command = (
        f'{" ".join(FLOWC)} run specs/loop.toml --input \'{{"count": 0, "target": 5000}}\''
        ' | head -n 1; echo "flowc exit ${PIPESTATUS[0]}" >&2'
    )
    proc = subprocess.run(
        command,
        shell=True,
        executable="/bin/bash",
        cwd=ROOT,
        env=cli_env(cache),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout == "updates   increment: {'count': 1, 'history': [1]}\n"
    assert proc.stderr == "flowc exit 0\n"


def test_help_lists_every_command() -> None:
    proc = subprocess.run(
        [*FLOWC, "--help"], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert proc.returncode == 0
    for command in ("check", "compile", "run", "draw", "schema"):
        assert command in proc.stdout


def test_jsonl_writes_a_lone_surrogate_in_the_state_as_an_escape(cache: Path) -> None:
    proc = flowc(
        "run", "specs/joke.toml", "--input", '{"topic": "\\ud800"}', "--format", "jsonl",
        cache=cache,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        '{"type": "updates", "ns": [], "data": {"refine_topic": {"topic": "\\ud800 and cats"}}}'
    )
    assert json.loads(lines[1])["data"]["generate_joke"]["joke"] == (
        "This is a joke about \ud800 and cats"
    )


def test_an_agents_tool_call_chunks_show_as_calls(
    cache: Path,
) -> None:
    proc = flowc(
        "run", "specs/weather_agent.toml",
        "--input", '{"messages": [{"role": "user", "content": "what is the weather in sf"}]}',
        "--stream-mode", "messages", "--color", "never",
        cache=cache, merge=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout
    assert normalize(proc.stdout) == (
        'messages  agent: [tool call get_weather] {"city": "sf"}\n'
        "messages  tools: [tool] It's always sunny in sf!\n"
        "messages  agent: It's always sunny in sf!\n"
        'messages  generate_structured_response: [tool call Weather] {"city": "sf", "sunny": true}\n'
        "-- 4 steps, 4 nodes run, 12 events in <time>\n"
    )
