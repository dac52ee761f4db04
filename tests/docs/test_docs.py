"""The documentation cannot drift from the code: catalog, examples, docstrings and the build.

* ``docs/codes.md`` holds, between its two marker comments, exactly the table that
  ``python -m errorkit codes --markdown`` prints; after changing a class, regenerate it with
  that command.
* Every Python example in ``README.md`` and ``docs/**/*.md`` runs, the way a reader runs it:
  each page's ``python`` blocks in order, in one fresh module namespace, from a temporary
  working directory (``pycon`` blocks run as doctests); and each block copied alone, in a
  fresh namespace, with the imports it uses (ruff finds no undefined name in it). A block that
  builds on the one before it opens with the comment ``# Continues the example above``; it is
  run, and checked, together with the blocks it continues. Fence a block as ``text`` or
  ``console`` to keep it out.
* Every ``>>>`` example in the docstrings of the errorkit modules runs.
* Every constructor argument is documented in the ``Args:`` of its class's docstring or of a
  base class's (a shared one once, by the base); a class documents only arguments it accepts.
  Every public function's or method's ``Args:`` section lists exactly its parameters.
* The README's tree names every class; the README and the docs index say where each family
  from the Mixpanel client comes from.
* No file names a document outside the repository: ``docs/guarantees.md`` is the contract.
* The site itself (a strict build, its links, how its pages render) is checked in
  ``tests/docs/test_site.py``.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import json
import logging
import pkgutil
import re
import subprocess
import sys
import traceback
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

import errorkit
from errorkit import _build, _cli
from errorkit.exceptions import Error
from tests.samples import all_error_classes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
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
    """Map each code on the catalog page to the class its entry names.

    Entries are the ``###`` sections; each names its class once (a link to the reference)
    and anchors each of its codes with ``{#CODE}``.
    """
    rows = {}
    for entry in re.split(r"^### ", _catalog_section(), flags=re.MULTILINE)[1:]:
        classes = re.findall(r"\[`(\w+)`\]\[errorkit\.exceptions\.\1\]", entry)
        assert len(classes) == 1, f"a catalog entry names one class: {entry[:60]!r}"
        for code in re.findall(r"\{#([A-Z][A-Z0-9_]*)\}", entry):
            rows[code] = classes[0]
    return rows


def test_catalog_page_is_the_generated_catalog() -> None:
    """The text between the markers of docs/codes.md is exactly ``catalog_markdown()``."""
    assert _catalog_section().strip("\n") + "\n" == _cli.catalog_markdown(), (
        "docs/codes.md is out of date: paste the output of "
        "`python -m errorkit codes --markdown` between its markers"
    )


def test_catalog_page_lists_every_code_of_every_class() -> None:
    """Every class's code and every alternative code has a row naming the class that owns it."""
    rows = _catalog_rows()
    expected = {cls.code: cls.__name__ for cls in all_error_classes()}
    expected.update({code: cls.__name__ for code, cls in Error._by_code.items()})
    assert {"OAUTH_REFRESH_REVOKED", "ORGANIZATION_AMBIGUOUS"} <= expected.keys()
    missing = sorted(expected.keys() - rows.keys())
    assert not missing, f"codes missing from docs/codes.md: {missing}"
    assert {code: rows[code] for code in expected} == expected


def test_catalog_says_once_what_codes_of_a_class_share() -> None:
    """A class with several codes has its advice once, and one line of its own per code."""
    section = _catalog_section()
    for cls in (errorkit.OAuthError, errorkit.WorkspaceScopeError):
        remedy = _cli._remedy_of(cls)
        assert remedy, cls.__name__
        assert section.count(remedy) == 1, cls.__name__
        for code in (cls.code, *vars(cls)["_other_codes"]):
            assert f"#### `{code}` {{#{code}}}\n\n{_cli._CODE_MEANINGS[code]}" in section


def test_every_code_of_a_class_with_several_says_what_it_means() -> None:
    """The catalog's meanings cover exactly the codes of the classes that carry several."""
    several = [cls for cls in all_error_classes() if vars(cls).get("_other_codes")]
    codes = {code for cls in several for code in (cls.code, *vars(cls)["_other_codes"])}
    assert codes == _cli._CODE_MEANINGS.keys()


def test_catalog_groups_codes_by_family_in_tree_order() -> None:
    """The catalog's sections are the base class and then each family, in tree order."""
    families = re.findall(r"^## `(\w+)`", _catalog_section(), flags=re.MULTILINE)
    assert families == ["Error", *(cls.__name__ for cls in Error.__subclasses__())]


GUIDE = DOCS / "guide.md"
TREE_START, TREE_END = "<!-- tree:start -->", "<!-- tree:end -->"


def test_guide_tree_is_the_generated_tree() -> None:
    """The tree in the guide, between its markers, is exactly ``tree_markdown()``."""
    page = GUIDE.read_text(encoding="utf-8")
    tree = page[page.index(TREE_START) + len(TREE_START) : page.index(TREE_END)]
    assert tree.strip("\n") + "\n" == _cli.tree_markdown(), (
        "the tree in docs/guide.md is out of date: paste the output of "
        "`python -c 'from errorkit._cli import tree_markdown; print(tree_markdown())'`"
    )
    assert "[`APITimeoutError`][errorkit.exceptions.APITimeoutError] (+ `TimeoutError`)" in tree


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


_CONTINUES = re.compile(r"#\s*Continues the example above\b")


def _continues(block: Block) -> bool:
    """Whether a block opens with the comment saying it builds on the block before it."""
    first = next((line for line in block.source.splitlines() if line.strip()), "")
    return _CONTINUES.match(first.strip().removeprefix(">>>").strip()) is not None


def _chains(page: Path) -> list[tuple[int, list[Block]]]:
    """Each runnable block of a page (numbered from 1) with the blocks a reader copies for it.

    That is the block itself, preceded by the blocks it continues: the chain back to the
    nearest block that does not open with the continuation comment.
    """
    blocks = [block for block in _code_blocks(_page_text(page)) if block.language in _RUNNABLE]
    chains = []
    for index in range(len(blocks)):
        start = index
        while start > 0 and _continues(blocks[start]):
            start -= 1
        chains.append((index + 1, blocks[start : index + 1]))
    return chains


def _logging_state() -> dict[str, tuple[list[logging.Handler], int, bool]]:
    """The handlers, level and propagation of every logger, to restore after examples ran."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    return {
        logger.name: (list(logger.handlers), logger.level, logger.propagate)
        for logger in loggers
        if isinstance(logger, logging.Logger)
    }


def _restore_logging(saved: dict[str, tuple[list[logging.Handler], int, bool]]) -> None:
    """Put every logger back as ``_logging_state`` found it; new loggers lose their handlers."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger):
            handlers, level, propagate = saved.get(logger.name, ([], logging.NOTSET, True))
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate


def test_continuation_marks_chain_blocks() -> None:
    """A block opening with the continuation comment is copied with the blocks before it."""
    page = "```python\nx = 1\n```\n\n```python\n# Continues the example above.\ny = x\n```\n"
    first, second = _code_blocks(page)
    assert not _continues(first)
    assert _continues(second)
    assert not _continues(Block(1, "python", "x = 1  # Continues the example above\n"))


@pytest.mark.parametrize("page", _runnable_pages(), ids=_name)
def test_page_examples_run_alone(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every example runs copied alone into a fresh module, with the examples it continues."""
    monkeypatch.chdir(tmp_path)
    saved = _logging_state()
    try:
        for number, chain in _chains(page):
            assert number > 1 or len(chain) == 1, "a page's first example continues nothing"
            where = f"{_name(page)}, example {number} (line {chain[-1].line}) copied alone"
            module = types.ModuleType(f"docs_alone_{number}")
            monkeypatch.setitem(sys.modules, module.__name__, module)
            for block in chain:
                if block.language == "pycon":
                    _run_pycon(block, module, where)
                else:
                    _run_python(block, module, where)
    finally:
        _restore_logging(saved)
    capsys.readouterr()


def test_examples_name_everything_they_use(tmp_path: Path) -> None:
    """Every example copied alone imports what it uses, in function bodies too (ruff's F821)."""
    files: dict[str, str] = {}
    for page in _runnable_pages():
        for number, chain in _chains(page):
            if any(block.language != "python" and block.language != "py" for block in chain):
                continue
            where = f"{_name(page)}, example {number} (line {chain[-1].line})"
            path = tmp_path / f"example_{len(files)}.py"
            path.write_text("".join(block.source for block in chain), encoding="utf-8")
            files[path.name] = where
    assert len(files) > 20
    result = subprocess.run(
        [
            sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "F821",
            "--output-format", "json", str(tmp_path),
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    found = json.loads(result.stdout)
    undefined = sorted(f"{files[Path(item['filename']).name]}: {item['message']}" for item in found)
    assert not undefined, "examples that fail when copied alone:\n" + "\n".join(undefined)


# ---------------------------------------------------------------------------------------------
# The README and the docs index
# ---------------------------------------------------------------------------------------------

# The families errorkit took from the Mixpanel client, which an API client may never need.
MIXPANEL_FAMILIES = (
    "JQLSyntaxError",
    "SessionReplayError",
    "BusinessContextValidationError",
    "WorkspaceScopeError",
)


def _readme_tree() -> str:
    """The README's tree: the first fenced block that starts with ``Error``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(b.source for b in _code_blocks(readme) if b.source.startswith("Error "))


def test_readme_tree_names_every_class() -> None:
    """Every class of the hierarchy appears in the README's tree, so the picture cannot drift."""
    words = set(re.findall(r"\w+", _readme_tree()))
    missing = [cls.__name__ for cls in all_error_classes() if cls.__name__ not in words]
    assert not missing, f"README.md's tree lacks {missing}"


@pytest.mark.parametrize("page", ["README.md", "docs/index.md"])
def test_mixpanel_families_are_explained(page: str) -> None:
    """The README and the docs index say where each Mixpanel family is from and when to use it."""
    text = (ROOT / page).read_text(encoding="utf-8")
    section = text[text.index("## Where the families come from") :]
    following = section.find("\n## ")
    items = re.split(r"\n(?=- )", section if following < 0 else section[:following])
    for name in MIXPANEL_FAMILIES:
        item = next((item for item in items if item.startswith(f"- `{name}`")), "")
        assert item, f"{page} has no item for {name}"
        assert "Mixpanel" in item, f"{page} does not say where {name} comes from"
        assert re.search(r"\b(use|raise|catch)", item), f"{page} does not say when to use {name}"


def test_readme_tree_marks_mixpanel_families() -> None:
    """The README's tree marks each Mixpanel family where it stands."""
    for line in _readme_tree().splitlines():
        for name in MIXPANEL_FAMILIES:
            if name in line:
                assert "Mixpanel" in line, line


def test_readme_tells_how_to_install_from_a_clone() -> None:
    """The README says how to install errorkit from a clone and from a git URL."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install ." in readme
    assert 'pip install "errorkit @ git+' in readme


def test_readme_examples_need_only_errorkit() -> None:
    """The README's examples import nothing but errorkit and the standard library."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in _code_blocks(readme) if b.language in _RUNNABLE]
    assert blocks
    for block in blocks:
        for module in re.findall(r"^\s*(?:import|from)\s+(\w+)", block.source, re.MULTILINE):
            assert module == "errorkit" or module in sys.stdlib_module_names, module


_OUTSIDE = ("CONTRACT" + ".md", "/work/" + "shared", "STYLE" + ".md")


def test_no_file_names_a_document_outside_the_repository() -> None:
    """No tracked file names a document that is not in the repository."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    offenders = []
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        offenders += [f"{name}: {word}" for word in _OUTSIDE if word in text]
    assert not offenders, offenders


# ---------------------------------------------------------------------------------------------
# Docstrings: arguments
# ---------------------------------------------------------------------------------------------

_ARG = re.compile(r"(?P<name>\*{0,2}\w+)(?:\s*\([^)]*\))?:")


def _documented_args(doc: str | None) -> list[str] | None:
    """The argument names of a Google-style ``Args:`` section (stars kept), or None without one."""
    if not doc:
        return None
    lines = inspect.cleandoc(doc).splitlines()
    if "Args:" not in (line.strip() for line in lines):
        return None
    start = next(i for i, line in enumerate(lines) if line.strip() == "Args:")
    header_indent = len(lines[start]) - len(lines[start].lstrip())
    names: list[str] = []
    indent = None
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
        if depth <= header_indent:
            break
        indent = depth if indent is None else indent
        if depth == indent:
            match = _ARG.match(line.strip())
            names.append(match["name"] if match else line.strip())
    return names


def _accepted_args(function: Callable[..., Any]) -> list[str]:
    """The parameter names of a function as a docstring writes them (``*args``, ``**kwargs``)."""
    parameters = list(inspect.signature(function).parameters.values())
    if "." in function.__qualname__ and parameters and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]  # a method's instance or class
    return [
        ("*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else "") + p.name
        for p in parameters
    ]


def test_documented_args_are_read() -> None:
    """The ``Args:`` reader takes each entry's name, with its stars and without its type."""
    doc = """Do it.

    Args:
        first: The first,
            on two lines: still the first.
        second (int): The second.
        **context: The rest.

    Returns:
        nothing: not an argument.
    """
    assert _documented_args(doc) == ["first", "second", "**context"]
    assert _documented_args("Do it.") is None
    assert _accepted_args(_documented_args) == ["doc"]


def _class_args(cls: type) -> list[str]:
    """The arguments the ``Args:`` of a class's own docstring names (none without one)."""
    return _documented_args(vars(cls).get("__doc__")) or []


def _undocumented_args(cls: type[Any]) -> tuple[list[str], list[str]]:
    """The constructor's arguments no class of the MRO documents, and those documented in vain.

    A class documents the arguments it adds, or says differently, in the ``Args:`` of its own
    docstring; an argument it shares with a base (``message``, ``provider``, ``**context``) is
    documented once, by the base that takes it.
    """
    accepted = _accepted_args(cls.__init__)
    documented = {name for klass in cls.__mro__ for name in _class_args(klass)}
    return (
        [name for name in accepted if name not in documented],
        [name for name in _class_args(cls) if name not in accepted],
    )


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda cls: cls.__name__)
def test_constructor_arguments_are_documented_once(cls: type[Error]) -> None:
    """Every constructor argument is in the ``Args:`` of its class or of a base, and no other."""
    missing, unknown = _undocumented_args(cls)
    assert not missing, f"{cls.__name__} accepts {missing}, documented by no class of its MRO"
    assert not unknown, f"{cls.__name__} documents {unknown}, which its constructor does not take"
    init = vars(cls).get("__init__")
    assert _documented_args(getattr(init, "__doc__", None)) is None, (
        f"{cls.__name__}.__init__ has an Args: section: document the arguments in the class"
    )


def test_undocumented_and_unknown_arguments_are_found() -> None:
    """The check names an argument documented nowhere, and one documented but not taken."""

    class _Base:
        """Documents what it takes.

        Args:
            message: The text.
        """

        def __init__(self, message: str) -> None:
            self.message = message

    class _Missing(_Base):
        """Takes a field no docstring names."""

        def __init__(self, message: str, *, field: int) -> None:
            super().__init__(message)

    class _Unknown(_Base):
        """Documents a field it does not take.

        Args:
            field: Not an argument.
        """

    assert _undocumented_args(_Missing) == (["field"], [])
    assert _undocumented_args(_Unknown) == ([], ["field"])
    assert _undocumented_args(Error) == ([], [])


def _modules() -> list[str]:
    """Every module of the errorkit package except ``__main__``."""
    found = pkgutil.walk_packages(errorkit.__path__, prefix="errorkit.")
    return sorted(name for _, name, _ in found if not name.endswith(".__main__"))


def _public_functions() -> list[tuple[str, Callable[..., Any]]]:
    """Every public function of the errorkit modules, and every public method of their classes."""
    found: dict[str, Callable[..., Any]] = {}
    for name in _modules():
        try:
            module = importlib.import_module(name)
        except ImportError:  # an integration whose library is not installed
            continue
        for attribute, value in vars(module).items():
            if attribute.startswith("_") or getattr(value, "__module__", None) != name:
                continue
            if isinstance(value, types.FunctionType):
                found[f"{name}.{value.__qualname__}"] = value
            elif isinstance(value, type):
                for method_name, method in vars(value).items():
                    function = getattr(method, "__func__", method)
                    if not method_name.startswith("_") and isinstance(function, types.FunctionType):
                        found[f"{name}.{function.__qualname__}"] = function
    return sorted(found.items())


def test_public_functions_are_found() -> None:
    """The function walk reaches module functions, methods and classmethods."""
    names = {name for name, _ in _public_functions()}
    assert {
        "errorkit.http_mapping.error_for_status",
        "errorkit.redaction.redact_text",
        "errorkit.exceptions.Error.from_dict",
        "errorkit.exceptions.ParseError.retry_message",
    } <= names


@pytest.mark.parametrize(
    "function", [f for _, f in _public_functions()], ids=[n for n, _ in _public_functions()]
)
def test_function_args_section_lists_exactly_its_arguments(function: Callable[..., Any]) -> None:
    """A public function's ``Args:`` section, when it has one, names exactly its parameters."""
    documented = _documented_args(function.__doc__)
    if documented is not None:
        assert documented == _accepted_args(function)


# ---------------------------------------------------------------------------------------------
# Docstring examples
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The pages a reader opens first: home page, reference, code blocks
# ---------------------------------------------------------------------------------------------

CODE_WIDTH = 88  # the longest code line a page shows without scrolling at desktop width


def test_code_lines_fit() -> None:
    """No line of a code block in the docs is longer than 88 characters."""
    long = [
        f"{_name(page)}:{block.line + 1 + number}: {len(line)} characters"
        for page in sorted(DOCS.rglob("*.md"))
        for block in _code_blocks(_page_text(page))
        for number, line in enumerate(block.source.splitlines())
        if len(line) > CODE_WIDTH
    ]
    assert not long, "code lines too long to read without scrolling:\n" + "\n".join(long)


def test_home_page_starts_with_pitch_install_and_example() -> None:
    """The home page opens with the pitch, the install line and a short example's output."""
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    first_screen = text[: text.index("\n## ")]
    assert re.search(r"^\*\*.+\*\*$", first_screen, re.MULTILINE), "no one-line pitch"
    blocks = list(_code_blocks(first_screen))
    assert [block.language for block in blocks] == ["sh", "python", "text"]
    assert blocks[0].source.startswith('pip install "errorkit @ git+https://')
    assert len(blocks[1].source.strip().splitlines()) <= 6
    assert "print(" in blocks[1].source
    assert blocks[2].source.strip()


def _reference_order() -> list[str]:
    """What the exceptions reference renders: classes in tree order, types, then constants."""
    import errorkit._types
    import errorkit.exceptions as module

    classes = [f"errorkit.exceptions.{cls.__name__}" for cls in _cli.classes()]
    types_ = [f"errorkit._types.{name}" for name in vars(errorkit._types) if name in _build._TYPES]
    constants = [
        f"errorkit.exceptions.{name}"
        for name in vars(module)
        if name.isupper() and name in module.__all__
    ]
    return [*classes, *types_, *constants]


def test_reference_opens_with_error_and_ends_with_constants() -> None:
    """The exceptions reference renders Error, the families, the types, last the constants."""
    page = (DOCS / "reference" / "exceptions.md").read_text(encoding="utf-8")
    rendered = re.findall(r"^::: (\S+)$", page, flags=re.MULTILINE)
    assert rendered == _reference_order(), (
        "docs/reference/exceptions.md should render, in order:\n"
        + "\n".join(f"::: {name}" for name in _reference_order())
    )
    assert {name.rpartition(".")[2] for name in rendered} == set(errorkit.exceptions.__all__)


_PRIVATE = re.compile(r"(?<![\w.])_(?!_)\w+|\b\w+\._(?!_)\w+")


def test_private_names_are_found() -> None:
    """The private-name pattern finds ``_name`` and ``module._name``, not dunders or words."""
    text = "``_layout``, errorkit._types, __init__, to_dict, a_b, ``__cause__``"
    assert _PRIVATE.findall(text) == ["_layout", "errorkit._types"]


def test_reference_docstrings_name_no_private_name() -> None:
    """No docstring the API reference renders names a private (underscored) name."""
    import griffe

    package = griffe.load("errorkit", search_paths=[str(ROOT / "src")], resolve_aliases=False)

    def public(obj: griffe.Object | griffe.Alias) -> Iterator[griffe.Object | griffe.Alias]:
        yield obj
        for name, member in obj.members.items():
            if not name.startswith("_") and not member.is_alias:
                yield from public(member)

    found = [
        f"{obj.path}: {match}"
        for module in ("exceptions", "http_mapping", "safety", "_types")
        for obj in public(package[module])
        if obj.docstring
        for match in _PRIVATE.findall(obj.docstring.value)
    ]
    assert found == []


def test_changelog_versions_are_links() -> None:
    """Every ``## [version]`` heading of the changelog has its link definition."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert "Unreleased" in versions
    defined = set(re.findall(r"^\[([^\]]+)\]: https://\S+$", text, flags=re.MULTILINE))
    assert set(versions) <= defined, sorted(set(versions) - defined)
