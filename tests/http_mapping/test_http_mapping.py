"""Tests for errorkit.http_mapping: statuses, headers, bodies, responses and transport errors."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import re
import socket
import ssl
import subprocess
import sys
import urllib.error
from datetime import datetime, timedelta, timezone
from email.message import Message
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

import httpcore
import httpx
import pytest
import urllib3
import urllib3.exceptions
from hypothesis import given, settings
from hypothesis import strategies as st

from errorkit import http_mapping
from errorkit.exceptions import (
    DIRECTIVE_BURST,
    DIRECTIVE_CREDENTIALS,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CatalogNotFoundError,
    ConfigError,
    ConflictError,
    ConnectorError,
    ConnectorRateLimitError,
    EmptyDataError,
    Error,
    InvalidParameterError,
    JQLSyntaxError,
    NotFoundError,
    ParseError,
    PaymentRequiredError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
    ServerError,
    UnauthorizedError,
)
from errorkit.http_mapping import (
    connector_error_for_status,
    connector_error_for_timeout,
    connector_error_for_transport,
    connector_error_from_response,
    error_class_for_status,
    error_for_status,
    error_from_exception,
    error_from_response,
    map_exceptions,
    parse_retry_after,
    raise_for_status,
    retry_after_from_headers,
)

if TYPE_CHECKING:
    from collections.abc import Callable

UTC = timezone.utc
NOW = datetime(2026, 1, 1, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())
SECRET = "SUPERSECRET123"
SECRET_URL = f"https://alice:{SECRET}@api.example.com/v1/x?api_key={SECRET}&page=2"


def assert_no_secret(err: BaseException) -> None:
    """Assert that SECRET shows in none of the error's str, repr and serialized forms."""
    assert SECRET not in str(err)
    assert SECRET not in repr(err)
    if isinstance(err, Error):
        assert SECRET not in json.dumps(err.to_dict(), allow_nan=False)


# ---------------------------------------------------------------------------
# Module surface
# ---------------------------------------------------------------------------


def test_all_is_the_sorted_public_api() -> None:
    """``__all__`` lists exactly the contract's functions, sorted."""
    assert http_mapping.__all__ == sorted(http_mapping.__all__)
    assert http_mapping.__all__ == [
        "connector_error_for_status",
        "connector_error_for_timeout",
        "connector_error_for_transport",
        "connector_error_from_response",
        "error_class_for_status",
        "error_for_status",
        "error_from_exception",
        "error_from_response",
        "find_error",
        "map_exceptions",
        "parse_retry_after",
        "raise_for_status",
        "retry_after_from_headers",
    ]


def test_importing_the_module_imports_no_http_client() -> None:
    """Importing http_mapping loads none of httpx, httpcore, requests, urllib3 or aiohttp."""
    clients = ["httpx", "httpcore", "requests", "urllib3", "aiohttp"]
    code = (
        "import sys, errorkit.http_mapping\n"
        f"print(sorted(m for m in {clients!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_import_defers_what_it_can() -> None:
    """``import errorkit`` loads none of json, datetime, urllib, collections and the like."""
    deferred = [
        "collections",
        "contextlib",
        "dataclasses",
        "datetime",
        "decimal",
        "email",
        "enum",
        "functools",
        "inspect",
        "json",
        "math",
        "pathlib",
        "pickle",
        "re",
        "typing",
        "typing_extensions",
        "urllib",
        "uuid",
    ]
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import errorkit\n"
        f"print(sorted(m for m in {deferred!r} if m in set(sys.modules) - before))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_docstring_table_matches_the_lookup() -> None:
    """Every status row of the module docstring's table names the class the lookup returns."""
    doc = http_mapping.__doc__ or ""
    table = doc.split("Connector statuses")[0]
    rows = re.findall(r"^ {4}([0-9][0-9, –]*?)\s{2,}(\w+Error)\b", table, re.MULTILINE)
    assert len(rows) == 7
    for statuses, class_name in rows:
        for status in re.findall(r"[0-9]{3}", statuses):
            assert error_class_for_status(int(status)).__name__ == class_name


# ---------------------------------------------------------------------------
# Status → class
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (422, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
        (402, APIError),
        (405, APIError),
        (418, APIError),
        (499, APIError),
        (600, APIError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIError]) -> None:
    """Each error status maps to its class, and the built error keeps the exact status."""
    assert error_class_for_status(status) is cls
    err = error_for_status(status)
    assert type(err) is cls
    assert err.status_code == status
    assert str(err)


@pytest.mark.parametrize("status", [399, 302, 200, 100, 0, -1])
def test_status_below_400_is_a_value_error(status: int) -> None:
    """A status below 400 is not an error: ValueError naming the status."""
    with pytest.raises(ValueError, match=str(status)):
        error_class_for_status(status)
    with pytest.raises(ValueError, match=str(status)):
        error_for_status(status)


def test_numeric_string_status_is_converted() -> None:
    """A numeric string status is read as the int it spells."""
    assert error_class_for_status("404") is NotFoundError  # type: ignore[call-overload]
    assert error_for_status(" 503 ").status_code == 503  # type: ignore[arg-type]


@pytest.mark.parametrize("status", ["abc", "", None, 404.5, True])
def test_non_numeric_status_is_a_value_error(status: object) -> None:
    """A status that is not a number is a programmer error (ValueError)."""
    with pytest.raises(ValueError, match="status"):
        error_class_for_status(status)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "Bad request"),
        (401, "Authentication failed"),
        (403, "Permission denied"),
        (404, "Resource not found"),
        (429, "Rate limit exceeded"),
        (500, "Server error"),
        (418, "HTTP 418 error"),
        (402, "HTTP 402 error"),
    ],
)
def test_default_message_without_body(status: int, message: str) -> None:
    """With no message and no body the class default is used; plain APIError says the status."""
    assert error_for_status(status).message == message


def test_caller_message_wins_over_body() -> None:
    """The caller's message is used instead of the body's."""
    err = error_for_status(400, "my message", response_body={"error": "body message"})
    assert err.message == "my message"


def test_request_context_is_kept_on_the_error() -> None:
    """Method, raw URL, params, bodies and provider are stored on the error as given."""
    err = error_for_status(
        404,
        response_body={"detail": "gone"},
        request_method="GET",
        request_url=SECRET_URL,
        request_params={"page": 2},
        request_body={"q": 1},
        provider="example",
    )
    assert err.request_method == "GET"
    assert err.request_url == SECRET_URL
    assert err.request_params == {"page": 2}
    assert err.request_body == {"q": 1}
    assert err.response_body == {"detail": "gone"}
    assert err.provider == "example"
    assert_no_secret(err)


