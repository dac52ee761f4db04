"""One representative instance of every errorkit class, with secrets planted in its context.

The invariant tests walk ``Error.__subclasses__()`` recursively and look each class up
here, so a class added to the tree without a sample fails the suite. Every test that needs
an instance of a class builds it here: the properties (``tests.strategies`` draws the
sample now and then), and the engines.

The engine tests send a *case* to a worker process: a name from which the worker rebuilds
the error and raises it. The names are every errorkit class (its sample), plus two errors
per cause of the causes set: a ``ParseError`` given the cause as ``original_exception=``,
and a ``ServerError`` raised ``from`` it inside the ``except`` block that caught it, as
wrapper code does. The caller builds the same case locally, so it knows what the worker
raised; ``tests.engine_checks`` judges what came back.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

import httpx
import pydantic
import requests

from errorkit import exceptions as ek

if TYPE_CHECKING:
    from collections.abc import Callable

SECRET = "sk-live-7f3a9c2e1b"
SECRET_URL = f"https://alice:{SECRET}@api.example.com/v1/items?api_key={SECRET}&page=2"

# The request context of an HTTP error, a secret planted in every field that can hold one.
REQUEST_CONTEXT: dict[str, Any] = {
    "response_body": {"error": "bad input", "token": SECRET},
    "request_method": "GET",
    "request_url": SECRET_URL,
    "request_params": {"api_key": SECRET, "q": "shoes"},
    "request_body": {"password": SECRET, "name": "alice"},
    "request_id": "req_123",
}

JQL_RAW_ERROR = (
    "UserVisiblePreconditionFailedError: Uncaught exception TypeError: "
    "Cannot read property 'name' of undefined\n"
    "    return event.properties.name;\n"
    "                           ^\n"
    "\n"
    "Stack trace:\n"
    "TypeError: Cannot read property 'name' of undefined\n"
    "    at main (<anonymous>:3:28)"
)


def _tool_failure() -> RuntimeError:
    return RuntimeError("tool broke")


SAMPLES: dict[type[ek.Error], Callable[[], ek.Error]] = {
    ek.Error: lambda: ek.Error("boom", "CUSTOM_CODE", {"k": 1, "password": SECRET}),
    ek.ConfigError: lambda: ek.ConfigError("bad config", {"path": "/etc/app.toml"}),
    ek.AccountNotFoundError: lambda: ek.AccountNotFoundError("prod", ["dev", "staging"]),
    ek.AccountExistsError: lambda: ek.AccountExistsError("prod"),
    ek.AccountInUseError: lambda: ek.AccountInUseError("prod", ["t1", "t2"]),
    ek.InvalidArgumentError: lambda: ek.InvalidArgumentError(
        "cannot combine", violation="mutually_exclusive", detected_auth_type="oauth"
    ),
    ek.ProjectNotFoundError: lambda: ek.ProjectNotFoundError("1", ["2", "3"]),
    ek.MissingAPIKeyError: lambda: ek.MissingAPIKeyError("openai", "OPENAI_API_KEY"),
    ek.NoRegisteredProviderError: lambda: ek.NoRegisteredProviderError("acme/model-1"),
    ek.APIError: lambda: ek.APIError("teapot", status_code=418, provider="acme", **REQUEST_CONTEXT),
    ek.BadRequestError: lambda: ek.BadRequestError(status_code=422, **REQUEST_CONTEXT),
    ek.QueryError: lambda: ek.QueryError(**REQUEST_CONTEXT),
    ek.JQLSyntaxError: lambda: ek.JQLSyntaxError(
        JQL_RAW_ERROR, script="function main() {}", request_path="/api/2.0/jql"
    ),
    ek.AuthenticationError: lambda: ek.AuthenticationError(**REQUEST_CONTEXT),
    ek.PermissionDeniedError: lambda: ek.PermissionDeniedError(**REQUEST_CONTEXT),
    ek.NotFoundError: lambda: ek.NotFoundError(**REQUEST_CONTEXT),
    ek.ConflictError: lambda: ek.ConflictError(
        "version mismatch",
        retry_after=2,
        retryable=False,
        details={"etag": "W/1", "client_secret": SECRET},
        **REQUEST_CONTEXT,
    ),
    ek.RateLimitError: lambda: ek.RateLimitError(
        retry_after=30, project_id="42", **REQUEST_CONTEXT
    ),
    ek.ServerError: lambda: ek.ServerError(status_code=503, **REQUEST_CONTEXT),
    ek.SessionReplayError: lambda: ek.SessionReplayError(
        "replay failed", details={"replay_id": "r-1"}, **REQUEST_CONTEXT
    ),
    ek.SessionReplayAccessError: lambda: ek.SessionReplayAccessError.for_project(7),
    ek.SignedURLExpiredError: lambda: ek.SignedURLExpiredError.for_replay("r-1", 1.0, 301.0),
    ek.ReplayNotFoundError: lambda: ek.ReplayNotFoundError.for_replay(
        "r-1", 30, "https://cdn.example.com/r-1/"
    ),
    ek.APIConnectionError: lambda: ek.APIConnectionError(
        request_method="GET",
        request_url=SECRET_URL,
        provider="acme",
        original_exception=ConnectionRefusedError("refused"),
    ),
    ek.APITimeoutError: lambda: ek.APITimeoutError(
        request_method="POST", request_url=SECRET_URL, original_exception=TimeoutError()
    ),
    ek.OAuthError: lambda: ek.OAuthError(
        "refresh failed", "OAUTH_REFRESH_ERROR", {"refresh_token": SECRET}
    ),
    ek.RegionProbeError: lambda: ek.RegionProbeError(
        "no region accepted the credential", attempts=[("us", 401, "bad"), ("eu", 0, "dns")]
    ),
    ek.RegionProbeNetworkError: lambda: ek.RegionProbeNetworkError(
        "offline", attempts=[("us", 0, "dns"), ("eu", 0, "tls")]
    ),
    ek.WorkspaceScopeError: lambda: ek.WorkspaceScopeError(
        "pick one", "AMBIGUOUS_WORKSPACE", {"workspaces": [1, 2]}
    ),
    ek.BusinessContextValidationError: lambda: ek.BusinessContextValidationError.for_length(60_000),
    ek.ConnectorError: lambda: ek.ConnectorError("connector failed", provider="fred"),
    ek.UnauthorizedError: lambda: ek.UnauthorizedError(
        "fred",
        env_var="FRED_API_KEY",
        request_url=SECRET_URL,
        request_params={"api_key": SECRET},
    ),
    ek.PaymentRequiredError: lambda: ek.PaymentRequiredError("fmp"),
    ek.ConnectorRateLimitError: lambda: ek.ConnectorRateLimitError(
        "fred", 30.0, request_url=SECRET_URL
    ),
    ek.ProviderError: lambda: ek.ProviderError(
        "fmp", 503, response_body=f"upstream down; token={SECRET}"
    ),
    ek.EmptyDataError: lambda: ek.EmptyDataError(
        "fred", query_params={"series_id": "UNRATE", "api_key": SECRET}
    ),
    ek.ParseError: lambda: ek.ParseError("fred", original_exception=ValueError("bad row")),
    ek.InvalidParameterError: lambda: ek.InvalidParameterError(
        "fred", "start_date must precede end_date"
    ),
    ek.CatalogNotFoundError: lambda: ek.CatalogNotFoundError(
        "Catalog bundle not present at file:///tmp/missing"
    ),
    ek.ToolError: lambda: ek.ToolError("tool failed"),
    ek.ToolExecutionError: lambda: ek.ToolExecutionError(_tool_failure()),
    ek.ToolNotFoundError: lambda: ek.ToolNotFoundError("search"),
    ek.FeatureNotSupportedError: lambda: ek.FeatureNotSupportedError(
        "streaming", "acme", "model-1"
    ),
}


def all_error_classes() -> list[type[ek.Error]]:
    """Return ``Error`` and every subclass, found by walking ``__subclasses__()``."""
    found: list[type[ek.Error]] = []
    pending = [ek.Error]
    while pending:
        cls = pending.pop(0)
        if cls in found:
            continue
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__ == ek.__name__ and cls.__name__[0] != "_"]


def sample(cls: type[ek.Error]) -> ek.Error:
    """Build the sample instance of ``cls``."""
    return SAMPLES[cls]()


# --- the engine cases: what a worker raises -----------------------------------------------


class LockedError(Exception):
    """An exception holding a lock: no pickler can carry it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lock = threading.Lock()


