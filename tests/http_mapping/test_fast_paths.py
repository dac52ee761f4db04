"""The fast paths of ``errorkit.http_mapping`` give what the general reading gives.

Headers are read through a memo of each dict's key layout, httpx's headers from their raw
pairs and requests' from ``lower_items()``; a ``Retry-After`` of plain digits is read
directly; an httpx body that is an ASCII JSON object is decoded without httpx's wrappers;
``error_for_status`` without request context passes only what the headers gave. A dict of
headers naming only the request id and ``Retry-After`` is read through a plan of its keys; a
digits ``Retry-After`` and a short body message are remembered; an httpx response is read in
one frame (its headers from httpx's own storage, its URL text remembered by its parsed parts);
the usual error bodies give their message directly; a body is checked as a problem document
only when it may be one; an httpx response of the usual shape is read and built in one frame,
its body's message remembered by its bytes. Each test here compares a fast path with a plain or
general reading.
"""

from __future__ import annotations

import gc
import json
import string
from collections import OrderedDict
from datetime import datetime, timezone
from types import MappingProxyType, SimpleNamespace
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

import errorkit
from errorkit import (
    APIError,
    Error,
    error_for_status,
    error_from_response,
    http_mapping,
    parse_retry_after,
    retry_after_from_headers,
)
from tests.strategies import SMALL

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def plain_reading(pairs: Any) -> dict[str, str]:
    """Read header pairs as the contract says, one pair at a time, nothing memoized.

    For each name errorkit reads: the value of the exact lower-case key, else of the first
    key equal to it ignoring case; a name is any ``str``; a value is text when non-empty.
    """
    chosen: dict[str, object] = {}
    for key, value in pairs:
        if not isinstance(key, str) or key.lower() not in http_mapping._HEADER_NAMES:
            continue
        if key == key.lower() or key.lower() not in chosen:
            chosen[key.lower()] = value
    read: dict[str, str] = {}
    for name, value in chosen.items():
        if isinstance(value, (bytes, bytearray)):
            value = bytes(value).decode("latin-1")
        text = value if isinstance(value, str) or value is None else str(value)
        if text:
            read[name] = text
    return read


_NAMES = [*sorted(http_mapping._HEADER_NAMES), "date", "content-length", "server"]


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """A header name errorkit reads (or not) in a random mix of upper and lower case."""
    name = draw(st.sampled_from(_NAMES))
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.upper() if flip else c for c, flip in zip(name, flips, strict=True))


_VALUES = st.one_of(
    st.sampled_from(["30", "0", "", " ", "req_1", "true", "FALSE", "1.5", "86401"]),
    st.text(max_size=8),
    st.binary(max_size=4),
    st.integers(-5, 5),
    st.none(),
)
_PAIRS = st.lists(st.tuples(spellings(), _VALUES), max_size=8)


@given(_PAIRS)
@example([("Retry-After", "1"), ("retry-after", "2"), ("RETRY-AFTER", "3")])
@example([("RETRY-AFTER", "1"), ("Retry-After", "2")])
@example([("Retry-After", ""), ("retry-After", "4")])
@example([("retry-after", "1"), ("retry-after", "2")])
@SMALL
def test_a_dict_reads_as_its_pairs_read_one_by_one(pairs: list[tuple[str, Any]]) -> None:
    """A dict read through the layout memo gives what reading its items one by one gives.

    So do other mappings and lists or tuples of pairs (read in one pass, repeats kept).
    """
    headers = dict(pairs)
    expected = plain_reading(headers.items())
    assert http_mapping._lowered_headers(headers) == expected
    assert http_mapping._lowered_headers(dict(headers)) == expected  # the memo answers now
    assert http_mapping._lowered_headers(MappingProxyType(headers)) == expected
    assert http_mapping._lowered_headers(OrderedDict(headers)) == expected
    assert http_mapping._lowered_headers(pairs) == plain_reading(pairs)
    assert http_mapping._lowered_headers(tuple(pairs)) == plain_reading(pairs)


_ASCII = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=6)
_HTTPX_PAIRS = st.lists(
    st.tuples(spellings(), st.one_of(_ASCII, st.sampled_from(["30", "req_1", "true"]))),
    max_size=8,
)