# ---------------------------------------------------------------------------
# Message from the body
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "invalid_grant"}, "invalid_grant"),
        ({"message": "Widget is locked"}, "Widget is locked"),
        ({"detail": "Not Found"}, "Not Found"),
        ({"error": "first", "message": "second"}, "first"),
        ({"error": {"message": "nested", "type": "invalid_request_error"}}, "nested"),
        ({"error": {"detail": "nested detail"}}, "nested detail"),
        ({"error": {"code": 3}, "message": "fallback key"}, "fallback key"),
        ({"detail": [{"loc": ["body", "x"], "msg": "field required"}]}, "field required"),
        ({"errors": [{"message": "first error"}, {"message": "second"}]}, "first error"),
        ({"error": ["listed", "other"]}, "listed"),
        ([{"message": "list body"}], "list body"),
        ('{"error": {"message": "json text"}}', "json text"),
        ("  plain\n\ttext   body  ", "plain text body"),
        ({"error": "  spaced \n out  "}, "spaced out"),
        (b"bytes body", "bytes body"),
        ('{"error": ', '{"error":'),
        ("x" * 500, "x" * 200),
        ({"message": "y" * 500}, "y" * 200),
    ],
)
def test_message_from_body(body: object, message: str) -> None:
    """The message comes from a body's error/message/detail text, collapsed and cut to 200."""
    assert error_for_status(400, response_body=body).message == message


@pytest.mark.parametrize(
    "body",
    [
        None,
        "",
        "   \n ",
        b"",
        42,
        3.5,
        True,
        [],
        {},
        {"error": None},
        {"error": ""},
        {"error": 404},
        {"unrelated": "text"},
        '{"unrelated": 1}',
        [None],
        {"error": {"error": {"error": {"error": {"error": {"error": {}}}}}}},
    ],
)
def test_body_without_text_gives_default(body: object) -> None:
    """A body with no usable text falls back to the class default, never raising."""
    assert error_for_status(404, response_body=body).message == "Resource not found"
    assert error_for_status(418, response_body=body).message == "HTTP 418 error"


@pytest.mark.parametrize(
    "body",
    [
        f"invalid credentials: Bearer {SECRET}",
        {"error": {"message": f"key rejected: api_key={SECRET}"}},
        f"could not fetch {SECRET_URL}",
        f"Authorization: Basic {SECRET}",
    ],
)
def test_secrets_in_body_are_masked_in_message(body: object) -> None:
    """Credentials and URL secrets in a body never reach the message or the serialized error."""
    err = error_for_status(401, response_body=body)
    assert SECRET not in err.message
    assert_no_secret(err)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.sampled_from(["error", "message", "detail", "x"]), children)
        ),
        max_leaves=8,
    )
)
@settings(max_examples=60, deadline=None)
def test_any_body_gives_a_short_nonempty_message(body: Any) -> None:
    """Whatever the body, the error builds and its message is non-empty and at most 200 chars."""
    err = error_for_status(400, response_body=body)
    assert 0 < len(err.message) <= 200


@pytest.mark.parametrize(
    ("headers", "request_id"),
    [
        ({"x-request-id": "req_1"}, "req_1"),
        ({"X-Request-ID": "req_2"}, "req_2"),
        ({"Request-Id": "req_3"}, "req_3"),
        ({"request-id": "req_4", "x-request-id": "req_5"}, "req_5"),
        ({"other": "x"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_request_id_from_headers(headers: dict[str, str] | None, request_id: str | None) -> None:
    """``request_id`` comes from x-request-id, then request-id, case-insensitively."""
    assert error_for_status(500, headers=headers).request_id == request_id


def test_rate_limit_reads_retry_after_from_headers() -> None:
    """A 429 carries the Retry-After wait and says it in the message."""
    err = error_for_status(429, headers={"Retry-After": "30"})
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 30.0
    assert err.message == "Rate limit exceeded. Retry after 30 seconds."


def test_error_for_status_equals_direct_construction() -> None:
    """The error built from a status and headers equals the one built by hand."""
    headers = {"Retry-After": "30", "X-Request-ID": "req_1", "Content-Type": "text/plain"}
    mapped = error_for_status(429, headers=headers, provider="acme")
    direct = RateLimitError(retry_after=30.0, request_id="req_1", provider="acme")
    assert type(mapped) is RateLimitError
    assert mapped.to_dict() == direct.to_dict()
    assert mapped.message == direct.message
    for name in ("status_code", "retry_after", "request_id", "provider", "request_url"):
        assert getattr(mapped, name) == getattr(direct, name)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"RETRY-AFTER": "1", "Retry-After": "2"}, 1.0),
        ({"Retry-After": "2", "retry-after": "3"}, 3.0),
        ({"Retry-After": "", "RETRY-AFTER": "4"}, None),
        ({"Retry-After": None, "retry-after": "5"}, 5.0),
        ({1: "6", "Retry-After": "7"}, 7.0),
    ],
)
def test_header_lookup_prefers_exact_then_first_match(
    headers: dict[Any, Any], seconds: float | None
) -> None:
    """The lower-case key wins; else the first key equal ignoring case, in mapping order."""
    assert retry_after_from_headers(headers, now=NOW) == seconds


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


@given(st.one_of(st.text(), st.from_regex(r"\A[0-9.]{0,6}\Z"), st.from_regex(r"\A\d{1,3}\Z")))
@settings(max_examples=300, deadline=None)
def test_decimal_check_matches_the_grammar(text: str) -> None:
    """The delta-seconds check accepts exactly what ``[0-9]+(?:.[0-9]*)?|.[0-9]+`` matches."""
    assert http_mapping._is_decimal(text) is bool(_DECIMAL.fullmatch(text))


def test_rate_limit_without_headers_has_no_retry_after() -> None:
    """A 429 without rate-limit headers leaves ``retry_after`` unknown."""
    err = error_for_status(429)
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None


# ---------------------------------------------------------------------------
# Retry-After
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("0.5", 0.5),
        ("1.25", 1.25),
        (" 7 ", 7.0),
        ("Thu, 01 Jan 2026 00:02:00 GMT", 120.0),
        ("Thursday, 01-Jan-26 00:02:00 GMT", 120.0),
        ("Thu Jan  1 00:02:00 2026", 120.0),
        ("Thu, 01 Jan 2026 00:00:00 GMT", 0.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
        ("Thu, 01 Jan 2026 02:00:00 +0200", 0.0),
        ("Sat, 01 Jan 2028 00:00:00 GMT", 86400.0),
        (str(NOW_TS + 90), 90.0),
        (f"{NOW_TS + 90}.2", 91.0),
        (str(NOW_TS - 90), 0.0),
        ("1000000000", 0.0),
        ("86400", 86400.0),
        ("86401", 86400.0),
        ("999999999", 86400.0),
        ("9" * 30, 86400.0),
        (30, 30.0),
        (2.5, 2.5),
        (0, 0.0),
        (NOW_TS + 5, 5.0),
    ],
)
def test_parse_retry_after(value: str | float, seconds: float) -> None:
    """Delta seconds, HTTP-dates in all three forms, and epoch timestamps become a bounded wait."""
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "1m0s",
        "120junk",
        "junk",
        "-5",
        "-0.5",
        "+5",
        "1e3",
        "0x10",
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "\u0661\u0662",
        "1" * 5000,
        "9" * 400,
        "Thu, 01 Jan 99999 00:02:00 GMT",
        "Mon, 99 Foo 2026",
        True,
        False,
        -1,
        -0.5,
        float("nan"),
        float("inf"),
        float("-inf"),
        10**400,
        1e308 * 10,
    ],
)
def test_parse_retry_after_rejects(value: Any) -> None:
    """Empty, garbage, negative, non-finite and overflowing values give None."""
    assert parse_retry_after(value, now=NOW) is None


