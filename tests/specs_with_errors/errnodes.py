"""Node, router and reducer functions the bad TOML specs of this folder refer to.

Each one is wrong in the way the spec that names it needs (or right, where a
spec needs a working node next to its mistake).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from flowc import StreamWriter
from flowc.runtime import Send

NOT_CALLABLE = 42


class State(TypedDict, total=False):
    topic: str
    count: int
    log: list[str]


class TopicUpdate(TypedDict):
    topic: str


class CountUpdate(TypedDict):
    count: int


class TypoUpdate(TypedDict):
    topik: str
    cuont: int


class WrongTypeUpdate(TypedDict):
    count: str


class Narrow(TypedDict):
    topic: str


class Wider(TypedDict):
    topic: str
    mood: str


class WrongInput(TypedDict):
    topic: int


def ok(state: State) -> TopicUpdate:
    return {"topic": "ok"}


def count(state: State) -> CountUpdate:
    return {"count": 1}


def nothing(state: State) -> None:
    return None


def no_params() -> TopicUpdate:
    return {"topic": "x"}


def extra_param(state: State, retries: int) -> TopicUpdate:
    return {"topic": "x"}


def keyword_only(state: State, *, mode: str) -> TopicUpdate:
    return {"topic": mode}


def no_writer(state: State) -> TopicUpdate:
    return {"topic": "x"}


def with_writer(state: State, writer: StreamWriter) -> None:
    writer("hi")


def takes_int(state: int) -> TopicUpdate:
    return {"topic": "x"}


def takes_wider(state: Wider) -> TopicUpdate:
    return {"topic": state["mood"]}


def takes_wrong_input(state: WrongInput) -> TopicUpdate:
    return {"topic": "x"}


def takes_narrow(state: Narrow) -> TopicUpdate:
    return {"topic": state["topic"]}


def typo_keys(state: State) -> TypoUpdate:
    return {"topik": "x", "cuont": 1}


def wrong_type(state: State) -> WrongTypeUpdate:
    return {"count": "one"}


def returns_str(state: State) -> str:
    return "x"


def unresolved_annotation(state: State) -> Missing:  # type: ignore[name-defined]  # noqa: F821
    return {}


def route_ab(state: State) -> Literal["a", "b"]:
    return "a"


def route_typo(state: State) -> Literal["a", "bb", "__end__"]:
    return "a"


def route_end_word(state: State) -> Literal["a", "END"]:
    return "a"


def route_keys(state: State) -> Literal["go", "stop", "later"]:
    return "go"


def route_str(state: State) -> str:
    return "a"


def route_back(state: State) -> Literal["a", "b"]:
    return "b"


def route_no_params() -> Literal["a"]:
    return "a"


def route_end(state: State) -> Literal["a", "__end__"]:
    return "__end__"


def reducer_one_arg(current: list[str]) -> list[str]:
    return current


def reducer_of_ints(current: list[int], update: list[int]) -> list[int]:
    return current + update


def reducer_returns_str(current: list[str], update: list[str]) -> str:
    return ""


def reducer_three_args(current: list[str], update: list[str], extra: int) -> list[str]:
    return current + update


def add_anything(current: Any, update: Any) -> Any:
    return current + update


Counter = Annotated[int, operator.add]


class Mood:
    """A type a TOML spec can name by module: `errnodes.Mood`."""


def any_topic(state: dict[str, Any]) -> TopicUpdate:
    """A node for graphs whose state is not :class:`State` (the children, the reducer case)."""
    return {"topic": "any"}


def any_nothing(state: dict[str, Any]) -> None:
    return None


class Job(TypedDict):
    item: str


def work(job: Job) -> CountUpdate:
    return {"count": len(job["item"])}


def send_to_typo(state: State) -> list[Send[Literal["wrok"], Job]]:
    return [Send("wrok", {"item": "x"})]


def send_wrong_argument(state: State) -> list[Send[Literal["work"], int]]:
    return [Send("work", 1)]


def key_of_two(state: dict[str, object], other: object) -> str:
    """A cache key function with one parameter too many."""
    return "key"


NOT_A_CLASS = "ConnectionError"