class _Model(pydantic.BaseModel):
    """A model whose validation fails for a string ``count``."""

    count: int


def _validation_error() -> pydantic.ValidationError:
    """Return the pydantic ``ValidationError`` of a bad ``count``."""
    try:
        _Model.model_validate({"count": "many"})
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("the model accepted a bad count")  # pragma: no cover


def _status_error() -> httpx.HTTPStatusError:
    """Return an httpx ``HTTPStatusError``: it pickles, but cannot be unpickled."""
    request = httpx.Request("GET", "https://api.example.com/v1/items")
    response = httpx.Response(503, request=request)
    return httpx.HTTPStatusError("Server error '503'", request=request, response=response)


CAUSES: dict[str, Callable[[], BaseException]] = {
    "httpx.ReadTimeout": lambda: httpx.ReadTimeout("timed out reading the response"),
    "requests.ConnectionError": lambda: requests.ConnectionError("connection refused"),
    "json.JSONDecodeError": lambda: json.JSONDecodeError("Expecting value", "not json", 0),
    "pydantic.ValidationError": _validation_error,
    "httpx.HTTPStatusError": _status_error,
    "LockedError": lambda: LockedError("holds a lock"),
}
"""The causes set: what real wrapper code catches, plus two that plain pickle cannot carry."""

UNPICKLABLE = "LockedError"
"""The cause no pickler can carry, whatever it does."""

CLASS_CASES = {cls.__name__: cls for cls in all_error_classes()}
PARSE_CASES = {f"ParseError[{name}]": name for name in CAUSES}
FROM_CASES = {f"ServerError[from {name}]": name for name in CAUSES}
APART_CASE = f"ProviderError[{UNPICKLABLE}, raised apart]"
"""An unpicklable cause given as ``original_exception=`` and left out of ``__cause__``."""
CASES = [*CLASS_CASES, *PARSE_CASES, *FROM_CASES, APART_CASE]


def build(name: str) -> ek.Error:
    """Build the error of case ``name``, raised (so it has a traceback and its cause)."""
    try:
        raise_case(name)
    except ek.Error as error:
        return error
    raise AssertionError(f"case {name} did not raise")  # pragma: no cover


def raise_case(name: str) -> None:
    """Raise the error of case ``name`` (this is what runs in the worker)."""
    if name in CLASS_CASES:
        raise sample(CLASS_CASES[name])
    if name in PARSE_CASES:
        raise ek.ParseError("acme", original_exception=CAUSES[PARSE_CASES[name]]())
    if name == APART_CASE:  # how the docs keep such an error whole on Dask
        try:
            raise CAUSES[UNPICKLABLE]()
        except Exception as exc:
            error = ek.ProviderError("acme", 502, original_exception=exc)
        error.__cause__ = None
        raise error
    try:
        raise CAUSES[FROM_CASES[name]]()
    except Exception as exc:
        raise ek.ServerError(status_code=503) from exc
