"""Tenacity strategies that follow errorkit's retry facts: ``retryable`` and ``retry_after``.

```python
from tenacity import retry, stop_after_attempt
from errorkit.integrations.tenacity import retry_if_retryable, wait_retry_after

@retry(retry=retry_if_retryable(), wait=wait_retry_after(), stop=stop_after_attempt(5))
def fetch_report():
    errorkit.raise_for_status(client.get(url))
```

``retry_if_retryable()`` retries what errorkit calls retryable (429, 408, 425, 5xx but
501, a server's ``x-should-retry: true``; timeouts and dropped connections) and
nothing else. ``wait_retry_after()`` waits what the server asked for, else backs off
exponentially with jitter. Both look at the first errorkit error in the exception, its
exception groups and its cause chain (``errorkit.find_error``), so a ``RateLimitError``
wrapped by a task group or re-raised ``from`` is still honoured. Transport failures
need no mapping first: an ``httpx.ConnectError`` or a ``requests`` timeout is
recognised as ``error_from_exception`` recognises it.

Whether a request may be repeated at all (a ``POST`` that is not idempotent) is the
caller's decision: these strategies only say whether the failure is transient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tenacity

from errorkit.integrations._retry import deciding_error, server_delay

if TYPE_CHECKING:
    from tenacity import RetryCallState
    from tenacity.wait import WaitBaseT

__all__ = ["retry_if_retryable", "wait_retry_after"]


def _is_retryable(exc: BaseException) -> bool:
    """Tell whether the failure ``exc`` is worth another attempt."""
    error = deciding_error(exc)
    return error is not None and error.retryable is True


class retry_if_retryable(tenacity.retry_if_exception):
    """Retry when the attempt raised a retryable errorkit error or a transport failure.

    The first errorkit error in the exception, its groups and its chain decides by its
    ``retryable``; without one, a timeout or connection failure that
    ``errorkit.error_from_exception`` recognises is retried. Any other exception, and
    a returned result, is not.
    """

    def __init__(self) -> None:
        super().__init__(_is_retryable)


class wait_retry_after(tenacity.wait.wait_base):
    """Wait the delay the server asked for, else the fallback wait.

    The delay is the ``retry_after`` of the first errorkit error in the exception, its
    groups and its chain (a ``Retry-After``, ``retry-after-ms`` or ``RateLimit-Reset``
    header, read for any status), cut to ``max_wait``. When there is none (or the
    attempt returned a result), the fallback decides.

    Args:
        fallback: The wait to use without a server delay; tenacity's
            ``wait_exponential_jitter()`` by default.
        max_wait: The longest wait, in seconds, a server may ask for.

    Raises:
        ValueError: When ``max_wait`` is negative or not a number.
    """

    def __init__(self, fallback: WaitBaseT | None = None, *, max_wait: float = 300.0) -> None:
        limit = float(max_wait)
        if not 0.0 <= limit < float("inf"):
            raise ValueError(f"max_wait must be a finite number of seconds >= 0, not {max_wait!r}")
        self.fallback: WaitBaseT = (
            tenacity.wait_exponential_jitter() if fallback is None else fallback
        )
        self.max_wait = limit

    def __call__(self, retry_state: RetryCallState) -> float:
        """Return the seconds to wait before the next attempt."""
        outcome = retry_state.outcome
        if outcome is not None and outcome.failed:
            error = deciding_error(outcome.exception())
            delay = None if error is None else server_delay(error)
            if delay is not None:
                return min(delay, self.max_wait)
        return float(self.fallback(retry_state))
