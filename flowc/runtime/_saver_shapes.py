"""What a LangGraph saver stores of a thread's Sends and interrupts: LangGraph's own classes,
which its serializer knows, so that LangGraph reads the thread as its own. Standard library only.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

from .control import Command, Send

__all__ = ["saver_interrupts", "saver_sends"]


def saver_sends(saver: Any, sends: Sequence[Any]) -> list[Any]:
    """``sends`` as ``saver`` stores them in a checkpoint."""
    if type(saver).__module__.startswith("langgraph."):
        # LangGraph's saver stores LangGraph's own Send, which its serializer knows
        types = _langgraph_types()
        if types is not None:
            return [
                types.Send(
                    send.node,
                    _langgraph_arg(send.arg, types),
                    timeout=None
                    if send.timeout is None
                    else types.TimeoutPolicy(**send.timeout._asdict()),
                )
                for send in sends
            ]
    return list(sends)


def saver_interrupts(saver: Any, interrupts: tuple[Any, ...]) -> tuple[Any, ...]:
    """``interrupts`` as ``saver`` stores them."""
    if type(saver).__module__.startswith("langgraph."):
        # a LangGraph saver stores LangGraph's own Interrupt (its serializer knows that
        # class), so that LangGraph reads the thread as its own
        types = _langgraph_types()
        if types is not None:
            return tuple(
                types.Interrupt(value=i.value, id=i.id, response_schema=i.response_schema)
                for i in interrupts
            )
    return interrupts


def _langgraph_types() -> Any:
    """LangGraph's ``langgraph.types``, imported if need be: a LangGraph saver is in use, so
    LangGraph is installed, and a serializer that refuses classes it does not know (LangGraph's
    ``LANGGRAPH_STRICT_MSGPACK``) would drop flowc's (``None`` if it cannot be imported)."""
    types = sys.modules.get("langgraph.types")
    if types is None:
        try:
            types = importlib.import_module("langgraph.types")
        except ImportError:
            return None
    return types


def _langgraph_arg(value: Any, types: Any) -> Any:
    """A ``Send``'s argument with flowc's ``Send`` and ``Command`` in it made LangGraph's
    (a ``Send`` may carry a ``Command`` whose ``goto`` sends on), which its serializer knows."""
    cls = type(value)
    if cls is Send:
        return types.Send(value.node, _langgraph_arg(value.arg, types))
    if cls is Command:
        goto = value.goto
        if isinstance(goto, list | tuple):
            goto = type(goto)(_langgraph_arg(item, types) for item in goto)
        else:
            goto = _langgraph_arg(goto, types)
        return types.Command(graph=value.graph, update=value.update, resume=value.resume, goto=goto)
    return value
