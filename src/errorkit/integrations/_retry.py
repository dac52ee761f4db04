"""What the retry integrations share: the error that decides, and what it says.

An exception is retried on the word of the first errorkit error in it, its exception
groups and its ``__cause__``/``__context__`` chain (``errorkit.find_error``): its
``retryable`` and its ``retry_after``. Without one, a transport failure that
``error_from_exception`` recognises (a timeout, a refused or dropped connection) is
retryable, wherever it sits in the groups and the chain. Anything else is not.
"""

from __future__ import annotations

from errorkit.exceptions import Error
from errorkit.http_mapping import _is_group, error_from_exception, find_error

__all__ = ["deciding_error", "server_delay"]


def deciding_error(exc: BaseException | None) -> Error | None:
    """Return the errorkit error that decides whether ``exc`` is retried, or None.

    The first errorkit error found in ``exc``, its groups and its chain; else the
    ``APIConnectionError`` or ``APITimeoutError`` standing for the first transport
    failure found there; else None.
    """
    found = find_error(exc)
    if found is not None:
        return found
    seen: set[int] = set()
    stack = [] if exc is None else [exc]
    while stack:  # the walk of ``find_error``, asking ``error_from_exception`` at each step
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        mapped = error_from_exception(current)
        if isinstance(mapped, Error):
            return mapped
        members = getattr(current, "exceptions", None) if _is_group(current) else None
        following: list[BaseException] = []
        if isinstance(members, (list, tuple)):
            following += [member for member in members if isinstance(member, BaseException)]
        following += [
            linked
            for linked in (current.__cause__, current.__context__)
            if isinstance(linked, BaseException)
        ]
        stack += reversed(following)
    return None


def server_delay(error: Error) -> float | None:
    """Return the delay the server asked for with ``error``, in seconds, or None."""
    delay = getattr(error, "retry_after", None)
    if isinstance(delay, bool) or not isinstance(delay, (int, float)):
        return None
    return float(delay) if 0.0 <= delay < float("inf") else None
