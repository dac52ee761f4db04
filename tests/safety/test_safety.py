"""Tests for ``errorkit.safety``: JSON-safe conversion, redaction and truncation."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
import enum
import json
import math
import pathlib
import sys
import types
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errorkit import Error, redaction, safety
from errorkit.safety import (
    MAX_DEPTH,
    MAX_STRING_LENGTH,
    REDACTED,
    is_sensitive_key,
    json_safe,
    redact_text,
    redact_url,
    safe_text,
    truncate,
)
from tests import strategies

if TYPE_CHECKING:
    from collections.abc import Iterator

SECRET = "zq7SECRETvalue9"


def _marker_n(text: str) -> int:
    """Return ``n`` from the ``...[truncated {n} chars]`` marker that ends ``text``."""
    _, found, tail = text.rpartition("...[truncated ")
    assert found
    assert tail.endswith(" chars]")
    return int(tail[: -len(" chars]")])


def _kept_len(text: str) -> int:
    """Return how many characters of the original a truncated ``text`` kept."""
    return len(text.rpartition("...[truncated ")[0])


def _nest_lists(levels: int) -> list[Any]:
    """Return ``levels`` lists nested inside one another (the innermost holds 0)."""
    value: list[Any] = [0]
    for _ in range(levels - 1):
        value = [value]
    return value


def _nest_dicts(levels: int) -> dict[str, Any]:
    """Return ``levels`` dicts nested under key ``"a"`` (the innermost holds 0)."""
    value: dict[str, Any] = {"a": 0}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def _list_levels(value: Any) -> tuple[int, Any]:
    """Count nested lists from the top and return the count and what the innermost holds."""
    levels = 0
    while isinstance(value, list):
        levels += 1
        value = value[0]
    return levels, value


# --------------------------------------------------------------------------- module surface


def test_public_constants() -> None:
    """The documented limits and the mask are fixed values."""
    assert (MAX_STRING_LENGTH, MAX_DEPTH, REDACTED) == (8192, 64, "***")


def test_all_is_a_sorted_literal() -> None:
    """``__all__`` lists exactly the public API, sorted."""
    assert safety.__all__ == sorted(safety.__all__)
    assert set(safety.__all__) == {
        "MAX_DEPTH",
        "MAX_STRING_LENGTH",
        "REDACTED",
        "is_sensitive_key",
        "json_safe",
        "redact_text",
        "redact_url",
        "safe_text",
        "sensitive_names",
        "truncate",
    }


def test_import_stays_light() -> None:
    """Loading the module and ``redaction`` imports no heavy module (typing, re, collections)."""
    import subprocess

    # Load the file on its own (with ``redaction``, which it builds on), so the package's
    # other modules do not count: an empty stand-in for the package is registered first.
    package = str(Path(safety.__file__).parent)
    script = (
        "import importlib.util, sys, types\n"
        "stand_in = types.ModuleType('errorkit')\n"
        f"stand_in.__path__ = [{package!r}]\n"
        "sys.modules['errorkit'] = stand_in\n"
        f"spec = importlib.util.spec_from_file_location('errorkit.safety', {safety.__file__!r})\n"
        "before = set(sys.modules)\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "heavy = {'json', 'urllib', 'urllib.parse', 'dataclasses', 'datetime', 'decimal',\n"
        "         'uuid', 'pathlib', 're', 'enum', 'typing', 'collections'}\n"
        "print(sorted(heavy & (set(sys.modules) - before)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- is_sensitive_key

SENSITIVE_KEYS: list[object] = [
    "authorization",
    "Authorization",
    "AUTHORIZATION",
    "api_key",
    "API_KEY",
    "api-key",
    "Api-Key",
    "apikey",
    "ApiKey",
    "api_token",
    "API-TOKEN",
    "token",
    "Token",
    "access_token",
    "Access-Token",
    "refresh_token",
    "refresh-token",
    "id_token",
    "ID-Token",
    "client_secret",
    "Client-Secret",
    "secret",
    "SECRET",
    "password",
    "Password",
    "cookie",
    "Cookie",
    "set_cookie",
    "Set-Cookie",
    "x_api_key",
    "X-API-Key",
    "x-api-key",
    "github_token",
    "GITHUB-TOKEN",
    "x-auth-token",
    "db_secret",
    "webhook-secret",
    "db_password",
    "ADMIN-PASSWORD",
    "_token",
    b"token",
    b"X-Api-Key",
    bytearray(b"password"),
]

NON_SENSITIVE_KEYS: list[object] = [
    "tokens",
    "max_tokens",
    "prompt_tokens",
    "token_count",
    "tokenizer",
    "key",
    "sigma",
    "signed",
    "passwords",
    "secretary",
    "secrets_manager_arn",
    "author",
    "authority",
    "detected_auth_type",
    "session_count",
    "token_type",
    "primary_key",
    "idempotency_key",
    "cache_key",
    "authorization_url",
    "cookies",
    "api",
    "user",
    "username",
    "",
    "api keys",
    b"user",
    1,
    None,
    1.5,
    ("token",),
]


@pytest.mark.parametrize("key", SENSITIVE_KEYS, ids=repr)
def test_sensitive_key_spellings(key: object) -> None:
    """Every listed name, in any case and with ``-`` or ``_``, and every suffix is sensitive."""
    assert is_sensitive_key(key) is True


@pytest.mark.parametrize("key", NON_SENSITIVE_KEYS, ids=repr)
def test_non_sensitive_neighbours(key: object) -> None:
    """Names that merely resemble sensitive ones, and non-text keys, are not sensitive."""
    assert is_sensitive_key(key) is False


def test_sensitive_key_accepts_str_subclass() -> None:
    """A str subclass key is judged by its text."""

    class Name(str):
        pass

    assert is_sensitive_key(Name("Api-Key")) is True


# --------------------------------------------------------------------------- redact_url

URL_CASES: list[tuple[str, str]] = [
    ("https://user:PASS@host/p", "https://user:***@host/p"),
    ("https://user:PASS@host", "https://user:***@host"),
    ("postgres://admin:s3cr%40t@db:5432/app", "postgres://admin:***@db:5432/app"),
    ("https://u:p@ss@host/x", "https://u:***@host/x"),
    ("//user:pw@host/p", "//user:***@host/p"),
    ("https://h/p?token=abc", "https://h/p?token=***"),
    ("https://h/p?access_token=abc&x=1", "https://h/p?access_token=***&x=1"),
    ("https://h/p?api_key=abc", "https://h/p?api_key=***"),
    ("https://h/p?apikey=abc", "https://h/p?apikey=***"),
    ("https://h/p?API-KEY=abc", "https://h/p?API-KEY=***"),
    ("https://h/p?client_secret=abc", "https://h/p?client_secret=***"),
    ("https://h/p?password=abc", "https://h/p?password=***"),
    ("https://h/p?X-Amz-Security-Token=abc", "https://h/p?X-Amz-Security-Token=***"),
    ("https://h/p?key=abc", "https://h/p?key=***"),
    ("https://h/p?Key=abc", "https://h/p?Key=***"),
    ("https://h/p?sig=abc", "https://h/p?sig=***"),
    ("https://h/p?signature=abc", "https://h/p?signature=***"),
    ("https://h/p?Signature=abc", "https://h/p?Signature=***"),
    ("https://h/p?api%5Fkey=abc", "https://h/p?api%5Fkey=***"),
    ("https://h/p?%74oken=abc", "https://h/p?%74oken=***"),
    ("https://h/p?a=1&token=x&token=y", "https://h/p?a=1&token=***&token=***"),
    ("https://h/p?token=a;b&c=d", "https://h/p?token=***&c=d"),
    ("https://h/p?token=abc#frag", "https://h/p?token=***#frag"),
    ("https://h/cb#access_token=abc&state=1", "https://h/cb#access_token=***&state=1"),
    ("https://h/#/cb?id_token=abc", "https://h/#/cb?id_token=***"),
    ("https://h/p?a=1#token=x", "https://h/p?a=1#token=***"),
    ("https://h/p?a=1?token=x", "https://h/p?a=1?token=***"),
    (
        "https://h/login?next=https://u:p@h2/cb?token=x",
        "https://h/login?next=https://u:***@h2/cb?token=***",
    ),
    ("https://user:PASS@host/p?sig=s#x", "https://user:***@host/p?sig=***#x"),
    ("/relative/path?token=abc", "/relative/path?token=***"),
    ("HTTPS://U:P@H/?TOKEN=V", "HTTPS://U:***@H/?TOKEN=***"),
    # Punctuation before a parameter name or a nested URL does not hide it.
    ("https://h/?(token=abc&x=1", "https://h/?(token=***&x=1"),
    ("https://h/?next=(https://u:p@h2/)", "https://h/?next=(https://u:***@h2/)"),
    ("https://h/?a=1&https://u:p@h2/", "https://h/?a=1&https://u:***@h2/"),
    # A URL copied out of an HTML page: "&amp;" separates the parameters.
    ("https://h/?a=1&amp;token=abc", "https://h/?a=1&amp;token=***"),
    ("https://h/?token=abc&amp;a=1", "https://h/?token=***&amp;a=1"),
]


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_redact_url_masks_credentials(url: str, expected: str) -> None:
    """The userinfo password and sensitive parameter values become ``***``, nothing else."""
    assert redact_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_redact_url_is_idempotent(url: str, expected: str) -> None:
    """Redacting a redacted URL returns the very same string."""
    once = redact_url(url)
    assert redact_url(once) is once


CLEAN_URLS = [
    "https://example.com",
    "https://example.com/",
    "http://h/p?",
    "http://h/p#",
    "http://h/?a=1&&b=2",
    "http://h/?&",
    "http://h/??",
    "http://h/p?a&b&c",
    "http://h/p?token",
    "http://h/p?token=",
    "http://h/p?token=&a=1",
    "http://h/p?token=***",
    "http://user@host/p",
    "http://user:@host/p",
    "http://user:***@host/p",
    "http://[::1]:8080/a?b=c",
    "http://h/p;x=1?y=2",
    "http://h/?q=a+b%20c&page=2#frag",
    "http://h/?tokens=1&keys=2&signed=1&sigma=1&max_tokens=9",
    "http://h/p#section",
    "http://h/p#a=1&b=2",
    "http://h/a@b/c",
    "mailto:someone@example.com",
    "file:///etc/hosts",
    "not a url",
    "",
    "@@@",
    "?",
    "#",
    "::::",
]


@pytest.mark.parametrize("url", CLEAN_URLS)
def test_redact_url_leaves_clean_urls_identical(url: str) -> None:
    """A URL (or non-URL text) with nothing sensitive comes back as the same object."""
    assert redact_url(url) is url


@pytest.mark.parametrize("value", [None, 42, b"https://u:p@h", ["x"]], ids=repr)
def test_redact_url_never_raises_on_non_text(value: Any) -> None:
    """Non-text input is converted with ``str()`` rather than raising."""
    assert isinstance(redact_url(value), str)


# --------------------------------------------------------------------------- redact_text

TEXT_CASES: list[tuple[str, str]] = [
    ("see https://u:p@h/x?api_key=1 now", "see https://u:***@h/x?api_key=*** now"),
    ("(https://h/?sig=abc)", "(https://h/?sig=***)"),
    ('"https://h/?token=abc"', '"https://h/?token=***"'),
    ("<https://h/?token=abc>", "<https://h/?token=***>"),
    ("a https://h/?token=abc\nb http://x:y@z", "a https://h/?token=***\nb http://x:***@z"),
    ("password=hunter2", "password=***"),
    ("password=hunter2&user=bob", "password=***&user=bob"),
    ("token = abc, next", "token = ***, next"),
    ("api_key=abc;other=1", "api_key=***;other=1"),
    ("config.password=x", "config.password=***"),
    ("Token: abc123 expired", "Token: *** expired"),
    ("x-api-key: 123, ok", "x-api-key: ***, ok"),
    ("X-Auth-Token:abc", "X-Auth-Token:***"),
    ('{"password": "x y", "user": "bob"}', '{"password": "***", "user": "bob"}'),
    ('{"token":"abc","n":1}', '{"token":"***","n":1}'),
    ('{"access_token": 12345}', '{"access_token": ***}'),
    ('{"secret": "a\\"b"}', '{"secret": "***"}'),
    ("{'client_secret': 'abc'}", "{'client_secret': '***'}"),
    ("{'token': b'abc'}", "{'token': b'***'}"),
    ('{\\"token\\": \\"abc\\"}', '{\\"token\\": \\"***\\"}'),
    ('password="two words"', 'password="***"'),
    ('token: "unterminated', 'token: "***'),
    ("Authorization: Bearer abc.def", "Authorization: ***"),
    ("Bearer abc.def-ghi_jkl", "Bearer ***"),
    ("header bearer eyJhbGciOi.x.y== end", "header bearer *** end"),
    ("BASIC dXNlcjpwYXNz", "BASIC ***"),
    ("use Basic dXNlcjpwYXNz=", "use Basic ***"),
    ("Cookie: session=abc; theme=dark", "Cookie: ***"),
    ("token=a password=b secret=c", "token=*** password=*** secret=***"),
    ("bearer_token: abc", "bearer_token: ***"),
    # A quoted value followed by a colon: masked unless it names a sensitive key itself.
    ('"authorization": "S3cr3t" :', '"authorization": "***" :'),
    ("token: 'abc': rest", "token: '***': rest"),
    ('"auth": "api_key": "xyz"', '"auth": "api_key": "***"'),
    # A scheme word followed by a sensitive pair: the pair's value is the credential.
    ("bearer token = S3cr3t", "bearer token = ***"),
    ("Bearer api_key=zz", "Bearer api_key=***"),
    ("Bearer user2: abc", "Bearer ***: abc"),
    # A scheme or key word that is the key of a pair, not a credential.
    ("Token:  token = S3cr3t", "Token:  token = ***"),
    ("Basic [token = S3cr3t", "Basic [token = ***"),
    ('bearer "token = S3cr3t', 'bearer "token = ***'),
    # Scheme words glued by punctuation: the credential after them is masked too.
    ("Authorization: Bearer:Basic S3cr3tW7 | x", "Authorization: ***"),
    ("token: api_key=bearer S3cr3t x", "token: *** x"),
    # A URL inside or after a credential: the words before it are masked, the URL is redacted.
    ("Basic S3cr3tZ4jR10lkBpl : https://h/", "Basic *** : https://h/"),
    ("bearer S3cr3t=http://h/? next", "bearer ***? next"),
    ("Bearer https://u:p@h/x", "Bearer https://u:***@h/x"),
    # Prose glued to a URL: "https://(" is no URL, and a key or scheme word at its end is prose.
    ("https://(token = S3cr3t :", "https://(token = *** :"),
    ("see http://h/?,Authorization: S3cr3t", "see http://h/?,Authorization: ***"),
    ("see http://h/?:Basic S3cr3tIRDHU1MURui, =", "see http://h/?:Basic ***, ="),
    # A value ending in a URL cut short by "&" is masked whole; one with words after it is not
    # stretched over the next pair.
    ("Authorization: Bearer {https://h/v1?page=2&key=S3cr3t, auth", "Authorization: ***"),
    ('password= https:// : {{"apikey": "S3cr3t"}', 'password= *** : {{"apikey": "***"}'),
    ("Token: http://h/?('id_token': 'S3cr3t'", "Token: ***"),
    # A sensitive parameter or a nested URL behind prose punctuation in a query.
    ("see http://h/?)secret=S3cr3t now", "see http://h/?)secret=*** now"),
    (
        "see http://h/?(https://u:S3cr3t@api.example.com/v1 now",
        "see http://h/?(https://u:***@api.example.com/v1 now",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_redact_text_masks_credentials(text: str, expected: str) -> None:
    """URLs, sensitive key/value pairs and Bearer/Basic credentials are masked in prose."""
    assert redact_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_redact_text_is_idempotent(text: str, expected: str) -> None:
    """Redacting redacted text returns the very same string."""
    once = redact_text(text)
    assert redact_text(once) is once


CLEAN_TEXTS = [
    "",
    "Rate limit exceeded",
    "Error: something failed at 12:30",
    "max_tokens=100 prompt_tokens: 5",
    "tokens: 5, keys=3",
    "Visit https://example.com/a?b=1 for help",
    "password",
    "token expired",
    "bearer",
    "token=***",
    "Authorization: ***",
    "Bearer ***",
    "key=value signed: ok",
    "aaaa...[truncated 12 chars]",
    "password=...[truncated 12 chars]",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_redact_text_leaves_clean_text_identical(text: str) -> None:
    """Text without credentials (or already masked) comes back as the same object."""
    assert redact_text(text) is text


@pytest.mark.parametrize(
    "text",
    [
        "Bearer ...[truncated 30 chars]",
        "token=...[truncated 30 chars]",
        "token=...[truncated 7 ch...[truncated 30 chars]",
        "Bearer ....[truncated 30 chars]",
        '"token": "...[trunc...[truncated 30 chars]',
        "https://h/?sig=...[truncated 3...[truncated 30 chars]",
    ],
)
def test_redact_text_keeps_truncation_markers(text: str) -> None:
    """A truncation marker, or the start of one cut by a later truncation, is never masked."""
    assert redact_text(text) is text


def test_safe_text_cutting_through_an_old_marker_is_stable() -> None:
    """Truncation that cuts through a marker already in the text stays idempotent."""
    for pad in range(8140, 8175):
        text = "a" * pad + "token=...[truncated 12 chars]" + "b" * 100
        once = safe_text(text)
        assert safe_text(once) == once


@pytest.mark.parametrize("value", [None, 42, b"token=abc"], ids=repr)
def test_redact_text_never_raises_on_non_text(value: Any) -> None:
    """Non-text input is converted with ``str()`` rather than raising."""
    assert isinstance(redact_text(value), str)


# --------------------------------------------------------------------------- truncation


def test_truncate_boundary() -> None:
    """A string of exactly the limit is kept; one character more is cut to the limit."""
    exact = "a" * MAX_STRING_LENGTH
    assert truncate(exact) is exact
    over = "a" * (MAX_STRING_LENGTH + 1)
    cut = truncate(over)
    assert cut == "a" * (MAX_STRING_LENGTH - 23) + "...[truncated 24 chars]"
    assert len(cut) == MAX_STRING_LENGTH


def test_truncate_marker_counts_removed_characters() -> None:
    """``n`` in the marker is the number of original characters that were dropped."""
    text = "x" * 10_000
    cut = truncate(text)
    assert len(cut) == MAX_STRING_LENGTH
    assert _marker_n(cut) == len(text) - _kept_len(cut)
    assert cut == "x" * _kept_len(cut) + f"...[truncated {len(text) - _kept_len(cut)} chars]"


@pytest.mark.parametrize("limit", [30, 31, 100, 1000])
def test_truncate_exact_length_across_digit_boundaries(limit: int) -> None:
    """Whatever the digits of ``n``, the result is exactly ``limit`` long and ``n`` is right."""
    for length in [*range(limit + 1, limit + 130), limit + 985, limit + 9_990, limit + 99_990]:
        text = "y" * length
        cut = truncate(text, limit)
        assert len(cut) == limit, length
        assert _marker_n(cut) == length - _kept_len(cut), length
        assert truncate(cut, limit) is cut


def test_truncate_without_room_for_the_marker() -> None:
    """A limit too small for the marker cuts the text hard."""
    assert truncate("abcdefghij" * 5, 5) == "abcde"
    assert truncate("z" * 100, 22) == "z" * 22
    assert truncate("abc", 0) == ""


@given(st.text(max_size=300), st.integers(min_value=22, max_value=200))
@settings(max_examples=200, deadline=None)
def test_truncate_is_idempotent(text: str, limit: int) -> None:
    """Truncating a truncated string changes nothing and never exceeds the limit."""
    once = truncate(text, limit)
    assert len(once) <= limit
    assert truncate(once, limit) == once
    if len(text) <= limit:
        assert once is text


# --------------------------------------------------------------------------- safe_text


def test_safe_text_redacts_then_truncates() -> None:
    """Secrets are masked and the result is bounded."""
    text = "token=abc " + "z" * 20_000
    out = safe_text(text)
    assert out.startswith("token=*** ")
    assert len(out) == MAX_STRING_LENGTH
    assert safe_text(out) == out


def test_safe_text_huge_string_is_bounded() -> None:
    """A 5 MB string comes back at the limit, with ``n`` counted against the original."""
    text = "password=hunter2 " + "q" * 5_000_000
    out = safe_text(text)
    assert len(out) == MAX_STRING_LENGTH
    assert "hunter2" not in out
    assert _marker_n(out) == len(text) - _kept_len(out)
    assert safe_text(out) == out


def test_safe_text_masks_a_secret_at_the_window_edge() -> None:
    """A secret whose key starts inside the kept part is masked even past the limit."""
    text = "w" * (MAX_STRING_LENGTH - 40) + " api_key=" + SECRET * 20 + " " + "v" * 1_000_000
    out = safe_text(text)
    assert SECRET[:5] not in out
    assert len(out) <= MAX_STRING_LENGTH


def test_safe_text_redaction_shrinking_a_huge_window() -> None:
    """When masking shrinks the window below the limit, all of it is kept before the marker."""
    text = "token=" + "x" * 5_000_000
    out = safe_text(text)
    assert out == f"token=***...[truncated {len(text) - 9} chars]"
    assert safe_text(out) == out


@pytest.mark.parametrize(("value", "expected"), [(42, "42"), (None, "None"), (b"ab", "b'ab'")])
def test_safe_text_converts_non_text(value: Any, expected: str) -> None:
    """Non-text input goes through ``str()`` first."""
    assert safe_text(value) == expected


# --------------------------------------------------------------------------- json_safe forms


class Color(enum.Enum):
    """A plain enum."""

    RED = "red"
    PAIR = (1, 2)


class Level(enum.IntEnum):
    """An int enum."""

    HIGH = 3


class Mode(str, enum.Enum):
    """A str-mixin enum (what StrEnum is on 3.11+)."""

    FAST = "fast"


class Point(NamedTuple):
    """A named tuple."""

    x: int
    y: int


@dataclasses.dataclass
class Credentials:
    """A dataclass with a sensitive field."""

    user: str
    api_key: str
    kind: ClassVar[str] = "creds"


@dataclasses.dataclass
class Wrapper:
    """A dataclass holding another one and a field set after init."""

    inner: Credentials
    tags: tuple[str, ...] = ()
    later: int = dataclasses.field(init=False)


class Text(str):
    """A str subclass."""


class Number(int):
    """An int subclass."""


class Ratio(float):
    """A float subclass."""


class BadRepr:
    """An object whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class Plain:
    """An ordinary object with a fixed repr."""

    def __repr__(self) -> str:
        return "Plain()"


