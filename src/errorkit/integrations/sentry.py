"""Group Sentry events by what went wrong (the error's code), and keep secrets out of them.

``before_send`` is a ``sentry_sdk.init(before_send=...)`` hook. For an event whose
exception is, or holds, an errorkit error (``errorkit.find_error``: groups and the
``__cause__`` / ``__context__`` chain), it

* sets the fingerprint to ``["errorkit", code]`` plus the provider when there is one,
  so two rate limits from different call sites are one issue and a 401 is another;
* adds the tags ``errorkit.code`` and ``errorkit.retryable`` (``"true"``/``"false"``);
* puts the error's safe ``to_dict()`` in the ``errorkit`` context (request id,
  status, provider and every other detail, secrets masked);
* masks the exception values and the local variables of the event's frames with
  errorkit's redactor, since Sentry reads ``str()`` of every exception in the chain;
* masks the event's other text a secret can ride in on: the breadcrumbs (a log line
  written before the failure), ``extra``, the log entry, the other contexts and the
  request (its query string, URL, headers, cookies and data): each string through the
  redactor, each value under a sensitive name replaced by ``***``. Values that are not
  plain strings, dicts or lists (Sentry's own markers) are left as they are.

Other events pass through unchanged. ``denylist()`` extends Sentry's default denylist
with errorkit's sensitive names, for ``EventScrubber``::

    sentry_sdk.init(
        dsn=...,
        before_send=before_send,
        event_scrubber=EventScrubber(denylist=denylist(), recursive=True),
    )

Requires ``sentry-sdk`` (``pip install errorkit[sentry]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sentry_sdk.scrubber import DEFAULT_DENYLIST

from errorkit.http_mapping import find_error
from errorkit.safety import REDACTED, is_sensitive_key, json_safe, redact_text, sensitive_names

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint

__all__ = ["before_send", "denylist"]

# The parts of an event, besides its exceptions, that carry text from the application.
_TEXT_PARTS = ("breadcrumbs", "extra", "logentry", "contexts", "request", "message")


def denylist() -> list[str]:
    """Return Sentry's default denylist followed by errorkit's sensitive names.

    errorkit's names are in normal form (``x_api_key``); as Sentry compares keys
    exactly (ignoring case), each name with ``_`` is also given with ``-``, so header
    names such as ``X-Api-Key`` match. Duplicates are dropped; the order is stable.
    """
    names = list(DEFAULT_DENYLIST)
    for name in sorted(sensitive_names()):
        names += (name, name.replace("_", "-"))
    return list(dict.fromkeys(names))


def _exception(hint: Hint) -> BaseException | None:
    """Return the exception an event was captured for, from the hint's ``exc_info``."""
    exc_info = hint.get("exc_info") if isinstance(hint, dict) else None
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        value = exc_info[1]
        return value if isinstance(value, BaseException) else None
    return None


def _mask_exceptions(event: Event) -> None:
    """Mask the value and the frame variables of every exception in the event."""
    exception: Any = event.get("exception")
    values = exception.get("values") if isinstance(exception, dict) else None
    for entry in values if isinstance(values, list) else ():
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("value"), str):
            entry["value"] = redact_text(entry["value"])
        stacktrace = entry.get("stacktrace")
        frames = stacktrace.get("frames") if isinstance(stacktrace, dict) else None
        for frame in frames if isinstance(frames, list) else ():
            if isinstance(frame, dict) and isinstance(frame.get("vars"), dict):
                frame["vars"] = json_safe(frame["vars"])


def _masked(value: Any, depth: int = 0) -> Any:
    """Return ``value`` with its strings redacted and the values under sensitive names masked."""
    if isinstance(value, str):
        return redact_text(value)
    if depth > 32:  # deeper than an event goes: masked whole rather than walked
        return REDACTED
    if isinstance(value, dict):
        return {
            key: REDACTED if is_sensitive_key(key) and item else _masked(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_masked(item, depth + 1) for item in value]
    return value


def before_send(event: Event, hint: Hint) -> Event | None:
    """Fingerprint, tag and describe an event captured for an errorkit error; pass others.

    Args:
        event: The event Sentry is about to send (changed in place and returned).
        hint: Sentry's hint; its ``exc_info`` holds the exception.

    Returns:
        The event (never dropped).
    """
    error = find_error(_exception(hint))
    if error is None:
        return event
    payload = error.to_dict()
    code = payload["code"]
    provider = payload["details"].get("provider")
    fingerprint = ["errorkit", code]
    if isinstance(provider, str) and provider:
        fingerprint.append(provider)
    event["fingerprint"] = fingerprint
    tags = event.get("tags")
    if not isinstance(tags, dict):
        tags = event["tags"] = {}
    tags["errorkit.code"] = code
    tags["errorkit.retryable"] = "true" if error.retryable else "false"
    for part in _TEXT_PARTS:
        if part in event:
            event[part] = _masked(event[part])  # type: ignore[literal-required]
    contexts = event.get("contexts")
    if not isinstance(contexts, dict):
        contexts = event["contexts"] = {}
    contexts["errorkit"] = dict(payload)
    _mask_exceptions(event)
    return event
