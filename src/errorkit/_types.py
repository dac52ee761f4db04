"""The typing-only support types of ``errorkit.exceptions``, loaded on first access.

``import errorkit`` does not import ``typing``, which costs more than the rest of errorkit:
``errorkit.ErrorDict`` and the other names here resolve to these objects when first used
(a module ``__getattr__`` in ``errorkit`` and ``errorkit.exceptions``).
"""

from collections.abc import Mapping
from typing import Any, Literal, TypedDict

__all__ = ["ErrorDict", "HTTPContext", "RegionProbeErrorDict", "RequestContext", "Violation"]

Violation = Literal["mutually_exclusive", "no_browser_misuse", "secret_stdin_misuse"]
"""The kinds of argument misuse an ``InvalidArgumentError`` reports."""


class ErrorDict(TypedDict):
    """The shape ``Error.to_dict()`` returns: JSON-safe, secrets masked."""

    code: str
    message: str
    details: dict[str, Any]


class RegionProbeErrorDict(ErrorDict):
    """``RegionProbeError.to_dict()``: the base keys plus the probe attempts."""

    attempts: list[list[Any]]


class RequestContext(TypedDict, total=False):
    """The request and response context an HTTP-level error can carry."""

    response_body: Any
    request_method: str | None
    request_url: str | None
    request_params: Mapping[str, Any] | None
    request_body: Any
    request_id: str | None
    original_exception: BaseException | None


class HTTPContext(RequestContext, total=False):
    """``RequestContext`` plus the provider that answered and the server's retry hints.

    ``retry_after`` is the delay the server asked for, in seconds; ``retryable`` is the
    server's own verdict (None leaves it to the status); ``details`` is the caller's own
    context, listed after errorkit's keys.
    """

    provider: str | None
    retry_after: float | None
    retryable: bool | None
    details: Mapping[Any, Any] | None
