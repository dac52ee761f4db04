"""The ``on=`` hook for stamina that follows errorkit's retry facts.

```python
import stamina
from errorkit.integrations.stamina import retry_on

@stamina.retry(on=retry_on, attempts=5)
def fetch_report():
    errorkit.raise_for_status(client.get(url))
```

``retry_on(exc)`` returns the server's delay when it sent one (stamina then waits exactly
that), ``True`` for any other retryable failure (stamina backs off exponentially with
jitter), and ``False`` for everything else. It reads the first errorkit error in the
exception, its exception groups and its cause chain (``errorkit.find_error``); without
one, a timeout or dropped connection that ``error_from_exception`` recognises is
retryable. stamina's ``timeout`` still bounds the total time, waits included.

Whether a request may be repeated at all (a ``POST`` that is not idempotent) is the
caller's decision: the hook only says whether the failure is transient.
"""

from __future__ import annotations

import stamina  # noqa: F401 - the hook is for stamina: without it, fail at import

from errorkit.integrations._retry import deciding_error, server_delay

__all__ = ["retry_on"]


def retry_on(exc: Exception) -> bool | float:
    """Tell stamina whether to retry after ``exc``, and how long to wait when the server said.

    Returns:
        The server's delay in seconds when the failure is retryable and came with one;
        ``True`` when it is retryable without one; ``False`` when it is not retryable.
    """
    error = deciding_error(exc)
    if error is None or error.retryable is not True:
        return False
    delay = server_delay(error)
    return True if delay is None else delay
