"""The documentation cannot drift from the code: catalog, examples, docstrings and the build.

* ``docs/codes.md`` holds, between its two marker comments, exactly the table that
  ``python -m errorkit codes --markdown`` prints; after changing a class, regenerate it with
  that command.
* Every Python example in ``README.md`` and ``docs/**/*.md`` runs: each page's ``python``
  blocks in order, in one fresh module namespace, from a temporary working directory
  (``pycon`` blocks run as doctests). Fence a block as ``text`` or ``console`` to keep it out.
* Every ``>>>`` example in the docstrings of the errorkit modules runs.
* ``mkdocs build --strict`` succeeds.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import subprocess
import sys
import traceback
import types
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

import errorkit
from errorkit import _cli
from errorkit.exceptions import Error
from tests.samples import all_error_classes

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CODES_PAGE = DOCS / "codes.md"
START, END = "<!-- codes:start -->", "<!-- codes:end -->"

# ---------------------------------------------------------------------------------------------
# The error-code catalog page
# ---------------------------------------------------------------------------------------------


def _catalog_section() -> str:
    """Return the text between the two markers of the catalog page."""
    page = CODES_PAGE.read_text(encoding="utf-8")
    assert page.count(START) == 1, f"{CODES_PAGE.name} needs exactly one {START}"
    assert page.count(END) == 1, f"{CODES_PAGE.name} needs exactly one {END}"
    return page[page.index(START) + len(START) : page.index(END)]


def _catalog_rows() -> dict[str, str]:
    """Map each code on the catalog page to the class its row names."""
    rows = {}
    for line in _catalog_section().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 1 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[1].strip("`")
    return rows


def test_catalog_page_is_the_generated_table() -> None:
    """The table between the markers of docs/codes.md is exactly ``catalog_markdown()``."""
    assert _catalog_section().strip("\n") + "\n" == _cli.catalog_markdown(), (
        "docs/codes.md is out of date: paste the output of "
        "`python -m errorkit codes --markdown` between its markers"
    )


def test_catalog_page_lists_every_code_of_every_class() -> None:
    """Every class's code and every alternative code has a row naming the class that owns it."""
    rows = _catalog_rows()
    expected = {cls.code: cls.__name__ for cls in all_error_classes()}
    expected.update({code: cls.__name__ for code, cls in Error._registry.items()})
    assert {"OAUTH_REFRESH_REVOKED", "ORGANIZATION_AMBIGUOUS"} <= expected.keys()
    missing = sorted(expected.keys() - rows.keys())
    assert not missing, f"codes missing from docs/codes.md: {missing}"
    assert {code: rows[code] for code in expected} == expected


# ---------------------------------------------------------------------------------------------
# Examples in README.md and docs/
# ---------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)")
_SNIPPET = re.compile(r'^--8<--\s+"(?P<path>[^"]+)"\s*$')
_RUNNABLE = {"python", "py", "python3", "pycon"}


class Block(NamedTuple):
    """A fenced code block: where it starts, its language and its dedented source."""

    line: int
    language: str
    source: str


def _page_text(path: Path) -> str:
    """Return a page's Markdown with whole-line snippet includes (``--8<-- "FILE"``) inlined."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _SNIPPET.match(line)
        if match:
            lines.append((ROOT / match["path"]).read_text(encoding="utf-8"))
        else:
            lines.append(line)
    return "\n".join(lines)


def _code_blocks(text: str) -> Iterator[Block]:
    """Yield the fenced code blocks of a Markdown text, indented ones (admonitions) included."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        start, body = index, []
        while index < len(lines):
            stripped = lines[index].strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                break
            line = lines[index]
            body.append(line[indent:] if not line[:indent].strip() else line)
            index += 1
        index += 1
        yield Block(start, opening["lang"].lower(), "\n".join(body) + "\n")


def _pages() -> list[Path]:
    """README.md and every Markdown page of the docs."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _runnable_pages() -> list[Path]:
    """The pages with at least one example to run."""
    return [
        page
        for page in _pages()
        if any(block.language in _RUNNABLE for block in _code_blocks(_page_text(page)))
    ]


def _name(page: Path) -> str:
    """A page's path relative to the repository, for test ids and messages."""
    return page.relative_to(ROOT).as_posix()


