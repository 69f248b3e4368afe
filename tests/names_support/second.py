"""A router called like :func:`tests.names_support.first.to_next`, leading elsewhere."""

from __future__ import annotations

from typing import Any, Literal


def to_next(state: Any) -> Literal["c"]:
    return "c"