def test_date_wait_is_rounded_up() -> None:
    """A wait until a date is rounded up to whole seconds."""
    now = NOW + timedelta(microseconds=250_000)
    assert parse_retry_after("Thu, 01 Jan 2026 00:02:00 GMT", now=now) == 120.0
    assert parse_retry_after(f"{NOW_TS + 60}.5", now=NOW) == 61.0


def test_naive_now_is_utc() -> None:
    """A naive ``now`` is read as UTC."""
    naive = datetime(2026, 1, 1)
    assert parse_retry_after("Thu, 01 Jan 2026 00:02:00 GMT", now=naive) == 120.0
    assert parse_retry_after(str(NOW_TS + 30), now=naive) == 30.0


def test_now_defaults_to_the_current_time() -> None:
    """Without ``now`` a date is measured from the current UTC time."""
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    seconds = parse_retry_after(in_an_hour)
    assert seconds is not None
    assert 3590 <= seconds <= 3601


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
@settings(max_examples=200, deadline=None)
def test_parse_retry_after_never_raises(value: Any) -> None:
    """For any input the result is None or a wait within [0, 86400]."""
    seconds = parse_retry_after(value, now=NOW)
    assert seconds is None or 0.0 <= seconds <= 86400.0


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"RETRY-AFTER": "7"}, 7.0),
        ({"retry-after": "Thu, 01 Jan 2026 00:01:00 GMT"}, 60.0),
        ({"Retry-After": "30", "retry-after-ms": "500"}, 30.0),
        ({"Retry-After": "junk", "retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After-Ms": "999999999999"}, 86400.0),
        ({"RateLimit-Reset": "12"}, 12.0),
        ({"ratelimit-reset": "12", "x-ratelimit-reset": "99"}, 12.0),
        ({"RateLimit-Reset": "junk", "X-RateLimit-Reset": "20"}, 20.0),
        ({"X-RateLimit-Reset": "20"}, 20.0),
        ({"x-ratelimit-reset": str(NOW_TS + 45)}, 45.0),
        ({"X-RATELIMIT-RESET": str(NOW_TS - 45)}, 0.0),
        ({"Retry-After": "999999"}, 86400.0),
        ({"Retry-After": "-1"}, None),
        ({"Content-Type": "application/json"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_retry_after_from_headers(headers: dict[str, str] | None, seconds: float | None) -> None:
    """Headers are tried in order (Retry-After, ms, RateLimit-Reset, X-RateLimit-Reset)."""
    assert retry_after_from_headers(headers, now=NOW) == seconds


def test_retry_after_from_client_header_types() -> None:
    """The case-insensitive header mappings of httpx and requests work too."""
    assert retry_after_from_headers(httpx.Headers({"Retry-After": "3"})) == 3.0
    requests = pytest.importorskip("requests")
    headers = requests.structures.CaseInsensitiveDict({"X-RateLimit-Reset": "4"})
    assert retry_after_from_headers(headers) == 4.0


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


def httpx_request(method: str = "GET") -> httpx.Request:
    """Build an httpx request to a URL with planted secrets."""
    return httpx.Request(method, SECRET_URL)


def test_httpx_response_through_error_from_response() -> None:
    """A real httpx 429 response yields a RateLimitError with its full context."""
    response = httpx.Response(
        429,
        headers={"Retry-After": "30", "X-Request-ID": "req_42"},
        json={"error": {"message": "Slow down", "type": "rate_limit"}},
        request=httpx_request(),
    )
    err = error_from_response(response, provider="example")
    assert type(err) is RateLimitError
    assert err.status_code == 429
    assert err.retry_after == 30.0
    assert err.request_id == "req_42"
    assert err.request_method == "GET"
    assert err.request_url == SECRET_URL
    assert err.response_body == {"error": {"message": "Slow down", "type": "rate_limit"}}
    assert err.provider == "example"
    assert err.message == "Slow down. Retry after 30 seconds."
    assert_no_secret(err)


def test_httpx_raise_for_status_raises_typed_error() -> None:
    """``raise_for_status`` raises the typed error for an httpx error response."""
    response = httpx.Response(404, json={"detail": "No such widget"}, request=httpx_request())
    with pytest.raises(NotFoundError, match="No such widget") as caught:
        raise_for_status(response, provider="example")
    assert caught.value.provider == "example"
    assert_no_secret(caught.value)


@pytest.mark.parametrize("status", [200, 201, 204, 301, 399])
def test_raise_for_status_is_a_noop_below_400(status: int) -> None:
    """``raise_for_status`` raises nothing for a status below 400."""
    raise_for_status(httpx.Response(status, request=httpx_request()))


def test_error_from_response_below_400_is_a_value_error() -> None:
    """``error_from_response`` refuses a successful response."""
    with pytest.raises(ValueError, match="200"):
        error_from_response(httpx.Response(200))


def test_httpx_response_without_request() -> None:
    """An httpx response built without a request (whose .request raises) still maps."""
    err = error_from_response(httpx.Response(502, text="upstream <b>down</b>"))
    assert type(err) is ServerError
    assert err.message == "upstream <b>down</b>"
    assert err.request_method is None
    assert err.request_url is None


def test_httpx_text_body_with_bearer_token() -> None:
    """A plain-text httpx body with a Bearer token is masked in message and serialization."""
    response = httpx.Response(
        401, text=f"token rejected: Bearer {SECRET}", request=httpx_request("POST")
    )
    err = error_from_response(response)
    assert type(err) is AuthenticationError
    assert err.response_body == f"token rejected: Bearer {SECRET}"
    assert_no_secret(err)


def test_requests_response_through_error_from_response() -> None:
    """A real requests response yields the typed error with body, request id and request."""
    requests = pytest.importorskip("requests")
    response = requests.Response()
    response.status_code = 404
    response._content = b'{"detail": "No such widget"}'
    response.encoding = "utf-8"
    response.headers = requests.structures.CaseInsensitiveDict(
        {"Content-Type": "application/json", "Request-Id": "req_9"}
    )
    response.url = SECRET_URL
    response.request = requests.Request("DELETE", SECRET_URL).prepare()
    err = error_from_response(response, provider="example")
    assert type(err) is NotFoundError
    assert err.message == "No such widget"
    assert err.request_id == "req_9"
    assert err.request_method == "DELETE"
    assert err.request_url is not None
    assert "api.example.com" in err.request_url
    assert_no_secret(err)
    with pytest.raises(NotFoundError):
        raise_for_status(response)


def test_requests_response_without_request_uses_response_url() -> None:
    """A requests response with no request falls back to ``response.url``."""
    requests = pytest.importorskip("requests")
    response = requests.Response()
    response.status_code = 502
    response._content = b"<html>Bad Gateway</html>"
    response.encoding = "utf-8"
    response.url = "https://api.example.com/v1/x"
    err = error_from_response(response)
    assert type(err) is ServerError
    assert err.message == "<html>Bad Gateway</html>"
    assert err.request_method is None
    assert err.request_url == "https://api.example.com/v1/x"


class BrokenResponse:
    """A response look-alike whose every optional attribute fails."""

    status_code = 500

    @property
    def headers(self) -> object:
        """Return something that is not a mapping."""
        return ["not", "a", "mapping"]

    def json(self) -> object:
        """Fail like a non-JSON body."""
        raise ValueError("not JSON")

    @property
    def text(self) -> str:
        """Fail like an unread streaming body."""
        raise RuntimeError("not read")

    @property
    def request(self) -> object:
        """Fail like httpx without a request."""
        raise RuntimeError("no request")


def test_broken_response_still_maps() -> None:
    """A response whose headers, body and request are all unusable still gives the error."""
    err = error_from_response(BrokenResponse())
    assert type(err) is ServerError
    assert err.message == "Server error"
    assert err.response_body is None


# ---------------------------------------------------------------------------
# Transport exceptions
# ---------------------------------------------------------------------------


class Timeout(Exception):
    """A user's own class named like requests' Timeout: not a transport error."""


class ConnectError(Exception):
    """A user's own class named like httpx's ConnectError: not a transport error."""


def aiohttp_class(name: str) -> type[Exception]:
    """Make a stand-in for an aiohttp exception class (aiohttp is not installed)."""
    return type(name, (Exception,), {"__module__": "aiohttp.client_exceptions"})


def url_connection() -> urllib3.connection.HTTPConnection:
    """Build an (unconnected) urllib3 connection for exception constructors."""
    return urllib3.connection.HTTPConnection("api.example.com")


def urllib3_pool() -> urllib3.HTTPConnectionPool:
    """Build an (unconnected) urllib3 pool for exception constructors."""
    return urllib3.HTTPConnectionPool("api.example.com")


TIMEOUTS: list[BaseException] = [
    TimeoutError("timed out"),
    asyncio.TimeoutError(),
    concurrent.futures.TimeoutError(),
    httpx.ReadTimeout(f"read timed out {SECRET_URL}"),
    httpx.ConnectTimeout("connect timed out"),
    httpx.WriteTimeout("write timed out"),
    httpx.PoolTimeout("pool timed out"),
    httpcore.ReadTimeout("timed out"),
    urllib3.exceptions.ConnectTimeoutError(f"timed out {SECRET_URL}"),
    urllib3.exceptions.ReadTimeoutError(urllib3_pool(), SECRET_URL, "read timed out"),
    urllib3.exceptions.MaxRetryError(
        urllib3_pool(), SECRET_URL, urllib3.exceptions.ConnectTimeoutError("timed out")
    ),
    aiohttp_class("ServerTimeoutError")("timeout"),
    aiohttp_class("ConnectionTimeoutError")("timeout"),
    aiohttp_class("SocketTimeoutError")("timeout"),
]

CONNECTION_FAILURES: list[BaseException] = [
    ConnectionError("down"),
    ConnectionRefusedError(111, "Connection refused"),
    ConnectionResetError(104, "Connection reset by peer"),
    ConnectionAbortedError("aborted"),
    BrokenPipeError("broken pipe"),
    socket.gaierror(-2, "Name or service not known"),
    ssl.SSLError("bad handshake"),
    ssl.SSLCertVerificationError("certificate verify failed"),
    urllib.error.URLError(f"no route to {SECRET_URL}"),
    httpx.ConnectError(f"[Errno 111] {SECRET_URL}"),
    httpx.ReadError("read failed"),
    httpx.WriteError("write failed"),
    httpx.CloseError("close failed"),
    httpx.RemoteProtocolError("server disconnected"),
    httpx.LocalProtocolError("bad request line"),
    httpx.ProxyError("proxy refused"),
    httpx.UnsupportedProtocol("ftp"),
    httpcore.ConnectError("refused"),
    httpcore.RemoteProtocolError("disconnected"),
    urllib3.exceptions.NewConnectionError(url_connection(), "refused"),
    urllib3.exceptions.NameResolutionError(
        "api.example.com", url_connection(), socket.gaierror(-2, "unknown")
    ),
    urllib3.exceptions.ProtocolError("connection aborted"),
    urllib3.exceptions.SSLError("bad certificate"),
    urllib3.exceptions.ProxyError("proxy down", OSError("refused")),
    urllib3.exceptions.MaxRetryError(
        urllib3_pool(), SECRET_URL, urllib3.exceptions.NewConnectionError(url_connection(), "x")
    ),
    urllib3.exceptions.MaxRetryError(urllib3_pool(), SECRET_URL, None),
    aiohttp_class("ClientConnectionError")("failed"),
    aiohttp_class("ClientConnectorError")("failed"),
    aiohttp_class("ServerDisconnectedError")("failed"),
    aiohttp_class("ClientOSError")("failed"),
    aiohttp_class("ClientPayloadError")("failed"),
    type("MyConnectorError", (aiohttp_class("ClientConnectorError"),), {})("subclassed"),
]


@pytest.mark.parametrize(
    ("exc", "cls", "message"),
    [(exc, APITimeoutError, "Request timed out") for exc in TIMEOUTS]
    + [(exc, APIConnectionError, "Connection failed") for exc in CONNECTION_FAILURES],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else None,
)
def test_transport_exception_becomes_typed_error(
    exc: BaseException, cls: type[APIConnectionError], message: str
) -> None:
    """Transport failures become APITimeoutError/APIConnectionError with the default message."""
    err = error_from_exception(exc, provider="example", request_method="GET")
    assert type(err) is cls
    assert isinstance(err, APIConnectionError)
    assert str(err) == message
    assert err.original_exception is exc
    assert err.__cause__ is exc
    assert err.provider == "example"
    assert err.request_method == "GET"
    assert_no_secret(err)


@pytest.mark.parametrize(
    "name",
    [
        "Timeout",
        "ConnectTimeout",
        "ReadTimeout",
        "ConnectionError",
        "SSLError",
        "ProxyError",
        "ChunkedEncodingError",
    ],
)
def test_requests_exceptions_are_transport_errors(name: str) -> None:
    """The timeouts and connection errors of requests map, without their URL-bearing text."""
    requests = pytest.importorskip("requests")
    exc = getattr(requests.exceptions, name)(f"Max retries exceeded with url: {SECRET_URL}")
    err = error_from_exception(exc)
    expected = APITimeoutError if "Timeout" in name else APIConnectionError
    assert type(err) is expected
    assert err.original_exception is exc
    assert_no_secret(err)


def test_request_is_read_from_the_exception() -> None:
    """Method and raw URL come from ``exc.request`` when not given; the caller's win."""
    exc = httpx.ReadTimeout("timed out", request=httpx_request("POST"))
    err = error_from_exception(exc)
    assert isinstance(err, APITimeoutError)
    assert err.request_method == "POST"
    assert err.request_url == SECRET_URL
    assert_no_secret(err)
    given_err = error_from_exception(exc, request_method="PUT", request_url="https://x.test/")
    assert isinstance(given_err, APITimeoutError)
    assert given_err.request_method == "PUT"
    assert given_err.request_url == "https://x.test/"


def requests_http_error() -> BaseException:
    """Build requests' HTTPError (a response, not a transport failure)."""
    requests = pytest.importorskip("requests")
    error: BaseException = requests.exceptions.HTTPError("500 Server Error")
    return error


@pytest.mark.parametrize(
    "make",
    [
        lambda: Timeout("mine"),
        lambda: ConnectError("mine"),
        lambda: FileNotFoundError(2, "No such file"),
        lambda: PermissionError(13, "denied"),
        lambda: OSError("generic"),
        lambda: ValueError("bad"),
        lambda: KeyboardInterrupt(),
        lambda: httpx.DecodingError("bad gzip"),
        lambda: httpx.TooManyRedirects("loop"),
        lambda: urllib.error.HTTPError("https://x.test/", 500, "boom", Message(), None),
        lambda: aiohttp_class("ClientResponseError")("500"),
        requests_http_error,
        lambda: NotFoundError(),
        lambda: APITimeoutError(),
    ],
)
def test_other_exceptions_pass_through(make: Any) -> None:
    """Non-transport exceptions (and errorkit errors) are returned unchanged."""
    exc = make()
    assert error_from_exception(exc, provider="example") is exc


# ---------------------------------------------------------------------------
# map_exceptions
# ---------------------------------------------------------------------------


class SDKError(Exception):
    """Base of a fake SDK's exceptions."""


class SDKStatusError(SDKError):
    """A fake SDK error carrying an HTTP status."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class SDKNotFound(SDKStatusError):
    """A fake SDK 404."""


class SDKRateLimit(SDKStatusError):
    """A fake SDK 429 that may carry a retry_after attribute."""

    def __init__(self, message: str, retry_after: object = None) -> None:
        super().__init__(message, 429)
        if retry_after is not None:
            self.retry_after = retry_after


class SDKTimeout(SDKError):
    """A fake SDK timeout."""


def status_of(exc: SDKStatusError) -> int | None:
    """Read the fake SDK error's status."""
    return exc.status_code


def raise_in(mapper: map_exceptions, exc: BaseException) -> BaseException:
    """Raise ``exc`` inside ``mapper`` and return what comes out."""
    try:
        with mapper:
            raise exc
    except BaseException as caught:
        return caught
    pytest.fail("nothing was raised")


def test_map_exceptions_most_specific_entry_wins() -> None:
    """The MRO walk picks the most specific mapped class."""
    mapper = map_exceptions({SDKError: APIError, SDKNotFound: NotFoundError}, provider="sdk")
    exc = SDKNotFound("no such model", 404)
    err = raise_in(mapper, exc)
    assert type(err) is NotFoundError
    assert isinstance(err, NotFoundError)
    assert err.message == "no such model"
    assert err.status_code == 404
    assert err.provider == "sdk"
    assert err.original_exception is exc
    assert err.__cause__ is exc


def test_map_exceptions_plain_api_error_defaults_to_500() -> None:
    """A plain APIError target gets the exception's status, ``status_of``'s first, else 500."""
    exc = SDKStatusError("boom", 418)
    err = raise_in(map_exceptions({SDKError: APIError}, provider="sdk"), exc)
    assert type(err) is APIError
    assert err.status_code == 418  # read duck-typed from ``exc.status_code``
    with_status = map_exceptions({SDKError: APIError}, provider="sdk", status_of=lambda _: 451)
    err = raise_in(with_status, exc)
    assert isinstance(err, APIError)
    assert err.status_code == 451
    assert err.message == "boom"
    err = raise_in(map_exceptions({SDKError: APIError}, provider="sdk"), SDKError("bare"))
    assert isinstance(err, APIError)
    assert err.status_code == 500


def test_map_exceptions_subclass_status_defaults_to_class_status() -> None:
    """``status_of`` returning None leaves an APIError subclass at its own status."""
    mapper = map_exceptions({SDKError: NotFoundError}, provider="sdk", status_of=status_of)
    err = raise_in(mapper, SDKStatusError("gone", None))
    assert isinstance(err, NotFoundError)
    assert err.status_code == 404


def test_map_exceptions_a_status_of_that_raises_gives_no_status() -> None:
    """A ``status_of`` that raises reads as no status: the SDK failure is still mapped."""

    def broken(exc: BaseException) -> int:
        raise ZeroDivisionError("bug in the caller's reader")

    exc = SDKStatusError("boom", 418)
    err = raise_in(map_exceptions({SDKError: APIError}, provider="sdk", status_of=broken), exc)
    assert type(err) is APIError
    assert err.status_code == 418  # read duck-typed from ``exc.status_code`` instead
    assert err.original_exception is exc


def test_map_exceptions_empty_message_uses_class_default() -> None:
    """An exception with empty text gives the class default, so ``str`` is never empty."""
    err = raise_in(map_exceptions({SDKError: ServerError}, provider="sdk"), SDKError())
    assert str(err) == "Server error"


@pytest.mark.parametrize(
    ("target", "cls"),
    [(APIConnectionError, APIConnectionError), (APITimeoutError, APITimeoutError)],
)
def test_map_exceptions_connection_targets(
    target: type[APIConnectionError], cls: type[APIConnectionError]
) -> None:
    """Connection and timeout targets get the message, provider and cause."""
    exc = SDKTimeout("took too long")
    err = raise_in(map_exceptions({SDKTimeout: target}, provider="sdk"), exc)
    assert type(err) is cls
    assert isinstance(err, APIConnectionError)
    assert err.message == "took too long"
    assert err.provider == "sdk"
    assert err.original_exception is exc


def test_map_exceptions_callable_target() -> None:
    """A callable target picks the class from the exception."""

    def pick(exc: SDKStatusError) -> type[APIError]:
        return NotFoundError if exc.status_code == 404 else ServerError

    mapper = map_exceptions({SDKStatusError: pick}, provider="sdk")
    assert type(raise_in(mapper, SDKStatusError("a", 404))) is NotFoundError
    assert type(raise_in(mapper, SDKStatusError("b", 503))) is ServerError


@pytest.mark.parametrize(
    "target",
    [ValueError, ConfigError, Error, "NotFoundError", None, 42, NotFoundError()],
    ids=repr,
)
def test_map_exceptions_bad_target_fails_on_enter(target: Any) -> None:
    """A target that is not a buildable errorkit class nor a callable is a TypeError on enter."""
    ran = False
    with (
        pytest.raises(TypeError, match=re.escape(repr(target))),
        map_exceptions({SDKError: target}, provider="sdk"),
    ):
        ran = True
    assert not ran


def test_map_exceptions_bad_key_fails_on_enter() -> None:
    """A key that is not an exception class is a TypeError on enter."""
    with (
        pytest.raises(TypeError, match="'SDKError'"),
        map_exceptions(
            {"SDKError": APIError},  # type: ignore[dict-item]
            provider="sdk",
        ),
    ):
        pass


@pytest.mark.parametrize("junk", [None, ValueError, "APIError", ConfigError])
def test_map_exceptions_callable_returning_junk(junk: Any) -> None:
    """A callable returning anything but a buildable class raises TypeError chained from exc."""
    exc = SDKError("original")
    err = raise_in(map_exceptions({SDKError: lambda _: junk}, provider="sdk"), exc)
    assert type(err) is TypeError
    assert err.__cause__ is exc


def test_map_exceptions_connector_error_base() -> None:
    """``ConnectorError`` itself is built from the message with the provider keyword."""
    exc = SDKError("backend hiccup")
    err = raise_in(map_exceptions({SDKError: ConnectorError}, provider="fred"), exc)
    assert type(err) is ConnectorError
    assert isinstance(err, ConnectorError)
    assert err.message == "backend hiccup"
    assert err.provider == "fred"
    assert err.original_exception is exc


@pytest.mark.parametrize("cls", [UnauthorizedError, PaymentRequiredError, ParseError])
def test_map_exceptions_typed_connector_targets(cls: type[ConnectorError]) -> None:
    """Typed connector classes keep their directive message; the SDK text is upstream_message."""
    exc = SDKError("upstream said no")
    err = raise_in(map_exceptions({SDKError: cls}, provider="fred"), exc)
    assert type(err) is cls
    assert isinstance(err, ConnectorError)
    assert err.provider == "fred"
    build: Callable[[str], ConnectorError] = cls
    assert err.message == build("fred").message
    assert "DO NOT" in err.message
    assert err.details["upstream_message"] == "upstream said no"
    assert err.original_exception is exc


def test_map_exceptions_provider_error_status() -> None:
    """ProviderError gets ``status_of(exc)``, else the exception's own status, else 500."""
    exc = SDKStatusError("bad gateway", 502)
    err = raise_in(map_exceptions({SDKError: ProviderError}, provider="fred"), exc)
    assert isinstance(err, ProviderError)
    assert err.status_code == 502
    assert err.message == ProviderError("fred", 502).message
    assert err.details["upstream_message"] == "bad gateway"
    mapper = map_exceptions({SDKError: ProviderError}, provider="fred", status_of=lambda _: 504)
    err = raise_in(mapper, exc)
    assert isinstance(err, ProviderError)
    assert err.status_code == 504
    err = raise_in(map_exceptions({SDKError: ProviderError}, provider="fred"), SDKError("x"))
    assert isinstance(err, ProviderError)
    assert err.status_code == 500


@pytest.mark.parametrize(
    ("retry_after", "seconds"),
    [(12, 12.0), ("7", 7.0), (None, 60.0), ("junk", 60.0), (-3, 60.0), (10**12, 86400.0)],
)
def test_map_exceptions_connector_rate_limit(retry_after: object, seconds: float) -> None:
    """ConnectorRateLimitError reads the exception's ``retry_after``, else 60.0, always bounded."""
    exc = SDKRateLimit("slow down", retry_after)
    err = raise_in(map_exceptions({SDKRateLimit: ConnectorRateLimitError}, provider="fred"), exc)
    assert isinstance(err, ConnectorRateLimitError)
    assert err.retry_after == seconds
    assert err.provider == "fred"
    assert err.message == ConnectorRateLimitError("fred", seconds).message
    assert err.details["upstream_message"] == "slow down"


def test_map_exceptions_catalog_and_jql_targets() -> None:
    """CatalogNotFoundError and JQLSyntaxError are built from the exception text."""
    err = raise_in(
        map_exceptions({SDKError: CatalogNotFoundError}, provider="cat"), SDKError("gone")
    )
    assert isinstance(err, CatalogNotFoundError)
    assert err.message == "gone. DO NOT retry."
    assert err.provider == "cat"
    jql = SDKError("Uncaught exception TypeError: x is undefined")
    err = raise_in(map_exceptions({SDKError: JQLSyntaxError}, provider="mixpanel"), jql)
    assert isinstance(err, JQLSyntaxError)
    assert err.error_type == "TypeError"
    assert err.__cause__ is jql


def test_map_exceptions_unmapped_exception_passes_through() -> None:
    """An exception with no entry along its MRO propagates unchanged."""
    exc = KeyError("unmapped")
    assert raise_in(map_exceptions({SDKError: APIError}, provider="sdk"), exc) is exc


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(1), NotFoundError("already")])
def test_map_exceptions_never_maps_base_exceptions_or_errorkit_errors(exc: BaseException) -> None:
    """BaseExceptions and errorkit errors propagate unchanged even under a catch-all entry."""
    mapper = map_exceptions({BaseException: ServerError}, provider="sdk")
    assert raise_in(mapper, exc) is exc


