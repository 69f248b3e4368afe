"""With ``subgraphs=True``, a match that handles only the parent's nodes is not exhaustive."""

from __future__ import annotations

from typing import assert_never

from tests.golden import subgraph

for ev in subgraph.stream({"foo": "foo"}, stream_mode="updates", subgraphs=True):
    match ev:
        case subgraph.Node1Updated() | subgraph.Node2Updated():
            print(ev.node)
        case _:
            assert_never(ev)