def _gen() -> Iterator[int]:
    """A generator, which has no JSON form but its repr."""
    yield 1


UTC = datetime.timezone.utc

FORMS: list[tuple[str, Any, Any]] = [
    ("none", None, None),
    ("true", True, True),
    ("int", 7, 7),
    ("float", 1.5, 1.5),
    ("str", "plain", "plain"),
    ("nan", math.nan, "NaN"),
    ("inf", math.inf, "Infinity"),
    ("-inf", -math.inf, "-Infinity"),
    ("dict", {"a": 1}, {"a": 1}),
    ("list", [1, "a"], [1, "a"]),
    ("tuple", (1, 2), [1, 2]),
    ("namedtuple", Point(1, 2), [1, 2]),
    ("deque", collections.deque([1, 2]), [1, 2]),
    ("range", range(3), [0, 1, 2]),
    ("set", {3, 1, 2}, [1, 2, 3]),
    ("frozenset", frozenset({"b", "a"}), ["a", "b"]),
    ("unsortable set", {1, "a"}, ["a", 1]),
    ("keys view", {"b": 1, "a": 2}.keys(), ["a", "b"]),
    ("bytes", b"ab\xff", "ab\\xff"),
    ("bytearray", bytearray(b"hi"), "hi"),
    ("memoryview", memoryview(b"mv"), "mv"),
    ("datetime", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05+00:00"),
    ("date", datetime.date(2024, 1, 2), "2024-01-02"),
    ("time", datetime.time(3, 4, 5), "03:04:05"),
    ("timedelta", datetime.timedelta(days=1, seconds=1.5), 86401.5),
    ("decimal", decimal.Decimal("1.10"), "1.10"),
    ("decimal nan", decimal.Decimal("NaN"), "NaN"),
    ("uuid", uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ("path", pathlib.PurePosixPath("/a/b"), "/a/b"),
    ("enum", Color.RED, "red"),
    ("enum tuple value", Color.PAIR, [1, 2]),
    ("int enum", Level.HIGH, 3),
    ("str enum", Mode.FAST, "fast"),
    ("exception", ValueError("boom"), {"type": "ValueError", "message": "boom"}),
    ("base exception", KeyboardInterrupt(), {"type": "KeyboardInterrupt", "message": ""}),
    ("str subclass", Text("t"), "t"),
    ("int subclass", Number(5), 5),
    ("float subclass", Ratio(0.5), 0.5),
    ("float subclass nan", Ratio("nan"), "NaN"),
    ("object", Plain(), "Plain()"),
    ("bad repr", BadRepr(), "<BadRepr object>"),
    ("class", Plain, repr(Plain)),
    ("huge int", 10**5000, "<int with 5001 digits>"),
    ("huge negative int", -(10**5000) + 1, "<int with 5000 digits>"),
    ("int at the str limit", 10**4299, 10**4299),
    ("mapping proxy", types.MappingProxyType({"k": 1}), {"k": 1}),
    ("ordered dict", collections.OrderedDict([("b", 1), ("a", 2)]), {"b": 1, "a": 2}),
    ("dataclass", Credentials("bob", "k"), {"user": "bob", "api_key": "***"}),
    ("dataclass class", Credentials, repr(Credentials)),
    ("bytes key", {b"k": 1}, {"k": 1}),
    ("int key", {1: "a"}, {"1": "a"}),
    ("none key", {None: 1}, {"None": 1}),
    ("tuple key", {(1, 2): 1}, {"(1, 2)": 1}),
    ("enum key", {Color.RED: 1, Level.HIGH: 2}, {"red": 1, "3": 2}),
    ("colliding keys", {1: "a", "1": "b", b"1": "c"}, {"1": "a", "(2) 1": "b", "(3) 1": "c"}),
]


@pytest.mark.parametrize(("value", "expected"), [f[1:] for f in FORMS], ids=[f[0] for f in FORMS])
def test_json_forms(value: Any, expected: Any) -> None:
    """Each kind of value gets its documented, exact JSON form."""
    out = json_safe(value)
    assert out == expected
    assert type(out) is type(expected)
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize(("value", "expected"), [f[1:] for f in FORMS], ids=[f[0] for f in FORMS])
def test_json_forms_are_stable(value: Any, expected: Any) -> None:
    """Converting a converted value (either way) gives the same result."""
    out = json_safe(value)
    assert json_safe(out) == out
    assert json_safe(json_safe(value, redact=False)) == out


def test_huge_range_is_bounded() -> None:
    """A range too long to list keeps its first 10 000 items and says how many more there are."""
    out = json_safe(range(10**18))
    assert out[:3] == [0, 1, 2]
    assert len(out) == 10_001
    assert out[-1] == f"<{10**18 - 10_000} more items>"
    assert json_safe(out) == out


def test_range_whose_length_overflows_is_bounded() -> None:
    """A range whose ``len()`` overflows is cut the same way, the count left out."""
    out = json_safe(range(10**30))
    assert len(out) == 10_001
    assert out[-1] == "<more items>"


def test_range_just_over_the_item_limit_is_whole() -> None:
    """A sequence of 10 001 items is kept whole, so a cut result converts to itself."""
    assert json_safe(range(10_001)) == list(range(10_001))
    assert json_safe(range(10_002))[-1] == "<2 more items>"


def test_generator_becomes_its_repr() -> None:
    """An object with no JSON form becomes its repr, never silently dropped."""
    out = json_safe(_gen())
    assert isinstance(out, str)
    assert out.startswith("<generator object")


class _UnreadableList(list[Any]):
    """A list whose own iteration raises."""

    def __iter__(self) -> Any:
        raise RuntimeError("no iteration")


class _UnreadableTuple(tuple[Any, ...]):
    """A tuple whose own iteration raises."""

    def __iter__(self) -> Any:
        raise RuntimeError("no iteration")


class _UnreadableSizedList(_UnreadableList):
    """A list whose own iteration and length both raise."""

    def __len__(self) -> int:
        raise RuntimeError("no length")


class _UnreadableSizedTuple(_UnreadableTuple):
    """A tuple whose own iteration and length both raise."""

    def __len__(self) -> int:
        raise RuntimeError("no length")


UNREADABLE_ROWS: list[tuple[str, object, object]] = [
    (
        "attack8: pairs in a list whose iteration raises",
        _UnreadableList([("token", SECRET), ("page", 2)]),
        [["token", "***"], ["page", 2]],
    ),
    (
        "attack8: pairs in a tuple whose iteration raises",
        _UnreadableTuple((("password", SECRET),)),
        [["password", "***"]],
    ),
    (
        "attack8: such a list inside a list",
        [_UnreadableList([("api_key", SECRET)])],
        [[["api_key", "***"]]],
    ),
    (
        "attack10: pairs in a list whose iteration and length raise",
        _UnreadableSizedList([("password", SECRET)]),
        [["password", "***"]],
    ),
    (
        "attack10: pairs in a tuple whose iteration and length raise",
        _UnreadableSizedTuple((("token", SECRET), ("page", 2))),
        [["token", "***"], ["page", 2]],
    ),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [row[1:] for row in UNREADABLE_ROWS],
    ids=[row[0] for row in UNREADABLE_ROWS],
)
def test_a_list_whose_iteration_raises_is_read_by_the_items_it_holds(
    value: object, expected: object
) -> None:
    """Its items are converted, pairs masked; its repr, which shows them raw, is not used."""
    assert json_safe(value) == expected
    error = Error("m", details={"value": value})
    assert error.to_dict()["details"]["value"] == expected
    assert SECRET not in error.to_json()


def test_dataclass_instance_is_shallow_and_nested() -> None:
    """Dataclass fields are read one by one; ClassVars are left out; unset fields are marked."""
    value = Wrapper(Credentials("ann", "k1"), ("x",))
    assert json_safe(value) == {
        "inner": {"user": "ann", "api_key": "***"},
        "tags": ["x"],
        "later": "<unset>",
    }
    assert json_safe(value, redact=False)["inner"] == {"user": "ann", "api_key": "k1"}


def test_pydantic_model_is_dumped_and_masked() -> None:
    """A pydantic model becomes its ``model_dump()``, with sensitive fields masked."""
    from pydantic import BaseModel

    class Inner(BaseModel):
        password: str
        note: str

    class Outer(BaseModel):
        name: str
        inner: Inner
        refresh_token: str

    model = Outer(name="n", inner=Inner(password=SECRET, note="ok"), refresh_token=SECRET)
    assert json_safe(model) == {
        "name": "n",
        "inner": {"password": "***", "note": "ok"},
        "refresh_token": "***",
    }
    assert json_safe({"m": [model]})["m"][0]["inner"]["password"] == "***"
    assert json_safe(Outer) == repr(Outer)


def test_model_dump_failure_falls_back_to_repr() -> None:
    """An object whose ``model_dump()`` raises becomes its repr."""

    class Broken:
        def model_dump(self) -> dict[str, Any]:
            raise RuntimeError("nope")

        def __repr__(self) -> str:
            return "Broken()"

    assert json_safe(Broken()) == "Broken()"


def test_mock_objects_terminate() -> None:
    """A mock, whose ``model_dump()`` returns another mock, ends as a repr string."""
    from unittest import mock

    assert isinstance(json_safe(mock.MagicMock()), str)


def test_str_int_float_subclasses_become_plain_types() -> None:
    """Subclasses of str, int and float come out as exactly str, int and float."""
    out = json_safe([Text("a"), Number(1), Ratio(2.0), True])
    assert [type(item) for item in out] == [str, int, float, bool]


def test_exception_message_is_redacted() -> None:
    """An exception's message goes through ``redact_text``."""
    out = json_safe(RuntimeError("failed with password=hunter2"))
    assert out == {"type": "RuntimeError", "message": "failed with password=***"}


def test_exception_whose_str_raises() -> None:
    """An exception whose ``str()`` raises still gets a message (its repr)."""

    class Odd(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

        def __repr__(self) -> str:
            return "Odd()"

    assert json_safe(Odd()) == {"type": "Odd", "message": "Odd()"}


# --------------------------------------------------------------------------- redaction in json_safe


@pytest.mark.parametrize(
    "key", [k for k in SENSITIVE_KEYS if not isinstance(k, bytearray)], ids=repr
)
def test_sensitive_keys_are_masked_at_depth(key: object) -> None:
    """A value of any type under a sensitive key becomes ``***`` at any depth."""
    value = {"outer": [{"level": {key: {"nested": SECRET, "list": [SECRET]}, "keep": 1}}]}
    out = json_safe(value)
    assert SECRET not in json.dumps(out)
    assert out["outer"][0]["level"]["keep"] == 1
    assert REDACTED in out["outer"][0]["level"].values()


@pytest.mark.parametrize("key", [k for k in NON_SENSITIVE_KEYS if isinstance(k, str)], ids=repr)
def test_non_sensitive_keys_are_kept(key: str) -> None:
    """Values under names that only resemble sensitive ones are left alone."""
    assert json_safe({key: "value"}) == {key: "value"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"url": "https://u:pw@h/?token=t"}, {"url": "https://u:***@h/?token=***"}),
        ({"msg": "Bearer abc123"}, {"msg": "Bearer ***"}),
        ({"body": '{"api_key": "abc"}'}, {"body": '{"api_key": "***"}'}),
        ({"https://h/?sig=abc": 1}, {"https://h/?sig=***": 1}),
        ({"raw": b"password=abc"}, {"raw": "password=***"}),
        (["token: abc"], ["token: ***"]),
        ({"token": None}, {"token": "***"}),
        ({"Set-Cookie": ["a", "b"]}, {"Set-Cookie": "***"}),
    ],
)
def test_strings_keys_and_bytes_are_redacted(value: Any, expected: Any) -> None:
    """Every string, key and decoded bytes value goes through ``redact_text``."""
    assert json_safe(value) == expected


