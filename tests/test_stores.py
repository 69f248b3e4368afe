"""flowc's stores: what they guarantee beyond LangGraph's ``InMemoryStore``, and how a graph's
store reaches its nodes and tools.

``tests/conformance/test_stores.py`` shows the calls give back what LangGraph's
give; the tests here pin where flowc's stores differ on purpose (each with
LangGraph's behaviour measured beside it), the SQLite store's durability
across processes and threads, and the ways a node gets the store.
"""

from __future__ import annotations

import asyncio
import operator
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any, Optional, TypedDict

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.prebuilt import InjectedStore as TheirInjectedStore
from langgraph.prebuilt import ToolRuntime as TheirToolRuntime
from langgraph.store.base import PutOp as LangGraphPutOp
from langgraph.store.memory import InMemoryStore as LangGraphStore

from flowc.langgraph import START, StateGraph
from flowc.langgraph.config import get_store
from flowc.langgraph.prebuilt import InjectedStore, ToolNode, ToolRuntime
from flowc.langgraph.runtime import Runtime
from flowc.langgraph.store.base import BaseStore, InvalidNamespaceError, PutOp
from flowc.stores import InMemoryStore, SqliteStore

BACKENDS = ["memory", "sqlite"]


def make(kind: str, tmp_path: Path) -> Any:
    return InMemoryStore() if kind == "memory" else SqliteStore(tmp_path / "store.db")


# -- where flowc's stores differ from LangGraph's InMemoryStore ---------------------------


@pytest.mark.parametrize("kind", BACKENDS)
def test_putting_a_key_again_keeps_its_created_at_and_moves_its_updated_at(
    kind: str, tmp_path: Path
) -> None:
    store = make(kind, tmp_path)
    store.put(("docs",), "a", {"v": 1})
    first = store.get(("docs",), "a")
    time.sleep(0.002)
    store.put(("docs",), "a", {"v": 2})
    second = store.get(("docs",), "a")
    assert first is not None and second is not None
    assert first.created_at == first.updated_at
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at
    assert second.value == {"v": 2}
    # LangGraph's in-memory store makes both times new on every put
    theirs = LangGraphStore()
    theirs.put(("docs",), "a", {"v": 1})
    before = theirs.get(("docs",), "a")
    time.sleep(0.002)
    theirs.put(("docs",), "a", {"v": 2})
    after = theirs.get(("docs",), "a")
    assert before is not None and after is not None and after.created_at > before.created_at


@pytest.mark.parametrize("kind", BACKENDS)
def test_only_namespaces_that_hold_items_are_listed(kind: str, tmp_path: Path) -> None:
    for store, listed in (
        (make(kind, tmp_path), [("kept",)]),
        # LangGraph's lists a namespace once it was read, and after its last item is deleted
        (LangGraphStore(), [("emptied",), ("kept",), ("only-read",)]),
    ):
        store.get(("only-read",), "k")
        store.put(("emptied",), "k", {"v": 1})
        store.delete(("emptied",), "k")
        store.put(("kept",), "k", {"v": 1})
        assert store.list_namespaces() == listed


@pytest.mark.parametrize("kind", BACKENDS)
def test_an_ordering_filter_skips_items_whose_field_is_missing_or_no_number(
    kind: str, tmp_path: Path
) -> None:
    store = make(kind, tmp_path)
    store.put(("p",), "a", {"age": 30})
    store.put(("p",), "b", {"name": "no age"})
    store.put(("p",), "c", {"age": "old"})
    assert [i.key for i in store.search(("p",), filter={"age": {"$gt": 10}})] == ["a"]
    assert [i.key for i in store.search(("p",), filter={"age": {"$lte": 10}})] == []
    with pytest.raises(ValueError, match=r"filter operator \$gt needs a number, got 'ten'"):
        store.search(("p",), filter={"age": {"$gt": "ten"}})
    theirs = LangGraphStore()
    theirs.put(("p",), "b", {"name": "no age"})
    with pytest.raises(TypeError):
        theirs.search(("p",), filter={"age": {"$gt": 10}})


@pytest.mark.parametrize("kind", BACKENDS)
def test_changing_a_value_after_put_or_get_leaves_the_stored_one_as_it_was(
    kind: str, tmp_path: Path
) -> None:
    store = make(kind, tmp_path)
    value = {"tags": ["a"], "n": 1}
    store.put(("docs",), "k", value)
    value["tags"].append("changed by the caller")
    got = store.get(("docs",), "k")
    assert got is not None
    got.value["tags"].append("changed by the reader")
    store.search(("docs",))[0].value["n"] = 99
    again = store.get(("docs",), "k")
    assert again is not None and again.value == {"tags": ["a"], "n": 1}
    # LangGraph's in-memory store hands out the dict it keeps
    theirs = LangGraphStore()
    theirs.put(("docs",), "k", {"n": 1})
    item = theirs.get(("docs",), "k")
    assert item is not None
    item.value["n"] = 99
    assert theirs.get(("docs",), "k").value == {"n": 99}  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_batch_given_a_label_with_a_period_is_refused_before_anything_is_written(
    kind: str, tmp_path: Path
) -> None:
    store = make(kind, tmp_path)
    with pytest.raises(InvalidNamespaceError, match="cannot contain periods"):
        store.batch([PutOp(("fine",), "k", {"v": 1}), PutOp(("a.b",), "k", {"v": 1})])
    assert store.search(()) == []
    # LangGraph's in-memory store takes it, where its SQL stores would read ("a", "b")
    theirs = LangGraphStore()
    theirs.batch([LangGraphPutOp(("a.b",), "k", {"v": 1})])
    assert theirs.list_namespaces() == [("a.b",)]