def test_map_exceptions_as_decorator() -> None:
    """map_exceptions also decorates functions, mapping on every call."""

    @map_exceptions({SDKTimeout: APITimeoutError}, provider="sdk")
    def call(fail: bool) -> str:
        if fail:
            raise SDKTimeout("slow")
        return "ok"

    assert call(False) == "ok"
    for _ in range(2):
        with pytest.raises(APITimeoutError, match="slow"):
            call(True)


def test_map_exceptions_decorator_keeps_the_function_metadata() -> None:
    """The decorated function keeps its name and docstring and exposes ``__wrapped__``."""

    def fetch() -> str:
        """Fetch something."""
        return "ok"

    mapped = map_exceptions({SDKError: APIError}, provider="sdk")(fetch)
    assert mapped() == "ok"
    assert mapped.__name__ == "fetch"
    assert mapped.__doc__ == "Fetch something."
    assert getattr(mapped, "__wrapped__", None) is fetch


def test_map_exceptions_without_exception() -> None:
    """The block's result is untouched when nothing is raised."""
    with map_exceptions({SDKError: APIError}, provider="sdk") as mapper:
        value = 1
    assert value == 1
    assert isinstance(mapper, map_exceptions)


# -- map_exceptions on async code, instances, directives, duck typing -------------------


