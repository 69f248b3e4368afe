"""LangGraph's ``Overwrite``: a write that bypasses a key's reducer and sets the value itself.

A node returns ``{"log": Overwrite(["b"])}`` (or LangGraph's ``{"__overwrite__": ["b"]}``, or
the ``{"value": ..., "type": "__overwrite__"}`` an ``Overwrite`` becomes in JSON) to replace the
key's value. In a superstep one task may overwrite a key: a second Overwrite of it fails, and
the writes of that key by tasks applied after the overwriting one are dropped, as LangGraph's
channels do. Graphs of the drop-in use it (their plans have :attr:`Plan.overwrites`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from .errors import InvalidUpdateError

__all__ = ["OVERWRITE", "Overwrite", "overwritable", "overwritten", "settled_overwrites"]

OVERWRITE: Final = "__overwrite__"


@dataclass(slots=True)
class Overwrite:
    """Bypass a key's reducer: the wrapped value becomes the key's value."""

    value: Any
    """The value to write, bypassing the reducer."""
    type: Literal["__overwrite__"] = OVERWRITE
    """LangGraph's discriminator: what an Overwrite is recognised by once JSON dropped its class."""


def overwritten(value: Any) -> tuple[bool, Any]:
    """Whether ``value`` is an overwrite (in any of LangGraph's forms), and the value it writes."""
    if isinstance(value, Overwrite) or (
        type(value).__name__ == "Overwrite" and getattr(value, "type", None) == OVERWRITE
    ):
        return True, value.value
    if type(value) is dict:
        if len(value) == 1 and OVERWRITE in value:
            return True, value[OVERWRITE]
        if value.get("type") == OVERWRITE and "value" in value:
            return True, value["value"]
    return False, None


def overwritable(reducer: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``reducer``, with an overwrite taking the place of the value instead of going through it."""

    def reduce(current: Any, new: Any) -> Any:
        is_overwrite, value = overwritten(new)
        return value if is_overwrite else reducer(current, new)

    reduce.__name__ = getattr(reducer, "__name__", "reduce")
    reduce.__wrapped__ = reducer  # type: ignore[attr-defined]
    return reduce


def settled_overwrites(
    updates: Sequence[dict[str, Any] | None], reduced: Callable[[str], bool]
) -> list[dict[str, Any] | None]:
    """A superstep's writes (in the order they are applied) as LangGraph's channels take them:
    after a task overwrote a key with a reducer, the later tasks' writes of it are dropped.

    Raises:
        InvalidUpdateError: when two tasks overwrite one key.
    """
    done: set[str] = set()
    out: list[dict[str, Any] | None] = []
    for update in updates:
        if not update:
            out.append(update)
            continue
        now: list[str] = []
        dropped: list[str] = []
        for key, value in update.items():
            overwrites = reduced(key) and overwritten(value)[0]
            if key in done:
                if overwrites:
                    raise InvalidUpdateError(
                        "Can receive only one Overwrite value per super-step.\n"
                        "For troubleshooting, visit: https://docs.langchain.com/oss/python/"
                        "langgraph/errors/INVALID_CONCURRENT_GRAPH_UPDATE"
                    )
                dropped.append(key)
            elif overwrites:
                now.append(key)
        if dropped:
            update = {key: value for key, value in update.items() if key not in dropped}
        done.update(now)
        out.append(update)
    return out
