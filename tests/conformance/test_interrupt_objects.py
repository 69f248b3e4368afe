"""The drop-in's ``Interrupt`` is made as LangGraph 1.2.22's is: its default id, the
keywords of its 0.x form (dropped), ``from_ns`` and the deprecated ``interrupt_id``."""

from __future__ import annotations

import pickle
import warnings

import pytest
from langgraph.types import Interrupt as LangGraphInterrupt

from flowc.langgraph.types import Interrupt
from flowc.runtime.interrupts import interrupt_id

pytestmark = pytest.mark.conformance


def test_an_interrupt_made_without_an_id_has_langgraphs_placeholder() -> None:
    assert Interrupt("ask").id == LangGraphInterrupt("ask").id == "placeholder-id"
    assert Interrupt(value="ask") == Interrupt("ask", "placeholder-id")


def test_the_0x_keywords_are_accepted_and_an_ns_makes_the_id() -> None:
    legacy = Interrupt(value="", resumable=True, ns=["qa:1"], when="during")
    theirs = LangGraphInterrupt(value="", resumable=True, ns=["qa:1"], when="during")  # type: ignore[call-arg]
    # both hash the namespace (flowc with blake2b, LangGraph with xxh3): 32 hex digits
    assert legacy.id == interrupt_id("qa:1", 0) == Interrupt.from_ns("", "qa:1").id
    assert len(legacy.id) == len(theirs.id) == 32
    assert (legacy.value, legacy.response_schema) == ("", None)
    # an id given wins over the namespace, as in LangGraph
    assert Interrupt("", "mine", ns=["qa:1"]).id == LangGraphInterrupt("", "mine", ns=["qa:1"]).id  # type: ignore[call-arg]


def test_other_keywords_are_refused() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        Interrupt("ask", bogus=1)


def test_interrupt_id_is_the_id_with_a_deprecation_warning() -> None:
    made = Interrupt("ask", "i1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert made.interrupt_id == "i1"
    assert [w.category for w in caught] == [DeprecationWarning]


def test_an_interrupt_stays_frozen_and_survives_pickling() -> None:
    made = Interrupt("ask", "i1", response_schema=int)
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(AttributeError):
        made.value = "other"  # type: ignore[misc]
