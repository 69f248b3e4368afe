"""flowc's stores against LangGraph's ``InMemoryStore``, operation by operation.

Each script is a list of store calls (``put``, ``get``, ``search``, ``delete``,
``list_namespaces``, ``batch``) run on a fresh store of each kind: LangGraph's
``langgraph.store.memory.InMemoryStore``, flowc's
``flowc.langgraph.store.memory.InMemoryStore`` and flowc's ``SqliteStore`` on a
file, through the sync methods and through the async ones. What each call gives
back (items as namespace, key, value and score; an error as its type and
message) is the same. Where flowc differs by design, the script stays clear of
it and ``tests/test_stores.py`` pins the difference.

The second half runs ``prebuilt/stores.py`` (a graph's store reached by nodes,
a subgraph, a tool node and an agent) with flowc's SQLite store and with
LangGraph's own store object given to flowc's ``compile``, against LangGraph.
"""

from __future__ import annotations

import asyncio
import copy
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import langgraph.store.base as lg_base
import pytest
from langgraph.store.memory import InMemoryStore as LangGraphStore

import flowc.langgraph.store.base as fc_base
from flowc.langgraph.store.memory import InMemoryStore
from flowc.langgraph.store.sqlite import SqliteStore

from .oracle import MODE_ARGS, collect, normalize
from .test_prebuilt import PREBUILT, compared, swap_imports

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

Step = tuple[Any, ...]

PEOPLE: list[Step] = [
    ("put", ("people", "eu"), "ada", {"name": "Ada", "age": 36, "langs": ["en", "fr"]}),
    ("put", ("people", "eu"), "kurt", {"name": "Kurt", "age": 71, "langs": ["de"]}),
    ("put", ("people", "us"), "grace", {"name": "Grace", "age": 85, "langs": ["en"]}),
    ("put", ("people", "us", "ca"), "alan", {"name": "Alan", "age": "41", "langs": ["en"]}),
    ("put", ("pets",), "rex", {"name": "Rex", "age": 4, "owner": {"name": "Ada", "city": "Paris"}}),
]