@given(_HTTPX_PAIRS)
@example([("Retry-After", "5"), ("retry-after", "7")])
@example([("X-Request-ID", "a"), ("Date", "b"), ("x-request-id", "c")])
@SMALL
def test_httpx_headers_read_as_their_items(pairs: list[tuple[str, str]]) -> None:
    """The headers of httpx, read from their raw pairs, give what their ``items()`` give."""
    headers = httpx.Headers(pairs)
    expected = plain_reading(headers.items())  # repeats joined with ", " by httpx
    assert http_mapping._lowered_headers(headers) == expected
    assert http_mapping._lowered_headers(httpx.Headers(pairs)) == expected  # memoized


def test_httpx_headers_in_another_encoding_read_as_their_items() -> None:
    """Headers of httpx that are not ASCII are decoded with their own encoding, as it does."""
    headers = httpx.Headers([(b"X-Request-ID", "réq".encode()), (b"Retry-After", b"9")])
    assert http_mapping._lowered_headers(headers) == {"x-request-id": "réq", "retry-after": "9"}
    assert http_mapping._lowered_headers(headers) == plain_reading(headers.items())


@given(_PAIRS)
@SMALL
def test_requests_headers_read_as_their_items(pairs: list[tuple[str, Any]]) -> None:
    """The case-insensitive dict of requests reads as its ``items()`` read one by one."""
    headers: CaseInsensitiveDict[Any] = CaseInsensitiveDict(pairs)
    assert http_mapping._lowered_headers(headers) == plain_reading(headers.items())


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "30", "X-Request-ID": "req_1", "X-Should-Retry": "false"},
        [("Retry-After", "30"), ("X-Request-ID", "req_1"), ("X-Should-Retry", "false")],
        (("retry-after", "30"), ("x-request-id", "req_1"), ("x-should-retry", "false")),
        httpx.Headers({"Retry-After": "30", "X-Request-ID": "req_1", "X-Should-Retry": "false"}),
        CaseInsensitiveDict(
            {"Retry-After": "30", "X-Request-ID": "req_1", "X-Should-Retry": "false"}
        ),
        MappingProxyType({"retry-after": "30", "x-request-id": "req_1", "x-should-retry": "false"}),
        OrderedDict({"RETRY-AFTER": "30", "X-REQUEST-ID": "req_1", "X-SHOULD-RETRY": "False"}),
    ],
    ids=["dict", "list", "tuple", "httpx", "requests", "mapping", "dict-subclass"],
)
def test_every_header_container_gives_the_same_error(headers: Any) -> None:
    """The same headers in any container give the same error from ``error_for_status``."""
    error = error_for_status(503, headers=headers)
    assert error.to_dict() == error_for_status(503, headers=dict(headers)).to_dict()
    assert (error.retry_after, error.request_id, error.retryable) == (30.0, "req_1", False)


class HeaderName(str):
    """A header name that is a ``str`` subclass, as an enum of header names gives."""


@pytest.mark.parametrize("container", [dict, list], ids=["dict", "pairs"])
def test_a_str_subclass_is_a_header_name(container: Any) -> None:
    """A header name of a ``str`` subclass is read like a plain string."""
    pairs = [(HeaderName("Retry-After"), "12"), (HeaderName("X-Request-ID"), "req_7")]
    error = error_for_status(429, headers=container(pairs))
    assert (error.retry_after, error.request_id) == (12.0, "req_7")


def test_the_layout_memo_stays_bounded_and_right() -> None:
    """Past its bound the memo starts over, and every dict still reads its own values."""
    for index in range(http_mapping._MAX_LAYOUTS + 10):
        headers = {f"X-Extra-{index}": "1", "Retry-After": str(index % 50)}
        assert retry_after_from_headers(headers) == float(index % 50)
        assert len(http_mapping._LAYOUTS) <= http_mapping._MAX_LAYOUTS


class Unequal(str):
    """A header name whose comparison fails, as a hostile key's may."""

    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparison")


def test_a_key_that_cannot_be_compared_is_read_as_a_pair() -> None:
    """A dict key whose comparison raises is read through its items, never raising."""
    for _ in range(3):  # a fresh key each time: the memo lookup has to compare it
        headers = {Unequal("X-Other"): "1", "Retry-After": "3"}
        assert retry_after_from_headers(headers) == 3.0