def test_map_exceptions_decorates_async_functions() -> None:
    """An ``async def`` stays a coroutine function and what it raises is mapped on await."""

    @map_exceptions({SDKTimeout: APITimeoutError}, provider="sdk")
    async def call(fail: bool) -> str:
        """Call the SDK."""
        await asyncio.sleep(0)
        if fail:
            raise SDKTimeout("slow")
        return "ok"

    assert inspect.iscoroutinefunction(call)
    assert call.__name__ == "call"
    assert call.__doc__ == "Call the SDK."
    assert asyncio.run(call(False)) == "ok"
    with pytest.raises(APITimeoutError, match="slow") as caught:
        asyncio.run(call(True))
    assert isinstance(caught.value.__cause__, SDKTimeout)


def test_map_exceptions_as_async_context_manager() -> None:
    """``async with`` maps what its block raises, and checks the map on entry."""

    async def main() -> BaseException:
        try:
            async with map_exceptions({SDKError: NotFoundError}, provider="sdk"):
                await asyncio.sleep(0)
                raise SDKError("gone")
        except NotFoundError as exc:
            return exc
        pytest.fail("nothing was raised")

    err = asyncio.run(main())
    assert isinstance(err, NotFoundError)
    assert (err.message, err.provider) == ("gone", "sdk")

    async def bad() -> None:
        async with map_exceptions({SDKError: ValueError}, provider="sdk"):  # type: ignore[dict-item]
            pass

    with pytest.raises(TypeError, match="ValueError"):
        asyncio.run(bad())


