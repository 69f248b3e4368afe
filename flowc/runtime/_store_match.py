"""How a store's searches match: namespace conditions and the filters of ``search``.

As LangGraph's stores match them: a filter value is equality (a nested dict
matching part of the stored one) or a dict of operators (``$eq``, ``$ne``,
``$gt``, ``$gte``, ``$lt``, ``$lte``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .store import MatchCondition

__all__ = ["matches_filter", "namespace_matches"]


def namespace_matches(condition: MatchCondition, namespace: tuple[str, ...]) -> bool:
    """Whether ``namespace`` starts (``prefix``) or ends (``suffix``) with the condition's
    path, a ``"*"`` label matching any label."""
    path = condition.path
    if len(namespace) < len(path):
        return False
    if condition.match_type == "prefix":
        pairs = zip(namespace, path, strict=False)
    elif condition.match_type == "suffix":
        pairs = zip(reversed(namespace), reversed(path), strict=False)
    else:
        raise ValueError(f"Unsupported match type: {condition.match_type}")
    return all(want in ("*", label) for label, want in pairs)


_ORDERED: Final = {
    "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b,
    "$lt": lambda a, b: a < b,
    "$lte": lambda a, b: a <= b,
}


def _number(value: Any) -> float | None:
    """``value`` as the number an ordering operator compares (``None``: not a number)."""
    if value is None or isinstance(value, (dict, list, tuple)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _operator(value: Any, operator: str, operand: Any) -> bool:
    if operator == "$eq":
        return bool(value == operand)
    if operator == "$ne":
        return bool(value != operand)
    compare = _ORDERED.get(operator)
    if compare is None:
        raise ValueError(f"Unsupported operator: {operator}")
    bound = _number(operand)
    if bound is None:
        raise ValueError(f"filter operator {operator} needs a number, got {operand!r}")
    # a missing field or one that is not a number matches no ordering (LangGraph's
    # in-memory store raises TypeError on a missing one; its SQL stores match nothing)
    number = _number(value)
    return number is not None and compare(number, bound)


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, dict):
        if any(isinstance(k, str) and k.startswith("$") for k in wanted):
            return all(_operator(value, op, operand) for op, operand in wanted.items())
        if not isinstance(value, dict):
            return False
        return all(_matches(value.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, (list, tuple)):
        return (
            isinstance(value, (list, tuple))
            and len(value) == len(wanted)
            and all(_matches(v, w) for v, w in zip(value, wanted, strict=True))
        )
    return bool(value == wanted)


def matches_filter(value: Mapping[str, Any], filter: Mapping[str, Any] | None) -> bool:
    """Whether a stored value matches a search filter (see :class:`SearchOp`).

    A missing field reads as ``None``; a nested dict matches a nested value key
    by key, a list matches a list of the same length item by item; ordering
    operators compare numbers (a missing or non-numeric field matches none of them).

    Raises:
        ValueError: for an unknown operator, or an ordering operand that is no number.
    """
    if not filter:
        return True
    return all(_matches(value.get(k), wanted) for k, wanted in filter.items())