_RETRY_VALUES = st.one_of(
    st.from_regex(r"\A[0-9]{1,11}\Z"),
    st.from_regex(r"\A\s?[0-9]{1,6}(\.[0-9]{0,2})?\s?\Z"),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=4),
    st.text(max_size=6),
)


@given(_RETRY_VALUES)
@example("30")
@example("0")
@example("0030")
@example("86400")
@example("86401")
@example("999999999")
@example("1767225660")
@example("١٢")
@example("²")
@SMALL
def test_retry_after_digits_read_as_parse_retry_after(value: str) -> None:
    """A ``Retry-After`` header of digits gives what ``parse_retry_after`` gives for it."""
    expected = parse_retry_after(value, now=NOW)
    assert retry_after_from_headers({"Retry-After": value}, now=NOW) == expected
    pairs: Any = [("retry-after", value)]
    assert retry_after_from_headers(pairs, now=NOW) == expected


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=8,
    ),
    st.sampled_from(["", " ", "\n\t\r ", "x", " 1", "\u00a0", "}", ",{}"]),
)
@SMALL
def test_json_text_decodes_as_json_loads(value: Any, tail: str) -> None:
    """Any JSON text, with any tail, decodes to what ``json.loads`` gives, or fails as it does."""
    text = json.dumps(value) + tail
    assert decoded(http_mapping._json_loads, text) == decoded(json.loads, text)


def decoded(decode: Any, text: str) -> tuple[bool, Any]:
    """Return ``(True, value)`` for what ``decode`` gives, ``(False, None)`` when it fails."""
    try:
        return True, decode(text)
    except ValueError:
        return False, None


def plain_body(response: httpx.Response) -> Any:
    """Read a body as the contract says: ``json()``, else non-empty ``text``, else None."""
    try:
        return response.json()
    except Exception:
        return response.text or None


@pytest.mark.parametrize(
    "content",
    [
        b'{"error": {"message": "Too many requests"}}',
        b'{"a": 1}  \n',
        b'{"a": 1} x',
        b'{"a": 1}{"b": 2}',
        b'{"a": "caf\\u00e9"}',
        '{"a": "café"}'.encode(),
        '{"a": "café"}'.encode("utf-16"),
        b"\xef\xbb\xbf{}",
        b'{"a": [' + b"[" * 5000 + b"]" * 5000 + b"]}",
        b'{"a"',
        b"{}",
        b"[1, 2]",
        b"  {}",
        b"upstream <b>down</b>",
        b"",
    ],
)
def test_an_httpx_body_reads_as_its_json_or_text(content: bytes) -> None:
    """An httpx body decoded directly equals ``json()``, falling back to the text."""
    response = httpx.Response(502, content=content)
    assert http_mapping._response_body(response) == plain_body(response)
    assert (
        error_from_response(response).to_dict()
        == error_for_status(502, response_body=plain_body(response)).to_dict()
    )


def test_an_unread_httpx_stream_reads_as_no_body() -> None:
    """A streamed httpx response not read yet has no body, as ``json()`` and ``text`` say."""
    response = httpx.Response(500, stream=httpx.ByteStream(b'{"error": "x"}'))
    assert http_mapping._response_body(response) is None


_CONTEXT = {
    "response_body": {"code": 7},  # no text in it: the message stays the default
    "request_method": "GET",
    "request_url": "https://api.example.com/v1",
    "request_params": {"page": 2},
    "request_body": {"q": 1},
    "provider": "acme",
}


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 418, 422, 429, 500, 503])
@pytest.mark.parametrize("key", sorted(_CONTEXT))
def test_without_request_context_the_error_is_the_same(status: int, key: str) -> None:
    """An error built without request context equals one built with it, but for that key."""
    headers = {"Retry-After": "7", "X-Request-ID": "req_3", "Stripe-Should-Retry": "true"}
    short = error_for_status(status, headers=headers)
    context: dict[str, Any] = {key: _CONTEXT[key]}
    long = error_for_status(status, headers=headers, **context)
    assert type(long) is type(short)
    expected = long.to_dict()
    del expected["details"][key]
    assert short.to_dict() == expected
    assert (short.retry_after, short.request_id, short.retryable) == (7.0, "req_3", True)
    assert isinstance(short, APIError)


