"""Record errorkit errors on OpenTelemetry spans: a low-cardinality ``error.type``, no secrets.

``record_error(span, exc)`` does what ``span.record_exception(exc)`` plus
``span.set_status(...)`` do, from errorkit's safe facts instead of ``str(exc)``:

* an ``exception`` event with ``exception.type``, the masked ``exception.message`` and
  an ``exception.stacktrace`` listing the frames (never the text of chained causes);
* ``error.type`` set to the error's ``code`` (the qualified class name for any other
  exception), as the semantic conventions ask for a low-cardinality value;
* ``errorkit.code``, ``errorkit.retryable``, ``http.response.status_code`` (when the
  error has a status), ``errorkit.provider`` and ``errorkit.request_id`` (when set);
* the span status ``ERROR`` with the masked message as its description.

The errorkit error is looked for in the exception itself, then in its groups and its
``__cause__`` / ``__context__`` chain (``errorkit.find_error``), so a failure re-raised
``from`` a ``RateLimitError`` still reports ``RATE_LIMITED``. Requires the
``opentelemetry-api`` package (``pip install errorkit[opentelemetry]``).
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING

from opentelemetry.trace import Span, Status, StatusCode

from errorkit.http_mapping import find_error
from errorkit.integrations._facts import agent_error, qualified_name, safe_message

if TYPE_CHECKING:
    from opentelemetry.util.types import AttributeValue

__all__ = ["record_error"]


def _stacktrace(exc: BaseException, exc_type: str, message: str) -> str:
    """Format the frames of ``exc``'s traceback and a last line with its masked message."""
    frames = "".join(traceback.format_tb(exc.__traceback__)) if exc.__traceback__ else ""
    head = "Traceback (most recent call last):\n" if frames else ""
    return f"{head}{frames}{exc_type}: {message}\n"


def record_error(span: Span, exc: BaseException) -> None:
    """Record ``exc`` on ``span``: the exception event, ``error.type``, errorkit attributes, status.

    Nothing is read from ``str()`` of an errorkit error or of a chained cause: the
    message is ``to_dict()["message"]`` (``redact_text(str(exc))`` for other
    exceptions), and the provider and request id come from ``to_dict()["details"]``.

    Args:
        span: The span to record on (a no-op span is fine).
        exc: The exception being handled.
    """
    error = find_error(exc) or agent_error(exc)
    exc_type = qualified_name(type(exc))
    message = safe_message(exc)
    span.add_event(
        "exception",
        {
            "exception.type": exc_type,
            "exception.message": message,
            "exception.stacktrace": _stacktrace(exc, exc_type, message),
        },
    )
    attributes: dict[str, AttributeValue] = {}
    if error is None:
        attributes["error.type"] = exc_type
    else:
        payload = error.to_dict()
        details = payload["details"]
        attributes["error.type"] = payload["code"]
        attributes["errorkit.code"] = payload["code"]
        attributes["errorkit.retryable"] = bool(error.retryable)
        status = details.get("status_code")
        if isinstance(status, int) and not isinstance(status, bool):
            attributes["http.response.status_code"] = status
        for name in ("provider", "request_id"):
            value = details.get(name)
            if isinstance(value, str) and value:
                attributes[f"errorkit.{name}"] = value
    span.set_attributes(attributes)
    span.set_status(Status(StatusCode.ERROR, message))
