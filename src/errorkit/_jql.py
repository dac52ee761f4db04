"""Read the parts of a Mixpanel JQL failure text for ``JQLSyntaxError``."""

from __future__ import annotations

from errorkit.safety import redact_text

_WRAPPER = "UserVisiblePreconditionFailedError:"


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