def test_the_names_read_are_the_names_kept() -> None:
    """Every header name the module looks up is one the header readers keep."""
    looked_up = {name for name, _ in http_mapping._RETRY_HEADERS}
    looked_up |= {*http_mapping._RETRY_HINT_HEADERS, "x-request-id", "request-id", "content-type"}
    assert looked_up == http_mapping._HEADER_NAMES


# ---------------------------------------------------------------------------
# error_for_status on a dict of headers, error_from_response on an httpx response
# ---------------------------------------------------------------------------


def same_error(fast: Exception, general: Exception) -> None:
    """Assert two errors are the same: class, message, ``to_dict()``, wait and verdict."""
    assert type(fast) is type(general)
    assert isinstance(fast, APIError)
    assert isinstance(general, APIError)
    assert fast.message == general.message
    assert fast.to_dict() == general.to_dict()
    assert (fast.retry_after, fast.retryable) == (general.retry_after, general.retryable)
    assert (fast.request_id, fast.status_code) == (general.request_id, general.status_code)


_STATUSES = st.sampled_from([400, 404, 418, 429, 500, 503])


@given(_STATUSES, _PAIRS)
@example(429, [("Retry-After", "30"), ("X-Request-ID", "req_1"), ("Date", "x")])
@example(429, [("retry-after", "86401"), ("request-id", "req_2")])
@example(503, [("Retry-After", "0030"), ("X-Request-ID", ""), ("Request-ID", "req_3")])
@example(429, [("Retry-After", "١٢"), ("x-request-id", b"req_4")])
@example(429, [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")])
@example(429, [("RETRY-AFTER", "5"), ("Retry-After", "6"), ("Content-Type", "text/plain")])
@example(429, [("Retry-After", 7), ("X-Request-ID", 0)])
@example(503, [("Retry-After", "3"), ("X-Should-Retry", "false")])
@example(429, [("Retry-After", " "), ("retry-after-ms", "1500")])
@SMALL
def test_a_dict_of_headers_gives_the_error_of_the_general_reading(
    status: int, pairs: list[tuple[str, Any]]
) -> None:
    """``error_for_status`` on a dict (read through its plan) equals it on any other mapping.

    Called twice, so the second call reads the plans and waits remembered by the first.
    """
    headers = dict(pairs)
    general = error_for_status(status, headers=MappingProxyType(headers))
    same_error(error_for_status(status, headers=headers), general)
    same_error(error_for_status(status, headers=dict(headers)), general)
    with_context = error_for_status(status, headers=headers, provider="acme")
    same_error(
        with_context, error_for_status(status, headers=MappingProxyType(headers), provider="acme")
    )


@pytest.mark.parametrize("value", ["30", "0", "00030", "86400", "86401", "99999", "1.5", ""])
def test_a_remembered_retry_after_reads_as_parse_retry_after(value: str) -> None:
    """A ``Retry-After`` read from a dict, once and again, is what ``parse_retry_after`` reads."""
    for _ in range(2):
        error = error_for_status(429, headers={"Retry-After": value})
        assert error.retry_after == (parse_retry_after(value) if value else None)


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "30", "X-Request-ID": "req_1"},  # the plan: request id and wait
        {"Retry-After": "30", "X-Request-ID": "req_1", "X-Should-Retry": "false"},  # no plan
        {"retry-after": b"30", "x-request-id": "req_1"},  # a value that is not a str
        {"Retry-After": "30", 5: "x"},  # a key that is not a str
    ],
    ids=["plan", "hint", "bytes", "int-key"],
)
def test_each_reading_of_a_dict_gives_the_general_error(headers: dict[Any, Any]) -> None:
    """Whichever way a dict is read (its plan, or ``_from_dict``), the error is the general one."""
    for _ in range(2):
        fast = error_for_status(429, headers=headers)
        pairs: Any = list(headers.items())  # a list of pairs: read by the general reading
        same_error(fast, error_for_status(429, headers=pairs))


class _LyingKey(str):
    """A header name whose lower case is another header's."""

    __slots__ = ()

    def lower(self) -> str:
        """Claim to be ``retry-after``."""
        return "retry-after"


