"""Types named like the private names a runner module binds itself."""

from __future__ import annotations

from typing import Any


class _input:
    """A user's type called like a function of every runner module."""


class _router_to_next:
    """A user's type called like the alias a router `to_next` is imported under."""


def step(state: Any) -> dict[str, Any]:
    return {"n": 1}


def echo_w(state: Any) -> dict[str, Any]:
    return {"n": state["w"]}
