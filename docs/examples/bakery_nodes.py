"""Nodes of docs/examples/bakery.toml: `bake` always fails."""

from __future__ import annotations

from typing import TypedDict


class Bakery(TypedDict, total=False):
    dough: str
    bread: str


def mix(state: Bakery) -> Bakery:
    return {"dough": f"{state['dough']} and water"}


def bake(state: Bakery) -> Bakery:
    raise ValueError("the oven is cold")
