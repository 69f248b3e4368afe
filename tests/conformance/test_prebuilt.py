"""LangGraph's prebuilt agent and tool node, run by LangGraph and by flowc.langgraph.prebuilt.

Every file in ``prebuilt/`` is LangGraph code that builds agents with
``create_react_agent`` or a graph with ``ToolNode`` and ``tools_condition``, on
a fake chat model that plays back tool calls. It is executed twice: as it is,
and with only its imports changed to flowc's. For every graph and input, every
``stream_mode`` argument of the oracle (each mode alone, every pair, one-element
lists, tuples), ``subgraphs`` off and on, sync and async, both give the same
items after the oracle's normalisation, with dict keys in the same order, and
``invoke``/``ainvoke`` the same result.

Where flowc differs by design (docs/differences-from-langgraph.md), the modes
that show it are left out of the comparison and the difference itself is pinned
by a test of its own below.
"""

from __future__ import annotations

import asyncio
import copy
import difflib
import re
import sys
import types
from functools import cache, partial
from pathlib import Path
from typing import Any

import pytest

from .oracle import MODE_ARGS, both_agreeing, collect, normalize

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*has been moved to `langchain.agents`"),
]

PREBUILT = Path(__file__).parent / "prebuilt"
_IMPORTS = re.compile(
    r"^from langgraph\.(prebuilt(?:\.chat_agent_executor|\.tool_node)?|store\.\w+|runtime"
    r"|graph|config|types) import ",
    re.MULTILINE,
)


def swap_imports(text: str) -> str:
    """LangGraph code with its imports changed to flowc's, line for line."""

    def flowc(match: re.Match[str]) -> str:
        same_path = match[1].startswith(("prebuilt", "store", "runtime"))
        module = f"flowc.langgraph.{match[1]}" if same_path else "flowc.langgraph"
        return f"from {module} import "

    return _IMPORTS.sub(flowc, text)


V1 = 'version="v1"'


@cache
def load(stem: str, impl: str) -> types.ModuleType:
    """``prebuilt/<stem>.py`` executed as a module, with LangGraph's or flowc's imports.

    ``<stem>@v2`` is the file with its agents made ``version="v2"`` (a task per
    tool call, sent with ``Send``) instead of ``"v1"``, in both implementations.
    """
    file, _, variant = stem.partition("@")
    path = PREBUILT / f"{file}.py"
    text = path.read_text(encoding="utf-8")
    if variant:
        assert V1 in text, stem
        text = text.replace(V1, f'version="{variant}"')
    if impl == "flowc":
        text = swap_imports(text)
    name = f"prebuilt_{impl}_{file}_{variant or 'asis'}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    # dont_inherit: the file runs as written, not under this module's `from __future__` imports
    exec(compile(text, str(path), "exec", dont_inherit=True), module.__dict__)
    return module


def files() -> list[str]:
    """Every file, and the v2 variant of each file that makes ``version="v1"`` agents."""
    stems = []
    for path in sorted(PREBUILT.glob("*.py")):
        stems.append(path.stem)
        if V1 in path.read_text(encoding="utf-8"):
            stems.append(f"{path.stem}@v2")
    return stems


def _mode_id(mode: Any) -> str:
    if isinstance(mode, str):
        return mode
    inner = ",".join(mode)
    return f"[{inner}]" if isinstance(mode, list) else f"({inner})"


def _modes(mode: Any) -> tuple[str, ...]:
    return (mode,) if isinstance(mode, str) else tuple(mode)


def node_names(graph: Any) -> set[str]:
    """The names of the nodes of ``graph`` and of its subgraphs."""
    names = set()
    for name, record in graph.builder.nodes.items():
        names.add(name)
        if hasattr(record.action, "builder"):
            names |= node_names(record.action)
    return names


def compared(graph: Any, mode: Any) -> bool:
    """Whether ``mode`` is compared for ``graph`` (see the module docstring)."""
    modes = set(_modes(mode))
    nodes = node_names(graph)
    # LangGraph's agent shows its managed `remaining_steps` in its task inputs;
    # flowc's agent node computes it instead (test_agent_task_inputs_have_no_remaining_steps)
    if "agent" in nodes and {"tasks", "debug"} & modes:
        return False
    # a pre-model hook's `llm_input_messages` is a state field in flowc
    # (test_llm_input_messages_is_a_state_field)
    return not ("pre_model_hook" in nodes and {"values", "checkpoints"} & modes)


