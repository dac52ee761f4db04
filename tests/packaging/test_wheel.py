"""The built wheel, installed the way a user installs it, type-checks and runs.

The other typing checks read the source tree (``mypy_path = src``), so they cannot see what a
user's type checker sees. Here the wheel is built from the repository, installed into a fresh
virtual environment with only its runtime dependencies, and then:

* it holds ``errorkit/py.typed``, so type checkers read its annotations (PEP 561);
* ``mypy --strict`` and pyright (strict) pass on ``tests/typing/`` against that install, with
  the development environment's checkers pointed at the fresh interpreter;
* the README's examples and ``python -m errorkit`` run there, on errorkit alone.

It is one module-scoped build shared by the tests below (about 20 s in all).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest

import errorkit
from tests.docs.test_docs import _code_blocks

ROOT = Path(__file__).resolve().parents[2]
TYPING = ROOT / "tests" / "typing"
# mypy's cache of the standard library survives between runs; errorkit is re-read each time.
MYPY_CACHE = Path(sys.prefix) / ".wheel-test-mypy-cache"


class Install(NamedTuple):
    """A wheel built from the repository and installed into a fresh virtual environment."""

    wheel: Path
    python: Path


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command with a clean environment for type checkers, capturing its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _check(result: subprocess.CompletedProcess[str]) -> str:
    """Return the command's output, failing the test with it when the command failed."""
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    """Build the wheel and install it, with its runtime dependencies only, into a fresh venv."""
    where = tmp_path_factory.mktemp("wheel")
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet")
    _check(_run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", where / "dist", ROOT))
    (wheel,) = (where / "dist").glob("errorkit-*.whl")
    _check(_run(sys.executable, "-m", "venv", "--without-pip", where / "venv"))
    python = where / "venv" / "bin" / "python"
    _check(_run(*pip, "--python", python, "install", wheel))
    return Install(wheel, python)


def test_wheel_holds_the_typed_marker(install: Install) -> None:
    """The wheel ships ``errorkit/py.typed`` next to the package's modules."""
    names = zipfile.ZipFile(install.wheel).namelist()
    assert "errorkit/py.typed" in names
    assert "errorkit/exceptions.py" in names
    assert (ROOT / "src" / "errorkit" / "py.typed").is_file()


def test_fresh_install_has_only_the_runtime_dependencies(install: Install) -> None:
    """The fresh environment holds errorkit and typing-extensions and nothing else."""
    listed = _check(
        _run(sys.executable, "-m", "pip", "--python", install.python, "list", "--format", "json")
    )
    names = {entry["name"].lower().replace("_", "-") for entry in json.loads(listed)}
    assert names == {"errorkit", "typing-extensions"}
    location = _check(_run(install.python, "-c", "import errorkit; print(errorkit.__file__)"))
    assert Path(location.strip()).is_relative_to(install.python.parent.parent)


def _typing_sources(tmp_path: Path) -> Path:
    """Copy ``tests/typing`` into an empty directory, away from the project's configuration.

    The integrations' user code needs their libraries, which the bare install lacks: the
    dev environment's checks cover it.
    """
    target = tmp_path / "user"
    target.mkdir()
    for source in TYPING.glob("*.py"):
        if source.name not in ("__init__.py", "integrations_user_code.py"):
            shutil.copy(source, target / source.name)
    return target


def test_mypy_strict_passes_against_the_installed_wheel(install: Install, tmp_path: Path) -> None:
    """``mypy --strict`` type-checks the user code against the install, not the source tree."""
    user = _typing_sources(tmp_path)
    result = _run(
        sys.executable, "-m", "mypy", "--strict", "--warn-unreachable",
        "--python-executable", install.python, "--cache-dir", MYPY_CACHE,
        *sorted(path.name for path in user.glob("*.py")),
        cwd=user,
    )  # fmt: skip
    output = _check(result)
    assert "Success: no issues found" in output


def test_pyright_strict_passes_against_the_installed_wheel(
    install: Install, tmp_path: Path
) -> None:
    """Pyright in strict mode type-checks the user code against the install."""
    user = _typing_sources(tmp_path)
    config = {
        "include": ["."],
        "typeCheckingMode": "strict",
        "pythonVersion": f"{sys.version_info.major}.{sys.version_info.minor}",
        "reportUnnecessaryTypeIgnoreComment": "error",
    }
    (user / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    result = _run(sys.executable, "-m", "pyright", "--pythonpath", install.python, cwd=user)
    output = _check(result)
    assert "0 errors" in output


def test_readme_examples_run_on_errorkit_alone(install: Install, tmp_path: Path) -> None:
    """Each Python example of the README runs in the fresh install, which has no httpx."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [block for block in _code_blocks(readme) if block.language == "python"]
    assert blocks
    for number, block in enumerate(blocks, 1):
        script = tmp_path / f"readme_{number}.py"
        script.write_text(block.source, encoding="utf-8")
        _check(_run(install.python, script, cwd=tmp_path))
    probe = "import importlib.util as u; print(u.find_spec('httpx') is None)"
    assert _check(_run(install.python, "-c", probe)).strip() == "True"


def test_command_line_runs_on_errorkit_alone(install: Install) -> None:
    """``python -m errorkit`` prints its version and the catalog from the fresh install."""
    version = _check(_run(install.python, "-m", "errorkit", "--version"))
    assert version == f"errorkit {errorkit.__version__}\n"
    codes = _check(_run(install.python, "-m", "errorkit", "codes", "--json"))
    assert {entry["code"] for entry in json.loads(codes)} >= {"RATE_LIMITED", "NOT_FOUND"}