SCRIPTS: dict[str, list[Step]] = {
    "put-get-update-delete": [
        ("put", ("docs",), "a", {"text": "one"}),
        ("put", ("docs",), "b", {"text": "two", "n": 2}),
        ("get", ("docs",), "a"),
        ("get", ("docs",), "missing"),
        ("put", ("docs",), "a", {"text": "uno"}),
        ("get", ("docs",), "a"),
        ("search", ("docs",), {}),
        ("delete", ("docs",), "a"),
        ("get", ("docs",), "a"),
        ("delete", ("docs",), "never"),
        ("search", ("docs",), {}),
        ("put", ("docs",), 7, {"text": "a key that is not a string"}),
        ("get", ("docs",), "7"),
    ],
    "search-by-prefix": [
        *PEOPLE,
        ("search", ("people",), {}),
        ("search", ("people", "us"), {}),
        ("search", ("people", "u"), {}),
        ("search", (), {"limit": 100}),
        ("search", ("nobody",), {}),
    ],
    "search-filters": [
        *PEOPLE,
        ("search", ("people",), {"filter": {"name": "Ada"}}),
        ("search", (), {"filter": {"langs": ["en"]}}),
        ("search", (), {"filter": {"langs": ["fr", "en"]}}),
        ("search", (), {"filter": {"owner": {"city": "Paris"}}}),
        ("search", (), {"filter": {"owner": {"city": "Rome"}}}),
        ("search", (), {"filter": {"age": {"$gt": 40}}}),
        ("search", (), {"filter": {"age": {"$gte": 71, "$lt": 85}}}),
        ("search", (), {"filter": {"age": {"$lte": 36}}}),
        ("search", (), {"filter": {"age": {"$ne": 85}}}),
        ("search", (), {"filter": {"age": {"$eq": 4}}}),
        ("search", (), {"filter": {"name": {"$ne": "Rex"}, "langs": ["en"]}}),
        ("search", (), {"filter": {"nickname": None}}),
        ("search", (), {"filter": {"age": {"$gt": 1}}, "query": "ignored without an index"}),
        ("search", (), {"filter": {"age": {"$between": 1}}}),
    ],
    "search-pages": [
        *[("put", ("log",), f"e{i}", {"i": i, "even": i % 2 == 0}) for i in range(7)],
        ("search", ("log",), {"limit": 3}),
        ("search", ("log",), {"limit": 3, "offset": 3}),
        ("search", ("log",), {"limit": 3, "offset": 6}),
        ("search", ("log",), {"limit": 3, "offset": 9}),
        ("search", ("log",), {"limit": 0}),
        ("search", ("log",), {"filter": {"even": True}, "limit": 2, "offset": 1}),
        ("search", ("log",), {"filter": {"even": False}, "offset": 2}),
    ],
    "list-namespaces": [
        *[
            ("put", ns, f"k{i}", {"i": i})
            for i, ns in enumerate(
                [
                    ("a", "b", "c"),
                    ("a", "b", "d", "e"),
                    ("a", "b", "d", "f"),
                    ("a", "x", "c"),
                    ("b", "a", "c"),
                    ("users", "1"),
                    ("users", "2", "settings"),
                    ("admin", "users", "3"),
                ]
            )
        ],
        ("list", {}),
        ("list", {"prefix": ("a", "b")}),
        ("list", {"suffix": ("c",)}),
        ("list", {"prefix": ("a",), "suffix": ("c",)}),
        ("list", {"prefix": ("a", "*", "c")}),
        ("list", {"suffix": ("*", "c")}),
        ("list", {"prefix": ("users", "*")}),
        ("list", {"prefix": ("*", "users"), "suffix": ("*", "settings")}),
        ("list", {"max_depth": 2}),
        ("list", {"prefix": ("a",), "max_depth": 3}),
        ("list", {"limit": 3}),
        ("list", {"limit": 3, "offset": 3}),
        ("list", {"offset": 7}),
        ("list", {"prefix": ("nothing",)}),
    ],
    "batches": [
        ("put", ("box",), "old", {"v": 0}),
        (
            "batch",
            [
                ("PutOp", ("box",), "new", {"v": 1}),
                ("GetOp", ("box",), "new"),
                ("GetOp", ("box",), "old"),
                ("PutOp", ("box",), "old", None),
                ("SearchOp", ("box",)),
                ("ListNamespacesOp",),
            ],
        ),
        ("get", ("box",), "old"),
        ("search", ("box",), {}),
        (
            "batch",
            [
                ("PutOp", ("box",), "twice", {"v": "first"}),
                ("PutOp", ("box",), "twice", {"v": "second"}),
            ],
        ),
        ("get", ("box",), "twice"),
        ("batch", []),
    ],
    "bad-namespaces": [
        ("put", (), "k", {"v": 1}),
        ("put", ("a.b",), "k", {"v": 1}),
        ("put", ("a", ""), "k", {"v": 1}),
        ("put", ("langgraph", "x"), "k", {"v": 1}),
        ("put", ("a", 3), "k", {"v": 1}),
        ("put", ("a", "b\x00"), "k", {"v": 1}),
        ("put", ("inner", "langgraph"), "k", {"v": 1}),
        ("get", ("inner", "langgraph"), "k"),
        ("get", ("a.b",), "k"),
        ("delete", ("a.b",), "k"),
        ("search", ("a.b",), {}),
        ("list", {"prefix": ("a.b",)}),
        ("list", {"suffix": ("",)}),
        ("put", ("ok",), "k", {"v": 1}, {"ttl": 5}),
        ("put", ("ok",), "k", {"v": 1}, {"ttl": None}),
        ("get", ("ok",), "k"),
    ],
}


def _ops(module: Any, specs: list[Step]) -> list[Any]:
    return [getattr(module, kind)(*args) for kind, *args in specs]


def _seen(result: Any) -> Any:
    """What a call gave back, without the times (``test_stores.py`` checks those)."""
    if isinstance(result, list):
        return [_seen(r) for r in result]
    if hasattr(result, "namespace") and hasattr(result, "key"):
        out = ["item", result.namespace, result.key, result.value]
        if hasattr(result, "score"):
            out.append(result.score)
        return out
    return result


def _call(store: Any, base: Any, step: Step) -> Any:
    kind, *args = step
    if kind == "put":
        ns, key, value, *options = args
        return store.put(ns, key, value, **(options[0] if options else {}))
    if kind == "get":
        return store.get(*args)
    if kind == "delete":
        return store.delete(*args)
    if kind == "search":
        return store.search(args[0], **args[1])
    if kind == "list":
        return store.list_namespaces(**args[0])
    assert kind == "batch"
    return store.batch(_ops(base, args[0]))


async def _acall(store: Any, base: Any, step: Step) -> Any:
    kind, *args = step
    if kind == "put":
        ns, key, value, *options = args
        return await store.aput(ns, key, value, **(options[0] if options else {}))
    if kind == "get":
        return await store.aget(*args)
    if kind == "delete":
        return await store.adelete(*args)
    if kind == "search":
        return await store.asearch(args[0], **args[1])
    if kind == "list":
        return await store.alist_namespaces(**args[0])
    assert kind == "batch"
    return await store.abatch(_ops(base, args[0]))


