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
    """The error's stable code, e.g. ``"RATE_LIMITED"``."""
    message: str
    """The message, secrets masked, long text cut."""
    details: dict[str, Any]
    """The structured context: the class's own keys in a fixed order, then the caller's."""


class RegionProbeErrorDict(ErrorDict):
    """``RegionProbeError.to_dict()``: the base keys plus the probe attempts."""

    attempts: list[list[Any]]
    """One ``[region, status_code, error_body]`` list per probe; status 0: no answer."""


class RequestContext(TypedDict, total=False):
    """The request and response context an HTTP-level error can carry.

    Every key is an optional keyword argument of the HTTP errors' constructors (their
    ``**context``); each is kept as an attribute of the same name, and each but
    ``original_exception`` is listed in ``details`` when it is not None.
    """

    response_body: Any
    """The response body: parsed JSON or text. ``to_dict()`` masks its secrets and cuts it."""
    request_method: str | None
    """The request's method, e.g. ``"GET"``."""
    request_url: str | None
    """The URL as it was sent; ``to_dict()`` and messages mask passwords and secret parameters."""
    request_params: Mapping[str, Any] | None
    """The query parameters; sensitive ones are masked in ``to_dict()``."""
    request_body: Any
    """The request body; ``to_dict()`` masks its secrets and cuts it."""
    request_id: str | None
    """The server's request id (``X-Request-ID``), to quote when reporting a failure."""
    original_exception: BaseException | None
    """The exception that caused this one; it also becomes ``__cause__``."""


class HTTPContext(RequestContext, total=False):
    """``RequestContext`` plus the provider that answered and the server's retry hints.

    These are the keyword arguments behind the ``**context`` of ``APIError`` and its
    subclasses.
    """

    provider: str | None
    """The service that answered, e.g. ``"openai"``."""
    retry_after: float | None
    """The delay the server asked for, in seconds (read from ``Retry-After`` and the like)."""
    retryable: bool | None
    """The server's own verdict (``x-should-retry``); None leaves it to the status."""
    details: Mapping[Any, Any] | None
    """The caller's own context, copied and listed after errorkit's keys."""
