"""Properties of ``errorkit.http_mapping`` (hypothesis): Retry-After, statuses and bodies.

Every function is total on generated input: any ``Retry-After`` value or header mix, every
error status with any body; a message taken from a body never shows a secret in it.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import httpx
from hypothesis import example, given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from errorkit import exceptions as ek
from errorkit import http_mapping
from tests.strategies import (
    MAIN,
    PROSE_URL,
    SMALL,
    FreeText,
    Opaque,
    _fixed_offsets,
    clean_urls,
    dirty_urls,
    free_texts,
    hostile,
    names,
    secrets,
    small_hostile,
    texts,
)

if TYPE_CHECKING:
    from collections.abc import Callable


_BODY_SHAPES: list[Callable[[str], Any]] = [
    lambda text: text,
    lambda text: text.encode(),
    lambda text: {"error": text},
    lambda text: {"message": text, "code": 7},
    lambda text: {"error": {"message": text, "type": "invalid_request"}},
    lambda text: {"detail": [{"loc": ["body"], "msg": text}]},
    lambda text: {"errors": [{"message": text}]},
    lambda text: json.dumps({"error": text}),
]


class BodyCase(NamedTuple):
    """A secret, prose holding it, and a request URL holding it."""

    secret: str
    free: FreeText
    url: str


@st.composite
def body_cases(draw: st.DrawFn) -> BodyCase:
    """Draw a secret with free text and a request URL that both hold it."""
    secret = draw(secrets)
    return BodyCase(secret, draw(free_texts(secret)), draw(dirty_urls(secret, PROSE_URL)).url)


@SMALL
@given(
    case=body_cases(),
    status=st.integers(min_value=400, max_value=599),
    shape=st.sampled_from(_BODY_SHAPES),
)
@example(  # found by this property: JSON text quoting escaped JSON (two levels of escaping)
    case=BodyCase(
        "S3cr3t00000000",
        FreeText('w0w \\"authorization\\": \\"S3cr3t00000000\\" w0w', "w0w", "w0w"),
        "http://u:S3cr3t00000000@h",
    ),
    status=400,
    shape=_BODY_SHAPES[-1],
)
def test_message_composed_from_a_body_hides_secrets(
    case: BodyCase, status: int, shape: Callable[[str], Any]
) -> None:
    """A message errorkit takes from a response body never shows a credential in the body."""
    secret, free = case.secret, case.free
    body = shape(free.text)
    error = http_mapping.error_for_status(status, response_body=body, request_url=case.url)
    assert secret not in str(error)
    assert secret not in repr(error)
    assert secret not in json.dumps(error.to_dict())
    assert str(error).startswith(" ".join(free.before.split()))  # whitespace is collapsed


# --------------------------------------------------------------------------- Retry-After

_times = st.none() | st.datetimes(timezones=st.none() | _fixed_offsets)


@st.composite
def http_dates(draw: st.DrawFn) -> str:
    """Draw an HTTP-date in IMF-fixdate, RFC 850 or asctime form, or with a zone offset."""
    when = draw(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
    form = draw(st.sampled_from(["imf", "rfc850", "asctime", "offset"]))
    if form == "imf":
        return format_datetime(when.replace(tzinfo=timezone.utc), usegmt=True)
    if form == "rfc850":
        return when.strftime("%A, %d-%b-%y %H:%M:%S GMT")
    if form == "asctime":
        return when.strftime("%a %b %e %H:%M:%S %Y")
    return format_datetime(when.replace(tzinfo=draw(_fixed_offsets)))


retry_after_values = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789.eE+- ", max_size=20),
    st.integers(),
    st.integers(min_value=0).map(str),
    st.sampled_from([10**400, -(10**400), "9" * 5000, "1e9", "1m0s", "120junk", "inf", "NaN"]),
    st.floats(),
    st.floats().map(str),
    st.floats(min_value=0, max_value=3e9).map(str),
    st.decimals().map(str),
    http_dates(),
    http_dates().map(lambda date: date + " junk"),
)


def _in_bounds(seconds: float | None) -> bool:
    """Tell whether a wait is None or a float in ``[0, 86400]``."""
    return seconds is None or (type(seconds) is float and 0.0 <= seconds <= 86400.0)


@MAIN
@given(value=retry_after_values, now=_times)
def test_parse_retry_after_is_total_and_bounded(value: Any, now: datetime | None) -> None:
    """``parse_retry_after`` never raises and gives None or a float in ``[0, 86400]``."""
    assert _in_bounds(http_mapping.parse_retry_after(value, now=now))


@SMALL
@given(value=st.one_of(st.binary(), st.booleans(), st.builds(Opaque), st.lists(st.integers())))
def test_parse_retry_after_tolerates_odd_types(value: Any) -> None:
    """A value of the wrong type is unparseable (None), never an exception."""
    assert http_mapping.parse_retry_after(value) is None


_HEADER_NAMES = [
    "Retry-After",
    "retry-after",
    "RETRY-AFTER",
    "retry-after-ms",
    "Retry-After-Ms",
    "RateLimit-Reset",
    "ratelimit-reset",
    "X-RateLimit-Reset",
    "x-ratelimit-reset",
    "X-Request-Id",
    "request-id",
    "Content-Type",
]
_header_values = st.one_of(
    retry_after_values.filter(lambda value: isinstance(value, str)),
    st.integers(min_value=0, max_value=4 * 10**9).map(str),
    st.floats(min_value=-1e12, max_value=1e12).map(str),
)
_raw_headers = st.dictionaries(
    st.one_of(st.sampled_from(_HEADER_NAMES), st.text(max_size=10)), _header_values, max_size=6
)


def _httpx_headers(raw: dict[str, str]) -> httpx.Headers:
    """Build httpx headers from the ASCII-encodable items of ``raw``."""
    return httpx.Headers(
        {
            k: v
            for k, v in raw.items()
            if k.isascii() and v.isascii() and k.strip() and "\n" not in v
        }
    )


header_mixes = st.one_of(
    st.none(),
    _raw_headers,
    _raw_headers.map(CaseInsensitiveDict),
    _raw_headers.map(_httpx_headers),
    st.dictionaries(
        st.one_of(st.sampled_from(_HEADER_NAMES), st.binary(max_size=4), st.integers()),
        st.one_of(_header_values, st.binary(max_size=8), st.integers(), st.floats(), st.none()),
        max_size=6,
    ),
)
"""Header mappings: plain dicts, requests' and httpx's, and ones with non-str keys or values."""


@MAIN
@given(headers=header_mixes, now=_times)
def test_retry_after_from_headers_is_total_and_bounded(headers: Any, now: datetime | None) -> None:
    """``retry_after_from_headers`` never raises and gives None or a float in ``[0, 86400]``."""
    assert _in_bounds(http_mapping.retry_after_from_headers(headers, now=now))


# --------------------------------------------------------------------------- status mapping

bodies = st.one_of(
    hostile,
    st.dictionaries(
        st.sampled_from(["error", "message", "detail", "errors", "msg", "code"]),
        hostile,
        max_size=3,
    ),
    st.text(),
    st.builds(lambda depth: "{" + '"error": {' * depth, st.integers(0, 10_000)),
    st.builds(lambda depth: "[" * depth + "]" * depth, st.integers(0, 10_000)),
    st.binary(),
)


def _expected_class(status: int) -> type[ek.APIError]:
    """The class the contract's status table names for an error status."""
    table: dict[int, type[ek.APIError]] = {
        400: ek.BadRequestError,
        401: ek.AuthenticationError,
        403: ek.PermissionDeniedError,
        404: ek.NotFoundError,
        409: ek.ConflictError,
        422: ek.BadRequestError,
        429: ek.RateLimitError,
    }
    return table.get(status, ek.ServerError if status >= 500 else ek.APIError)


