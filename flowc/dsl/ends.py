"""The two virtual nodes every graph has, in a module of their own: the drop-in
builder and the runtime use them without importing the spec models (pydantic)."""

from __future__ import annotations

from typing import Final

__all__ = ["END", "START"]

# Final literals, so that a router annotated `-> Literal["tools", "__end__"]` may return END
START: Final = "__start__"
"""The virtual node a run starts from (spelled ``START`` in TOML; LangGraph's value)."""
END: Final = "__end__"
"""The virtual node a run ends at (spelled ``END`` in TOML; LangGraph's value)."""