def test_map_exceptions_decorator_checks_the_map_at_once() -> None:
    """A decorator with an unusable target fails when it decorates, not at the first call."""
    mapper = map_exceptions({SDKError: ConfigError}, provider="sdk")  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="ConfigError"):
        mapper(print)


def test_map_exceptions_callable_may_return_an_instance() -> None:
    """An errorkit error built by the callable is raised as is, chained from the original."""
    built = RateLimitError("quota for today is spent", retry_after=60)
    exc = SDKError("429")
    err = raise_in(map_exceptions({SDKError: lambda _: built}, provider="sdk"), exc)
    assert err is built
    assert err.__cause__ is exc
    assert built.original_exception is exc


@pytest.mark.parametrize("junk", [ValueError("not errorkit"), NotFoundError])
def test_map_exceptions_callable_returning_a_foreign_instance(junk: Any) -> None:
    """A callable returning a non-errorkit exception is a TypeError; a class is built."""
    exc = SDKStatusError("gone", 404)
    err = raise_in(map_exceptions({SDKError: lambda _: junk}, provider="sdk"), exc)
    if isinstance(junk, type):
        assert type(err) is NotFoundError
    else:
        assert type(err) is TypeError
        assert err.__cause__ is exc


def _http_status_error(status: int, headers: dict[str, str] | None = None) -> httpx.HTTPStatusError:
    """A real ``httpx.HTTPStatusError``: the exception ``response.raise_for_status()`` raises."""
    request = httpx.Request("GET", "https://api.example.com/v1/items")
    response = httpx.Response(status, headers=headers, request=request, text="nope")
    try:
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        return exc
    pytest.fail("no error status")