def key_order(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, key_order(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [key_order(v) for v in value]
    return None


def inputs(module: types.ModuleType, name: str) -> list[Any]:
    given = module.INPUTS
    return list(given[name] if isinstance(given, dict) else given)


def run_both(stem: str, name: str, index: int, **kwargs: Any) -> tuple[list[Any], list[Any]]:
    """LangGraph's chunks and flowc's; both sides run again while they differ: parallel tool
    calls whose sleeps order them can still swap on a loaded machine."""

    def run(impl: str) -> list[Any]:
        module = load(stem, impl)
        input = copy.deepcopy(inputs(module, name)[index])
        return normalize(collect(getattr(module, name), input, **kwargs))

    actual, expected = both_agreeing(partial(run, "langgraph"), partial(run, "flowc"))
    return expected, actual


CASES = [
    pytest.param(
        stem,
        subgraphs,
        use_async,
        id=f"{stem}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
    )
    for stem in files()
    for subgraphs in (False, True)
    for use_async in (False, True)
]


@pytest.mark.parametrize(("stem", "subgraphs", "use_async"), CASES)
def test_same_chunks_in_every_mode(stem: str, subgraphs: bool, use_async: bool) -> None:
    flowc_module = load(stem, "flowc")
    ran = 0
    for name in flowc_module.GRAPHS:
        graph = getattr(flowc_module, name)
        for index, input in enumerate(inputs(flowc_module, name)):
            for mode in MODE_ARGS:
                if not compared(graph, mode):
                    continue
                expected, actual = run_both(
                    stem, name, index, stream_mode=mode, subgraphs=subgraphs, use_async=use_async
                )
                where = f"{stem}.{name} input={input!r} stream_mode={_mode_id(mode)}"
                assert actual == expected, (
                    f"{where}\n  flowc:     {actual}\n  langgraph: {expected}"
                )
                assert key_order(actual) == key_order(expected), f"{where}: key order differs"
                ran += 1
    assert ran >= len(flowc_module.GRAPHS) * 10


@pytest.mark.parametrize("stem", files())
def test_same_invoke_results(stem: str) -> None:
    for name in load(stem, "flowc").GRAPHS:
        for index in range(len(inputs(load(stem, "flowc"), name))):
            outcomes = []
            for impl in ("langgraph", "flowc"):
                module = load(stem, impl)
                graph, input = getattr(module, name), inputs(module, name)[index]
                for use_async in (False, True):
                    try:
                        if use_async:
                            result = asyncio.run(graph.ainvoke(copy.deepcopy(input)))
                        else:
                            result = graph.invoke(copy.deepcopy(input))
                        if impl == "flowc" and isinstance(result, dict):
                            # a state field in flowc (test_llm_input_messages_is_a_state_field)
                            result.pop("llm_input_messages", None)
                        outcomes.append(("returned", normalize([result])[0]))
                    except Exception as exc:
                        outcomes.append(("raised", type(exc).__name__, str(exc)))
            assert outcomes[2:] == outcomes[:2], f"{stem}.{name} input #{index}"
            assert outcomes[0] == outcomes[1], f"{stem}.{name}: invoke and ainvoke differ"


@pytest.mark.parametrize("stem", [s for s in files() if "@" not in s])
def test_only_the_imports_differ(stem: str) -> None:
    text = (PREBUILT / f"{stem}.py").read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.ndiff(text.splitlines(), swap_imports(text).splitlines())
        if line.startswith(("- ", "+ "))
    ]
    assert changed
    assert all(
        line.startswith(("- from langgraph.", "+ from flowc.langgraph")) for line in changed
    ), changed
    flowc_module = load(stem, "flowc")
    for name in flowc_module.GRAPHS:
        assert type(getattr(flowc_module, name)).__module__.startswith("flowc.langgraph")


INPUT = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}


def test_agent_task_inputs_have_no_remaining_steps() -> None:
    # LangGraph's `remaining_steps` is a managed value it adds to task inputs;
    # flowc's agent node computes it from the recursion limit and the step
    chunks = {
        impl: [c for c in load("weather", impl).agent.stream(INPUT, stream_mode="tasks")]
        for impl in ("langgraph", "flowc")
    }
    starts = {impl: [c["input"] for c in chunks[impl] if "input" in c] for impl in chunks}
    assert [i.get("remaining_steps") for i in starts["langgraph"]] == [10006, 10005, 10004]
    assert [i.get("remaining_steps") for i in starts["flowc"]] == [None, None, None]
    drop = [{k: v for k, v in i.items() if k != "remaining_steps"} for i in starts["langgraph"]]
    assert normalize(starts["flowc"]) == normalize(drop)


def test_llm_input_messages_is_a_state_field() -> None:
    results = {impl: load("hooks", impl).trimmed.invoke(INPUT) for impl in ("langgraph", "flowc")}
    assert "llm_input_messages" not in results["langgraph"]
    trimmed = results["flowc"].pop("llm_input_messages")
    # what the hook gave the model before its last call: the tool call and its result
    assert [type(m).__name__ for m in trimmed] == ["AIMessage", "ToolMessage"]
    assert normalize([results["flowc"]]) == normalize([results["langgraph"]])


def test_remaining_steps_ends_the_loop_as_in_langgraph() -> None:
    # with 3 steps, the second model call has none left: LangGraph's agent replaces
    # its answer by "Sorry, need more steps..."; with 2, the first may not call a tool
    for limit in (2, 3):
        check_limit(limit)


