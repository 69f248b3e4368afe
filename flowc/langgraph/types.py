"""``langgraph.types`` on flowc: ``Send``, ``Command``, ``interrupt``, ``Interrupt``,
``Overwrite``, ``RetryPolicy``, ``CachePolicy``, ``TracePolicy``, ``StateSnapshot``,
``PregelTask`` and ``GraphOutput`` (what ``invoke(..., version="v2")`` returns).

``from langgraph.types import Send, Command, interrupt`` becomes ``from flowc.langgraph.types
import Send, Command, interrupt``. LangGraph's other types refuse to import with the feature named.
"""

from __future__ import annotations

from typing import Any

from flowc.runtime._overwrite import Overwrite
from flowc.runtime.control import Command, Send
from flowc.runtime.interrupts import GraphInterrupt, Interrupt, interrupt
from flowc.runtime.policies import CachePolicy, RetryPolicy, TimeoutPolicy

from ._compiled import GraphOutput, PregelTask, StateSnapshot
from ._tracing import TracePolicy, omit_payload

__all__ = [
    "CachePolicy",
    "Command",
    "GraphInterrupt",
    "GraphOutput",
    "Interrupt",
    "Overwrite",
    "PregelTask",
    "RetryPolicy",
    "Send",
    "StateSnapshot",
    "TimeoutPolicy",
    "TracePolicy",
    "interrupt",
    "omit_payload",
]


def __getattr__(name: str) -> Any:
    from . import _NOT_YET, _not_yet

    what = _NOT_YET.get(name)
    if what is not None:
        raise _not_yet(__name__, name, *what)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