def test_redact_false_is_faithful() -> None:
    """With ``redact=False`` nothing is masked or truncated."""
    long = "x" * 20_000
    value = {"password": "p", "url": "https://u:pw@h/", "long": long, long: 1}
    out = json_safe(value, redact=False)
    assert out == value


def test_long_strings_and_keys_are_truncated() -> None:
    """Strings and keys longer than the limit are cut to exactly the limit."""
    long = "k" * 20_000
    out = json_safe({long: long, "list": [long]})
    keys = list(out)
    assert len(keys[0]) == MAX_STRING_LENGTH
    assert len(out[keys[0]]) == MAX_STRING_LENGTH
    assert len(out["list"][0]) == MAX_STRING_LENGTH


def test_huge_string_is_bounded() -> None:
    """A 5 MB string in the details comes out bounded, its secret masked."""
    huge = "secret: abc " + "h" * 5_000_000
    out = json_safe({"body": huge, "bytes": huge.encode()})
    assert len(out["body"]) == MAX_STRING_LENGTH
    assert out["body"].startswith("secret: *** ")
    assert out["bytes"] == out["body"]


# --------------------------------------------------------------------------- cycles and depth


def test_cycles_become_markers() -> None:
    """A container met again inside itself becomes ``<cycle>``; shared references do not."""
    loop: list[Any] = [1]
    loop.append(loop)
    assert json_safe(loop) == [1, "<cycle>"]
    node: dict[str, Any] = {"name": "n"}
    node["self"] = node
    assert json_safe(node) == {"name": "n", "self": "<cycle>"}
    shared = [1]
    assert json_safe({"a": shared, "b": shared, "c": [shared]}) == {"a": [1], "b": [1], "c": [[1]]}


