"""A node's writes when it returned a list of updates: the same key may be written more than once.

LangGraph takes a node's return value of a list holding a ``Command`` (``[Command(update=...),
{...}]``) as every item's writes, in order: a key with a reducer gets each value through it in
turn, a key without one may be written once. Such writes are a :class:`SequencedWrites`; any
other return value is a plain dict of writes, which is what every fast path of the engine takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import InvalidUpdateError

__all__ = ["SequencedWrites", "concurrent_update_error", "paired_writes", "sequenced"]


class SequencedWrites(list[dict[str, Any]]):
    """A task's writes with a key written more than once: one single-key dict per write, in the
    order the node made them (what LangGraph's ``updates`` chunk shows).

    ``items()`` gives every write, so a plan's merge applies them one after the other.
    """

    __slots__ = ()

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every write as ``(key, value)``, in order, a key as often as it was written."""
        for write in self:
            yield from write.items()

    def keys(self) -> dict[str, None]:
        """The keys written, each once, in the order first written."""
        return dict.fromkeys(key for write in self for key in write)

    def task_result(self) -> dict[str, Any]:
        """LangGraph's ``result`` of the task in ``tasks``/``debug`` payloads: a key written more
        than once holds ``{"$writes": [values]}``."""
        out: dict[str, Any] = {}
        many: set[str] = set()
        for key, value in self.items():
            if key not in out:
                out[key] = value
            elif key in many:
                out[key]["$writes"].append(value)
            else:
                out[key] = {"$writes": [out[key], value]}
                many.add(key)
        return out


def concurrent_update_error(key: str) -> InvalidUpdateError:
    """LangGraph's error for a key without a reducer that got two values in one superstep."""
    return InvalidUpdateError(
        f"At key '{key}': Can receive only one value per step. "
        "Use an Annotated key to handle multiple values.\n"
        "For troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/"
        "errors/INVALID_CONCURRENT_GRAPH_UPDATE"
    )


def sequenced(
    pairs: list[tuple[str, Any]], plain: frozenset[str]
) -> dict[str, Any] | SequencedWrites | None:
    """The writes ``pairs`` make: a dict when no key repeats, else :class:`SequencedWrites`.

    Raises:
        InvalidUpdateError: when a key of ``plain`` (no reducer) is written more than once.
    """
    if not pairs:
        return None
    keys = [key for key, _ in pairs]
    if len(set(keys)) == len(keys):
        return dict(pairs)
    seen: set[str] = set()
    for key in keys:
        if key in seen and key in plain:
            raise concurrent_update_error(key)
        seen.add(key)
    return SequencedWrites({key: value} for key, value in pairs)


def paired_writes(pairs: list[Any], checked: Any, plan: Any) -> Any:
    """The writes of a ``Command`` whose update is a list of ``(key, value)`` pairs, given
    ``checked``, the writes of ``dict(pairs)``: those, unless a key is written more than once,
    when every pair of a checked key is written in turn, as LangGraph applies them (a key of
    ``plan`` without a reducer may be written once)."""
    if not checked or len(pairs) <= len(checked):
        return checked
    plain = plan.keys if plan.merge_writes is None else plan.plain_keys
    return sequenced([(key, value) for key, value in pairs if key in checked], plain)
