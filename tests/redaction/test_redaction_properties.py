"""Properties of the redaction engine (hypothesis): free text and URLs, on generated input."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from errorkit import exceptions as ek
from errorkit import http_mapping
from errorkit.redaction import redact_text, redact_url
from tests.strategies import (
    MAIN,
    SMALL,
    clean_urls,
    dirty_urls,
    secret_phrases,
    secrets,
)

_TRICKY_WORDS = [
    "the",
    "request",
    "failed",
    "basic",
    "Basic",
    "bearer",
    "Bearer",
    "token",
    "Token:",
    "key",
    "api_key",
    "password=",
    "=",
    ":",
    "https://",
    "http://h/?",
    "***",
    "...[truncated 5 chars]",
    "\\",
    '"',
    "'",
    "b'",
    "&",
    "#",
    "?",
    "@",
    "%",
    "é",
    "🙂",
    # Auth words, brackets and separators a credential can sit next to.
    "Bearer",
    "basic",
    "digest",
    "Authorization: Bearer",
    "Cookie:",
    "'key':",
    '"token":',
    "sig=",
    "x=",
    "a:b",
    "u:p@",
    "::",
    "==",
    ":=",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "//",
    "null",
]
_SEPARATORS = [
    " ",
    "\n",
    "\t",
    "\r\n",
    "  ",
    ", ",
    "; ",
    " (",
    " [",
    " {",
    " <",
    ' "',
    " '",
    " | ",
    " & ",
]


@SMALL
@given(
    secret=secrets,
    data=st.data(),
    before=st.lists(st.sampled_from(_TRICKY_WORDS), max_size=4).map(" ".join),
    after=st.lists(st.sampled_from(_TRICKY_WORDS), max_size=4).map(" ".join),
    separators=st.tuples(st.sampled_from(_SEPARATORS), st.sampled_from(_SEPARATORS)),
)
def test_free_text_secret_is_masked_whatever_surrounds_it(
    secret: str, data: st.DataObject, before: str, after: str, separators: tuple[str, str]
) -> None:
    """A secret phrase in free text is masked whatever words and punctuation surround it."""
    phrase = data.draw(secret_phrases(secret))
    text = f"{before}{separators[0]}{phrase}{separators[1]}{after}"
    assert secret not in redact_text(text)
    assert secret not in json.dumps(ek.Error("m", details={"note": text}).to_dict())
    composed = http_mapping.error_for_status(500, response_body=text)
    assert secret not in str(composed)
    assert secret not in json.dumps(composed.to_dict())


@MAIN
@given(url=clean_urls())
def test_redact_url_returns_clean_urls_unchanged(url: str) -> None:
    """A URL with nothing sensitive comes back byte-identical."""
    assert redact_url(url) == url


@SMALL
@given(data=st.data(), secret=secrets)
def test_redact_url_masks_exactly_the_secret(data: st.DataObject, secret: str) -> None:
    """A password or sensitive parameter value becomes ``***``; every other byte is kept."""
    dirty = data.draw(dirty_urls(secret))
    assert redact_url(dirty.url) == dirty.expected


@MAIN
@given(
    text=st.one_of(
        clean_urls(),
        secrets.flatmap(dirty_urls).map(lambda dirty: dirty.url),
        st.text(),
        st.text().map(lambda text: "https://" + text),
    )
)
def test_redact_url_is_idempotent(text: str) -> None:
    """Redacting a URL twice gives the same result as redacting it once."""
    once = redact_url(text)
    assert redact_url(once) == once
