"""``langgraph.constants`` on flowc: ``START`` and ``END`` (the same strings as LangGraph's)."""

from __future__ import annotations

from flowc.dsl.ends import END, START

__all__ = ["END", "START"]
