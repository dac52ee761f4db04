"""A structlog processor that adds the logged errorkit error's ``to_dict()`` to the event.

Put it before the processor that renders or consumes ``exc_info``
(``format_exc_info``, ``dict_tracebacks``, ``ExceptionRenderer``)::

    structlog.configure(processors=[
        add_error_dict,
        structlog.processors.dict_tracebacks,
        structlog.processors.JSONRenderer(),
    ])

``exc_info`` may be ``True`` (``log.exception(...)`` inside an ``except`` block), an
exception or a ``(type, value, traceback)`` tuple; the error is found as in
``errorkit.integrations.logging.find_error`` (the exception itself, else its cause
chain). This module does not import structlog: a processor is just a callable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from errorkit.integrations.logging import DEFAULT_KEY, MAX_CHAIN_DEPTH, error_from_exc_info

if TYPE_CHECKING:
    from collections.abc import MutableMapping

__all__ = ["ErrorDictAdder", "add_error_dict"]


class ErrorDictAdder:
    """Processor adding ``event_dict[key] = error.to_dict()`` for an event's errorkit error.

    An event that already has ``key`` keeps its value; an event without an errorkit
    error passes through unchanged. ``exc_info`` is left for the processors after it.

    Args:
        key: The event-dict key that receives ``to_dict()``.
        max_depth: How many ``__cause__`` / ``__context__`` links to follow.
    """

    __slots__ = ("key", "max_depth")

    def __init__(self, key: str = DEFAULT_KEY, *, max_depth: int = MAX_CHAIN_DEPTH) -> None:
        self.key = key
        self.max_depth = max_depth

    def __call__(
        self, logger: object, method_name: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        """Add the error's ``to_dict()`` under ``key`` when the event carries one."""
        if self.key not in event_dict:
            error = error_from_exc_info(event_dict.get("exc_info"), max_depth=self.max_depth)
            if error is not None:
                event_dict[self.key] = error.to_dict()
        return event_dict

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key={self.key!r}, max_depth={self.max_depth!r})"


_DEFAULT = ErrorDictAdder()


def add_error_dict(
    logger: object, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Processor adding the event's errorkit error as ``event_dict["error"]`` (its ``to_dict()``).

    Use ``ErrorDictAdder(key=...)`` for another key.
    """
    return _DEFAULT(logger, method_name, event_dict)
