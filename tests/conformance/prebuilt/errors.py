"""Tools that fail: by default the run fails; a ToolNode can turn failures into messages."""

import time

from flowc_demo.fake_chat import ToolCallingFakeModel
from langchain_core.messages import AIMessage
from langgraph.prebuilt import ToolNode, create_react_agent


def flaky(city: str) -> str:
    """A tool that always fails."""
    raise RuntimeError(f"no data for {city}")


def count(n: int) -> str:
    """Count to n."""
    # after `flaky`, which it runs beside: with a task per call (v2) updates come as tasks end
    time.sleep(0.05)
    return " ".join(str(i) for i in range(1, n + 1))


def asks(*calls):
    return [
        AIMessage(
            "",
            id="ai-1",
            tool_calls=[
                {"name": name, "args": args, "id": f"call-{i}"}
                for i, (name, args) in enumerate(calls, 1)
            ],
        ),
        AIMessage("Sorry about that.", id="ai-2"),
    ]


def handle_runtime(error: RuntimeError) -> str:
    return f"handled: {error}"


fails = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("flaky", {"city": "sf"}))[:1]),
    tools=[flaky],
    version="v1",
)
caught = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("flaky", {"city": "sf"}), ("count", {"n": 3}))),
    tools=ToolNode([flaky, count], handle_tool_errors=True),
    version="v1",
)
message = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("flaky", {"city": "sf"}))),
    tools=ToolNode([flaky], handle_tool_errors="the tool failed"),
    version="v1",
)
by_type = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("flaky", {"city": "sf"}))),
    tools=ToolNode([flaky], handle_tool_errors=handle_runtime),
    version="v1",
)
bad_arguments = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("count", {"n": "three"}), ("count", {"n": 2}))),
    tools=[count],
    version="v1",
)
unknown_tool = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("weather", {"city": "sf"}))),
    tools=[count],
    version="v1",
)

exception_type = create_react_agent(
    model=ToolCallingFakeModel(responses=asks(("flaky", {"city": "sf"}))),
    tools=ToolNode([flaky], handle_tool_errors=RuntimeError),
    version="v1",
)
other_types = create_react_agent(
    # RuntimeError is not among them: the run fails
    model=ToolCallingFakeModel(responses=asks(("flaky", {"city": "sf"}))[:1]),
    tools=ToolNode([flaky], handle_tool_errors=(ValueError, KeyError)),
    version="v1",
)
never = create_react_agent(
    # not even invalid arguments are caught
    model=ToolCallingFakeModel(responses=asks(("count", {"n": "three"}))[:1]),
    tools=ToolNode([count], handle_tool_errors=False),
    version="v1",
)

GRAPHS = [
    "fails",
    "caught",
    "message",
    "by_type",
    "bad_arguments",
    "unknown_tool",
    "exception_type",
    "other_types",
    "never",
]
INPUTS = [{"messages": [{"role": "user", "content": "go"}]}]
