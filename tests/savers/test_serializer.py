"""The default serializer: JSON for JSON values, tagged JSON for the rest, pickle only by opt-in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import json
import uuid
from typing import NamedTuple

import pydantic
import pytest

from flowc.runtime.checkpoint import (
    CheckpointSerializationError,
    JsonSerializer,
    decode_value,
    encode_value,
    uuid6,
)


class Mood(enum.Enum):
    HAPPY = "happy"


@dataclasses.dataclass
class Joke:
    text: str
    tags: tuple[str, ...]


class Point(NamedTuple):
    x: int
    y: int


class Loose(pydantic.BaseModel, extra="allow"):
    name: str


class Topic(pydantic.BaseModel):
    name: str
    when: dt.date
    jokes: list[Joke] = []


def roundtrip(value: object, serde: JsonSerializer | None = None) -> object:
    serde = serde or JsonSerializer()
    return serde.loads_typed(serde.dumps_typed(value))


def test_json_values_are_stored_as_plain_json() -> None:
    value = {"topic": "ice cream", "n": 3, "ratio": 0.5, "ok": True, "none": None, "l": [1, "a"]}
    kind, data = JsonSerializer().dumps_typed(value)
    assert kind == "json"
    assert json.loads(data) == value
    assert roundtrip(value) == value


@pytest.mark.parametrize(
    "value",
    [
        (1, "a"),
        {1, 2},
        frozenset({"x"}),
        b"\x00raw",
        {"b": bytearray(b"xy")},
        dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC),
        dt.date(2026, 12, 1),
        dt.time(12, 30),
        dt.timedelta(days=1, seconds=5),
        uuid.UUID(int=7),
        decimal.Decimal("1.10"),
        Mood.HAPPY,
        {1: "int key", (2, 3): "tuple key"},
        {"__flowc__": "a user key that looks like a tag"},
        Joke("why", ("pun",)),
        Point(1, 2),
        Loose(name="x", colour="red"),  # type: ignore[call-arg]
        Topic(name="cats", when=dt.date(2026, 1, 1), jokes=[Joke("meow", ())]),
    ],
    ids=repr,
)
def test_other_values_come_back_as_their_own_types(value: object) -> None:
    back = roundtrip(value)
    assert back == value
    assert type(back) is type(value)


def test_a_pydantic_state_comes_back_as_its_model_not_a_dict() -> None:
    back = roundtrip({"state": Topic(name="dogs", when=dt.date(2026, 2, 2))})
    assert isinstance(back, dict)
    assert isinstance(back["state"], Topic)
    assert back["state"].when == dt.date(2026, 2, 2)


def test_an_unknown_value_fails_naming_where_it_is() -> None:
    with pytest.raises(TypeError) as failed:
        JsonSerializer().dumps_typed({"messages": [{"content": "hi"}, {"content": object()}]})
    assert str(failed.value).startswith(
        "at $.messages[1].content: a value of type builtins.object cannot be stored"
    )
    assert "JsonSerializer(pickle_fallback=True)" in str(failed.value)


def test_a_str_subclass_is_stored_as_its_text_as_langgraph_stores_it() -> None:
    class Text(str):
        """As langchain's ``TextAccessor`` (a message's ``.text``)."""

    back = roundtrip({"result": Text("Fruit: cherries"), "items": [Text("a")]})
    assert back == {"result": "Fruit: cherries", "items": ["a"]}
    assert type(back["result"]) is str


def test_pickle_is_used_only_when_opted_into_and_refused_otherwise() -> None:
    value = {"f": complex(1, 2)}
    with pytest.raises(TypeError, match="cannot be stored"):
        JsonSerializer().dumps_typed(value)
    kind, data = JsonSerializer(pickle_fallback=True).dumps_typed(value)
    assert kind == "pickle"
    assert JsonSerializer(pickle_fallback=True).loads_typed((kind, data)) == value
    with pytest.raises(TypeError, match="loading pickles is off"):
        JsonSerializer().loads_typed((kind, data))


def test_decoding_never_imports_a_module() -> None:
    payload = json.dumps(
        {"__flowc__": "dataclass", "cls": "some_module_not_loaded:Thing", "fields": {}}
    ).encode()
    with pytest.raises(
        TypeError, match=r"some_module_not_loaded:Thing, and that class is not loaded"
    ):
        JsonSerializer().loads_typed(("json+typed", payload))


def test_encode_and_decode_errors_name_the_channel_and_the_checkpoint() -> None:
    serde = JsonSerializer()
    with pytest.raises(CheckpointSerializationError) as failed:
        encode_value(serde, [object()], channel="jokes", checkpoint_id="cp-1")
    assert str(failed.value).startswith(
        "cannot encode channel 'jokes' of checkpoint cp-1: at $[0]:"
    )
    with pytest.raises(CheckpointSerializationError) as failed:
        decode_value(serde, ("json", b"{not json"), channel="topic", checkpoint_id="cp-2")
    assert str(failed.value).startswith("cannot decode channel 'topic' of checkpoint cp-2: ")
    with pytest.raises(CheckpointSerializationError, match="unknown stored type 'msgpack'"):
        decode_value(serde, ("msgpack", b""), channel="topic", checkpoint_id="cp-3")


def test_checkpoint_ids_are_version_6_uuids_that_sort_in_creation_order() -> None:
    made = [str(uuid6()) for _ in range(5000)]
    assert sorted(made) == made
    assert len(set(made)) == 5000
    assert {uuid.UUID(m).version for m in made} == {6}
    # the timestamp in the id is the creation time, to the 100 ns
    first = uuid.UUID(made[0]).int
    stamp = (first >> 80) << 12 | (first >> 64) & 0x0FFF  # RFC 9562: 100 ns since 1582-10-15
    epoch = (stamp - 0x01B21DD213814000) / 1e7
    assert abs(epoch - dt.datetime.now(dt.UTC).timestamp()) < 60