@MAIN
@given(
    status=st.integers(min_value=400, max_value=599),
    message=st.none() | texts,
    headers=header_mixes,
    body=bodies,
    url=st.none() | clean_urls(),
    params=st.none() | st.dictionaries(st.text(max_size=8), hostile, max_size=3),
    request_body=st.none() | small_hostile,
    provider=st.none() | names,
)
def test_error_for_status_is_total(
    status: int,
    message: str | None,
    headers: Any,
    body: Any,
    url: str | None,
    params: Any,
    request_body: Any,
    provider: str | None,
) -> None:
    """Every status 400–599 with any headers and body gives the table's error, never raising."""
    error = http_mapping.error_for_status(
        status,
        message,
        headers=headers,
        response_body=body,
        request_method="GET",
        request_url=url,
        request_params=params,
        request_body=request_body,
        provider=provider,
    )
    assert type(error) is _expected_class(status)
    assert error.status_code == status
    assert str(error)
    if message:
        assert str(error).startswith(message.removesuffix("."))
    if isinstance(error, ek.RateLimitError):
        assert _in_bounds(error.retry_after)
    json.dumps(error.to_dict(), allow_nan=False)


@MAIN
@given(
    provider=names,
    status=st.integers(min_value=400, max_value=599),
    headers=header_mixes,
    env_var=st.none() | names,
    body=bodies,
    url=st.none() | clean_urls(),
)
def test_connector_error_for_status_is_total(
    provider: str, status: int, headers: Any, env_var: str | None, body: Any, url: str | None
) -> None:
    """Every status 400–599 with any headers and body gives the connector error, never raising."""
    error = http_mapping.connector_error_for_status(
        provider, status, headers=headers, env_var=env_var, response_body=body, request_url=url
    )
    expected: type[ek.ConnectorError] = {
        401: ek.UnauthorizedError,
        402: ek.PaymentRequiredError,
        403: ek.UnauthorizedError,
        429: ek.ConnectorRateLimitError,
    }.get(status, ek.ProviderError)
    assert type(error) is expected
    assert error.provider == provider
    assert str(error).startswith(f"{provider}: ")
    json.dumps(error.to_dict(), allow_nan=False)
    if isinstance(error, ek.ConnectorRateLimitError):
        from_headers = http_mapping.retry_after_from_headers(headers)
        assert error.retry_after == (60.0 if from_headers is None else from_headers)
        assert 0.0 <= error.retry_after <= 86400.0
    assert isinstance(error, ek.APIError)
    assert error.status_code == status
