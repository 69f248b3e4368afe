"""``Overwrite`` sets a key's value past its reducer, once per key and superstep."""

from __future__ import annotations

import operator

import pytest

from flowc.runtime import InvalidUpdateError
from flowc.runtime._overwrite import Overwrite, overwritable, overwritten, settled_overwrites


def test_every_form_langgraph_writes_an_overwrite_in_is_one() -> None:
    assert overwritten(Overwrite([1])) == (True, [1])
    assert overwritten({"__overwrite__": [2]}) == (True, [2])
    assert overwritten({"value": [3], "type": "__overwrite__"}) == (True, [3])
    assert overwritten({"__overwrite__": [2], "other": 1}) == (False, None)
    assert overwritten([4]) == (False, None)


def test_a_reducer_given_an_overwrite_takes_its_value() -> None:
    add = overwritable(operator.add)
    assert add([1], [2]) == [1, 2]
    assert add([1], Overwrite([9])) == [9]
    assert add.__wrapped__ is operator.add  # type: ignore[attr-defined]


def test_writes_of_an_overwritten_key_after_the_overwrite_are_dropped() -> None:
    updates = [{"log": ["a"]}, {"log": Overwrite(["b"]), "n": 1}, {"log": ["c"], "n": 2}, None]
    assert settled_overwrites(updates, lambda key: key == "log") == [
        {"log": ["a"]},
        {"log": Overwrite(["b"]), "n": 1},
        {"n": 2},
        None,
    ]


def test_two_overwrites_of_one_key_in_a_superstep_fail_as_in_langgraph() -> None:
    with pytest.raises(InvalidUpdateError, match=r"^Can receive only one Overwrite value"):
        settled_overwrites([{"log": Overwrite([1])}, {"log": {"__overwrite__": [2]}}], bool)


def test_an_overwrite_of_a_key_without_a_reducer_is_a_plain_value() -> None:
    updates = [{"n": Overwrite(1)}, {"n": Overwrite(2)}]
    assert settled_overwrites(updates, lambda key: False) == updates
