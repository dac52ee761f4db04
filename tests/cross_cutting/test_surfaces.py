"""No secret reaches any surface an error is read from, however the message was made.

Messages are masked once, at construction, so every reader of ``str(exc)`` is safe: the
traceback, ``logging``, structlog, problem details, the command line. Each row below makes
an error a different way, with secrets planted where that way takes its text from.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import traceback
from typing import TYPE_CHECKING, Any

import pytest

import errorkit
from errorkit import exceptions as ek

if TYPE_CHECKING:
    from collections.abc import Callable

KEY = "sk-proj-Z9y8X7w6V5u4T3s2R1q0P9o8"
PASSWORD = "hunter2-S3cr3t"
GITHUB = "ghp_" + "b" * 36


def _cause() -> ValueError:
    """An SDK-style failure whose text carries credentials."""
    return ValueError(f"request failed: api_key={KEY} Authorization: Bearer {GITHUB}")


MAKERS: dict[str, Callable[[], ek.Error]] = {
    "caller message": lambda: ek.Error(f"login with password={PASSWORD} failed"),
    "caller message, shape only": lambda: ek.ServerError(f"upstream said {KEY}"),
    "tool exception text": lambda: ek.ToolExecutionError(_cause()),
    "tool exception as text": lambda: ek.ToolExecutionError(f"token: {PASSWORD}"),
    "jql raw error": lambda: ek.JQLSyntaxError(f"Error: bad token={PASSWORD} near {KEY}"),
    "mapped response body": lambda: errorkit.error_for_status(
        401, response_body={"error": f"Invalid API key: {KEY}"}
    ),
    "mapped text body": lambda: errorkit.error_for_status(
        500, response_body=f"Authorization: Bearer {GITHUB}\npassword={PASSWORD}"
    ),
    "connector message": lambda: ek.ProviderError("acme", 500, f"cookie: sid={PASSWORD}"),
    "url in message": lambda: ek.APIConnectionError(f"cannot reach https://u:{PASSWORD}@db:5432"),
    "from_dict payload": lambda: ek.Error.from_dict(
        {"code": "UNKNOWN_ERROR", "message": f"jwt={PASSWORD} {GITHUB}", "details": {}}
    ),
}


def _traceback_text(error: BaseException) -> str:
    """Return the text Python prints for ``error`` raised from its cause-less frame."""
    try:
        raise error
    except BaseException as caught:
        return "".join(traceback.format_exception_only(type(caught), caught))


def _surfaces(error: ek.Error) -> dict[str, str]:
    """Every text a user or a tool reads from ``error``."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("errorkit.test.surfaces")
    logger.propagate = False
    handler = Keep()
    logger.addHandler(handler)
    try:
        logger.error("failed: %s", error)
    finally:
        logger.removeHandler(handler)
    return {
        "str": str(error),
        "repr": repr(error),
        "args": repr(error.args),
        "message": error.message,
        "to_dict": json.dumps(error.to_dict()),
        "traceback": _traceback_text(error),
        "problem": json.dumps(error.to_problem_details()),
        "logging": records[0].getMessage(),
    }


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_no_surface_shows_a_secret(make: Callable[[], ek.Error]) -> None:
    """``str``, ``repr``, ``args``, ``to_dict``, traceback, problem details and logs are safe."""
    error = make()
    for surface, text in _surfaces(error).items():
        for secret in (KEY, PASSWORD, GITHUB):
            assert secret not in text, (surface, text)


def test_parse_error_retry_message_is_masked() -> None:
    """The text sent back to an LLM never carries the cause's credentials."""
    error = ek.ParseError("acme", original_exception=_cause())
    message = error.retry_message()
    assert KEY not in message
    assert GITHUB not in message
    assert message.startswith("Your response could not be parsed: request failed: api_key=***")


def test_clean_default_messages_are_kept_byte_for_byte() -> None:
    """Masking at construction leaves a message without secrets exactly as it was."""
    assert str(ek.RateLimitError(retry_after=30)) == "Rate limit exceeded. Retry after 30 seconds."
    assert str(ek.MissingAPIKeyError("openai", "OPENAI_API_KEY")) == (
        "No API key found for openai. Set the OPENAI_API_KEY environment variable."
    )
    message = "Bearer token expired; see https://example.com/docs?page=2"
    assert ek.Error(message).message is message


def test_cli_map_output_is_masked() -> None:
    """``python -m errorkit map`` prints a body's secrets masked."""
    result = subprocess.run(
        [sys.executable, "-m", "errorkit", "map", "401", "--body", f"Invalid API key: {KEY}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert KEY not in result.stdout
    assert "***" in result.stdout


def test_structlog_payload_is_masked() -> None:
    """The structlog processor's payload carries the masked message."""
    structlog_integration = pytest.importorskip("errorkit.integrations.structlog")
    event: dict[str, Any] = {"event": "failed", "exc_info": ek.Error(f"token={PASSWORD}")}
    out = structlog_integration.add_error_dict(None, "error", event)
    assert PASSWORD not in json.dumps(out, default=str)
