"""``python -m errorkit``, run as a subprocess the way users and agents run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

import errorkit
from errorkit import _cli, http_mapping
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
    assert "class       RateLimitError" in result.stdout
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


def test_codes_markdown_is_the_catalog_page() -> None:
    """``codes --markdown`` prints the Markdown of the docs' catalog page."""
    result = run("codes", "--markdown")
    assert result.returncode == 0
    assert result.stdout == _cli.catalog_markdown()
    assert result.stdout.startswith("## `Error`\n\n### `UNKNOWN_ERROR` {#UNKNOWN_ERROR}\n")


@pytest.mark.parametrize(
    ("argument", "first_line"),
    [
        ("RATE_LIMITED", "RATE_LIMITED: RateLimitError(APIError)"),
        ("rate_limited", "RATE_LIMITED: RateLimitError(APIError)"),
        ("rate-limited", "RATE_LIMITED: RateLimitError(APIError)"),
        ("RateLimitError", "RATE_LIMITED: RateLimitError(APIError)"),
        ("ratelimiterror", "RATE_LIMITED: RateLimitError(APIError)"),
        ("RATELIMITERROR", "RATE_LIMITED: RateLimitError(APIError)"),
        ("OAUTH_TIMEOUT", "OAUTH_TIMEOUT: OAuthError(Error)"),
        ("oautherror", "OAUTH_TOKEN_ERROR: OAuthError(Error)"),
        ("apitimeouterror", "TIMEOUT: APITimeoutError(APIConnectionError, TimeoutError)"),
        (
            "PROVIDER_UNAUTHORIZED",
            "PROVIDER_UNAUTHORIZED: UnauthorizedError(ConnectorError, AuthenticationError)",
        ),
    ],
)
def test_explain(argument: str, first_line: str) -> None:
    """``explain`` takes a code or a class name in any case and names the class and its facts."""
    result = run("explain", argument)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == first_line
    assert "exit code" in lines[1]
    assert "What to do: " in result.stdout


@pytest.mark.parametrize(
    ("argument", "suggested"),
    [
        ("ratelimit", "did you mean RATE_LIMITED, RateLimitError or PROVIDER_RATE_LIMITED?"),
        ("timout", "did you mean TIMEOUT or OAUTH_TIMEOUT?"),
        ("NotFoundErorr", "did you mean NotFoundError"),
    ],
)
def test_explain_suggests_close_names(argument: str, suggested: str) -> None:
    """An unknown name is answered with the closest codes and class names, under explain's usage."""
    result = run("explain", argument)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m errorkit explain")
    assert suggested in result.stderr
    assert result.stdout == ""


def test_explain_rate_limit_facts() -> None:
    """``explain RATE_LIMITED`` gives status 429, retryable and exit code 5."""
    result = run("explain", "RATE_LIMITED")
    assert result.stdout.splitlines()[1] == "HTTP status 429 · retryable: yes · exit code 5"


def test_explain_leaves_out_the_constructor_arguments() -> None:
    """``explain`` shows the class docstring's prose, not its ``Args:`` section."""
    result = run("explain", "PROVIDER_RATE_LIMITED")
    assert "`retry_after` is a duration in seconds" in result.stdout
    assert "Args:" not in result.stdout
    assert "quota_exhausted: True" not in result.stdout


def test_explain_unknown_code_is_a_usage_error() -> None:
    """An unknown code exits 2 with a message on stderr."""
    result = run("explain", "NO_SUCH_CODE")
    assert result.returncode == 2
    assert "unknown error code or class 'NO_SUCH_CODE'" in result.stderr
    assert "did you mean" not in result.stderr
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
    assert "class       NotFoundError" in result.stdout
    assert "str()       no such report" in result.stdout


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
    ("args", "usage", "complaint"),
    [
        (("map", "abc"), "map", "STATUS must be a number, got 'abc'"),
        (("map", "200"), "map", "STATUS must be an HTTP error status (400 to 599), got 200"),
        (("map", "399"), "map", "STATUS must be an HTTP error status (400 to 599), got 399"),
        (("map", "600"), "map", "STATUS must be an HTTP error status (400 to 599), got 600"),
        (("map", "600", "--connector"), "map", "(400 to 599), got 600"),
        (("map", "500", "--header", "no-colon"), "map", "--header takes NAME:VALUE"),
        (("map",), "map", "the following arguments are required: STATUS"),
        (("explain",), "explain", "the following arguments are required: CODE"),
        (("codes", "--json", "--markdown"), "codes", "not allowed with argument"),
        (("schema", "extra"), "", "unrecognized arguments: extra"),
        (("frobnicate",), "", "invalid choice"),
    ],
)
def test_bad_input_is_a_usage_error(args: tuple[str, ...], usage: str, complaint: str) -> None:
    """Bad input exits 2 with the usage of the subcommand it was given to and a clear message."""
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"usage: python -m errorkit {usage}".rstrip())
    assert complaint in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("map", "token=Zq7SECRETz"), id="attack5: a secret as STATUS"),
        pytest.param(("map", "401", "--header", "password=Zq7SECRETz"), id="attack5: --header"),
        pytest.param(("map", "401", "--header", "Bearer Zq7SECRETz"), id="attack5: a bare scheme"),
        pytest.param(("map", "401", "--bogus", "token=Zq7SECRETz"), id="attack5: unknown option"),
        pytest.param(("explain", "api_key=Zq7SECRETz"), id="attack5: explain"),
        pytest.param(("map", "429", "--header", "Retry-After: token=Zq7SECRETz"), id="warning"),
    ],
)
def test_usage_errors_and_warnings_mask_the_arguments(args: tuple[str, ...]) -> None:
    """Usage errors and warnings quote the arguments with their secrets masked."""
    result = run(*args)
    assert "Zq7SECRETz" not in result.stderr + result.stdout
    assert "***" in result.stderr


