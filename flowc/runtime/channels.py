"""Markers a state field's annotation can carry besides its reducer.

``Annotated[Resource, Untracked]`` declares a field whose value lives only
while a run lasts: nodes write and read it like any field and the run's
events show it, but no checkpoint stores it (nor any write of it a saver
keeps), so a run resumed on a thread starts without it. It is LangGraph's
``UntrackedValue`` channel, which the LangGraph drop-in reads as this marker.
In TOML it is ``untracked = true`` on the field.
"""

from __future__ import annotations

from typing import Any, Final, final

__all__ = ["Untracked", "is_untracked"]


@final
class _Untracked:
    __slots__ = ()

    def __repr__(self) -> str:
        return "Untracked"


Untracked: Final = _Untracked()
"""The marker of a field no checkpoint stores: ``Annotated[T, Untracked]``."""

_LANGGRAPH_UNTRACKED = ("langgraph.channels.untracked_value", "UntrackedValue")


def is_untracked(meta: Any) -> bool:
    """Whether an ``Annotated`` extra marks its field untracked: :data:`Untracked`, or
    LangGraph's ``UntrackedValue`` (the class, or an instance that allows one write a step)."""
    if meta is Untracked:
        return True
    owner = meta if isinstance(meta, type) else type(meta)
    if (getattr(owner, "__module__", None), getattr(owner, "__name__", None)) != (
        _LANGGRAPH_UNTRACKED
    ):
        return False
    return isinstance(meta, type) or getattr(meta, "guard", True) is True