def test_dataclass_cycle() -> None:
    """A dataclass referring to itself is cut with ``<cycle>``."""

    @dataclasses.dataclass
    class Node:
        child: Any = None

    node = Node()
    node.child = node
    assert json_safe(node) == {"child": "<cycle>"}


@pytest.mark.parametrize("levels", [1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 10_000])
def test_depth_limit_for_lists(levels: int) -> None:
    """Exactly ``MAX_DEPTH`` levels of lists survive; the next one becomes the marker."""
    out = json_safe(_nest_lists(levels))
    kept, innermost = _list_levels(out)
    if levels <= MAX_DEPTH:
        assert (kept, innermost) == (levels, 0)
    else:
        assert (kept, innermost) == (MAX_DEPTH, "<max depth>")
    json.dumps(out, allow_nan=False)
    assert json_safe(out) == out
    assert json_safe(json_safe(_nest_lists(levels), redact=False)) == out


@pytest.mark.parametrize("levels", [MAX_DEPTH, MAX_DEPTH + 1, 10_000])
def test_depth_limit_for_dicts(levels: int) -> None:
    """Deep dict nesting is cut at the same level, and re-applying it moves nothing."""
    out = json_safe(_nest_dicts(levels))
    depth = 0
    node: Any = out
    while isinstance(node, dict):
        depth += 1
        node = node["a"]
    assert depth == min(levels, MAX_DEPTH)
    assert node == (0 if levels <= MAX_DEPTH else "<max depth>")
    assert json_safe(out) == out


