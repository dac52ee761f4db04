"""An error read from an httpx response works out its URL text and body on first read.

``error_from_response`` keeps an httpx URL, and the bytes of a body decoded before (its
message remembered), in a stand-in (``_HttpxFields``) that the ``request_url`` and
``response_body`` properties turn into their values on first read. Whatever reads them
(``details``, ``to_dict()``, ``to_json()``, ``repr``, pickle, copies, ``from_dict``,
problem details) sees what the error built at once from the same response shows. Each
test here compares such an error with the general reading's.
"""

from __future__ import annotations

import copy
import gc
import pickle
import string
import threading
from typing import Any

import httpx
import pytest

import errorkit
from errorkit import APIError, Error, error_from_response, http_mapping
from errorkit._build import Later
from tests.http_mapping.test_fast_paths import _URL_TEXTS, general_error, same_error

_ODD_URLS = [
    *_URL_TEXTS,
    "https://api.example.com/v1/x?api_key=sk-live-abc123&q=a%20b",
    "https://api.example.com/v1/%E2%82%AC/%zz?x=%",
    "https://api.example.com:443/v1/./a/../b?",
]
# Bodies of every kind: the first three are ASCII JSON objects, read on first read once
# their bytes have been decoded before; the others are read at once (by the general reading).
_CONTENTS = [
    b'{"error": {"message": "Too many requests", "type": "rate_limit_error"}}',
    b'{"message": "caf\\u00e9 \\ud83d\\ude00", "api_key": "sk-live-abc123"}',
    b'{"error": "deep", "more": [[[[{"a": [1.5, -0, 1e400, null, true]}]]]]}',
    '{"error": "café"}'.encode(),
    b'{"error": "\xff"}',
    b"{not json",
    b'{"error": "x"} trailing',
    b"[1, 2]",
    b"",
]


def _response(status: int, content: bytes, url: str) -> httpx.Response:
    """A fresh httpx response: the usual headers, ``content`` and a POST to ``url``."""
    headers = {"Retry-After": "30", "X-Request-ID": "req_lazy", "Content-Type": "application/json"}
    request = httpx.Request("POST", url)
    return httpx.Response(status, headers=headers, content=content, request=request)


def _pair(status: int, content: bytes, url: str) -> tuple[APIError, APIError]:
    """An error from a fresh response whose body was decoded before, and the general one."""
    error_from_response(_response(status, content, url))  # the body's message remembered
    return error_from_response(_response(status, content, url)), general_error(
        status, _response(status, content, url)
    )


def _waiting(error: APIError) -> tuple[bool, bool]:
    """Whether the error's body and URL are still to be worked out (stand-ins in ``_request``)."""
    fields = error.__dict__["_request"]
    return isinstance(fields[0], Later), isinstance(fields[2], Later)


def _is_lazy_content(content: bytes) -> bool:
    """Whether ``content`` is one of the bodies left to the first read.

    A response with any other body but an empty one is read by the general reading, its URL too.
    """
    return content in _CONTENTS[:3]


@pytest.mark.parametrize("url", _ODD_URLS)
@pytest.mark.parametrize("content", _CONTENTS)
@pytest.mark.parametrize("status", [429, 503, 418])
def test_every_reading_sees_what_the_general_reading_gives(
    status: int, content: bytes, url: str
) -> None:
    """Fields, details, JSON, repr, problem details and ``from_dict`` equal the general error's."""
    lazy, eager = _pair(status, content, url)
    assert _waiting(lazy) == (_is_lazy_content(content), _is_lazy_content(content) or not content)
    assert lazy.request_url == eager.request_url
    assert lazy.response_body == eager.response_body
    assert lazy.response_body is lazy.response_body  # kept: the same object on every read
    same_error(lazy, eager)
    assert lazy.details == eager.details
    assert lazy.to_json() == eager.to_json()
    assert repr(lazy) == repr(eager)
    assert lazy.to_problem_details() == eager.to_problem_details()
    assert Error.from_dict(lazy.to_dict()).to_dict() == Error.from_dict(eager.to_dict()).to_dict()


@pytest.mark.parametrize("first", ["details", "to_dict", "response_body", "request_url", "repr"])
def test_any_first_read_gives_the_same_values(first: str) -> None:
    """Whichever reading comes first, the values and the payload are the general reading's."""
    lazy, eager = _pair(429, _CONTENTS[0], _ODD_URLS[5])
    assert _waiting(lazy) == (True, True)
    if first == "repr":
        repr(lazy)
    else:
        getattr(lazy, first)() if first == "to_dict" else getattr(lazy, first)
    assert (lazy.response_body, lazy.request_url) == (eager.response_body, eager.request_url)
    assert lazy.to_dict() == eager.to_dict()


