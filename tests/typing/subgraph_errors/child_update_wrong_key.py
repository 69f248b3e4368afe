"""A key the subgraph node does not write, read from its event's payload."""

from __future__ import annotations

from tests.golden import subgraph, subgraph_child

for ev in subgraph.stream({"foo": "foo"}, stream_mode="updates", subgraphs=True):
    if isinstance(ev, subgraph_child.SubgraphNode1Updated) and ev.data is not None:
        print(ev.data["bars"])