def test_depth_counts_exceptions_and_models_as_containers() -> None:
    """An exception deeper than the limit becomes the marker, as its dict form would."""
    value: Any = ValueError("deep")
    for _ in range(MAX_DEPTH):
        value = [value]
    out = json_safe(value)
    assert _list_levels(out) == (MAX_DEPTH, "<max depth>")
    assert json_safe(out) == out


# --------------------------------------------------------------------------- hypothesis

_FRAGMENTS = [
    "token",
    "password",
    "api_key",
    "X-Api-Key",
    "key",
    "sig",
    "max_tokens",
    "Bearer",
    "basic",
    "http://",
    "https://",
    "u:p@h",
    "user",
    "abc",
    "Z9",
    "=",
    ":",
    " ",
    "\t",
    "\n",
    "&",
    "?",
    "#",
    "@",
    "/",
    ",",
    ";",
    '"',
    "'",
    "\\",
    "*",
    "***",
    ".",
    "-",
    "_",
    "%5F",
    "%",
    "b'",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "...[truncated 12 chars]",
    "é",
]

tricky_text = st.lists(st.sampled_from(_FRAGMENTS), max_size=24).map("".join)


@given(tricky_text)
@settings(max_examples=400, deadline=None)
def test_redact_text_idempotent_property(text: str) -> None:
    """For arbitrary text, redacting twice equals redacting once."""
    once = redact_text(text)
    assert redact_text(once) == once


