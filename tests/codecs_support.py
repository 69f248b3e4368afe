"""Types and nodes of the typed-codec tests (:mod:`tests.test_checkpoint_codecs`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


class Connection:
    """A plain class: no checkpoint codec stores its instances."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Connection) and other.dsn == self.dsn

    def __hash__(self) -> int:
        return hash(self.dsn)


@dataclass(frozen=True)
class Visit:
    """A dataclass: stored as tagged JSON, it comes back as a Visit."""

    page: str
    at: dt.datetime


class Profile(BaseModel):
    """A pydantic model: stored as tagged JSON, it comes back as a Profile."""

    name: str
    tags: tuple[str, ...]


def connect(state: dict[str, Any]) -> dict[str, Any]:
    return {"connection": Connection("db://" + state["topic"])}


def visit(state: dict[str, Any]) -> dict[str, Any]:
    return {
        "visit": Visit(state["topic"], dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)),
        "profile": Profile(name=state["topic"], tags=("a", "b")),
    }