def test_map_accepts_the_ends_of_the_error_range() -> None:
    """``map`` accepts 400 and 599, the first and last HTTP error statuses."""
    assert json.loads(run("map", "400", "--json").stdout)["class"] == "BadRequestError"
    assert json.loads(run("map", "599", "--json").stdout)["class"] == "ServerError"


@pytest.mark.parametrize(
    ("header", "form"),
    [
        ("Retry-After: tomorrow", "a number of seconds or an HTTP date"),
        ("retry-after-ms: soon", "a number of milliseconds"),
        ("RateLimit-Reset: -", "a number of seconds"),
        ("X-RateLimit-Reset: never", "a number of seconds or a Unix time"),
    ],
)
def test_map_warns_about_an_unreadable_wait_header(header: str, form: str) -> None:
    """A wait header errorkit cannot read is named in a warning on stderr, not dropped silently."""
    result = run("map", "429", "--header", header, "--json")
    assert result.returncode == 0
    name, _, value = header.partition(":")
    warning = f"python -m errorkit map: warning: ignoring {name}: {value.strip()!r}, which is not "
    assert result.stderr == warning + form + "\n"
    shown = json.loads(result.stdout)  # the warning stays off stdout
    assert "retry_after" not in shown["to_dict"]["details"]


def test_map_is_silent_about_readable_wait_headers() -> None:
    """Wait headers that parse, and headers errorkit does not read, draw no warning."""
    result = run(
        "map", "429", "--header", "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT",
        "--header", "X-RateLimit-Reset: 30", "--header", "X-Custom: tomorrow",
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stderr == ""


def test_wait_headers_are_the_ones_the_mapping_reads() -> None:
    """The CLI warns about exactly the headers ``retry_after_from_headers`` reads."""
    assert set(_cli._WAIT_HEADERS) == {name for name, _ in http_mapping._RETRY_HEADERS}


@pytest.mark.parametrize(
    "args",
    [(), ("map", "429", "--header", "Retry-After: 30"), ("map", "503", "--connector")],
    ids=["tree", "map", "map-connector"],
)
def test_printed_error_rows_are_aligned(args: tuple[str, ...]) -> None:
    """The class, str(), retryable and retry_after values all start in the same column."""
    result = run(*args)
    labels = ("class ", "str() ", "retryable ", "retry_after ")
    rows = [line for line in result.stdout.splitlines() if line.startswith(labels)]
    assert len(rows) == (3 if "--connector" in args else 4)
    columns = {len(row) - len(row.split(maxsplit=1)[1]) for row in rows}
    assert columns == {len("retry_after ")}


def test_version() -> None:
    """``--version`` prints the installed version and exits 0."""
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"errorkit {errorkit.__version__}\n"


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("codes",),
        ("codes", "--json"),
        ("codes", "--markdown"),
        ("explain", "RATE_LIMITED"),
        ("map", "429", "--header", "Retry-After: 30"),
        ("schema",),
        ("--help",),
        ("--version",),
    ],
    ids=" ".join,
)
def test_closed_output_exits_quietly(args: tuple[str, ...]) -> None:
    """Writing to a reader that went away (``| head -1``) exits 0 with nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: every write fails
    try:
        result = subprocess.run(
            [sys.executable, "-m", "errorkit", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


def test_piped_into_head_exits_quietly() -> None:
    """``python -m errorkit codes | head -1`` prints one line and both sides exit 0."""
    command = f"set -o pipefail; {sys.executable} -m errorkit codes --json | head -1"
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "[\n", "")


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
