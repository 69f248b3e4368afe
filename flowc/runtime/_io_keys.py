"""The keys a run or a node reads of what it is given: an input schema's, a node's own schema's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["cut_input", "keyed_input"]


def cut_input(
    start: Callable[[Any], tuple[dict[str, Any], bool]], keys: frozenset[str]
) -> Callable[[Any], tuple[dict[str, Any], bool]]:
    """``start`` reading only the ``keys`` of a mapping input: LangGraph ignores the keys
    of an input that are not its input schema's."""

    def cut(input: Any) -> tuple[dict[str, Any], bool]:
        if isinstance(input, Mapping) and not keys.issuperset(input):
            input = {key: value for key, value in input.items() if key in keys}
        return start(input)

    return cut


def keyed_input(
    keys: tuple[str, ...], defaults: Mapping[str, Any] | None = None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What a node with an input schema of its own receives: only those keys."""
    if defaults:

        def with_defaults(values: dict[str, Any]) -> dict[str, Any]:
            state = {**defaults, **values}
            return {key: state[key] for key in keys if key in state}

        return with_defaults

    def only(values: dict[str, Any]) -> dict[str, Any]:
        return {key: values[key] for key in keys if key in values}

    return only