@pytest.mark.parametrize("read_first", [False, True], ids=["unread", "read"])
@pytest.mark.parametrize("content", _CONTENTS[:3])
def test_pickles_and_copies_carry_the_values(content: bytes, read_first: bool) -> None:
    """Pickled or copied before or after its first read, an error carries values, no stand-in."""
    lazy, eager = _pair(429, content, _ODD_URLS[1])
    assert _waiting(lazy) == (True, True)
    if read_first:
        assert lazy.response_body == eager.response_body
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        for other in (
            pickle.loads(pickle.dumps(lazy, protocol)),
            copy.copy(lazy),
            copy.deepcopy(lazy),
        ):
            assert _waiting(other) == (False, False)
            assert (other.response_body, other.request_url) == (
                eager.response_body,
                eager.request_url,
            )
            assert other.to_dict() == eager.to_dict()
    assert lazy.to_dict() == eager.to_dict()


def test_a_field_written_keeps_the_other_waiting() -> None:
    """Writing one kept field leaves the other's first read to give the general reading's value."""
    lazy, eager = _pair(429, _CONTENTS[0], _ODD_URLS[0])
    lazy.request_url = "https://other.example/"
    assert lazy.request_url == "https://other.example/"
    assert _waiting(lazy) == (True, False)
    assert lazy.response_body == eager.response_body


def test_threads_reading_first_at_once_get_one_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads that decode the body at the same moment all get one object, the general value."""
    lazy, eager = _pair(429, _CONTENTS[0], _ODD_URLS[0])
    assert _waiting(lazy) == (True, True)
    threads = 4
    together = threading.Barrier(threads, timeout=10)
    decode = http_mapping._json_loads

    def meeting(text: str) -> Any:
        """Decode only once every thread has started decoding."""
        value = decode(text)
        together.wait()
        return value

    monkeypatch.setattr(http_mapping, "_json_loads", meeting)
    seen: list[Any] = []

    def read() -> None:
        seen.append(lazy.response_body)

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert len(seen) == threads
    assert all(value is seen[0] for value in seen)
    assert seen[0] == eager.response_body
    assert lazy.response_body is seen[0]


def test_a_failure_on_first_read_gives_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A decoding or URL failure on first read never escapes: the body's text, no URL."""
    lazy, _ = _pair(429, _CONTENTS[0], _ODD_URLS[0])
    assert _waiting(lazy) == (True, True)

    def failing(value: object) -> Any:
        """Fail as a decoder nested too deep for the stack it runs on does."""
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(http_mapping, "_json_loads", failing)
    monkeypatch.setattr(http_mapping, "_httpx_url", failing)
    assert lazy.response_body == _CONTENTS[0].decode("ascii")
    assert lazy.request_url is None
    assert lazy.to_dict()["details"]["response_body"] == _CONTENTS[0].decode("ascii")


def test_names_added_before_the_first_read_mask_it() -> None:
    """A name made sensitive between construction and first read masks the body as usual."""
    content = b'{"error": {"message": "refused"}, "lazy_probe_ref": "acme789"}'
    lazy, eager = _pair(400, content, _ODD_URLS[0])
    assert _waiting(lazy) == (True, True)
    errorkit.add_sensitive_keys("lazy_probe_ref")
    assert "acme789" not in lazy.to_json()
    assert lazy.to_dict() == eager.to_dict()
    assert lazy.response_body == eager.response_body  # kept raw on the error, as given


def test_a_body_decoded_before_names_were_added_waits_again() -> None:
    """Once names are added, the remembered messages go: a body is decoded at once, then waits."""
    content = b'{"error": {"message": "lazy_probe_key=acme790 refused"}}'
    lazy, eager = _pair(400, content, _ODD_URLS[0])
    assert _waiting(lazy) == (True, True)
    errorkit.add_sensitive_keys("lazy_probe_key")
    first = error_from_response(_response(400, content, _ODD_URLS[0]))
    assert _waiting(first) == (False, True)  # its message was forgotten: decoded at once
    again = error_from_response(_response(400, content, _ODD_URLS[0]))
    assert _waiting(again) == (True, True)
    assert (
        first.message
        == again.message
        == general_error(400, _response(400, content, _ODD_URLS[0])).message
    )
    assert "acme790" not in again.message
    assert again.to_dict() == first.to_dict()
    assert lazy.to_dict() == eager.to_dict()  # built before: its message is what it was then


def test_a_class_from_elsewhere_gets_the_values() -> None:
    """A class registered outside errorkit is constructed with the values, never a stand-in."""

    class LazyProbeError(APIError, statuses=(487,)):
        code = "LAZY_PROBE_FOR_TEST"
        status_code = 487

        def __init__(self, message: str | None = None, **context: Any) -> None:
            self.seen = (context.get("response_body"), context.get("request_url"))
            context.setdefault("status_code", 487)
            super().__init__(message or "probe", **context)

    try:
        lazy, eager = _pair(487, _CONTENTS[0], _ODD_URLS[0])
        assert type(lazy) is LazyProbeError
        assert _waiting(lazy) == (False, False)
        assert lazy.seen == (eager.response_body, eager.request_url)
        same_error(lazy, eager)
    finally:  # leave the tree as it was: other tests walk APIError.__subclasses__()
        del Error._by_status[487]
        del Error._by_code["LAZY_PROBE_FOR_TEST"]
        del LazyProbeError
        gc.collect()


