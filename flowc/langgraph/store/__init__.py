"""``langgraph.store`` on flowc: stores at LangGraph's module paths.

``from langgraph.store.memory import InMemoryStore`` becomes ``from
flowc.langgraph.store.memory import InMemoryStore``; the contract
(``BaseStore``, ``Item``, the operations) is in :mod:`flowc.langgraph.store.base`,
the SQLite store (LangGraph's ``langgraph.store.sqlite``) in
:mod:`flowc.langgraph.store.sqlite`. They are flowc's own
(:mod:`flowc.runtime.store`, :mod:`flowc.stores`), standard library only.
"""
