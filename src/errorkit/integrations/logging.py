"""Put an errorkit error's ``to_dict()`` on stdlib ``logging`` records, for JSON logs.

``ErrorContextFilter`` looks at the exception a record carries (``exc_info``) and,
when it is an errorkit error — or has one as its ``__cause__`` / ``__context__`` a
few links down — sets ``record.error`` (the key is configurable) to the error's
``to_dict()``: JSON-safe, secrets masked, long strings cut. Any JSON formatter that
emits extra record attributes then logs it as one object. Attach the filter to the
*handler*, so that records propagated from child loggers pass through it too::

    handler = logging.StreamHandler()
    handler.addFilter(ErrorContextFilter())

Only the standard library is imported; ``find_error`` and ``error_from_exc_info``
are shared with the structlog processor.
"""

from __future__ import annotations

import logging
import sys
from typing import Final

from errorkit.exceptions import Error

__all__ = [
    "DEFAULT_KEY",
    "ErrorContextFilter",
    "MAX_CHAIN_DEPTH",
    "error_from_exc_info",
    "find_error",
]

DEFAULT_KEY: Final = "error"
"""The record attribute (or event-dict key) that receives ``to_dict()``."""

MAX_CHAIN_DEPTH: Final = 5
"""How many ``__cause__`` / ``__context__`` links are followed looking for an error."""

# Attributes every LogRecord has, plus those formatters add: a key must not clobber them.
_RESERVED: Final = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def find_error(exc: BaseException | None, *, max_depth: int = MAX_CHAIN_DEPTH) -> Error | None:
    """Return ``exc`` when it is an errorkit error, else the nearest one behind it.

    The chain a traceback shows is followed: ``__cause__``, else ``__context__``
    unless it was suppressed (``raise ... from None``), for at most ``max_depth``
    links. Cycles are harmless.
    """
    seen: set[int] = set()
    for _ in range(max_depth + 1):
        if exc is None or id(exc) in seen:
            return None
        if isinstance(exc, Error):
            return exc
        seen.add(id(exc))
        cause = exc.__cause__
        exc = cause if cause is not None or exc.__suppress_context__ else exc.__context__
    return None


def error_from_exc_info(exc_info: object, *, max_depth: int = MAX_CHAIN_DEPTH) -> Error | None:
    """Return the errorkit error behind an ``exc_info`` value, or None.

    ``exc_info`` is read the ways ``logging`` and structlog accept it: an exception,
    a ``(type, value, traceback)`` tuple, or ``True`` for the exception being
    handled; anything else (None, False, ``(None, None, None)``) gives None.
    """
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        exc_info = exc_info[1]
    if isinstance(exc_info, BaseException):
        return find_error(exc_info, max_depth=max_depth)
    return None


class ErrorContextFilter(logging.Filter):
    """A logging filter that attaches the logged errorkit error's ``to_dict()`` to the record.

    It never drops a record: ``filter`` always returns True. A record that already
    has an attribute named ``key`` (set with ``extra=``) keeps it.

    Args:
        key: The record attribute to set; not one ``LogRecord`` already uses.
        max_depth: How many ``__cause__`` / ``__context__`` links to follow.

    Raises:
        ValueError: When ``key`` is empty or a ``LogRecord`` attribute.
    """

    def __init__(self, key: str = DEFAULT_KEY, *, max_depth: int = MAX_CHAIN_DEPTH) -> None:
        super().__init__()
        if not key or key in _RESERVED:
            raise ValueError(f"key {key!r} is empty or a LogRecord attribute; choose another")
        self.key = key
        self.max_depth = max_depth

    def filter(self, record: logging.LogRecord) -> bool:
        """Set ``record.<key>`` to the error's ``to_dict()`` when there is one; keep the record."""
        if hasattr(record, self.key):
            return True
        error = error_from_exc_info(record.exc_info, max_depth=self.max_depth)
        if error is not None:
            try:
                payload = error.to_dict()
            except Exception:  # a broken to_dict() override must not break logging
                return True
            setattr(record, self.key, payload)
        return True