def test_map_exceptions_reads_status_and_retry_after_from_the_response() -> None:
    """``exc.response.status_code`` and ``exc.response.headers`` are read when nothing else is."""
    exc = _http_status_error(429, {"Retry-After": "20"})
    mapper = map_exceptions({httpx.HTTPStatusError: ConnectorRateLimitError}, provider="fred")
    err = raise_in(mapper, exc)
    assert isinstance(err, ConnectorRateLimitError)
    assert (err.retry_after, err.status_code) == (20.0, 429)
    assert "retry after 20s" in err.message
    assert err.message.endswith(DIRECTIVE_BURST)
    err = raise_in(map_exceptions({httpx.HTTPStatusError: APIError}, provider="x"), exc)
    assert isinstance(err, APIError)
    assert (type(err), err.status_code, err.retry_after) == (APIError, 429, 20.0)
    err = raise_in(
        map_exceptions({httpx.HTTPStatusError: ServerError}, provider="x"),
        _http_status_error(503, {"Retry-After": "9"}),
    )
    assert isinstance(err, ServerError)
    assert (err.status_code, err.retry_after, err.retryable) == (503, 9.0, True)


def test_map_exceptions_retry_after_attribute_wins_over_headers() -> None:
    """``exc.retry_after`` comes first, then the response's headers, then the default."""
    exc = _http_status_error(429, {"Retry-After": "20"})
    exc.retry_after = 5  # type: ignore[attr-defined]
    err = raise_in(map_exceptions({httpx.HTTPStatusError: RateLimitError}, provider="x"), exc)
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 5.0
    err = raise_in(
        map_exceptions({SDKRateLimit: RateLimitError}, provider="x"), SDKRateLimit("slow")
    )
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None


def test_map_exceptions_status_order() -> None:
    """The status is ``status_of(exc)``, else ``exc.status_code``, else the response's."""
    exc = _http_status_error(502)
    exc.status_code = 504  # type: ignore[attr-defined]
    plain = map_exceptions({httpx.HTTPStatusError: ProviderError}, provider="p")
    first = raise_in(plain, exc)
    assert isinstance(first, ProviderError)
    assert first.status_code == 504
    asked = map_exceptions(
        {httpx.HTTPStatusError: ProviderError}, provider="p", status_of=lambda _: 503
    )
    second = raise_in(asked, exc)
    assert isinstance(second, ProviderError)
    assert second.status_code == 503
    unsure = map_exceptions(
        {httpx.HTTPStatusError: ProviderError}, provider="p", status_of=lambda _: None
    )
    third = raise_in(unsure, _http_status_error(502))
    assert isinstance(third, ProviderError)
    assert third.status_code == 502


@pytest.mark.parametrize(("value", "status"), [("503", 503), (429.0, 429), (200, 500), (0, 500)])
def test_map_exceptions_status_must_be_an_error_status(value: object, status: int) -> None:
    """A numeric status is converted; one that is not 400–599 is ignored (500 by default)."""
    exc = SDKError("x")
    exc.status_code = value  # type: ignore[attr-defined]
    err = raise_in(map_exceptions({SDKError: ProviderError}, provider="p"), exc)
    assert isinstance(err, ProviderError)
    assert err.status_code == status


@pytest.mark.parametrize(
    "make", [TimeoutError, lambda: httpx.ReadTimeout("read timed out")], ids=["builtin", "httpx"]
)
def test_map_exceptions_timeout_to_provider_error_is_408(make: Callable[[], Exception]) -> None:
    """A timeout mapped to ProviderError gets 408 and the upstream-timed-out directive."""
    exc = make()
    err = raise_in(map_exceptions({Exception: ProviderError}, provider="fred"), exc)
    assert isinstance(err, ProviderError)
    assert err.status_code == 408
    assert err.message == ProviderError("fred", 408).message
    assert err.retryable is True


def test_map_exceptions_upstream_message_is_masked_and_cut() -> None:
    """The SDK's text lands in ``upstream_message`` with secrets masked, at most 200 chars."""
    text = f"request failed: api_key={SECRET}\\n  " + "x" * 500
    err = raise_in(map_exceptions({SDKError: ProviderError}, provider="fred"), SDKError(text))
    assert isinstance(err, ProviderError)
    upstream = err.details["upstream_message"]
    assert SECRET not in upstream
    assert upstream.startswith("request failed: api_key=***")
    assert len(upstream) <= 200
    assert SECRET not in json.dumps(err.to_dict())
    bare = raise_in(map_exceptions({SDKError: ProviderError}, provider="fred"), SDKError())
    assert isinstance(bare, ProviderError)
    assert "upstream_message" not in bare.details


def test_map_exceptions_connectors_without_a_default_keep_the_text() -> None:
    """InvalidParameterError has no default message: it keeps the SDK's text as its message."""
    err = raise_in(
        map_exceptions({SDKError: InvalidParameterError}, provider="fred"), SDKError("bad date")
    )
    assert isinstance(err, InvalidParameterError)
    assert err.message == "bad date"
    empty = raise_in(
        map_exceptions({SDKError: EmptyDataError}, provider="fred"), SDKError("0 rows")
    )
    assert isinstance(empty, EmptyDataError)
    assert empty.message == EmptyDataError("fred").message
    assert empty.details["upstream_message"] == "0 rows"
    assert empty.original_exception is not None


def test_map_exceptions_unauthorized_keeps_a_403() -> None:
    """UnauthorizedError takes the exception's 403, still with the credentials directive."""
    err = raise_in(
        map_exceptions({httpx.HTTPStatusError: UnauthorizedError}, provider="fred"),
        _http_status_error(403),
    )
    assert isinstance(err, UnauthorizedError)
    assert err.status_code == 403
    assert err.message.endswith(DIRECTIVE_CREDENTIALS)


# ---------------------------------------------------------------------------
# Connector helpers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, UnauthorizedError),
        (403, UnauthorizedError),
        (402, PaymentRequiredError),
        (429, ConnectorRateLimitError),
        (400, ProviderError),
        (404, ProviderError),
        (408, ProviderError),
        (500, ProviderError),
        (503, ProviderError),
    ],
)
def test_connector_status_buckets(status: int, cls: type[ConnectorError]) -> None:
    """Each status lands in its connector class, keeping the status and the default message."""
    err = connector_error_for_status("fred", status)
    assert type(err) is cls
    assert err.provider == "fred"
    as_api_error: object = err  # every HTTP-ish connector class is also an APIError
    assert isinstance(as_api_error, APIError)
    assert as_api_error.status_code == status
    assert "DO NOT" in str(err) or "do not loop" in str(err)


