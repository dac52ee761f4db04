"""Read the parts of a Mixpanel JQL failure text for ``JQLSyntaxError``, and build it."""

from __future__ import annotations

from errorkit._coerce import str_of
from errorkit.exceptions import APIError
from errorkit.safety import redact_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from errorkit.exceptions import JQLSyntaxError

_WRAPPER = "UserVisiblePreconditionFailedError:"


def build(
    error: JQLSyntaxError, raw_error: str, script: str | None, request_path: str | None
) -> None:
    """The body of ``JQLSyntaxError.__init__``: the parts of ``raw_error``, then the HTTP error.

    The message is the error's type and message, then its code line and caret line; the
    response body holds the raw error (and the request path), the request body the script.
    """
    error.raw_error = raw_error
    error.script = script
    error.request_path = request_path
    text = str.__str__(raw_error) if isinstance(raw_error, str) else str_of(raw_error)
    error.error_type, error.error_message, error.line_info, error.stack_trace = parse(text)
    response_body: dict[str, Any] = {"error": raw_error}
    if request_path is not None:
        response_body["request"] = request_path
    message = f"JQL {error.error_type}: {error.error_message}"
    if error.line_info:
        message += f"\n{error.line_info}"
    body = None if script is None else {"script": script}
    APIError.__init__(
        error, message, status_code=412, response_body=response_body, request_body=body
    )


def parse(text: str) -> tuple[str, str, str | None, str | None]:
    """Return ``(error_type, error_message, line_info, stack_trace)`` read from ``text``."""
    error_type, message = _type_and_message(text)
    return error_type, message, _line_info(text), _stack_trace(text)


def _type_and_message(text: str) -> tuple[str, str]:
    """The error's type and its message line (masked, at most 200 characters)."""
    import re

    body = text.strip()
    if body.startswith(_WRAPPER):
        body = body[len(_WRAPPER) :].lstrip()
    found = re.search(r"Uncaught exception (\w*Error):(.*)", body) or re.search(
        r"^\s*(\w*Error):(.*)", body, re.MULTILINE
    )
    if found:
        error_type, message = found.group(1), found.group(2).strip()
    else:
        error_type, message = "Error", body.split("\n", 1)[0].strip()
    message = redact_text(message)
    if len(message) > 200:
        message = message[:197] + "..."
    return error_type, message or redact_text(text[:100])


def _line_info(text: str) -> str | None:
    """The offending code line and the caret line under it, if present."""
    from itertools import pairwise

    for code_line, caret_line in pairwise(text.splitlines()):
        if caret_line.strip() and set(caret_line.strip()) == {"^"} and code_line.strip():
            return redact_text(f"{code_line}\n{caret_line}")
    return None


def _stack_trace(text: str) -> str | None:
    """The block after ``Stack trace:``, or the first ``at fn (<anonymous>:L:C)``."""
    import re

    marker = text.find("Stack trace:")
    if marker != -1:
        block = text[marker + len("Stack trace:") :].strip()
        if block:
            return block
    frame = re.search(r"at \S+ \(<anonymous>:\d+:\d+\)", text)
    return frame.group(0) if frame else None