@given(tricky_text, st.data())
@settings(max_examples=300, deadline=None)
def test_redacted_prefix_is_stable(text: str, data: st.DataObject) -> None:
    """Any prefix of redacted text plus a truncation marker redacts to itself."""
    once = redact_text(text)
    cut = data.draw(st.integers(min_value=0, max_value=len(once)))
    truncated = once[:cut] + "...[truncated 99 chars]"
    assert redact_text(truncated) == truncated


@given(tricky_text, st.integers(min_value=0, max_value=200))
@settings(max_examples=100, deadline=None)
def test_safe_text_idempotent_property(text: str, padding: int) -> None:
    """``safe_text`` is idempotent, also when its input is cut at the limit."""
    long = "p" * (MAX_STRING_LENGTH - padding) + text
    for value in (text, long):
        once = safe_text(value)
        assert len(once) <= MAX_STRING_LENGTH
        assert safe_text(once) == once


@given(tricky_text)
@settings(max_examples=300, deadline=None)
def test_redact_url_idempotent_property(text: str) -> None:
    """For arbitrary URL-like text, redacting twice equals redacting once."""
    for url in (text, "https://" + text):
        once = redact_url(url)
        assert redact_url(once) == once


_SAFE_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.~", min_size=1, max_size=8)
_SAFE_VALUE = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789_-.~%+/:@!$'()*,;=", max_size=10
)