def test_connector_messages_are_the_class_defaults() -> None:
    """Connector helpers use the agent-facing default messages, never a custom one."""
    assert str(connector_error_for_status("fred", 402)) == str(PaymentRequiredError("fred"))
    assert str(connector_error_for_status("fred", 503)) == str(ProviderError("fred", 503))
    assert str(connector_error_for_status("fred", 404)) == str(ProviderError("fred", 404))
    assert str(connector_error_for_status("fred", 401)) == str(UnauthorizedError("fred"))


def test_connector_unauthorized_names_env_var() -> None:
    """``env_var`` is passed to UnauthorizedError and named in its message."""
    err = connector_error_for_status("fred", 401, env_var="FRED_API_KEY")
    assert isinstance(err, UnauthorizedError)
    assert err.env_var == "FRED_API_KEY"
    assert "FRED_API_KEY" in str(err)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        (None, 60.0),
        ({"Content-Type": "text/plain"}, 60.0),
        ({"Retry-After": "5"}, 5.0),
        ({"retry-after": "0"}, 0.0),
        ({"Retry-After": "999999999"}, 86400.0),
        ({"Retry-After": str(10**12)}, 86400.0),
        ({"X-RateLimit-Reset": "17"}, 17.0),
    ],
)
def test_connector_rate_limit_retry_after(headers: dict[str, str] | None, seconds: float) -> None:
    """A 429's retry_after comes from the headers, defaults to 60.0 and stays in [0, 86400]."""
    err = connector_error_for_status("fred", 429, headers=headers)
    assert isinstance(err, ConnectorRateLimitError)
    assert err.retry_after == seconds
    assert not err.quota_exhausted


def test_connector_request_context_and_request_id() -> None:
    """Request context is passed on; request_id comes from the headers unless given."""
    err = connector_error_for_status(
        "fred",
        500,
        headers={"X-Request-Id": "req_7"},
        response_body={"error": "x"},
        request_method="GET",
        request_url=SECRET_URL,
    )
    assert isinstance(err, ProviderError)
    assert err.request_id == "req_7"
    assert err.response_body == {"error": "x"}
    assert err.request_method == "GET"
    assert err.request_url == SECRET_URL
    assert_no_secret(err)
    given = connector_error_for_status(
        "fred", 500, headers={"X-Request-Id": "req_7"}, request_id="mine"
    )
    assert isinstance(given, ProviderError)
    assert given.request_id == "mine"


def test_connector_error_from_httpx_response() -> None:
    """A real httpx response maps to the connector class with headers, body and request."""
    response = httpx.Response(
        429,
        headers={"Retry-After": "9", "x-request-id": "req_3"},
        json={"error": "slow down"},
        request=httpx_request(),
    )
    err = connector_error_from_response(response, provider="fred")
    assert isinstance(err, ConnectorRateLimitError)
    assert err.retry_after == 9.0
    assert err.request_id == "req_3"
    assert err.response_body == {"error": "slow down"}
    assert err.request_url == SECRET_URL
    assert_no_secret(err)
    unauthorized = connector_error_from_response(
        httpx.Response(401, request=httpx_request()), provider="fred", env_var="FRED_KEY"
    )
    assert isinstance(unauthorized, UnauthorizedError)
    assert unauthorized.env_var == "FRED_KEY"


def test_connector_timeout_is_408() -> None:
    """A timeout is ProviderError 408 with the timeout message and the cause."""
    cause = httpx.ReadTimeout("slow")
    err = connector_error_for_timeout("fred", original_exception=cause)
    assert type(err) is ProviderError
    assert err.status_code == 408
    assert str(err) == str(ProviderError("fred", 408))
    assert err.original_exception is cause
    assert connector_error_for_timeout("fred").original_exception is None


def test_connector_transport_message_is_exact() -> None:
    """An unreachable upstream is ProviderError 503 naming only the exception class."""
    exc = httpx.ConnectError(f"[Errno 111] Connection refused: {SECRET_URL}")
    err = connector_error_for_transport("fred", exc)
    assert type(err) is ProviderError
    assert err.status_code == 503
    assert str(err) == (
        "fred: upstream could not be reached (ConnectError). DO NOT immediately retry; "
        "pick a different connector or inform the user the upstream is unreachable."
    )
    assert str(exc) not in str(err)
    assert "Connection refused" not in str(err)
    assert err.original_exception is exc
    assert_no_secret(err)


@pytest.mark.parametrize(
    ("headers", "retry_after", "request_id"),
    [
        ([("Retry-After", "5"), ("X-Request-ID", "r1")], 5.0, "r1"),
        ((("retry-after", "7"),), 7.0, None),
        ({"Retry-After": "5", "retry-after": "9"}, 9.0, None),
        ({"retry-after": "9", "RETRY-AFTER": "5"}, 9.0, None),
        ("Retry-After: 5", None, None),
        ([("Retry-After",), 42, (1, "x")], None, None),
    ],
)
def test_headers_given_as_pairs_or_odd_values(
    headers: object, retry_after: float | None, request_id: str | None
) -> None:
    """Headers may be a list of pairs; an exact lower-case name wins; odd headers are none."""
    error = error_for_status(429, headers=headers)  # type: ignore[arg-type]
    assert error.retry_after == retry_after
    assert error.request_id == request_id


def _problem_response(error: APIError, headers: dict[str, str]) -> httpx.Response:
    """An httpx response carrying ``error``'s problem document, with extra headers."""
    return httpx.Response(
        error.status_code,
        headers={"Content-Type": "application/problem+json", **headers},
        content=json.dumps(error.to_problem_details()).encode(),
        request=httpx.Request("GET", "https://api.example.com/v1/x"),
    )


@pytest.mark.parametrize("error", [ServerError(status_code=503), NotFoundError()], ids=repr)
def test_a_problem_document_response_keeps_the_headers_wait_and_hint(error: APIError) -> None:
    """A problem document's response keeps its ``Retry-After`` and retry hint, as any other."""
    headers = {"Retry-After": "30", "X-Should-Retry": "false", "X-Request-ID": "r1"}
    rebuilt = error_from_response(_problem_response(error, headers))
    assert type(rebuilt) is type(error)
    assert (rebuilt.retry_after, rebuilt.retryable, rebuilt.request_id) == (30.0, False, "r1")
    plain = error_for_status(error.status_code, headers=headers)
    assert (plain.retry_after, plain.retryable) == (30.0, False)  # as without the document


@pytest.mark.parametrize(
    ("said", "header", "message"),
    [
        (12, "30", "Rate limit exceeded. Retry after 30 seconds."),  # the header's wait wins
        (12, None, "Rate limit exceeded. Retry after 12 seconds."),  # the document's stands
        (None, "7", "Rate limit exceeded. Retry after 7 seconds."),
        (1.5, "30", "Rate limit exceeded. Retry after 30 seconds."),
    ],
)
def test_a_problem_document_rate_limit_says_the_wait_it_carries(
    said: float | None, header: str | None, message: str
) -> None:
    """A rate limit rebuilt from a document, with a ``Retry-After`` of its own, says that wait."""
    headers = {} if header is None else {"Retry-After": header}
    rebuilt = error_from_response(_problem_response(RateLimitError(retry_after=said), headers))
    assert type(rebuilt) is RateLimitError
    assert rebuilt.message == message
    assert rebuilt.retry_after == float(header or said or 0)
    assert RateLimitError.from_dict(rebuilt.to_dict()).to_dict() == rebuilt.to_dict()
