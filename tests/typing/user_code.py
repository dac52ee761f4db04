"""User code that mypy --strict checks and pytest never runs.

It pins what a type checker sees: catch clauses from specific to broad, attribute types
(including on the multiple-inheritance classes), the ``to_dict()`` TypedDict, the mapping
functions' return types, and, through ``# type: ignore[...]`` lines that mypy would flag as
unused if they stopped being errors, the misuse a checker rejects.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from typing_extensions import assert_type

import errorkit
from errorkit import http_mapping

if TYPE_CHECKING:
    from collections.abc import Coroutine


def call_api() -> None:
    """Stand in for a client call."""


def handle() -> str:
    """Catch from specific to broad, reading each class's attributes with their types."""
    try:
        call_api()
    except errorkit.ConnectorRateLimitError as exc:
        assert_type(exc.retry_after, float)
        assert_type(exc.provider, str)
        assert_type(exc.quota_exhausted, bool)
    except errorkit.RateLimitError as exc:
        assert_type(exc.retry_after, float | None)
        assert_type(exc.provider, str | None)
        assert_type(exc.rate_limit_form_url, str)
    except errorkit.UnauthorizedError as exc:
        assert_type(exc.provider, str)
        assert_type(exc.status_code, int)
        assert_type(exc.env_var, str | None)
    except errorkit.ProviderError as exc:
        assert_type(exc.status_code, int)
        assert_type(exc.provider, str)
    except errorkit.ConflictError as exc:
        assert_type(exc.status_code, int)
        assert_type(exc.retry_after, float | None)
    except errorkit.APIError as exc:
        assert_type(exc.status_code, int)
        assert_type(exc.retry_after, float | None)
        assert_type(exc.request_url, str | None)
        assert_type(exc.request_id, str | None)
    except errorkit.APITimeoutError as exc:
        assert_type(exc.status_code, int | None)
    except errorkit.InvalidParameterError as exc:
        assert_type(exc.provider, str)
    except errorkit.RegionProbeError as exc:
        assert_type(exc.attempts, list[tuple[str, int, str]])
        assert_type(exc.to_dict()["attempts"], list[list[Any]])
    except errorkit.ParseError as exc:
        return exc.retry_message()
    except errorkit.EmptyDataError as exc:
        assert_type(exc.query_params, dict[Any, Any])
    except errorkit.AccountNotFoundError as exc:
        assert_type(exc.account_name, str)
        assert_type(exc.available_accounts, list[str])
    except errorkit.FeatureNotSupportedError as exc:
        assert_type(exc.model_id, str | None)
    except errorkit.APIConnectionError as exc:
        assert_type(exc.request_method, str | None)
        assert_type(exc.provider, str | None)
    except errorkit.Error as exc:
        payload = exc.to_dict()
        assert_type(payload, errorkit.ErrorDict)
        assert_type(payload["code"], str)
        assert_type(exc.retryable, bool)
        assert_type(exc.original_exception, BaseException | None)
        assert_type(exc.exit_code, int)
        assert_type(exc.details, dict[str, Any])
        return json.dumps(payload)
    return ""


def narrow(exc: errorkit.ConnectorError) -> None:
    """A connector error narrows to the HTTP classes it also is."""
    if isinstance(exc, errorkit.APIError):
        assert_type(exc.status_code, int)
    if isinstance(exc, errorkit.RateLimitError):
        print(exc.retry_after)


def mapping() -> None:
    """The mapping helpers return the types the docs state; a mapped status, its class."""
    assert_type(http_mapping.parse_retry_after("120"), float | None)
    assert_type(http_mapping.retry_after_from_headers({"Retry-After": "1"}), float | None)
    assert_type(http_mapping.error_class_for_status(400), type[errorkit.BadRequestError])
    assert_type(http_mapping.error_class_for_status(422), type[errorkit.BadRequestError])
    assert_type(http_mapping.error_class_for_status(401), type[errorkit.AuthenticationError])
    assert_type(http_mapping.error_class_for_status(403), type[errorkit.PermissionDeniedError])
    assert_type(http_mapping.error_class_for_status(404), type[errorkit.NotFoundError])
    assert_type(errorkit.error_class_for_status(429), type[errorkit.RateLimitError])
    assert_type(http_mapping.error_class_for_status(503), type[errorkit.ServerError])
    assert_type(http_mapping.error_class_for_status(418), type[errorkit.APIError])
    assert_type(errorkit.error_class_for_status(404)(), errorkit.NotFoundError)
    assert_type(http_mapping.error_for_status(404), errorkit.APIError)
    assert_type(http_mapping.error_from_exception(OSError()), BaseException)
    assert_type(http_mapping.connector_error_for_status("fred", 429), errorkit.ConnectorError)
    assert_type(http_mapping.connector_error_for_timeout("fred"), errorkit.ProviderError)


def retrying() -> None:
    """``map_exceptions`` keeps an async function's signature; retry hints are keywords."""

    @http_mapping.map_exceptions({TimeoutError: errorkit.APITimeoutError}, provider="x")
    async def fetch(n: int) -> str:
        return str(n)

    coroutine: Coroutine[Any, Any, str] = fetch(1)  # the signature survives the decorator
    coroutine.close()
    errorkit.ServerError(retry_after=2.5, retryable=False, details={"trace": "t"})


def class_for_any(status: int) -> None:
    """A status known only as an int maps to the base class."""
    assert_type(http_mapping.error_class_for_status(status), type[errorkit.APIError])


def misuse() -> None:
    """Each line is an error mypy reports; an unused ignore would fail the check."""
    errorkit.APIError("no status")  # type: ignore[call-arg]
    errorkit.ServerError(reqest_url="https://x")  # type: ignore[call-arg]
    errorkit.InvalidArgumentError("m", violation="sideways")  # type: ignore[arg-type]
    errorkit.ConnectorError("m")  # type: ignore[call-arg]
    errorkit.UnauthorizedError()  # type: ignore[call-arg]
    errorkit.UnauthorizedError("fred", provider="other")  # type: ignore[misc]
    errorkit.BadRequestError(code="X")  # type: ignore[call-arg]
    errorkit.RegionProbeNetworkError("m", attempts=[], code="X")  # type: ignore[call-arg]
    errorkit.RateLimitError().retry_after + 1  # type: ignore[operator]
    errorkit.Error("m").to_dict()["cod"]  # type: ignore[typeddict-item]
    errorkit.ProviderError(status_code=500)  # type: ignore[call-arg]
    errorkit.EmptyDataError()  # type: ignore[call-arg]
    errorkit.ServerError(retryable="yes")  # type: ignore[arg-type]
    errorkit.ProviderError("p", 503, retryable=True)  # type: ignore[call-arg]
    errorkit.ConfigError("m", code="X")  # type: ignore[call-arg]
    errorkit.ToolNotFoundError()  # type: ignore[call-arg]
    errorkit.AccountNotFoundError("a", available_acounts=["b"])  # type: ignore[call-arg]
    errorkit.APIConnectionError(request_url=3)  # type: ignore[arg-type]

    @http_mapping.map_exceptions({TimeoutError: errorkit.APITimeoutError}, provider="x")
    async def fetch(n: int) -> str:
        return str(n)

    fetch("1").close()  # type: ignore[arg-type]