def test_a_str_subclass_key_leaves_no_plan_for_plain_keys() -> None:
    """attack13: a dict keyed by a str subclass never decides how an equal plain dict is read."""
    odd = error_for_status(404, headers={_LyingKey("X-Other-Header"): "42"})
    assert odd.retry_after == 42.0  # read the way its key says, as the general reading does
    plain = error_for_status(404, headers={"X-Other-Header": "42"})
    assert plain.retry_after is None
    same_error(plain, error_for_status(404, headers=MappingProxyType({"X-Other-Header": "42"})))


@pytest.mark.parametrize("status", sorted(http_mapping._OWN_STATUS))
def test_a_class_built_for_its_own_status_is_the_error_given_that_status(status: int) -> None:
    """An own-status class built without its status equals the one given it, message or not."""
    cls: Any = http_mapping._OWN_STATUS[status]
    headers = {"Retry-After": "30", "X-Request-ID": "req_1"}
    for message in (None, "", "slow down"):
        fast = error_for_status(status, message, headers=headers)
        given = cls(message or None, status_code=status, request_id="req_1", retry_after=30.0)
        same_error(fast, given)
        assert fast.__dict__ == given.__dict__  # no field stored one way and not the other


def test_the_own_status_classes_are_errorkits_default_status_classes() -> None:
    """Only errorkit's classes whose status is optional are built without it, each at its own."""
    own = http_mapping._OWN_STATUS
    assert {own[s].__name__ for s in (400, 401, 403, 404, 409, 429)} == {
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "RateLimitError",
    }
    assert all(cls.status_code == status for status, cls in own.items())
    assert 422 not in own  # BadRequestError's other status is passed


def test_a_class_registered_later_for_a_status_is_given_the_status() -> None:
    """A class registered for 429 after errorkit's, whose status is required, gets it passed."""
    before = Error._by_status[429]

    class StrictLimitError(APIError, statuses=(429,)):
        code = "STRICT_LIMIT_FOR_TEST"

    try:
        error = error_for_status(429, headers={"Retry-After": "3", "X-Request-ID": "r"})
        assert type(error) is StrictLimitError
        assert (error.status_code, error.retry_after, error.request_id) == (429, 3.0, "r")
    finally:  # leave the tree as it was: other tests walk APIError.__subclasses__()
        Error._by_status[429] = before
        del Error._by_code["STRICT_LIMIT_FOR_TEST"]
        del StrictLimitError
        gc.collect()


def general_reading(response: httpx.Response) -> tuple[Any, Any, Any, Any]:
    """Read a response with the general helpers, as a look-alike response is read."""
    method, url = http_mapping._request_info(response)
    headers = http_mapping._response_headers(response)
    return method, url, headers, http_mapping._response_body(response)


def general_error(status: int, response: httpx.Response) -> APIError:
    """The error the general reading of ``response`` gives, past every fast path."""
    method, url, found, decoded = general_reading(response)
    general = http_mapping._problem_error(status, found, decoded, None, method, url, None)
    if general is None:
        general = error_for_status(
            status, headers=found, response_body=decoded, request_method=method, request_url=url
        )
    return general


_URL_TEXTS = [
    "https://api.example.com/v1/chat/completions?model=gpt-4o&stream=false",
    "https://user:pass@api.example.com:8443/v1/x?token=abc#frag",
    "http://[::1]:8080/path%20with%20spaces?q=caf%C3%A9",
    "https://bücher.example/straße",
    "http://localhost",
]


@pytest.mark.parametrize("url", _URL_TEXTS)
def test_an_httpx_url_reads_as_its_str(url: str) -> None:
    """The text of an httpx URL, remembered or not, is its ``str()``."""
    for _ in range(2):
        parsed = httpx.URL(url)
        assert http_mapping._httpx_url(parsed) == str(parsed)
    assert http_mapping._httpx_url("https://plain.example") == "https://plain.example"


@given(st.sampled_from(_URL_TEXTS), st.text(string.ascii_letters + "/%?=&#", max_size=8))
@SMALL
def test_httpx_urls_never_share_a_remembered_text(base: str, tail: str) -> None:
    """Two httpx URLs read after each other each read as their own ``str()``."""
    first, second = httpx.URL(base), httpx.URL(base + tail)
    assert http_mapping._httpx_url(first) == str(first)
    assert http_mapping._httpx_url(second) == str(second)