def check_limit(limit: int) -> None:
    import langgraph.prebuilt
    from flowc_demo.fake_chat import weather_model

    import flowc.langgraph.prebuilt

    config = {"recursion_limit": limit}
    outcomes = []
    for prebuilt in (langgraph.prebuilt, flowc.langgraph.prebuilt):
        tools = [load("structured", "flowc").get_weather]
        agent = prebuilt.create_react_agent(weather_model(), tools, version="v1")
        outcomes.append(normalize(collect(agent, INPUT, stream_mode="updates", config=config)))
    assert outcomes[1] == outcomes[0]
    texts = [
        fields["content"]
        for update in outcomes[1]
        if isinstance(update, dict) and "agent" in update
        for _, fields in update["agent"]["messages"]
    ]
    assert texts[-1] == "Sorry, need more steps to process this request."


ASYNC_TOOLS = '''
from flowc_demo.fake_chat import weather_model
from langgraph.config import get_stream_writer
from langgraph.prebuilt import create_react_agent


async def get_weather(city: str) -> str:
    """Get weather for a given city."""
    get_stream_writer()(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


agent = create_react_agent(model=weather_model(), tools=[get_weather], version="v1")
'''


@pytest.mark.parametrize("subgraphs", [False, True])
def test_async_tools_run_under_astream(subgraphs: bool) -> None:
    agents = []
    for text in (ASYNC_TOOLS, swap_imports(ASYNC_TOOLS)):
        scope: dict[str, Any] = {}
        exec(compile(text, "<async tools>", "exec"), scope)
        agents.append(scope["agent"])
    for mode in ["updates", "custom", "messages", ["updates", "messages", "custom"], "values"]:
        expected, actual = (
            normalize(collect(agent, INPUT, stream_mode=mode, subgraphs=subgraphs, use_async=True))
            for agent in agents
        )
        assert actual == expected, mode
        if mode == "custom":
            wrote = "Looking up data for city: sf"
            assert actual == ([((), wrote)] if subgraphs else [wrote])


DEFAULT_VERSION = '''
import warnings

from flowc_demo.fake_chat import weather_model
from langgraph.config import get_stream_writer
from langgraph.prebuilt import create_react_agent


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    get_stream_writer()(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    agent = create_react_agent(model=weather_model(), tools=[get_weather])
'''


@pytest.mark.parametrize("use_async", [False, True])
def test_the_documents_agent_as_written_sends_each_tool_call_as_langgraph_does(
    use_async: bool,
) -> None:
    # the reference document passes no version: the default is v2, which sends each
    # tool call as its own task (`Send`), with the Send's path in the messages' metadata
    agents = []
    for text in (DEFAULT_VERSION, swap_imports(DEFAULT_VERSION)):
        scope: dict[str, Any] = {}
        exec(compile(text, "<document agent>", "exec"), scope)
        agents.append(scope["agent"])
    for mode in ["updates", "custom", "values", "messages"]:
        expected, actual = (
            normalize(collect(agent, INPUT, stream_mode=mode, use_async=use_async))
            for agent in agents
        )
        assert actual == expected, mode
    tool_meta = [(m["langgraph_triggers"], m["langgraph_path"]) for _, m in actual[1:2]]
    assert tool_meta == [(("__pregel_push",), ("__pregel_push", 0, False))]


@pytest.mark.parametrize("stem", files())
@pytest.mark.parametrize("xray", [False, True])
def test_same_mermaid_drawing_and_json(stem: str, xray: bool) -> None:
    for name in load(stem, "langgraph").GRAPHS:
        theirs, ours = (
            getattr(load(stem, impl), name).get_graph(xray=xray) for impl in ("langgraph", "flowc")
        )
        assert ours.draw_mermaid() == theirs.draw_mermaid(), f"{stem}.{name}"
        # a tool node is named as LangGraph's ToolNode, its tools listed
        assert ours.to_json() == theirs.to_json(), f"{stem}.{name}"


RUN_CONFIG = {
    "tags": ["run-tag"],
    "metadata": {"user_id": "u-1"},
    "configurable": {"thread_id": "thread-1"},
    "recursion_limit": 12,
}


@pytest.mark.parametrize("use_async", [False, True])
@pytest.mark.parametrize("subgraphs", [False, True])
def test_a_run_config_reaches_the_model_and_the_tools_as_in_langgraph(
    subgraphs: bool, use_async: bool
) -> None:
    for stem, name in (("weather", "agent"), ("weather", "assistant"), ("tool_node", "graph")):
        for mode in ["messages", ["messages", "updates", "custom"], "values"]:
            expected, actual = run_both(
                stem,
                name,
                0,
                stream_mode=mode,
                subgraphs=subgraphs,
                use_async=use_async,
                config=copy.deepcopy(RUN_CONFIG),
            )
            assert actual == expected, f"{stem}.{name} {mode}"
            assert key_order(actual) == key_order(expected), f"{stem}.{name} {mode}"