@pytest.mark.parametrize("cls", [InMemoryStore, SqliteStore])
def test_vector_search_settings_are_refused_naming_the_feature(cls: Any, tmp_path: Path) -> None:
    args = () if cls is InMemoryStore else (tmp_path / "x.db",)
    with pytest.raises(NotImplementedError) as info:
        cls(*args, index={"dims": 3, "embed": lambda texts: [[0.0] * 3 for _ in texts]})
    assert str(info.value).startswith(
        f"{cls.__name__}(index=...): vector search (embeddings) is not supported by flowc's "
        "stores yet"
    )


# -- the SQLite store --------------------------------------------------------------------

WRITER = """
import sys
from flowc.stores import SqliteStore
store = SqliteStore(sys.argv[1])
store.put(("users", "1"), "prefs", {"theme": "dark", "sizes": [1, 2]})
store.put(("users", "2"), "prefs", {"theme": "light"})
store.delete(("users", "2"), "prefs")
"""

READER = """
import sys
from flowc.stores import SqliteStore
store = SqliteStore(sys.argv[1])
item = store.get(("users", "1"), "prefs")
print(item.value, item.created_at.tzname(), store.list_namespaces())
"""


def test_a_sqlite_store_keeps_its_items_for_the_next_process(tmp_path: Path) -> None:
    path = str(tmp_path / "memories.db")
    subprocess.run([sys.executable, "-c", WRITER, path], check=True, timeout=60)
    shown = subprocess.run(
        [sys.executable, "-c", READER, path], check=True, timeout=60, capture_output=True, text=True
    )
    assert shown.stdout == "{'theme': 'dark', 'sizes': [1, 2]} UTC [('users', '1')]\n"


def test_a_value_json_cannot_hold_is_refused_and_its_batch_writes_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    with pytest.raises(TypeError) as info:
        store.batch([PutOp(("a",), "fine", {"v": 1}), PutOp(("a",), "bad", {"v": object()})])
    assert str(info.value).startswith(
        "store item ('a',)/'bad': the value cannot be stored as JSON (Object of type object "
        "is not JSON serializable)"
    )
    assert store.search(("a",)) == []


