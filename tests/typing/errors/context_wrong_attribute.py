"""A run context read as the wrong type, where the spec declares its type."""

from __future__ import annotations

from tests.golden.context_types import get_context


def user_name() -> str:
    return get_context().user_name


def greeting() -> int:
    return get_context().greeting
