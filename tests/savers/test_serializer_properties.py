"""Property tests of the checkpoint codec: every value of a supported type comes back as itself.

Values are drawn from the types a state may declare (JSON values, tuples,
sets, bytes, datetimes, UUIDs, Decimals, enums, dataclasses, named tuples,
pydantic models, LangChain messages, dicts with any hashable keys), nested
in one another; each is encoded and decoded, directly and through a SQLite
saver, and must come back equal and of the same type at every level. Stored
data that was not written by the codec fails with an error, never by running
code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import json
import uuid
from pathlib import Path
from typing import Any, NamedTuple

import pydantic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from flowc.runtime.checkpoint import JsonSerializer, empty_checkpoint
from flowc.savers.sqlite import SqliteSaver


class Colour(enum.Enum):
    RED = "red"
    BLUE = 2


@dataclasses.dataclass
class Note:
    text: str
    score: int


class Pair(NamedTuple):
    left: int
    right: str


class Card(pydantic.BaseModel):
    title: str
    due: dt.date | None = None


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type at every level (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, pydantic.BaseModel):
        return same(a.model_dump(), b.model_dump())
    return bool(a == b)


floats = st.floats(allow_nan=False)
text = st.text(max_size=12)
hashable = st.one_of(st.integers(), text, st.booleans(), st.tuples(st.integers(), text))
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    floats,
    text,
    st.binary(max_size=16),
    st.datetimes(timezones=st.one_of(st.none(), st.just(dt.UTC))),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.uuids(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from(Colour),
    st.builds(Note, text, st.integers()),
    st.builds(Pair, st.integers(), text),
    st.builds(Card, title=text, due=st.one_of(st.none(), st.dates())),
    st.builds(HumanMessage, content=text, id=st.one_of(st.none(), text)),
    st.builds(AIMessage, content=text),
    st.builds(ToolMessage, content=text, tool_call_id=text),
    st.frozensets(hashable, max_size=4),
    st.sets(hashable, max_size=4),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(text, inner, max_size=4),
        st.dictionaries(hashable, inner, max_size=3),
    ),
    max_leaves=12,
)


@given(values)
@settings(max_examples=300, deadline=None)
def test_every_supported_value_comes_back_as_itself(value: Any) -> None:
    serde = JsonSerializer()
    kind, data = serde.dumps_typed(value)
    assert kind in ("json", "json+typed", "bytes")
    assert same(serde.loads_typed((kind, data)), value)


@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), floats, text),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)
        ),
        max_leaves=12,
    )
)
@settings(max_examples=200, deadline=None)
def test_a_json_value_is_stored_as_plain_json_readable_without_flowc(value: Any) -> None:
    kind, data = JsonSerializer().dumps_typed(value)
    assert kind == "json"
    assert json.loads(data) == value


@given(values)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_sqlite_saver_gives_back_every_supported_value(tmp_path: Path, value: Any) -> None:
    saver = SqliteSaver(tmp_path / "values.db")
    try:
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"field": value}
        checkpoint["channel_versions"] = {"field": 1}
        # a thread per example: a channel's version names one value for good
        config = {"configurable": {"thread_id": uuid.uuid4().hex, "checkpoint_ns": ""}}
        saved = saver.put(
            config, checkpoint, {"source": "loop", "step": 0, "parents": {}}, {"field": 1}
        )
        back = saver.get_tuple(saved)
        assert back is not None
        assert same(back.checkpoint["channel_values"]["field"], value)
    finally:
        saver.close()


# trees that look like the codec's tagged form, naming classes and kinds at random
tagged = st.recursive(
    st.one_of(st.none(), st.integers(), text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.fixed_dictionaries(
            {
                "__flowc__": st.sampled_from(
                    [
                        "dataclass",
                        "pydantic",
                        "enum",
                        "namedtuple",
                        "tuple",
                        "set",
                        "dict",
                        "bytes",
                        "datetime",
                        "uuid",
                        "decimal",
                        "nope",
                    ]
                ),
                "cls": st.sampled_from(
                    ["os:system", "subprocess:Popen", "builtins:eval", "not.loaded:Thing", "x"]
                ),
            },
            optional={
                "fields": st.dictionaries(text, inner, max_size=2),
                "items": inner,
                "value": inner,
                "iso": text,
                "hex": text,
                "str": text,
                "b64": text,
            },
        ),
    ),
    max_leaves=6,
)


@given(tagged)
@settings(max_examples=300, deadline=None)
def test_stored_data_not_written_by_the_codec_fails_cleanly_and_never_imports_or_calls_code(
    tree: Any,
) -> None:
    import sys

    loaded = set(sys.modules)
    with contextlib.suppress(TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        JsonSerializer().loads_typed(("json+typed", json.dumps(tree).encode()))
    assert set(sys.modules) == loaded


BUILT: list[object] = []


class Tripwire:
    """A loaded class that is not of a kind the codec writes: building it is running code."""

    def __init__(self, **fields: object) -> None:
        BUILT.append(fields)


def test_stored_data_cannot_build_a_loaded_class_of_another_kind_than_it_says() -> None:
    name = f"{__name__}:Tripwire"
    for kind in ("dataclass", "namedtuple", "pydantic", "enum"):
        tree = {"__flowc__": kind, "cls": name, "fields": {"cmd": "rm"}, "value": 1}
        try:
            JsonSerializer().loads_typed(("json+typed", json.dumps(tree).encode()))
        except TypeError as exc:
            assert str(exc) == f"at $: the stored value names {name}, which is not a {kind} class"
        else:
            raise AssertionError(f"{kind}: decoded")
    assert BUILT == []