_BODIES: list[Any] = [
    {"error": {"message": "Too many requests", "type": "rate_limit_error"}},
    {"message": "slow down", "retry": True},
    {"error": "quota", "message": "ignored"},
    {"type": "urn:errorkit:RATE_LIMITED", "code": "RATE_LIMITED", "detail": "x"},
    {"type": "about:blank", "title": "Too Many Requests", "status": 429},
    ["not", "an", "object"],
    "upstream <b>down</b>",
    None,
]


@pytest.mark.parametrize("body", _BODIES)
@pytest.mark.parametrize("request_kind", ["request", "no-request", "empty-method"])
@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "30", "X-Request-ID": "req_1"},
        [("retry-after", "5"), ("Retry-After", "6"), ("x-should-retry", "true")],
        {"Content-Type": "application/problem+json", "Request-ID": "req_2"},
        {},
    ],
    ids=["usual", "repeated", "problem", "none"],
)
def test_an_httpx_response_reads_as_the_general_helpers_read_it(
    body: Any, request_kind: str, headers: Any
) -> None:
    """An httpx response read in one frame gives the reading and error of the general helpers."""
    request = httpx.Request("" if request_kind == "empty-method" else "POST", _URL_TEXTS[1])
    kwargs: dict[str, Any] = {"headers": headers}
    if request_kind != "no-request":
        kwargs["request"] = request
    if isinstance(body, str):
        kwargs["text"] = body
    elif body is not None:
        kwargs["json"] = body
    for status in (429, 503):
        response = httpx.Response(status, **kwargs)
        reading = http_mapping._read_httpx(response)
        assert reading == general_reading(response)
        same_error(error_from_response(response), general_error(status, response))


_MESSAGE_VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\n", "text", "  text", '{"message": "inner"}', ' {"a": 1}', "{x"]),
    st.text(max_size=6),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
)
_ERROR_BODIES = st.dictionaries(
    st.sampled_from(["error", "message", "detail", "errors", "type"]),
    st.one_of(
        _MESSAGE_VALUES,
        st.dictionaries(
            st.sampled_from(["message", "detail", "error", "msg"]), _MESSAGE_VALUES, max_size=3
        ),
    ),
    max_size=4,
)


@given(_ERROR_BODIES)
@example({"error": {"message": "Too many requests"}})
@example({"error": {"message": None, "detail": "d"}})
@example({"error": {"message": " "}, "message": "m"})
@example({"error": None, "message": "m"})
@example({"error": "", "message": "m"})
@example({"message": '{"error": "inner"}'})
@SMALL
def test_the_usual_body_message_is_the_one_found_by_walking(body: dict[str, Any]) -> None:
    """The message found directly in a usual body is what walking the body finds."""
    direct = http_mapping._common_message(body)
    walked = http_mapping._find_message(body, http_mapping._BODY_KEYS)
    if direct is not None:
        assert direct == walked
    in_a_list = error_for_status(502, response_body=[body])  # walked: the list's first item
    assert error_for_status(502, response_body=body).message == in_a_list.message


@given(
    st.one_of(
        st.dictionaries(
            st.sampled_from(["type", "code", "title", "status"]),
            st.sampled_from(["urn:errorkit:RATE_LIMITED", "RATE_LIMITED", "about:blank", 429]),
        ),
        st.just(MappingProxyType({"type": "urn:errorkit:NOT_FOUND", "code": "NOT_FOUND"})),
    ),
    st.sampled_from(
        [None, "application/json", "application/problem+json", "Application/Problem+JSON; x=1"]
    ),
)
@SMALL
def test_a_body_ruled_out_as_a_problem_document_is_none(body: Any, media: str | None) -> None:
    """When the cheap check rules a body out, the full reading finds no problem document."""
    found = http_mapping._lowered_headers({} if media is None else {"Content-Type": media})
    if not http_mapping._may_be_problem(found, body):
        assert http_mapping._problem_error(429, found, body, None, None, None, None) is None


