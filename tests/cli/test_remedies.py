"""The remedies table: one piece of advice per class, read by ``explain`` and the code page."""

from __future__ import annotations

import ast
import inspect

from errorkit import _cli, _remedies
from errorkit.exceptions import Error
from tests.cli.test_cli import run
from tests.samples import all_error_classes


def test_every_class_has_exactly_one_remedy_and_none_is_orphaned() -> None:
    """The table's keys are exactly the classes' own codes, each written once in the source."""
    source = inspect.getsource(_remedies)
    table = next(
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "REMEDIES"
    )
    assert isinstance(table, ast.Dict)
    written = [ast.literal_eval(key) for key in table.keys if key is not None]
    assert len(written) == len(set(written))
    assert set(written) == {cls.code for cls in all_error_classes()}
    assert all(text.strip() for text in _remedies.REMEDIES.values())


def test_every_registered_code_reads_its_class_remedy() -> None:
    """Each registered code, alternative codes included, gets its class's advice in the catalog."""
    by_code = {entry["code"]: entry for entry in _cli.catalog()}
    for code, cls in Error._by_code.items():
        assert by_code[code]["what_to_do"] == _remedies.REMEDIES[cls.code]


def test_class_docstrings_say_what_the_error_is_not_what_to_do() -> None:
    """The advice is said once, in the table: no class docstring repeats it."""
    for cls in all_error_classes():
        assert "What to do" not in (cls.__doc__ or ""), cls.__name__


def test_explain_prints_the_remedy_from_the_table() -> None:
    """``explain`` ends with the code's remedy, for the class's own and its other codes."""
    for code in ("RATE_LIMITED", "OAUTH_REFRESH_REVOKED"):
        cls = Error.class_for_code(code)
        assert cls is not None
        result = run("explain", code)
        assert result.stdout.endswith(f"\nWhat to do: {_remedies.REMEDIES[cls.code]}\n")
