"""``python -m errorkit``, run as a subprocess the way users and agents run it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from errorkit import _cli
from tests.samples import all_error_classes


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m errorkit ARGS`` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "errorkit", *args], capture_output=True, text=True, check=False
    )


def test_no_arguments_prints_tree_and_sample() -> None:
    """Without arguments: every class with its code and status, then a mapped 429."""
    result = run()
    assert result.returncode == 0
    for cls in all_error_classes():
        assert cls.__name__ in result.stdout
        assert cls.code in result.stdout
    assert "├── RateLimitError" in result.stdout
    assert "RATE_LIMITED" in result.stdout
    assert "class      RateLimitError" in result.stdout
    assert "Retry after 30 seconds." in result.stdout
    assert "sk-demo-not-a-real-key" not in result.stdout


def test_codes_lists_every_code() -> None:
    """``codes`` lists every class's code and the documented alternative codes."""
    result = run("codes")
    assert result.returncode == 0
    for cls in all_error_classes():
        assert cls.code in result.stdout
    for code in ("OAUTH_REFRESH_REVOKED", "AMBIGUOUS_WORKSPACE", "ORGANIZATION_AMBIGUOUS"):
        assert code in result.stdout


def test_codes_json_is_the_catalog() -> None:
    """``codes --json`` prints the catalog with status, retryable and exit code per code."""
    result = run("codes", "--json")
    assert result.returncode == 0
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    assert entries == _cli.catalog()
    by_code = {entry["code"]: entry for entry in entries}
    assert by_code["RATE_LIMITED"] == {
        "code": "RATE_LIMITED",
        "class": "RateLimitError",
        "status": 429,
        "retryable": True,
        "retryable_when": None,
        "exit_code": 5,
        "description": "Too many requests (HTTP 429): wait `retry_after` seconds when it is known.",
        "what_to_do": by_code["RATE_LIMITED"]["what_to_do"],
    }
    assert by_code["PROVIDER_ERROR"]["retryable_when"] == (
        "when the status is 408, 425, 429 or 5xx but 501"
    )
    assert by_code["OAUTH_TIMEOUT"]["class"] == "OAuthError"
    assert all(entry["what_to_do"] for entry in entries)
    assert len({entry["code"] for entry in entries}) == len(entries)


def test_codes_markdown_is_a_table() -> None:
    """``codes --markdown`` prints the docs' catalog table."""
    result = run("codes", "--markdown")
    assert result.returncode == 0
    assert result.stdout == _cli.catalog_markdown()
    assert result.stdout.startswith("| Code | Class |")


@pytest.mark.parametrize(
    ("argument", "first_line"),
    [
        ("RATE_LIMITED", "RATE_LIMITED: RateLimitError(APIError)"),
        ("rate_limited", "RATE_LIMITED: RateLimitError(APIError)"),
        ("RateLimitError", "RATE_LIMITED: RateLimitError(APIError)"),
        ("OAUTH_TIMEOUT", "OAUTH_TIMEOUT: OAuthError(Error)"),
        (
            "PROVIDER_UNAUTHORIZED",
            "PROVIDER_UNAUTHORIZED: UnauthorizedError(ConnectorError, AuthenticationError)",
        ),
    ],
)
def test_explain(argument: str, first_line: str) -> None:
    """``explain`` names the class and bases, its facts, meaning and what to do."""
    result = run("explain", argument)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == first_line
    assert "exit code" in lines[1]
    assert "What to do: " in result.stdout


def test_explain_rate_limit_facts() -> None:
    """``explain RATE_LIMITED`` gives status 429, retryable and exit code 5."""
    result = run("explain", "RATE_LIMITED")
    assert result.stdout.splitlines()[1] == "HTTP status 429 · retryable: yes · exit code 5"


def test_explain_unknown_code_is_a_usage_error() -> None:
    """An unknown code exits 2 with a message on stderr."""
    result = run("explain", "NO_SUCH_CODE")
    assert result.returncode == 2
    assert "unknown error code 'NO_SUCH_CODE'" in result.stderr
    assert result.stdout == ""


def test_map_status_with_headers_and_body() -> None:
    """``map`` builds the typed error from a status, headers and a JSON body."""
    result = run(
        "map", "429", "--header", "Retry-After: 12", "--header", "X-Request-ID:r1",
        "--body", '{"error": "slow down"}', "--provider", "acme", "--json",
    )  # fmt: skip
    assert result.returncode == 0
    shown = json.loads(result.stdout)
    assert shown["class"] == "RateLimitError"
    assert shown["str"] == "slow down. Retry after 12 seconds."
    assert shown["to_dict"]["details"]["retry_after"] == 12.0
    assert shown["to_dict"]["details"]["request_id"] == "r1"
    assert shown["to_dict"]["details"]["provider"] == "acme"


def test_map_text_output() -> None:
    """``map`` without ``--json`` prints class, ``str()`` and ``to_dict()`` for people."""
    result = run("map", "404", "--body", "no such report")
    assert result.returncode == 0
    assert "class      NotFoundError" in result.stdout
    assert "str()      no such report" in result.stdout


def test_map_connector() -> None:
    """``map --connector`` uses the agent-facing connector mapping."""
    result = run("map", "401", "--connector", "--provider", "fred", "--json")
    assert result.returncode == 0
    shown = json.loads(result.stdout)
    assert shown["class"] == "UnauthorizedError"
    assert shown["str"] == (
        "fred: API credentials missing or invalid. DO NOT retry with different arguments."
    )


def test_map_masks_secrets_in_the_body() -> None:
    """A secret in the body never reaches the printed message or payload."""
    result = run("map", "500", "--body", "failed: api_key=sk-cli-secret-123", "--json")
    assert result.returncode == 0
    assert "sk-cli-secret-123" not in result.stdout


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("map", "abc"), "STATUS must be a number, got 'abc'"),
        (("map", "200"), "STATUS must be an error status (400 or more), got 200"),
        (("map", "500", "--header", "no-colon"), "--header takes NAME:VALUE"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_a_usage_error(args: tuple[str, ...], complaint: str) -> None:
    """Bad input exits 2 with a clear message on stderr."""
    result = run(*args)
    assert result.returncode == 2
    assert complaint in result.stderr


def test_cli_imports_nothing_third_party() -> None:
    """Running ``codes`` imports only the standard library and errorkit."""
    code = (
        "import sys, io, contextlib; before = set(sys.modules); from errorkit import _cli\n"
        "with contextlib.redirect_stdout(io.StringIO()): _cli.main(['codes'])\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    foreign = {name.partition(".")[0] for name in out.split()} - set(sys.stdlib_module_names)
    assert foreign <= {"errorkit"}


def test_schema_prints_the_payload_json_schema() -> None:
    """``schema`` prints the JSON schema of the ``to_dict()`` payload."""
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert {"code", "message", "details"} <= set(schema["properties"])
    assert {"code", "message", "details"} <= set(schema["required"])