@given(_HTTPX_PAIRS)
@example([("Retry-After", "5"), ("retry-after", "7"), ("X-Request-ID", "a")])
@SMALL
def test_httpx_headers_read_from_storage_or_raw_pairs_alike(pairs: list[tuple[str, str]]) -> None:
    """The headers of httpx read from their own storage give what their raw pairs give."""
    headers = httpx.Headers(pairs)
    public = SimpleNamespace(raw=headers.raw, encoding=headers.encoding)  # no ``_list``
    assert http_mapping._from_httpx(public) == http_mapping._from_httpx(headers)
    assert http_mapping._from_httpx(headers) == plain_reading(headers.items())


def test_a_remembered_body_message_is_masked_once_its_name_is_sensitive() -> None:
    """A message remembered from a body is masked again once ``add_sensitive_keys`` names a key."""
    body = {"error": {"message": "http_probe_ref=acme123 was refused"}}
    for _ in range(2):  # the second reads the remembered message
        assert "acme123" in error_for_status(400, response_body=body).message
    errorkit.add_sensitive_keys("http_probe_ref")
    message = error_for_status(400, response_body=body).message
    assert "acme123" not in message
    assert message == error_for_status(400, response_body=[body]).message  # walked, not remembered


_HTTPX_VALUES = st.one_of(
    _ASCII,
    st.sampled_from(
        [
            "30",
            "0",
            "86401",
            "1.5",
            "",
            "req_1",
            "true",
            "application/json",
            "application/problem+json",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "réq".encode(),
            b"\xff",
        ]
    ),
)
_HTTPX_BODIES = st.one_of(
    st.sampled_from(_BODIES),
    st.sampled_from([b"", b"{not json", b'{"error": "caf\xc3\xa9"}', b"[1]", b" {}", b"{}"]),
    st.dictionaries(st.sampled_from(["error", "message", "detail", "type"]), _MESSAGE_VALUES),
)


@given(
    st.sampled_from([400, 404, 418, 422, 429, 500, 503, 504]),
    st.lists(st.tuples(spellings(), _HTTPX_VALUES), max_size=6),
    _HTTPX_BODIES,
    st.sampled_from(["request", "no-request", "empty-method"]),
)
@example(429, [("Retry-After", "30"), ("X-Request-ID", "req_1")], _BODIES[0], "request")
@example(429, [("x-request-id", ""), ("Request-ID", "req_2")], {"message": "m"}, "request")
@example(503, [("Retry-After", "5"), ("retry-after", "6")], None, "request")
@example(429, [("X-Request-ID", "réq".encode()), ("Retry-After", "9")], None, "request")
@example(429, [("Content-Type", "application/problem+json")], _BODIES[3], "request")
@SMALL
def test_any_httpx_response_gives_the_error_of_the_general_reading(
    status: int, pairs: list[tuple[str, Any]], body: Any, request_kind: str
) -> None:
    """``error_from_response`` on any httpx response equals the general helpers' error.

    Whether or not the response has the usual shape read in one frame; called twice, so the
    second call reads the plans and messages remembered by the first.
    """
    request = httpx.Request("" if request_kind == "empty-method" else "GET", _URL_TEXTS[0])
    kwargs: dict[str, Any] = {"headers": pairs}
    if request_kind != "no-request":
        kwargs["request"] = request
    if isinstance(body, bytes):
        kwargs["content"] = body
    elif isinstance(body, str):
        kwargs["text"] = body
    elif body is not None:
        kwargs["json"] = body
    for _ in range(2):
        response = httpx.Response(status, **kwargs)
        same_error(error_from_response(response), general_error(status, response))


def test_a_remembered_httpx_body_message_is_masked_once_its_name_is_sensitive() -> None:
    """A message remembered by an httpx body's bytes is masked again once its key is sensitive."""
    content = b'{"error": {"message": "httpx_probe_ref=acme456 was refused"}}'
    request = httpx.Request("GET", _URL_TEXTS[0])

    def message() -> str:
        return error_from_response(httpx.Response(400, content=content, request=request)).message

    for _ in range(2):  # the second reads the remembered message
        assert "acme456" in message()
    errorkit.add_sensitive_keys("httpx_probe_ref")
    assert "acme456" not in message()
    assert message() == error_for_status(400, response_body=json.loads(content)).message
