"""Typing of ``messages`` events: what ``mypy --strict`` says about code that filters them.

The session's one mypy run (tests/typing_support.py) checks ``tests/typing/messages_consumers.py`` (the reference
document's filters: by ``metadata["langgraph_node"]`` and by
``metadata["tags"]``, over the golden runner modules), which must give no
error, and the snippets of ``tests/typing/messages_errors/``, each of which
holds one mistake and must give exactly the lines below.
"""

from __future__ import annotations

import pytest

from .conftest import ROOT
from .typing_support import TYPING, reported_in

EXPECTED: dict[str, list[str]] = {
    "node_name_misspelt.py": [
        "8: error: Non-overlapping equality check (left operand type: "
        "\"Literal['write_joke', 'write_poem']\", right operand type: "
        "\"Literal['write_poems']\")  [comparison-overlap]",
    ],
    "metadata_wrong_key.py": [
        "8: error: TypedDict \"MessageMetadata[Literal['write_joke', 'write_poem']]\" has no "
        'key "langgraph_nodes"  [typeddict-item]',
        '8: note: Did you mean "langgraph_node" or "langgraph_step"?',
    ],
    "tags_compared_to_a_string.py": [
        '10: error: Non-overlapping equality check (left operand type: "list[str]", '
        "right operand type: \"Literal['joke']\")  [comparison-overlap]",
    ],
}


def test_filtering_by_node_and_by_tags_passes_mypy_strict(
    mypy_report: dict[str, list[str]],
) -> None:
    assert mypy_report.get((TYPING / "messages_consumers.py").as_posix()) is None


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "messages_errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert reported_in(mypy_report, "messages_errors") == {
        (TYPING / "messages_errors" / n).as_posix() for n in EXPECTED
    }


@pytest.mark.parametrize("snippet", sorted(EXPECTED))
def test_each_mistake_gives_mypys_exact_error(
    mypy_report: dict[str, list[str]], snippet: str
) -> None:
    assert mypy_report.get((TYPING / "messages_errors" / snippet).as_posix()) == EXPECTED[snippet]


LANGCHAIN_REVEALED = [
    '13: note: Revealed type is "langchain_core.messages.base.BaseMessage | '
    'flowc.integrations.openai_compat.ChatMessage"',
    "14: note: Revealed type is \"Literal['agent'] | Literal['tools']\"",
    '16: note: Revealed type is "str | None"',
    "19: note: Revealed type is \"Literal['refine_topic'] | Literal['joke_graph'] | "
    "Literal['retell'] | Literal['call_model']\"",
]


def test_with_langchain_a_message_is_langchains_and_node_names_are_the_graphs(
    mypy_report: dict[str, list[str]],
) -> None:
    # LangChain is followed by the session's run: its message classes are what is shown
    assert mypy_report[(TYPING / "messages_langchain.py").as_posix()] == LANGCHAIN_REVEALED