@st.composite
def clean_urls(draw: st.DrawFn) -> str:
    """Build a URL whose userinfo has no password and whose parameters are not sensitive."""
    scheme = draw(st.sampled_from(["http", "https", "s3", "git+ssh"]))
    user = draw(st.sampled_from(["", "bob@", "bob:@", "bob:***@"]))
    host = draw(st.sampled_from(["h", "example.com", "[::1]:8080", "h:80"]))
    path = draw(st.lists(_SAFE_NAME, max_size=3).map(lambda parts: "/" + "/".join(parts)))
    names = st.one_of(
        _SAFE_NAME.filter(lambda n: not redaction._is_sensitive_param(n)),
        st.sampled_from(["token", "sig", "api_key"]),
    )
    params = draw(
        st.lists(
            st.tuples(names, st.sampled_from(["", "=", "=***"]), _SAFE_VALUE.filter(bool)),
            max_size=4,
        )
    )
    rendered = []
    for name, sep, value in params:
        if redaction._is_sensitive_param(name):
            rendered.append(name + sep)  # empty, valueless or already masked
        else:
            rendered.append(f"{name}={value.replace('&', '').replace('#', '')}")
    query = draw(st.sampled_from(["", "?"])) + "&".join(rendered) if rendered else ""
    fragment = draw(st.sampled_from(["", "#", "#top", "#a=1&b=2"]))
    return f"{scheme}://{user}{host}{path}{query}{fragment}"


@given(clean_urls())
@settings(max_examples=300, deadline=None)
def test_clean_urls_are_identical_property(url: str) -> None:
    """A URL with no sensitive part comes back as the very same string."""
    assert redact_url(url) is url


_KEYS = st.one_of(
    tricky_text,
    st.sampled_from(["a", "b", "token", "Password", "max_tokens", "1", "(2) 1"]),
    st.integers(min_value=-3, max_value=3),
    st.binary(max_size=4),
    st.none(),
    st.booleans(),
)


