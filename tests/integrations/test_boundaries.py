"""The integrations stay optional: ``import errorkit`` loads none of their libraries."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# integration module -> (the extra named after it, the top-level package it imports)
INTEGRATIONS = {
    "opentelemetry": ("opentelemetry", "opentelemetry"),
    "sentry": ("sentry", "sentry_sdk"),
    "starlette": ("starlette", "starlette"),
    "mcp": ("mcp", "mcp"),
    "langchain": ("langchain", "langchain_core"),
    "pydantic_ai": ("pydantic_ai", "pydantic_ai"),
}
LIBRARIES = sorted(
    {library for _, library in INTEGRATIONS.values()}
    | {"fastapi", "uvicorn", "httpx", "anyio", "pydantic", "mcp_types"}
)


def _loaded_after(statement: str) -> list[str]:
    """Run ``statement`` in a fresh interpreter and return which watched packages it loaded."""
    probe = (
        f"import sys\n{statement}\n"
        f"import json\nprint(json.dumps(sorted(set({LIBRARIES!r}) & set(sys.modules))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_import_errorkit_loads_no_integration_library() -> None:
    """``import errorkit`` (and the ``errorkit.integrations`` package) imports none of them."""
    assert _loaded_after("import errorkit, errorkit.integrations") == []


@pytest.mark.parametrize("module", sorted(INTEGRATIONS))
def test_each_integration_imports_its_library_at_the_top(module: str) -> None:
    """Each integration module imports its library at module level, not inside a function."""
    _, library = INTEGRATIONS[module]
    path = ROOT / "src" / "errorkit" / "integrations" / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.partition(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.partition(".")[0] for alias in node.names)
    assert library in imported


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is in the stdlib from 3.11")
def test_every_integration_has_its_extra_and_is_in_dev() -> None:
    """Each integration has an optional extra of its name, and its packages are in ``dev``."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    assert project["dependencies"] == ["typing-extensions>=4.6"]

    def names(requirements: list[str]) -> set[str]:
        return {req.split(">")[0].split("=")[0].split("[")[0].strip() for req in requirements}

    dev = names(extras["dev"])
    for extra, _ in INTEGRATIONS.values():
        assert extra in extras, f"no [{extra}] extra"
        assert names(extras[extra]) <= dev | {"opentelemetry-api"}
    assert {"opentelemetry-sdk", "uvicorn", "fastapi"} <= dev
