"""Decorator-DSL twins of `subgraph.toml` and `nested.toml`: the same nodes, the same streams."""

from __future__ import annotations

from flowc import END, START, Graph
from flowc_demo import nested as n
from flowc_demo import subgraph as s

EXAMPLE_INPUT = s.EXAMPLE_INPUT

# the reference document's example: `node_2` is a whole graph sharing the key `foo`
child = Graph("subgraph_decorated_child", s.ChildState)
child.node(s.subgraph_node_1)
child.node(s.subgraph_node_2)
child.sequence(START, "subgraph_node_1", "subgraph_node_2")

parent = Graph("subgraph_decorated", s.ParentState)
parent.node(s.node_1)
parent.add_node("node_2", child)
parent.sequence(START, "node_1", "node_2", END)

# three levels, as in nested.toml
grandchild = Graph("nested_decorated_grandchild", n.NestedGrandchildState)
grandchild.node(n.grandchild_1)
grandchild.node(n.grandchild_2)
grandchild.sequence(START, "grandchild_1", "grandchild_2")

middle = Graph("nested_decorated_child", n.NestedChildState)
middle.node(n.child_1)
middle.subgraph("grandchild_graph", grandchild)
middle.node(n.child_2)
middle.sequence(START, "child_1", "grandchild_graph", "child_2")

top = Graph("nested_decorated", n.NestedState)
top.node(n.parent_1)
top.subgraph("child_graph", middle, metadata={"level": "child"})
top.node(n.parent_2)
top.sequence(START, "parent_1", "child_graph", "parent_2", END)
