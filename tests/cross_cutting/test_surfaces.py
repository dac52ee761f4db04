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
from typing import TYPE_CHECKING, Any, NamedTuple

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


# attack15: surfaces an independent attack found unmasked


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tracebacks print notes from 3.11")
def test_attack15_a_note_added_to_an_error_is_masked_in_its_traceback() -> None:
    """``add_note`` masks the note as a message is, so the traceback's note line is safe."""
    error = ek.Error("m")
    error.add_note(f"token={PASSWORD}")
    text = "".join(traceback.format_exception(error))
    assert PASSWORD not in text
    assert "token=***" in text


def test_attack15_add_note_refuses_what_python_refuses() -> None:
    """A note that is not a str, or notes that are not a list, raise as Python's own do."""
    error = ek.Error("m")
    with pytest.raises(TypeError, match="note must be a str"):
        error.add_note(3)  # type: ignore[arg-type]
    error.__notes__ = ("x",)  # type: ignore[assignment]
    with pytest.raises(TypeError, match="not a list"):
        error.add_note("y")
    clean = ek.Error("m")
    clean.add_note("see the runbook")
    clean.add_note("then retry")
    assert clean.__notes__ == ["see the runbook", "then retry"]


def test_attack15_an_unpicklable_cause_travels_masked() -> None:
    """The stand-in of a cause that cannot be pickled carries its text masked."""
    import pickle
    import threading

    class Unpicklable(Exception):
        def __init__(self, text: str) -> None:
            super().__init__(text)
            self.lock = threading.Lock()

    error = ek.APIError("m", status_code=500, original_exception=Unpicklable(f"api_key={KEY}"))
    cause = pickle.loads(pickle.dumps(error)).original_exception
    assert type(cause) is Exception
    assert str(cause) == "Unpicklable: api_key=***"


@pytest.mark.parametrize("spaces", [3950, 3970, 3987, 3999, 4000])
def test_attack15_a_body_cut_where_it_is_read_keeps_no_part_of_a_secret(spaces: int) -> None:
    """A secret that a 4,000-character body read cuts short is left out, not shown in part."""
    for secret in (GITHUB, f"https://user:{PASSWORD}@db.example.com/x"):
        text = " " * spaces + secret
        for body in (text, {"error": text}, text.encode(), bytearray(text.encode())):
            message = str(errorkit.error_for_status(500, response_body=body))
            assert GITHUB[4:12] not in message, (spaces, message)
            assert PASSWORD[:4] not in message, (spaces, message)


def test_attack15_a_body_cut_between_words_keeps_its_last_word() -> None:
    """A body cut at a space loses no word; one cut inside a word loses only that word."""
    assert str(errorkit.error_for_status(500, response_body="a" * 4005 + " tail")) == "Server error"
    kept = str(errorkit.error_for_status(500, response_body="a" * 3999 + " tail"))
    assert kept == "a" * 200
    message = str(errorkit.error_for_status(500, response_body="word " * 799 + "last more"))
    assert message == ("word " * 40).strip()
    text = "x " * 1999 + "ab"  # the cut falls between "a" and "b": "ab" is left out
    assert errorkit.http_mapping._excerpt(text) == ("x " * 100)[:200].rstrip()
    assert errorkit.http_mapping._excerpt("x " * 1999 + " ab") == ("x " * 100)[:200].rstrip()


def test_attack15_the_rate_limit_form_url_carries_the_project_id_masked() -> None:
    """A project id holding a secret is masked in the form URL built from it."""
    url = ek.RateLimitError(project_id=f"api_key={KEY}").rate_limit_form_url
    assert KEY not in url
    assert url.endswith("entry.1636741534=api_key%3D%2A%2A%2A")


def test_attack15_args_written_after_construction_are_masked() -> None:
    """``args`` assigned later holds its texts masked, so ``args == (message,)`` still holds."""
    error = ek.Error("m")
    error.args = (f"api_key={KEY}",)
    assert error.args == ("api_key=***",)
    assert error.args == (error.message,)
    error.args = [f"token={PASSWORD}", 3]  # type: ignore[assignment]  # any iterable
    assert error.args == ("token=***", 3)
    with pytest.raises(TypeError, match="not iterable"):
        error.args = 5  # type: ignore[assignment]
    clean = ek.RateLimitError(retry_after=3)
    assert clean.args == ("Rate limit exceeded. Retry after 3 seconds.",)


def _login_class() -> type:
    """A named tuple class defined in a function: pickle cannot find it by name."""

    class Login(NamedTuple):
        user: str
        password: str

    return Login


def test_attack15_a_value_that_cannot_be_pickled_travels_masked() -> None:
    """A value pickled as its JSON form is masked there, so ``to_dict()`` stays the same."""
    import copy
    import pickle

    error = ek.Error("m", details={"login": _login_class()("ada", PASSWORD)})
    assert error.to_dict()["details"] == {"login": ["ada", "***"]}
    for clone in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert clone.to_dict() == error.to_dict()
        assert PASSWORD not in repr(clone.details)
