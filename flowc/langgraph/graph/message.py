"""``langgraph.graph.message`` on flowc: ``add_messages``, ``MessagesState`` and
``REMOVE_ALL_MESSAGES``."""

from __future__ import annotations

from flowc.reducers import REMOVE_ALL_MESSAGES, add_messages

from .._messages import MessagesState

__all__ = ["REMOVE_ALL_MESSAGES", "MessagesState", "add_messages"]