class _Odd:
    """An odd object with a stable repr."""

    def __repr__(self) -> str:
        return "<odd>"


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([5000, -4400]).map(lambda n: 10 ** abs(n) * (1 if n > 0 else -1)),
    st.sampled_from([Number(3), Level.HIGH, Color.PAIR, Mode.FAST]),
    st.floats(allow_nan=True, allow_infinity=True),
    tricky_text,
    st.text(max_size=20),
    st.binary(max_size=10),
    st.datetimes(),
    st.decimals(allow_nan=True),
    st.uuids(),
    st.timedeltas(),
    st.sampled_from([ValueError("token=abc"), KeyError("k"), _Odd(), Text("x")]),
    st.builds(BadRepr),
    st.builds(Credentials, st.text(max_size=5), st.text(max_size=5)),
    st.frozensets(st.integers(), max_size=4),
    st.sets(st.one_of(st.integers(), tricky_text), max_size=4),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists, tuples and dicts of ``children`` (a named function: hypothesis reads its use)."""
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(_KEYS, children, max_size=4),
    )


json_ish = st.recursive(
    _LEAVES,
    _containers,
    max_leaves=25,
)


@given(json_ish)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_json_safe_properties(value: Any) -> None:
    """Output always dumps as strict JSON and converting again never changes it."""
    out = json_safe(value)
    json.dumps(out, allow_nan=False)
    assert json_safe(out) == out
    faithful = json_safe(value, redact=False)
    json.dumps(faithful, allow_nan=False)
    assert json_safe(faithful) == out
    assert json_safe(faithful, redact=False) == faithful


def _plant(depth: int, key: str, secret: Any, filler: Any) -> Any:
    """Nest ``{key: secret}`` ``depth`` levels down, beside ``filler``."""
    value: Any = {key: secret, "other": filler}
    for level in range(depth):
        value = [value, filler] if level % 2 else {"n": value, "f": filler}
    return value


@given(
    st.integers(min_value=0, max_value=MAX_DEPTH - 2),
    st.sampled_from([k for k in SENSITIVE_KEYS if isinstance(k, str)]),
    st.sampled_from(["str", "bytes", "list", "dict", "url", "exception"]),
    json_ish,
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_planted_secret_never_appears(depth: int, key: str, form: str, filler: Any) -> None:
    """A secret under a sensitive key, at any depth and in any form, never reaches the output."""
    secret: Any = {
        "str": SECRET,
        "bytes": SECRET.encode(),
        "list": [SECRET, {"x": SECRET}],
        "dict": {"inner": SECRET},
        "url": f"https://user:{SECRET}@host/",
        "exception": ValueError(SECRET),
    }[form]
    value = _plant(depth // 2, key, secret, filler)
    assert SECRET not in json.dumps(json_safe(value))


@given(
    st.sampled_from(
        [
            "https://u:{s}@h/",
            "https://h/?access_token={s}",
            "https://h/?sig={s}&a=1",
            "see https://h/x?a=1&api_key={s} now",
            "Authorization: Bearer {s}",
            "password={s}",
            '{{"client_secret": "{s}"}}',
            "Basic {s}",
        ]
    ),
    json_ish,
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_secret_in_strings_never_appears(template: str, filler: Any) -> None:
    """A credential inside any string value (URL, header, JSON text) is masked."""
    value = {"a": [filler, {"b": template.format(s=SECRET)}]}
    assert SECRET not in json.dumps(json_safe(value))


def test_int_str_limit_is_respected() -> None:
    """An int just over the interpreter's str() limit is described, not dumped."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if not limit:
        pytest.skip("this interpreter has no int-to-str limit")
    over = 10**limit
    assert json_safe(over) == f"<int with {limit + 1} digits>"
    assert json_safe(10**limit - 1) == 10**limit - 1
    assert json_safe({"n": -over}) == {"n": f"<int with {limit + 1} digits>"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Upgrade from the basic plan now", "Upgrade from the basic plan now"),
        ("Basic Authentication required", "Basic Authentication required"),
        ("Authorization Basic dXNlcjpwYXNz here", "Authorization Basic *** here"),
        ("use Basic YWxhZGRpbjpvcGVuc2VzYW1l", "use Basic ***"),
    ],
)
def test_basic_masks_credentials_not_prose(text: str, expected: str) -> None:
    """``Basic`` followed by a base64 credential is masked; ``basic`` in prose is left alone."""
    assert redact_text(text) == expected


class _Pair(NamedTuple):
    """A ``(name, value)`` pair written as a named tuple."""

    name: str
    value: object


def test_a_secret_pair_in_a_tuple_subclass_is_masked() -> None:
    """A pair under a sensitive name is masked whether it is a tuple, a list or a named tuple."""
    assert json_safe({"a": [_Pair("TOKEN", None)]}) == {"a": [["TOKEN", "***"]]}
    assert json_safe({"a": [("TOKEN", None)]}) == {"a": [["TOKEN", "***"]]}
    assert json_safe({"a": [_Pair("size", 3)]}) == {"a": [["size", 3]]}


class _Login(NamedTuple):
    """Credentials as a named tuple: a field named as a secret."""

    user: str
    password: str


def test_attack15_a_named_tuple_field_named_as_a_secret_is_masked() -> None:
    """A named tuple stays a list, its items under sensitive field names masked."""
    error = Error("m", details={"login": _Login("ada", "hunter2secret"), "n": [_Login("b", "c")]})
    expected = {"login": ["ada", "***"], "n": [["b", "***"]]}
    assert error.to_dict()["details"] == expected
    assert json.loads(error.to_json())["details"] == expected
    assert json_safe(_Pair("size", 3)) == ["size", 3]


def test_attack15_a_raw_header_pair_of_bytes_is_masked() -> None:
    """Raw headers as ``(bytes, bytes)`` pairs mask the value of a sensitive name."""
    headers = [(b"x-api-key", b"zebraSECRETvalue"), (b"accept", b"*/*")]
    assert json_safe({"headers": headers}) == {"headers": [["x-api-key", "***"], ["accept", "*/*"]]}


# --------------------------------------------------------------------------- error_dict


def _same(left: Any, right: Any) -> bool:
    """Equal, and of the same type at every level (``1``, ``1.0``, ``True`` and ``-0.0`` differ)."""
    if type(left) is not type(right):
        return False
    if type(left) is dict:
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if type(left) is list:
        return len(left) == len(right) and all(map(_same, left, right))
    if type(left) is float:
        return repr(left) == repr(right)
    return bool(left == right)


def _plain_tree(draw: Any, depth: int = 0) -> Any:
    """A JSON-like tree mixing plain values, tuples, secrets, sensitive keys and odd values."""
    leaves = st.one_of(
        strategies.plain_values,
        strategies.plain_keys,
        strategies.secrets,
        st.sampled_from([-0.0, 0.0, 1, 1.0, True, 10**5000, math.nan, math.inf, b"x"]),
        strategies.small_hostile,
    )
    if depth >= 3 or draw(st.booleans()):
        return draw(leaves)
    keys = st.one_of(strategies.plain_keys, strategies.sensitive_keys, st.integers(0, 3))
    kind = draw(st.sampled_from(["dict", "list", "tuple", "pair"]))
    items = [_plain_tree(draw, depth + 1) for _ in range(draw(st.integers(0, 4)))]
    if kind == "dict":
        return {draw(keys): item for item in items}
    if kind == "pair":
        return [draw(st.one_of(strategies.plain_keys, strategies.sensitive_keys)), *items[:1]]
    return items if kind == "list" else tuple(items)


@given(data=st.data())
@strategies._settings(150)
def test_error_dict_equals_the_walker_on_random_payloads(data: st.DataObject) -> None:
    """``to_dict()``'s checked copies equal the safe walker's output, types included."""
    from errorkit import exceptions as ek

    details: dict[Any, Any] = {}
    for _ in range(data.draw(st.integers(0, 6))):
        details[data.draw(st.one_of(strategies.plain_keys, strategies.sensitive_keys))] = (
            _plain_tree(data.draw)
        )
    error = ek.Error(data.draw(strategies.messages), "CUSTOM_CODE", details)
    for _ in range(2):  # the second time, every text and key is remembered
        assert _same(safety.error_dict(error), safety._walked(error))