def test_threads_writing_one_sqlite_store_lose_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")

    def write(worker: int) -> None:
        for i in range(25):
            store.put(("w", str(worker)), f"k{i}", {"i": i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.search(("w",), limit=1000)) == 100
    assert store.list_namespaces() == [("w", "0"), ("w", "1"), ("w", "2"), ("w", "3")]


def test_a_file_that_is_no_database_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database " * 100)
    with pytest.raises(Exception) as info:
        SqliteStore(path)
    assert str(info.value).startswith(f"{path}: cannot use as a store: ")
    assert path.read_text() == "not a database " * 100


def test_from_conn_string_closes_the_store_when_the_block_ends(tmp_path: Path) -> None:
    with SqliteStore.from_conn_string(str(tmp_path / "s.db")) as store:
        store.put(("a",), "k", {"v": 1})
        store.setup()  # LangGraph's call; the tables are already there
    with pytest.raises(RuntimeError, match="this SqliteStore is closed"):
        store.get(("a",), "k")
    with SqliteStore.from_conn_string(str(tmp_path / "s.db")) as again:
        assert again.get(("a",), "k").value == {"v": 1}  # type: ignore[union-attr]


# -- how nodes and tools get the store ---------------------------------------------------


class State(TypedDict):
    x: int
    seen: Annotated[list, operator.add]


def test_a_node_gets_the_store_by_parameter_get_store_and_runtime() -> None:
    store = InMemoryStore()

    def plain(state: State, store):  # type: ignore[no-untyped-def]
        store.put(("n",), "plain", {"x": state["x"]})
        return {"seen": ["plain"]}

    def typed(state: State, store: BaseStore) -> dict[str, Any]:
        return {"seen": [store.get(("n",), "plain").value]}  # type: ignore[union-attr]

    def optional(state: State, *, store: Optional[BaseStore] = None) -> dict[str, Any]:  # noqa: UP045
        return {"seen": [store is get_store()]}

    def runtime(state: State, runtime: Runtime) -> dict[str, Any]:
        return {"seen": [runtime.store is get_store()]}

    graph = (
        StateGraph(State)
        .add_sequence([plain, typed, optional, runtime])
        .add_edge(START, "plain")
        .compile(store=store)
    )
    assert graph.store is store
    assert graph.invoke({"x": 3, "seen": []})["seen"] == ["plain", {"x": 3}, True, True]


def test_a_graph_without_a_store_gives_nodes_none() -> None:
    def node(state: State, store, runtime: Runtime) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return {"seen": [store, runtime.store, get_store()]}

    graph = StateGraph(State).add_node(node).add_edge(START, "node").compile()
    assert graph.invoke({"x": 1, "seen": []})["seen"] == [None, None, None]


def test_get_store_outside_a_run_says_so() -> None:
    with pytest.raises(
        RuntimeError, match=r"get_store\(\) was called outside a running flowc graph"
    ):
        get_store()


def test_an_async_node_awaits_the_store_under_astream(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")

    async def node(state: State, store: BaseStore) -> dict[str, Any]:
        await store.aput(("a",), "k", {"x": state["x"]})
        found = await store.asearch(("a",))
        return {"seen": [item.value for item in found]}

    graph = StateGraph(State).add_node(node).add_edge(START, "node").compile(store=store)

    async def run() -> list[Any]:
        return [chunk async for chunk in graph.astream({"x": 5, "seen": []})]

    assert asyncio.run(run()) == [{"node": {"seen": [{"x": 5}]}}]


def test_the_root_graphs_store_is_the_one_every_subgraph_sees_as_in_langgraph() -> None:
    # measured on LangGraph 1.2.22: a subgraph's own store is ignored, even when the
    # graph running it has none, whether it is a node or invoked from one
    import langgraph.graph as lg

    outcomes = []
    for impl in (lg, sys.modules["flowc.langgraph"]):
        root_store, own_store = InMemoryStore(), InMemoryStore()
        names = {id(root_store): "root", id(own_store): "own", id(None): None}
        seen: list[Any] = []

        def inner(
            state: State, store, _seen: list[Any] = seen, _names: Any = names
        ) -> dict[str, Any]:  # type: ignore[no-untyped-def]
            _seen.append(_names[id(store)])
            return {}

        for root, own in ((None, own_store), (root_store, own_store), (root_store, None)):
            sub = impl.StateGraph(State).add_node(inner).add_edge(START, "inner").compile(store=own)

            def call(state: State, _sub: Any = sub) -> dict[str, Any]:
                _sub.invoke(state)
                return {}

            as_node = impl.StateGraph(State).add_node("sub", sub).add_edge(START, "sub")
            calling = impl.StateGraph(State).add_node(call).add_edge(START, "call")
            as_node.compile(store=root).invoke({"x": 1, "seen": []})
            calling.compile(store=root).invoke({"x": 1, "seen": []})
        sub.invoke({"x": 1, "seen": []})
        outcomes.append(seen)
    assert outcomes[1] == outcomes[0] == [None, None, "root", "root", "root", "root", None]


def _call(name: str, args: dict[str, Any], call_id: str = "c1") -> dict[str, Any]:
    return {"messages": [AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])]}


def test_a_tool_node_outside_a_graph_gives_its_tools_a_runtime_without_store() -> None:
    def where(city: str, runtime: ToolRuntime) -> str:
        """Where the call runs."""
        state = runtime.state["messages"][-1].tool_calls[0]["id"]
        return f"{city} {runtime.tool_call_id} {state} {runtime.store} {len(runtime.tools)}"

    out = ToolNode([where]).invoke(_call("where", {"city": "sf"}))
    (message,) = out["messages"]
    assert isinstance(message, ToolMessage)
    assert message.content == "sf c1 c1 None 1"


def test_the_model_cannot_forge_an_injected_store_or_runtime() -> None:
    store = InMemoryStore()

    def save(text: str, store: Annotated[Any, InjectedStore()], runtime: ToolRuntime) -> str:
        """Save a text."""
        store.put(("saved",), runtime.tool_call_id or "", {"text": text})
        return "ok"

    class Chat(TypedDict):
        messages: list

    node = ToolNode([save])
    assert set(node.tools_by_name["save"].tool_call_schema.model_json_schema()["properties"]) == {
        "text"
    }
    graph = StateGraph(Chat).add_node("tools", node).add_edge(START, "tools").compile(store=store)
    forged = _call("save", {"text": "hi", "store": "forged", "runtime": "forged"}, "c7")
    graph.invoke(forged)
    assert store.get(("saved",), "c7").value == {"text": "hi"}  # type: ignore[union-attr]


def test_langgraphs_own_injected_store_and_tool_runtime_markers_work_in_flowcs_tool_node() -> None:
    # code that still imports the markers from langgraph.prebuilt runs unchanged
    store = InMemoryStore()

    def save(text: str, shelf: Annotated[Any, TheirInjectedStore()], rt: TheirToolRuntime) -> str:
        """Save a text."""
        shelf.put(("saved",), rt.tool_call_id or "", {"text": text, "same": rt.store is shelf})
        return "ok"

    class Chat(TypedDict):
        messages: list

    graph = (
        StateGraph(Chat)
        .add_node("tools", ToolNode([save]))
        .add_edge(START, "tools")
        .compile(store=store)
    )
    graph.invoke(_call("save", {"text": "hi"}, "c3"))
    assert store.get(("saved",), "c3").value == {"text": "hi", "same": True}  # type: ignore[union-attr]
