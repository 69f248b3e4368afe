"""Typing of ``messages`` events: what ``mypy --strict`` says about code that filters them.

One mypy run checks ``tests/typing/messages_consumers.py`` (the reference
document's filters: by ``metadata["langgraph_node"]`` and by
``metadata["tags"]``, over the golden runner modules), which must give no
error, and the snippets of ``tests/typing/messages_errors/``, each of which
holds one mistake and must give exactly the lines below.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest
from mypy import api

from .conftest import ROOT

TYPING = Path("tests", "typing")

# the project's strict settings; the example nodes are importable, and only
# the files named on the command line are reported
MYPY_INI = """\
[mypy]
strict = True
python_version = 3.11
mypy_path = specs
plugins = pydantic.mypy
show_error_codes = True
pretty = False
color_output = False
error_summary = False

[mypy-flowc.*]
follow_imports = silent

[mypy-flowc_demo.*]
follow_imports = silent

[mypy-tests.golden.*]
follow_imports = silent

# the example nodes' chat models: not what is checked here, and slow to analyse
[mypy-langchain_core.*]
follow_imports = skip
"""

EXPECTED: dict[str, list[str]] = {
    "node_name_misspelt.py": [
        '8: error: Non-overlapping equality check (left operand type: '
        "\"Literal['write_joke', 'write_poem']\", right operand type: "
        "\"Literal['write_poems']\")  [comparison-overlap]",
    ],
    "metadata_wrong_key.py": [
        '8: error: TypedDict "MessageMetadata[Literal[\'write_joke\', \'write_poem\']]" has no '
        'key "langgraph_nodes"  [typeddict-item]',
        '8: note: Did you mean "langgraph_node" or "langgraph_step"?',
    ],
    "tags_compared_to_a_string.py": [
        '10: error: Non-overlapping equality check (left operand type: "list[str]", '
        "right operand type: \"Literal['joke']\")  [comparison-overlap]",
    ],
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy's output lines per file (paths relative to the project root)."""
    config = tmp_path_factory.mktemp("mypy") / "mypy.ini"
    config.write_text(MYPY_INI, encoding="utf-8")
    snippets = sorted((ROOT / TYPING / "messages_errors").glob("*.py"))
    args = [
        "--config-file",
        str(config),
        str(TYPING / "messages_consumers.py"),
        *(str(p.relative_to(ROOT)) for p in snippets),
    ]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        stdout, stderr, _ = api.run(args)
    finally:
        os.chdir(cwd)
    assert stderr == "", stderr
    report: dict[str, list[str]] = defaultdict(list)
    for line in stdout.splitlines():
        path, _, rest = line.partition(":")
        report[Path(path).as_posix()].append(rest.strip())
    return dict(report)


def test_filtering_by_node_and_by_tags_passes_mypy_strict(
    mypy_report: dict[str, list[str]],
) -> None:
    assert mypy_report.get((TYPING / "messages_consumers.py").as_posix()) is None


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "messages_errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert set(mypy_report) == {(TYPING / "messages_errors" / n).as_posix() for n in EXPECTED}


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
    tmp_path: Path,
) -> None:
    config = tmp_path / "mypy.ini"
    # LangChain followed this time: its message classes are what is shown
    config.write_text(MYPY_INI.split("# the example nodes")[0], encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        stdout, stderr, _ = api.run(
            ["--config-file", str(config), str(TYPING / "messages_langchain.py")]
        )
    finally:
        os.chdir(cwd)
    assert stderr == "", stderr
    assert [line.partition(":")[2].strip() for line in stdout.splitlines()] == LANGCHAIN_REVEALED