def _fields(template: str) -> set[str]:
    """The names a message template reads (``{a.b[0]}`` reads ``a``)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            names.add(field.replace("[", ".").partition(".")[0])
    return names


def test_errorkit_classes_never_read_the_fields_left_for_later() -> None:
    """No template or rule of errorkit's HTTP classes reads the URL or the body on construction."""
    waiting = {"request_url", "response_body"}
    for cls in http_mapping._OWN_CLASSES:
        assert cls.__module__ == "errorkit.exceptions"
        templates = [value for value in vars(cls).values() if isinstance(value, str)]
        for template in templates:
            assert not (_fields(template) & waiting), (cls, template)
        assert cls._unretryable_when not in waiting
        switch = cls._message_switch or ()
        assert not (set(switch) & waiting)
    assert errorkit.RateLimitError in http_mapping._OWN_CLASSES
    assert len(http_mapping._OWN_CLASSES) > 5


def test_headers_in_another_encoding_are_not_read_from_the_remembered_bytes() -> None:
    """Remembered ``Retry-After`` bytes are read again when httpx decodes headers otherwise."""
    url = _ODD_URLS[0]
    for _ in range(2):  # the first remembers b"30" as 30 seconds
        error_from_response(_response(429, _CONTENTS[0], url))

    def odd() -> httpx.Response:
        """The usual response, its headers decoded as UTF-16 (even lengths, so they decode)."""
        response = httpx.Response(
            429,
            headers={"Retry-After": "30", "X-Request-ID": "req_12"},
            content=_CONTENTS[0],
            request=httpx.Request("POST", url),
        )
        response.headers.encoding = "utf-16"
        return response

    fast, general = error_from_response(odd()), general_error(429, odd())
    same_error(fast, general)
    assert fast.retry_after is None


def test_a_dated_retry_after_is_read_anew_for_each_response(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ``Retry-After`` date is never remembered by its bytes: each response waits until it."""
    clock = [1_767_225_600.0]  # 2026-01-01 00:00:00 UTC
    monkeypatch.setattr(http_mapping, "_now_timestamp", lambda now: clock[0])

    def waited() -> float | None:
        """The wait of a fresh 429 asking to retry at 00:01:40."""
        headers = {"Retry-After": "Thu, 01 Jan 2026 00:01:40 GMT", "X-Request-ID": "req_1"}
        request = httpx.Request("GET", _ODD_URLS[0])
        return error_from_response(
            httpx.Response(429, headers=headers, request=request)
        ).retry_after

    assert waited() == 100.0
    clock[0] += 50
    assert waited() == 50.0


def test_header_storage_of_another_layout_has_no_plan() -> None:
    """Names read from httpx storage laid out otherwise give no plan: the general reading."""
    names = (b"x-lazy-probe", b"retry-after", b"x-request-id")
    stored = [(b"X-Lazy-Probe", b"x-lazy-probe", b"x"), (b"Retry-After", b"retry-after", b"30")]
    stored.append((b"X-Request-ID", b"x-request-id", b"req_1"))
    other = [(b"x", b"x-lazy-probe"), (b"30", b"retry-after"), (b"req_1", b"x-request-id")]
    try:
        assert http_mapping._httpx_plan(names, stored) == (2, 1, -1, -1)
        assert http_mapping._httpx_plan(names, other) is None
        assert http_mapping._HTTPX_PLANS[names] is None
    finally:  # no plan left behind for these names
        http_mapping._HTTPX_PLANS.pop(names, None)


def _read_at_depth(read: Any, depth: int) -> Any:
    """Call ``read()`` under ``depth`` frames of this function."""
    return _read_at_depth(read, depth - 1) if depth else read()


def test_a_body_first_read_deep_in_a_stack_is_decoded_all_the_same() -> None:
    """attack13: a body nested deep, first read with little stack left, is still its JSON."""
    content = b'{"error": "deep", "x": ' + b"[" * 400 + b"]" * 400 + b"}"
    url = "https://api.example.com/v1/x"
    lazy, eager = _pair(404, content, url)
    assert _waiting(lazy) == (True, True)
    read = None
    for depth in range(900, 0, -25):  # as deep as this stack allows, leaving the decode no room
        try:
            read = _read_at_depth(lambda: lazy.response_body, depth)
            break
        except RecursionError:
            continue
    assert read is not None
    assert type(read) is dict
    assert read == eager.response_body
    assert lazy.response_body is read  # kept: the first value is the value
    same_error(lazy, eager)