def play(store: Any, base: Any, script: list[Step], use_async: bool) -> list[Any]:
    """Every step's outcome: ``("returned", what)`` or ``("raised", type, message)``."""

    async def aplay() -> list[Any]:
        return [await _outcome(_acall(store, base, step)) for step in script]

    async def _outcome(pending: Any) -> Any:
        try:
            return ("returned", _seen(await pending))
        except Exception as exc:
            return raised(exc)

    def raised(exc: Exception) -> Any:
        # a message naming the store's class names it as <store>
        return ("raised", type(exc).__name__, str(exc).replace(type(store).__name__, "<store>"))

    if use_async:
        return asyncio.run(aplay())
    out = []
    for step in script:
        try:
            out.append(("returned", _seen(_call(store, base, step))))
        except Exception as exc:
            out.append(raised(exc))
    return out


STORES: dict[str, Callable[[Path], Any]] = {
    "memory": lambda _: InMemoryStore(),
    "sqlite": lambda tmp: SqliteStore(tmp / "store.db"),
}


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("kind", list(STORES))
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_every_call_gives_back_what_langgraphs_in_memory_store_gives(
    script: str, kind: str, use_async: bool, tmp_path: Path
) -> None:
    expected = play(LangGraphStore(), lg_base, SCRIPTS[script], use_async)
    store = STORES[kind](tmp_path)
    actual = play(store, fc_base, SCRIPTS[script], use_async)
    for step, want, got in zip(SCRIPTS[script], expected, actual, strict=True):
        assert got == want, f"{script} {step!r}"
    # the scripts are about something: most steps return, and what they find is not empty
    assert any(outcome[0] == "returned" and outcome[1] for outcome in actual)


def test_items_read_and_print_as_langgraphs() -> None:
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")
    shown = []
    for store in (LangGraphStore(), InMemoryStore()):
        store.put(("a", "b"), "k", {"v": [1, {"x": None}]})
        item, hit = store.get(("a", "b"), "k"), store.search(("a",))[0]
        assert item.created_at.tzinfo is not None
        assert hash(item) == hash(hit) == hash((("a", "b"), "k"))
        assert (item == hit, hit == item) == (True, True)
        shown.append([stamp.sub("T", text) for text in (str(item.dict()), repr(item), repr(hit))])
    assert shown[1] == shown[0]
    assert shown[1][2] == (
        "Item(namespace=['a', 'b'], key='k', value={'v': [1, {'x': None}]}, "
        "created_at='T', updated_at='T', score=None)"
    )


# -- graphs with stores ------------------------------------------------------------------


def _stores_module(variant: str, tmp_path: Path) -> types.ModuleType:
    """``prebuilt/stores.py`` with flowc's imports, and its store made as ``variant`` says:
    ``"sqlite"``, flowc's SQLite store on a file; ``"langgraph"``, LangGraph's own
    ``InMemoryStore`` (given to flowc's ``compile``)."""
    path = PREBUILT / "stores.py"
    text = swap_imports(path.read_text(encoding="utf-8"))
    made = "store = InMemoryStore()"
    assert made in text
    if variant == "sqlite":
        text = text.replace(
            made,
            f"from flowc.stores import SqliteStore\nstore = SqliteStore({str(tmp_path / 'graph.db')!r})",
        )
    else:
        text = text.replace(
            made, "from langgraph.store.memory import InMemoryStore as Theirs\nstore = Theirs()"
        )
    name = f"stores_{variant}_{tmp_path.name}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(text, str(path), "exec", dont_inherit=True), module.__dict__)
    return module


def _langgraph_module() -> types.ModuleType:
    path = PREBUILT / "stores.py"
    module = types.ModuleType(f"stores_langgraph_{id(path)}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module
    exec(
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True),
        module.__dict__,
    )
    return module


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("variant", ["sqlite", "langgraph"])
def test_a_graph_on_a_sqlite_store_or_on_langgraphs_store_streams_as_langgraph(
    variant: str, use_async: bool, tmp_path: Path
) -> None:
    theirs, ours = _langgraph_module(), _stores_module(variant, tmp_path)
    if variant == "langgraph":
        assert type(ours.store).__module__ == "langgraph.store.memory"
    ran = 0
    for name in ours.GRAPHS:
        for mode in MODE_ARGS:
            if not compared(getattr(ours, name), mode):
                continue
            for subgraphs in (False, True):
                expected, actual = (
                    normalize(
                        collect(
                            getattr(module, name),
                            copy.deepcopy(module.INPUTS[name][0]),
                            stream_mode=mode,
                            subgraphs=subgraphs,
                            use_async=use_async,
                        )
                    )
                    for module in (theirs, ours)
                )
                assert actual == expected, f"{name} {mode} subgraphs={subgraphs}"
                ran += 1
    assert ran >= 3 * len(MODE_ARGS)
