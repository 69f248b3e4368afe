"""``langgraph.graph`` on flowc: ``from langgraph.graph import StateGraph`` becomes
``from flowc.langgraph.graph import StateGraph``.

The same names as :mod:`flowc.langgraph`'s builder API; LangGraph's others refuse to import
with the feature named.
"""

from __future__ import annotations

from typing import Any

from flowc.dsl.ends import END, START
from flowc.reducers import add_messages

from .._builder import StateGraph
from .._compiled import CompiledStateGraph

__all__ = ["END", "START", "CompiledStateGraph", "MessagesState", "StateGraph", "add_messages"]


def __getattr__(name: str) -> Any:
    if name == "MessagesState":
        from .._messages import MessagesState

        return MessagesState
    from .. import _unknown

    raise _unknown(__name__, name)
