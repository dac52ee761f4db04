"""Celery: errorkit errors cross Celery's JSON result path whole.

With the ``pickle`` result serializer Celery stores the exception object itself, and an
errorkit error comes back whole without any help. With ``json`` (Celery's default),
``yaml`` or ``msgpack`` it stores only the exception's class name, module and ``args``
and rebuilds it on the caller's side with ``cls(*args)``. An errorkit error's ``args`` is
``(message,)``, so that rebuild loses its code, details and fields, and for most classes
calls the constructor with the wrong arguments (``ParseError(message)`` takes the message
for the provider; ``APIError(message)`` has no status and Celery falls back to a plain
``Exception``).

``install(app)`` adds one key to what Celery stores for an errorkit error, next to
Celery's own three::

    {"exc_type": "RateLimitError", "exc_module": "errorkit.exceptions",
     "exc_message": ["Rate limited"],
     "errorkit": {"code": "RATE_LIMITED", "message": "...", "details": {...},
                  "original_exception": {"type": "ReadTimeout", "message": "..."}}}

and reads that key back with ``Error.from_dict``. Celery's ``exc_message`` holds the
error's masked message, even when ``args`` was reassigned after construction, and the
traceback text stored beside the result of a task that failed with an errorkit error
(or one with an errorkit error in its chain) is masked with errorkit's redactor: it prints
every cause's text and every note. The cause cannot travel as JSON; it
comes back as ``Exception("{Type}: {message}")``, the stand-in errorkit uses wherever a
cause cannot travel. Everything else is left to Celery: other exceptions are stored and
rebuilt exactly as before, a result stored before ``install`` (or by a worker without it)
loads as Celery loads it, and a caller without ``install`` reads a result stored with it
as Celery always did, ignoring the extra key.

Call ``install(app)`` where the app is created, so the worker and every caller run it.
Celery has no public hook for how a result backend encodes exceptions, so ``install``
wraps the two backend methods that do it (``prepare_exception`` and
``exception_to_python``) on each backend the app creates (one per thread).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import celery

from errorkit.exceptions import Error
from errorkit.http_mapping import find_error
from errorkit.safety import json_safe, redact_text

__all__ = ["install"]

KEY = "errorkit"
"""The key ``install`` adds to Celery's stored form of an errorkit error."""


def install(app: celery.Celery) -> None:
    """Make ``app``'s JSON result path carry errorkit errors whole (idempotent).

    Args:
        app: The Celery application, in the worker and in every process that reads
            results.

    Raises:
        TypeError: When ``app`` is not a Celery application.
    """
    if not isinstance(app, celery.Celery):
        raise TypeError(f"install() needs a Celery application, not {type(app).__name__}")
    if getattr(app, "_errorkit_installed", False):
        return
    make_backend = app._get_backend

    def get_backend() -> Any:
        return _wrap(make_backend())

    app._get_backend = get_backend
    app._errorkit_installed = True
    # A backend this thread already made (``_backend`` since Celery 5.5, ``_local`` before).
    current = getattr(app, "_backend", None) or getattr(app._local, "backend", None)
    if current is not None:
        _wrap(current)


def _wrap(backend: Any) -> Any:
    """Wrap the exception encoding and decoding, and the failure's traceback, of one backend."""
    prepare, to_python = backend.prepare_exception, backend.exception_to_python
    mark = backend.mark_as_failure

    def prepare_exception(exc: BaseException, serializer: str | None = None) -> Any:
        stored = prepare(exc, serializer)
        if isinstance(exc, Error) and isinstance(stored, dict):
            stored[KEY] = _payload(exc)
            if "exc_message" in stored:  # ``args``, which a caller may have reassigned raw
                stored["exc_message"] = [exc.message]
        return stored

    def mark_as_failure(
        task_id: str, exc: BaseException, traceback: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if isinstance(traceback, str) and find_error(exc) is not None:
            traceback = redact_text(traceback)
        return mark(task_id, exc, traceback, *args, **kwargs)

    def exception_to_python(exc: Any) -> Any:
        if isinstance(exc, Mapping):
            rebuilt = _rebuild(exc)
            if rebuilt is not None:
                return rebuilt
        return to_python(exc)

    backend.prepare_exception = prepare_exception
    backend.exception_to_python = exception_to_python
    backend.mark_as_failure = mark_as_failure
    return backend


def _payload(error: Error) -> dict[str, Any]:
    """Return ``error.to_dict()`` plus its cause in JSON form (``{"type", "message"}``)."""
    payload: dict[str, Any] = dict(error.to_dict())
    cause = error.original_exception
    if cause is not None:
        payload["original_exception"] = json_safe(cause)
    return payload


def _rebuild(stored: Mapping[str, Any]) -> Error | None:
    """Rebuild the errorkit error stored under ``KEY``, or None to leave it to Celery."""
    payload = stored.get(KEY)
    if not isinstance(payload, Mapping):
        return None
    try:
        error = Error.from_dict(payload)
    except ValueError:
        return None
    named = _named_class(stored)
    if named is not None and named is not type(error) and issubclass(named, type(error)):
        try:  # a subclass of the application's own that kept its parent's code
            error.__class__ = named
            error._restore_fields()
        except TypeError:
            pass
    cause = payload.get("original_exception")
    if isinstance(cause, Mapping):
        kind, text = cause.get("type"), cause.get("message")
        error._chain(Exception(f"{kind}: {text}"))
    return error


def _named_class(stored: Mapping[str, Any]) -> type[Error] | None:
    """Return the errorkit class Celery's own fields name, when it is already imported."""
    found: Any = sys.modules.get(str(stored.get("exc_module")))
    for name in str(stored.get("exc_type")).split("."):
        found = getattr(found, name, None)
    return found if isinstance(found, type) and issubclass(found, Error) else None
