"""The checker's passes, one module each, in the order :func:`flowc.dsl.checker.check` runs them.

- :mod:`.state`: the ``[state]`` → its fields, types and reducers.
- :mod:`.wiring`: node names, edges and routers → who runs after whom.
- :mod:`.nodes`: each node → the :class:`~flowc.dsl.graph.NodeInfo` generated code runs,
  through :mod:`.signatures` (a node's function) and :mod:`.subgraphs` (a node's graph).
- :mod:`.topology`: reachability, termination, and the keys two nodes of one superstep write.

Each pass takes frozen values from the passes before it and gives a frozen value and its
diagnostics (:class:`.report.Pass`); no pass changes what another one gave.
"""
