"""Where ``langgraph.prebuilt`` is imported from after the drop-in's import change.

flowc offers none of LangGraph's prebuilt agents and nodes yet: importing one
fails with an :class:`ImportError` that names it and says how to write it as a
graph of plain functions (mypy, which sees no such names here, says so too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

__all__: list[str] = []

# names of langgraph.prebuilt only (flowc.langgraph refuses the agent, ToolNode and
# tools_condition too): the start of the sentence that refuses each, and the flowc way
_PREBUILT: dict[str, tuple[str, str | None]] = {
    "ValidationNode": (
        "LangGraph's prebuilt `ValidationNode` is",
        "write the node as a function that validates the tool calls of the last AI message",
    ),
    "InjectedState": ("tool arguments injected from the state (`InjectedState`) are", None),
    "InjectedStore": ("stores (`InjectedStore`) are", None),
    "ToolRuntime": ("the tool runtime (`ToolRuntime`) is", None),
    "ToolCallTransformer": ("LangGraph's prebuilt `ToolCallTransformer` is", None),
}

if not TYPE_CHECKING:

    def __getattr__(name: str) -> NoReturn:
        from . import _NOT_YET, _not_yet

        what = _NOT_YET.get(name) or _PREBUILT.get(name)
        if what is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        raise _not_yet(__name__, name, *what)