def _run_python(block: Block, module: types.ModuleType, where: str) -> None:
    """Execute a ``python`` block in the module's namespace."""
    try:
        code = compile(block.source, where, "exec")
        exec(code, module.__dict__)
    except Exception as exc:
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        pytest.fail(f"{where} raised {type(exc).__name__}: {exc}\n\n{details}", pytrace=False)


def _run_pycon(block: Block, module: types.ModuleType, where: str) -> None:
    """Run a ``pycon`` block as a doctest in the module's namespace."""
    test = doctest.DocTestParser().get_doctest(
        block.source, module.__dict__, where, where, block.line
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    module.__dict__.update(test.globs)
    if runner.failures:
        pytest.fail(f"{where} failed:\n{''.join(report)}", pytrace=False)


def test_code_blocks_are_found_at_any_indentation() -> None:
    """Fences are read with their language and line, indented ones dedented, longer ones nested."""
    text = (
        "Intro.\n\n```python\nx = 1\n```\n\n!!! note\n\n"
        '    ```py title="y"\n    y = x\n    ```\n\n'
        "````text\n```python\nnot run\n```\n````\n"
    )
    assert list(_code_blocks(text)) == [
        Block(3, "python", "x = 1\n"),
        Block(9, "py", "y = x\n"),
        Block(13, "text", "```python\nnot run\n```\n"),
    ]


def test_failing_examples_name_their_page_and_number() -> None:
    """A failing ``python`` or ``pycon`` example is reported with its page, number and line."""
    module = types.ModuleType("docs_example_probe")
    where = "docs/page.md, example 2 (line 7)"
    with pytest.raises(pytest.fail.Exception, match=r"example 2 \(line 7\) raised ValueError: no"):
        _run_python(Block(7, "python", "raise ValueError('no')\n"), module, where)
    with pytest.raises(pytest.fail.Exception, match=r"example 2 \(line 7\) failed"):
        _run_pycon(Block(7, "pycon", ">>> 1 + 1\n3\n"), module, where)


def test_pages_with_examples_are_found() -> None:
    """The example runner finds the examples of the README, the index and the guide."""
    names = {_name(page) for page in _runnable_pages()}
    assert {"README.md", "docs/index.md", "docs/guide.md"} <= names


@pytest.mark.parametrize("page", _runnable_pages(), ids=_name)
def test_page_examples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every Python example on the page runs, in order, in one fresh namespace."""
    monkeypatch.chdir(tmp_path)
    module = types.ModuleType("docs_example_" + re.sub(r"\W", "_", _name(page)))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    blocks = [block for block in _code_blocks(_page_text(page)) if block.language in _RUNNABLE]
    for number, block in enumerate(blocks, 1):
        where = f"{_name(page)}, example {number} (line {block.line})"
        if block.language == "pycon":
            _run_pycon(block, module, where)
        else:
            _run_python(block, module, where)
    capsys.readouterr()  # the examples print; keep their output out of the report


# ---------------------------------------------------------------------------------------------
# Docstring examples
# ---------------------------------------------------------------------------------------------


def _modules() -> list[str]:
    """Every module of the errorkit package except ``__main__``."""
    found = pkgutil.walk_packages(errorkit.__path__, prefix="errorkit.")
    return sorted(name for _, name, _ in found if not name.endswith(".__main__"))


@pytest.mark.parametrize("name", ["errorkit", *_modules()])
def test_docstring_examples_run(name: str) -> None:
    """Every ``>>>`` example in the module's docstrings runs and shows what it claims."""
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test, out=report.append)
    assert not runner.failures, "".join(report)


# ---------------------------------------------------------------------------------------------
# The site
# ---------------------------------------------------------------------------------------------


def test_docs_build_strictly(tmp_path: Path) -> None:
    """``mkdocs build --strict`` succeeds: no broken link, anchor, reference or missing page."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "codes" / "index.html").is_file()


def test_guarantees_page_names_real_tests() -> None:
    """Every test the Guarantees page cites exists, so the page cannot point at nothing."""
    import ast
    import re

    page = (ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8")
    references = re.findall(r"`((?:properties|[\w/]+\.py)(?:::[\w*]+)*)`", page)
    assert len(references) > 20
    for reference in references:
        file, *names = reference.split("::")
        path = ROOT / "tests" / ("test_properties.py" if file == "properties" else file)
        assert path.is_file(), reference
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
        }
        for name in names:
            if name.endswith("*"):
                assert any(d.startswith(name[:-1]) for d in defined), reference
            else:
                assert name in defined, reference
