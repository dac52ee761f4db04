"""Serialization safety: JSON-safe conversion, secret redaction and truncation.

``json_safe`` turns any value into plain JSON data that ``json.dumps(..., allow_nan=False)``
always accepts, without dropping anything silently: values JSON cannot hold get a fixed,
faithful JSON form, cycles and excessive nesting become markers, and (by default) values
under sensitive keys, URL credentials, ``key=value`` secrets and ``Bearer``/``Basic``
credentials are replaced by ``***`` and long strings are cut to ``MAX_STRING_LENGTH``
characters with a ``...[truncated {n} chars]`` marker. Every helper here is idempotent
(applying it to its own output changes nothing), never raises, and imports only the
standard library, lazily, so importing this module stays cheap.
"""

from __future__ import annotations

import sys

# Not imported from typing: at run time this module imports nothing but sys.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterable
    from typing import Any, Final

__all__ = [
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
]

MAX_STRING_LENGTH: Final = 8192
"""Longest string ``safe_text`` and ``json_safe`` emit, truncation marker included."""

MAX_DEPTH: Final = 64
"""Deepest container level ``json_safe`` keeps; deeper containers become ``"<max depth>"``."""

REDACTED: Final = "***"
"""What a masked secret is replaced with."""

_MAX_DEPTH_MARKER: Final = "<max depth>"
_CYCLE_MARKER: Final = "<cycle>"
_UNSET_MARKER: Final = "<unset>"
_WINDOW_MARGIN: Final = 1024
_MARKER_FIXED_LEN: Final = len("...[truncated  chars]")
_NESTED_URL_DEPTH: Final = 4
_SMALL_INT: Final = 1 << 2000  # any int strictly between -_SMALL_INT and _SMALL_INT has a str()
_NEGATIVE_SMALL_INT: Final = -_SMALL_INT

_SENSITIVE_NAMES: Final = frozenset(
    {
        "authorization",
        "api_key",
        "apikey",
        "api_token",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "secret",
        "password",
        "cookie",
        "set_cookie",
        "x_api_key",
    }
)
_SENSITIVE_SUFFIXES: Final = ("_token", "_secret", "_password")
_SENSITIVE_PARAM_EXTRA: Final = frozenset({"key", "sig", "signature"})
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_SCHEME_CHARS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."
)

# --------------------------------------------------------------------------- sensitive keys

_SENSITIVE_CACHE: dict[str, bool] = {}


def _is_sensitive_name(name: str) -> bool:
    """Tell whether a plain ``str`` key is sensitive, memoising short keys."""
    hit = _SENSITIVE_CACHE.get(name)
    if hit is not None:
        return hit
    norm = name.lower().replace("-", "_")
    result = norm in _SENSITIVE_NAMES or norm.endswith(_SENSITIVE_SUFFIXES)
    if len(name) <= 64:
        if len(_SENSITIVE_CACHE) >= 4096:
            _SENSITIVE_CACHE.clear()
        _SENSITIVE_CACHE[name] = result
    return result


def sensitive_names() -> frozenset[str]:
    """Return the exact sensitive names, in normal form (lower case, words joined by ``_``).

    Names that are sensitive by their ending (``*_token``) are not listed; this is the set
    a denylist-based scrubber (Sentry's, say) can be extended with.
    """
    return _SENSITIVE_NAMES


def is_sensitive_key(key: object) -> bool:
    """Tell whether values stored under ``key`` must be masked.

    The comparison ignores case and treats ``-`` and ``_`` as equal. Sensitive keys are
    ``authorization``, ``api_key``, ``apikey``, ``api_token``, ``token``, ``access_token``,
    ``refresh_token``, ``id_token``, ``client_secret``, ``secret``, ``password``, ``cookie``,
    ``set_cookie``, ``x_api_key`` and any key ending in ``_token``, ``_secret`` or
    ``_password``.

    Args:
        key: A mapping key. ``bytes`` keys are decoded as UTF-8; keys that are neither
            text nor bytes are never sensitive.

    Returns:
        True when the key names a secret.
    """
    if type(key) is str:
        return _is_sensitive_name(key)
    if isinstance(key, str):
        return _is_sensitive_name(str.__str__(key))
    if isinstance(key, bytes | bytearray):
        return _is_sensitive_name(bytes(key).decode("utf-8", "backslashreplace"))
    return False


def _is_sensitive_param(name: str) -> bool:
    """Tell whether a URL query parameter name (possibly percent-encoded) is sensitive."""
    # Prose punctuation glued to the name ("?(token=...", "&)sig=...") does not hide it.
    decoded = _percent_decode(name).lstrip("()[]{}<>,;:!?'\"")
    if _is_sensitive_name(decoded):
        return True
    return decoded.lower().replace("-", "_") in _SENSITIVE_PARAM_EXTRA


def _percent_decode(text: str) -> str:
    """Decode ``%XX`` escapes as UTF-8, leaving malformed escapes as they are."""
    if "%" not in text:
        return text
    head, *rest = text.split("%")
    out = bytearray(head.encode("utf-8", "surrogatepass"))
    for part in rest:
        if len(part) >= 2 and part[0] in _HEX and part[1] in _HEX:
            out.append(int(part[:2], 16))
            out += part[2:].encode("utf-8", "surrogatepass")
        else:
            out += b"%" + part.encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "replace")


def _is_masked(value: str) -> bool:
    """Tell whether a non-empty value consists of asterisks only (already masked or cut)."""
    return not value.strip("*")


# --------------------------------------------------------------------------- URLs


def redact_url(url: str) -> str:
    """Mask the credentials in a URL, leaving every other character as it was.

    The password of the userinfo (``https://user:PASS@host``) and the values of sensitive
    query parameters (the ``is_sensitive_key`` names plus ``key``, ``sig`` and
    ``signature``, compared after percent-decoding and ignoring prose punctuation glued
    before the name, as in ``?(token=...``) become ``***``. Parameters in an
    ``&``-separated fragment (OAuth's ``#access_token=...``) and URLs nested unencoded in
    a parameter (``?next=https://u:p@h/``, also behind punctuation) are masked the same
    way. The URL is edited in place rather than re-assembled, so nothing else is normalised.

    Args:
        url: A URL or URL reference. Text that is not a URL comes back unchanged.

    Returns:
        The masked URL; the very same string when there was nothing to mask.
    """
    if type(url) is not str:
        try:
            url = str.__str__(url) if isinstance(url, str) else str(url)
        except Exception:
            return REDACTED
    try:
        return _redact_url(url, 0)
    except Exception:  # pragma: no cover - defensive: fail closed rather than raise
        return REDACTED


def _redact_url(url: str, nesting: int) -> str:
    """Mask userinfo password and sensitive parameters; return ``url`` itself if unchanged."""
    if "@" not in url and "?" not in url and "#" not in url:
        return url
    auth_start = _authority_start(url)
    pieces: list[str] = []
    last = 0
    pos = 0
    if auth_start >= 0:
        auth_end = _find_first(url, "/?#", auth_start)
        at = url.rfind("@", auth_start, auth_end)
        if at >= 0:
            colon = url.find(":", auth_start, at)
            if colon >= 0:
                password = url[colon + 1 : at]
                if password and not _is_masked(password):
                    pieces += (url[: colon + 1], REDACTED)
                    last = at
        pos = auth_end
    hash_at = url.find("#", pos)
    query_at = url.find("?", pos, hash_at if hash_at >= 0 else len(url))
    if query_at >= 0:
        end = hash_at if hash_at >= 0 else len(url)
        query = url[query_at + 1 : end]
        masked = _mask_params(query, nesting)
        if masked is not query:
            pieces += (url[last : query_at + 1], masked)
            last = end
    if hash_at >= 0 and "=" in url[hash_at:]:
        # A fragment may carry parameters too (OAuth's #access_token=..., or a client-side
        # route such as #/callback?token=...): "?" separates groups of "&" parameters.
        fragment = url[hash_at + 1 :]
        groups = fragment.split("?")
        masked_groups = [_mask_params(group, nesting) for group in groups]
        if any(new is not old for new, old in zip(masked_groups, groups, strict=True)):
            pieces += (url[last : hash_at + 1], "?".join(masked_groups))
            last = len(url)
    if not pieces:
        return url
    pieces.append(url[last:])
    return "".join(pieces)


def _authority_start(url: str) -> int:
    """Return the index where the URL's authority starts, or -1 when it has none."""
    if url.startswith("//"):
        return 2
    colon = url.find(":")
    if colon <= 0 or not url.startswith("//", colon + 1):
        return -1
    scheme = url[:colon]
    if not ("a" <= scheme[0].lower() <= "z") or not _SCHEME_CHARS.issuperset(scheme):
        return -1
    return colon + 3


def _find_first(text: str, chars: str, start: int) -> int:
    """Return the index of the first of ``chars`` at or after ``start``, or ``len(text)``."""
    end = len(text)
    for char in chars:
        found = text.find(char, start, end)
        if found >= 0:
            end = found
    return end


def _mask_params(params: str, nesting: int) -> str:
    """Mask sensitive values of ``&``-separated parameters; return ``params`` if unchanged."""
    if "=" not in params and "://" not in params:
        return params
    parts = params.split("&")
    changed = False
    for index, part in enumerate(parts):
        eq = part.find("=")
        name, value = (part[:eq], part[eq + 1 :]) if eq >= 0 else ("", part)
        if eq >= 0 and _is_sensitive_param(name):
            if value and not _is_masked(value):
                parts[index] = name + "=" + REDACTED
                changed = True
        elif nesting < _NESTED_URL_DEPTH and ("?" in value or "@" in value):
            nested = _redact_nested_url(value, nesting + 1)
            if nested is not value:
                parts[index] = (name + "=" if eq >= 0 else "") + nested
                changed = True
    return "&".join(parts) if changed else params


def _scheme_start(text: str, separator: int) -> int:
    """Return the index where the scheme before the ``://`` at ``separator`` begins."""
    start = separator
    while start > 0 and text[start - 1] in _SCHEME_CHARS:
        start -= 1
    return start


def _redact_nested_url(value: str, nesting: int) -> str:
    """Redact a URL held in a parameter, after any punctuation before its scheme."""
    if _authority_start(value) > 0 or "://" not in value:
        return _redact_url(value, nesting)
    start = _scheme_start(value, value.find("://"))
    if start == 0:
        return _redact_url(value, nesting)
    inner = value[start:]
    nested = _redact_url(inner, nesting)
    return value if nested is inner else value[:start] + nested


# --------------------------------------------------------------------------- free text

# One scanner finds, at the start of a word, a URL, a `key` + separator, or an auth scheme.
_WORD: Final = r"""[^\s&,;"'`)\]}>]+"""
# A word, and the next ones while a word ends a key (``authorization: X``, ``token = X``).
# Auth scheme words travel with the credential after them (unless the word is a key: "token =").
_SCHEMES: Final = r"(?:[^\w\s]*(?i:bearer|basic|token|digest)(?![ \t]*[:=])[ \t]+)*"
# A word ending in a scheme word glued to punctuation ("Bearer:Basic X") takes the next one too.
_ENDS_IN_SCHEME: Final = "".join(
    f"|(?<=[^A-Za-z0-9_](?i:{word}))" for word in ("bearer", "basic", "token", "digest")
)
_WORD_CHAIN: Final = (
    f"{_SCHEMES}{_WORD}(?:(?:[ \t]*[:=]|(?<=:){_ENDS_IN_SCHEME})[ \t]*{_SCHEMES}{_WORD})*"
)
_SCAN_PATTERN: Final = r"""(?<![A-Za-z0-9_\-])(?:
    (?P<url>(?<![+.])[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'`<>{}]*)
  | (?P<kv>(?P<q>\\*["']|)(?P<key>[A-Za-z0-9_\-]+)(?P=q)(?:\\*["'])?[ \t]*[:=][ \t]*)
  | (?P<auth>(?i:bearer|basic)[ \t]+)
)"""
# A value after a sensitive key: an (escaped, at any depth) quoted string, possibly cut short by
# the end of the text, or a bare token (an auth scheme word such as "Bearer" travels with its
# credential; a word that is a key whose value follows takes that value along).
# A bare value never starts with what may be the first half of a quote opener cut by the end.
_VALUE_PATTERN: Final = r"""
    \\+(?P<eq>["'])(?P<ev>.*?)(?:\\+(?P=eq)|\Z)
  | [bBrRuU]?"(?P<dv>(?:[^"\\]|\\.)*\\?)(?:"|\Z)
  | [bBrRuU]?'(?P<sv>(?:[^'\\]|\\.)*\\?)(?:'|\Z)
  | (?!(?:\\|[bBrRuU])\Z)
    (?P<bv>_WORD_CHAIN)
""".replace("_WORD_CHAIN", _WORD_CHAIN)
# The credential after "Bearer" or "Basic": a word, and what follows when the word ends a key.
_CRED_PATTERN: Final = _WORD_CHAIN
_TRUNC_MARKER_PATTERN: Final = r"(\.\.\.\[truncated \d+ chars\])"
# A proper prefix of a truncation marker at the very end of the text.
_PARTIAL_MARKER_PATTERN: Final = (
    r"\.(?:\.(?:\.(?:\[(?:t(?:r(?:u(?:n(?:c(?:a(?:t(?:e(?:d(?: (?:"
    r"\d+(?: (?:c(?:h(?:a(?:r(?:s)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?\Z"
)


class _Patterns:
    """The compiled regular expressions, built on first use."""

    __slots__ = (
        "cred",
        "key_ahead",
        "key_follows",
        "key_follows_sep",
        "marker",
        "partial_marker",
        "scan",
        "url_tail",
        "value",
        "whitespace",
    )

    def __init__(self) -> None:
        import re

        self.scan: re.Pattern[str] = re.compile(_SCAN_PATTERN, re.VERBOSE)
        self.value: re.Pattern[str] = re.compile(_VALUE_PATTERN, re.VERBOSE | re.DOTALL)
        self.cred: re.Pattern[str] = re.compile(_CRED_PATTERN)
        self.key_follows: re.Pattern[str] = re.compile(r"[ \t]*:")
        self.key_ahead: re.Pattern[str] = re.compile(r"[A-Za-z0-9_\-]+(?=[ \t]*[:=])")
        self.key_follows_sep: re.Pattern[str] = re.compile(r"[ \t]*[:=]")
        # The last name of a URL when prose punctuation glues it on ("?,token", "?)Bearer").
        self.url_tail: re.Pattern[str] = re.compile(r"(?<=[?&=(),;:\[\]{}])[A-Za-z0-9_\-]+\Z")
        self.whitespace: re.Pattern[str] = re.compile(r"\s")
        self.marker: re.Pattern[str] = re.compile(_TRUNC_MARKER_PATTERN)
        self.partial_marker: re.Pattern[str] = re.compile(_PARTIAL_MARKER_PATTERN)


_PATTERNS: _Patterns | None = None


def _patterns() -> _Patterns:
    """Return the compiled patterns, compiling them once."""
    global _PATTERNS
    patterns = _PATTERNS
    if patterns is None:
        patterns = _PATTERNS = _Patterns()
    return patterns


def _may_hold_secret(text: str) -> bool:
    """Cheap pre-check: False when no redaction rule can possibly match ``text``."""
    if "=" in text or ":" in text:
        # Every sensitive name contains one of these words; "@" and "%" cover URL userinfo
        # and percent-encoded parameter names.
        lowered = text.lower()
        return (
            "token" in lowered
            or "key" in lowered
            or "secret" in lowered
            or "password" in lowered
            or "auth" in lowered
            or "cookie" in lowered
            or "sig" in lowered
            or "bearer" in lowered
            or "basic" in lowered
            or "@" in text
            or "%" in text
        )
    if "b" not in text and "B" not in text:
        return False
    lowered = text.lower()
    return "bearer" in lowered or "basic" in lowered


def redact_text(text: str) -> str:
    """Mask credentials found in free text.

    Every URL (``scheme://`` up to whitespace, a quote or a bracket) goes through
    ``redact_url``; the value of a sensitive ``key=value``, ``key: value``,
    ``"key": "value"`` or ``'key': 'value'`` pair (key matched as in
    ``is_sensitive_key``; value up to whitespace, ``&``, ``,``, ``;`` or its closing quote)
    and the credential after ``Bearer`` or ``Basic`` (any case) become ``***``. A
    ``...[truncated {n} chars]`` marker is left intact.

    Args:
        text: Any text, such as an error message or a response body.

    Returns:
        The masked text; the very same string when nothing matched.
    """
    if type(text) is not str:
        try:
            text = str.__str__(text) if isinstance(text, str) else str(text)
        except Exception:
            return REDACTED
    if not _may_hold_secret(text):
        return text
    try:
        if _authority_start(text) > 0 and len(text.split(maxsplit=1)) == 1:
            return _redact_url(text, 0)  # the whole text is one URL: quotes and all
        patterns = _patterns()
        if "[truncated " not in text:
            return _redact_segment(text, patterns)
        # Odd indices are the markers themselves; the text around them is redacted on its
        # own. Text right before a marker may end with the start of an older marker that a
        # truncation cut through ("token=.." + marker): that stays as it is too.
        parts = patterns.marker.split(text)
        changed = False
        for index in range(0, len(parts), 2):
            segment = parts[index]
            tail = ""
            if index + 1 < len(parts):
                partial = patterns.partial_marker.search(segment)
                if partial is not None:
                    segment, tail = segment[: partial.start()], segment[partial.start() :]
            redacted = _redact_segment(segment, patterns)
            if redacted is not segment:
                parts[index] = redacted + tail
                changed = True
        return "".join(parts) if changed else text
    except Exception:  # pragma: no cover - defensive: fail closed rather than raise
        return REDACTED


def _redact_segment(text: str, patterns: _Patterns) -> str:
    """Redact one stretch of text (no truncation marker inside)."""
    scan = patterns.scan.search
    out: list[str] = []
    last = 0
    pos = 0
    while (match := scan(text, pos)) is not None:
        kind = match.lastgroup
        pos = match.end()
        if kind == "url":
            url = _trim_url(match.group())
            after = url.find("://") + 3
            if after < len(url) and not (url[after].isalnum() or url[after] in "[%_.~-/:@"):
                pos = match.start() + after  # "https://(token = X)": not a URL; scan what follows
                continue
            tail = patterns.url_tail.search(url)
            if tail is not None and (
                (
                    _is_sensitive_name(tail.group())
                    and patterns.key_follows_sep.match(text, match.start() + len(url))
                )
                or tail.group().lower() in ("bearer", "basic")
            ):
                url = url[: tail.start()]  # "...?,token: X": the pair or the credential follows
            pos = match.start() + len(url)
            masked = _redact_url(url, 0)
            if masked is not url:
                out += (text[last : match.start()], masked)
                last = pos
        elif kind == "kv":
            if not _is_sensitive_name(match.group("key")):
                continue
            value = patterns.value.match(text, pos)
            if value is None:
                continue
            group = next(name for name in ("ev", "dv", "sv", "bv") if value.group(name) is not None)
            start, end = value.span(group)
            if (
                group != "bv"
                and patterns.key_follows.match(text, value.end())
                and _is_sensitive_name(text[start:end])
            ):
                continue  # the quoted "value" is the key of a nested sensitive pair: scan into it
            stop = value.end()
            if (
                group == "bv"
                and text[end : end + 1] in ("&", ";", ",")
                and "://" in _last_word(text, start, end)
            ):  # the value ends in a URL that "&" (or ";", ",") cut short: all of the URL
                gap = patterns.whitespace.search(text, end)
                end = stop = len(text) if gap is None else gap.start()
            if start < end and not _is_masked(text[start:end]):
                out += (text[last:start], REDACTED)
                last = end
            pos = stop
        else:
            key = patterns.key_ahead.match(text, pos)
            if key is not None and _is_sensitive_name(key.group()):
                continue  # "Bearer token = X": the pair rule masks X
            cred = patterns.cred.match(text, pos)
            if cred is None:
                continue
            word = cred.group()
            url_at = word.find("://")
            if url_at >= 0:  # the URL rule masks a URL; what comes before it is the credential
                word = word[: _scheme_start(word, url_at)].rstrip(" \t:=")
            if (
                word
                and not _is_masked(word)
                and any(char.isalnum() for char in word)
                and (
                    not match.group("auth").lower().startswith("basic")
                    or _looks_like_basic_credential(word)
                )
            ):
                out += (text[last:pos], REDACTED)
                last = pos = pos + len(word)
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _last_word(text: str, start: int, end: int) -> str:
    """Return the last whitespace-separated word of ``text[start:end]`` ("" when none)."""
    words = text[start:end].rsplit(None, 1)
    return words[-1] if words else ""


def _trim_url(url: str) -> str:
    """Drop what prose puts after a URL: final punctuation and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in ".,;:!?" or (
            (last == ")" and url.count("(") < url.count(")"))
            or (last == "]" and url.count("[") < url.count("]"))
        ):
            url = url[:-1]
        else:
            break
    return url


def _looks_like_basic_credential(word: str) -> bool:
    """Tell a base64 ``user:password`` after ``Basic`` from a word of prose ("basic plan")."""
    if _is_masked(word) or len(word) < 8:
        return False
    inner = word[1:]
    return any(c.isdigit() or c in "+/=" for c in word) or (
        any(c.isupper() for c in inner) and any(c.islower() for c in inner)
    )


# --------------------------------------------------------------------------- truncation


def _cut(text: str, total: int, limit: int) -> str:
    """Keep a prefix of ``text`` and append the marker for an original of ``total`` chars."""
    # The marker's length depends on the digits of n, and n on the marker's length: take the
    # smallest digit count that is consistent (one always exists).
    for digits in range(1, 24):
        keep = limit - _MARKER_FIXED_LEN - digits
        if keep < 0:
            break
        removed = total - keep
        if len(str(removed)) == digits:
            if keep > len(text):
                # Redaction shrank the window below the budget: keep all of it.
                return f"{text}...[truncated {total - len(text)} chars]"
            return f"{text[:keep]}...[truncated {removed} chars]"
    return text[: max(limit, 0)]


def truncate(text: str, limit: int = MAX_STRING_LENGTH) -> str:
    """Cut ``text`` to ``limit`` characters, ending it with ``...[truncated {n} chars]``.

    The result is exactly ``limit`` characters long; ``n`` counts the characters removed
    from the original, and the marker's own length counts against the limit, so truncating
    twice changes nothing. When ``limit`` is too small to hold the marker the text is cut
    hard to ``limit`` characters.

    Args:
        text: The text to bound.
        limit: The longest result allowed.

    Returns:
        ``text`` itself when it is at most ``limit`` characters long, else the cut text.
    """
    if len(text) <= limit:
        return text
    return _cut(text, len(text), limit)


def safe_text(text: str) -> str:
    """Redact, then truncate ``text`` to ``MAX_STRING_LENGTH`` characters.

    This is what error messages go through in ``to_dict()``. A huge string is never scanned
    whole: only its first ``MAX_STRING_LENGTH`` characters plus a margin (so a secret cut
    at the edge is still recognised) are redacted, and ``n`` in the truncation marker
    counts the characters removed from the original.

    Args:
        text: The text to make safe; anything else is converted with ``str()`` first.

    Returns:
        The redacted, bounded text.
    """
    if type(text) is not str:
        try:
            text = str.__str__(text) if isinstance(text, str) else str(text)
        except Exception:
            text = _fallback_repr(text)
    elif len(text) <= MAX_STRING_LENGTH and not _may_hold_secret(text):
        return text  # the common case: nothing to redact, nothing to cut
    total = len(text)
    if total <= MAX_STRING_LENGTH + _WINDOW_MARGIN:
        return truncate(redact_text(text))
    return _cut(redact_text(text[: MAX_STRING_LENGTH + _WINDOW_MARGIN]), total, MAX_STRING_LENGTH)


def _text(value: str) -> str:
    """Return the redacted, bounded form of a plain string (fast when nothing applies)."""
    if len(value) <= MAX_STRING_LENGTH and not _may_hold_secret(value):
        return value
    return safe_text(value)


# --------------------------------------------------------------------------- json_safe

_FLOAT_NAMES: Final = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}

# Kinds of non-plain values, decided once per type and cached.
_ENUM, _STR, _INT, _FLOAT, _BYTES, _MAPPING, _EXCEPTION = range(7)
_ISO, _TIMEDELTA, _STRINGIFY, _SET, _SEQUENCE, _DATACLASS, _OTHER = range(7, 14)
_KIND_CACHE: dict[type, int] = {}


def _classify(cls: type) -> int:
    """Decide how values of ``cls`` are converted (value modules are looked up, not imported)."""
    from collections.abc import Mapping, Sequence
    from collections.abc import Set as AbstractSet

    modules = sys.modules
    enum = modules.get("enum")
    if enum is not None and issubclass(cls, enum.Enum):
        return _ENUM
    if issubclass(cls, str):
        return _STR
    if issubclass(cls, int):
        return _INT
    if issubclass(cls, float):
        return _FLOAT
    if issubclass(cls, bytes | bytearray | memoryview):
        return _BYTES
    if issubclass(cls, Mapping):
        return _MAPPING
    if issubclass(cls, BaseException):
        return _EXCEPTION
    datetime = modules.get("datetime")
    if datetime is not None:
        if issubclass(cls, datetime.date | datetime.time):
            return _ISO
        if issubclass(cls, datetime.timedelta):
            return _TIMEDELTA
    for module_name, class_name in (
        ("decimal", "Decimal"),
        ("uuid", "UUID"),
        ("pathlib", "PurePath"),
    ):
        module = modules.get(module_name)
        if module is not None and issubclass(cls, getattr(module, class_name)):
            return _STRINGIFY
    if issubclass(cls, AbstractSet):
        return _SET
    if issubclass(cls, Sequence):
        return _SEQUENCE
    if isinstance(getattr(cls, "__dataclass_fields__", None), dict):
        return _DATACLASS
    return _OTHER


def json_safe(value: object, *, redact: bool = True) -> Any:
    """Convert ``value`` into data that ``json.dumps(..., allow_nan=False)`` always accepts.

    Forms: a mapping becomes a dict with ``str`` keys (``str(key)``; bytes decoded; a key
    that collides with an earlier one gets a ``(2) `` prefix); tuples, lists, deques,
    ranges and other sequences become lists; sets become lists, sorted when their items are
    sortable (else ordered by the converted items' repr); bytes are decoded as UTF-8 with
    ``backslashreplace``; dates and times become ISO 8601 strings; a timedelta becomes
    seconds as a float; Decimal, UUID and paths become ``str``; an Enum becomes its value,
    converted in turn; an exception becomes ``{"type": <class name>, "message": <str>}``; a
    dataclass instance becomes a dict of its fields; an object with ``model_dump()``
    (pydantic) becomes its converted result; NaN and infinities become ``"NaN"``,
    ``"Infinity"``, ``"-Infinity"``; an int too long for ``str()`` becomes
    ``"<int with {n} digits>"``; subclasses of str, int and float become the plain type; a
    container met again inside itself becomes ``"<cycle>"``, and a container nested deeper
    than ``MAX_DEPTH`` levels ``"<max depth>"``; anything else becomes its ``repr()``.

    Args:
        value: Anything.
        redact: When True (the default, used by ``to_dict()``), values under sensitive keys
            (see ``is_sensitive_key``) become ``***`` at any depth, and every string, key
            and exception message goes through ``safe_text``. When False, the faithful JSON
            form only: nothing is masked or truncated.

    Returns:
        Plain JSON data (dict, list, str, int, float, bool or None). Converting the result
        again, with either setting, gives the same result.
    """
    try:
        if type(value) is dict:  # details, to_dict()'s usual input
            return _convert_items(value, value.items(), 1, redact, set())
        return _convert(value, 1, redact, set())
    except Exception:  # pragma: no cover - defensive: every branch already guards itself
        text = _fallback_repr(value)
        return _text(text) if redact else text


def _convert(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """Convert one value found at nesting level ``depth`` (the top level is 1)."""
    cls = type(value)
    if cls is str:
        return _text(value) if redact else value
    if cls is int:
        return value if _NEGATIVE_SMALL_INT < value < _SMALL_INT else _big_int(value)
    if cls is bool or value is None:
        return value
    if cls is float:
        return value if value - value == 0.0 else _FLOAT_NAMES[repr(value)]
    if cls is dict:
        return _convert_items(value, value.items(), depth, redact, path)
    if cls is list or cls is tuple:
        return _convert_list(value, value, depth, redact, path)
    kind = _KIND_CACHE.get(cls)
    if kind is None:
        try:
            kind = _classify(cls)
        except Exception:  # an odd metaclass or __subclasshook__
            kind = _OTHER
        if len(_KIND_CACHE) >= 1024:
            _KIND_CACHE.clear()
        _KIND_CACHE[cls] = kind
    return _CONVERTERS[kind](value, depth, redact, path)


def _big_int(value: int) -> int | str:
    """Return ``value``, or its ``<int with {n} digits>`` form when ``str()`` refuses it."""
    try:
        int.__repr__(value)
    except ValueError:
        return f"<int with {_count_digits(value)} digits>"
    return value


def _count_digits(value: int) -> int:
    """Count the decimal digits of ``value`` without converting it to a string."""
    value = abs(value)
    if value < 10:
        return 1
    # Estimate from the bit length, then correct with exact powers of ten.
    digits = int((value.bit_length() - 1) * 0.30102999566398120) + 1
    power = 10 ** (digits - 1)
    while power > value:
        digits -= 1
        power //= 10
    while power * 10 <= value:
        digits += 1
        power *= 10
    return digits


def _fallback_repr(value: object) -> str:
    """Return ``repr(value)``, or ``<Type object>`` when repr itself fails."""
    try:
        text = repr(value)
        return text if type(text) is str else str.__str__(text)
    except Exception:
        return f"<{type(value).__name__} object>"


def _as_text(value: str, redact: bool) -> str:
    """Return a string in its final form: plain ``str``, made safe when redacting."""
    if redact:
        value = safe_text(value)
    return value if type(value) is str else str.__str__(value)


def _key_text(key: object) -> str:
    """Return the JSON key for a mapping key, before redaction."""
    if type(key) is str:
        return key
    try:
        enum = sys.modules.get("enum")
        if enum is not None and isinstance(key, enum.Enum):
            key = key.value
        if isinstance(key, str):
            return str.__str__(key)
        if isinstance(key, bytes | bytearray):
            return bytes(key).decode("utf-8", "backslashreplace")
        if isinstance(key, int) and not isinstance(key, bool):
            converted = _big_int(int.__int__(key))
            return converted if isinstance(converted, str) else str(key)
        text = str(key)
        return text if type(text) is str else str.__str__(text)
    except Exception:
        return _fallback_repr(key)


def _convert_items(
    container: object,
    items: Iterable[tuple[Any, Any]],
    depth: int,
    redact: bool,
    path: set[int],
) -> Any:
    """Convert key/value pairs of ``container`` into a dict with unique ``str`` keys."""
    if depth > MAX_DEPTH:
        return _MAX_DEPTH_MARKER
    ident = id(container)
    if ident in path:
        return _CYCLE_MARKER
    # The container joins the path of open containers only once a value needs converting
    # in turn: a container of plain values (most of them) cannot be part of a cycle.
    tracked = False
    try:
        if not redact:
            path.add(ident)
            tracked = True
            return _faithful_items(items, depth + 1, path)
        out: dict[str, Any] = {}
        child = depth + 1
        plain_keys = _PLAIN_KEYS
        # The str keys of a dict are distinct, so a key kept as it is can only collide with
        # one that conversion changed: until such a key appears, there is nothing to check.
        check = type(container) is not dict
        for raw_key, item in items:
            if type(raw_key) is str and raw_key in plain_keys:
                key = raw_key
                if check and key in out:
                    key = _unique_key(key, out, True)
            else:
                raw = raw_key if type(raw_key) is str else _key_text(raw_key)
                key, sensitive = _KEY_CACHE.get(raw) or _safe_key(raw)
                if key in out:
                    key = _unique_key(raw, out, True)
                check = True
                if sensitive:
                    out[key] = REDACTED
                    continue
            cls = type(item)
            if cls is str:
                # The first test is _may_hold_secret's own first step, inlined for speed.
                if (
                    ("=" in item or ":" in item or "b" in item or "B" in item)
                    and _may_hold_secret(item)
                ) or len(item) > MAX_STRING_LENGTH:
                    item = safe_text(item)
                out[key] = item
            elif cls is int:
                out[key] = item if _NEGATIVE_SMALL_INT < item < _SMALL_INT else _big_int(item)
            elif cls is bool or item is None:
                out[key] = item
            elif cls is float:
                out[key] = item if item - item == 0.0 else _FLOAT_NAMES[repr(item)]
            else:
                if not tracked:
                    path.add(ident)
                    tracked = True
                if cls is dict:
                    out[key] = _convert_items(item, item.items(), child, True, path)
                elif cls is list or cls is tuple:
                    out[key] = _convert_list(item, item, child, True, path)
                else:
                    out[key] = _convert(item, child, True, path)
        return out
    except Exception:
        return _as_text(_fallback_repr(container), redact)
    finally:
        if tracked:
            path.discard(ident)


def _faithful_items(items: Iterable[tuple[Any, Any]], child: int, path: set[int]) -> Any:
    """The loop of ``_convert_items`` when nothing is redacted (errors go to the caller)."""
    out: dict[str, Any] = {}
    for raw_key, item in items:
        raw = raw_key if type(raw_key) is str else _key_text(raw_key)
        out[raw if raw not in out else _unique_key(raw, out, False)] = (
            item if type(item) is str else _convert(item, child, False, path)
        )
    return out


_KEY_CACHE: dict[str, tuple[str, bool]] = {}
# Short keys known to be safe as they are: not sensitive, nothing to redact or cut.
_PLAIN_KEYS: set[str] = set()


def _safe_key(raw: str) -> tuple[str, bool]:
    """Return the safe form of a key and whether it is sensitive, memoising short keys."""
    entry = (_text(raw), _is_sensitive_name(raw))
    if len(raw) <= 64:
        if len(_KEY_CACHE) >= 4096:
            _KEY_CACHE.clear()
            _PLAIN_KEYS.clear()
        _KEY_CACHE[raw] = entry
        if entry[0] is raw and not entry[1]:
            _PLAIN_KEYS.add(raw)
    return entry


def _unique_key(raw: str, out: dict[str, Any], redact: bool) -> str:
    """Return a key for ``raw`` that is not in ``out`` yet, numbering it ``(2) raw``, ..."""
    number = 2
    while True:
        candidate = f"({number}) {raw}"
        if redact:
            candidate = _text(candidate)
        if candidate not in out:
            return candidate
        number += 1


def _convert_list(
    container: object, items: Iterable[Any], depth: int, redact: bool, path: set[int]
) -> Any:
    """Convert the items of ``container`` into a list."""
    if depth > MAX_DEPTH:
        return _MAX_DEPTH_MARKER
    ident = id(container)
    if ident in path:
        return _CYCLE_MARKER
    tracked = False  # as in _convert_items: joins the path before the first nested value
    try:
        out: list[Any] = []
        append = out.append
        child = depth + 1
        for item in items:
            cls = type(item)
            if cls is str:
                if redact and (
                    (
                        ("=" in item or ":" in item or "b" in item or "B" in item)
                        and _may_hold_secret(item)
                    )
                    or len(item) > MAX_STRING_LENGTH
                ):
                    item = safe_text(item)
                append(item)
            elif cls is int:
                append(item if _NEGATIVE_SMALL_INT < item < _SMALL_INT else _big_int(item))
            elif cls is bool or item is None:
                append(item)
            elif cls is float:
                append(item if item - item == 0.0 else _FLOAT_NAMES[repr(item)])
            else:
                if not tracked:
                    path.add(ident)
                    tracked = True
                if cls is dict:
                    append(_convert_items(item, item.items(), child, redact, path))
                elif cls is list or cls is tuple:
                    append(_convert_list(item, item, child, redact, path))
                else:
                    append(_convert(item, child, redact, path))
        return out
    except Exception:
        return _as_text(_fallback_repr(container), redact)
    finally:
        if tracked:
            path.discard(ident)


def _convert_enum(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """An Enum member: its value, converted at the member's own level."""
    ident = id(value)
    if ident in path:
        return _CYCLE_MARKER
    path.add(ident)
    try:
        return _convert(value.value, depth, redact, path)
    except Exception:
        return _as_text(_fallback_repr(value), redact)
    finally:
        path.discard(ident)


def _convert_str(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A str subclass: its plain text."""
    return _as_text(value, redact)


def _convert_int(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """An int subclass: the plain int."""
    return _big_int(int.__int__(value))


def _convert_float(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A float subclass: the plain float (NaN and infinities named)."""
    number = float.__float__(value)
    return number if number - number == 0.0 else _FLOAT_NAMES[float.__repr__(number)]


def _convert_bytes(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """Bytes-like data: UTF-8 text with undecodable bytes escaped."""
    try:
        data = value.tobytes() if isinstance(value, memoryview) else bytes(value)
    except Exception:
        return _as_text(_fallback_repr(value), redact)
    return _as_text(data.decode("utf-8", "backslashreplace"), redact)


def _convert_mapping(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """Any other Mapping: a dict."""
    try:
        items = value.items()
    except Exception:
        return _as_text(_fallback_repr(value), redact)
    return _convert_items(value, items, depth, redact, path)


def _convert_exception(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """An exception: its class name and message."""
    if depth > MAX_DEPTH:
        return _MAX_DEPTH_MARKER
    try:
        message = str(value)
    except Exception:
        message = _fallback_repr(value)
    return {
        "type": _as_text(type(value).__name__, redact),
        "message": _as_text(message, redact),
    }


def _convert_iso(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A date, time or datetime: its ISO 8601 text."""
    try:
        text = value.isoformat()
    except Exception:
        text = _fallback_repr(value)
    return _as_text(text, redact)


def _convert_timedelta(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A timedelta: its length in seconds."""
    try:
        return float(value.total_seconds())
    except Exception:
        return _as_text(_fallback_repr(value), redact)


def _convert_stringify(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """Decimal, UUID or a path: its ``str``."""
    try:
        text = str(value)
    except Exception:
        text = _fallback_repr(value)
    return _as_text(text, redact)


def _convert_sequence(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A tuple, deque, range or other sequence: a list."""
    return _convert_list(value, value, depth, redact, path)


def _convert_set(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A set: a list, sorted when the items are sortable, else by the converted items' repr."""
    if depth > MAX_DEPTH:
        return _MAX_DEPTH_MARKER
    try:
        items = sorted(value)
    except Exception:
        converted = _convert_list(value, value, depth, redact, path)
        if type(converted) is not list:
            return converted
        child = depth + 1

        # Order by the redacted form first, so a faithful (redact=False) result sorts the
        # same way as the redacted one once it is redacted in turn.
        def order(item: Any) -> tuple[str, str]:
            shown = item if redact else _convert(item, child, True, set())
            return repr(shown), repr(item)

        converted.sort(key=order)
        return converted
    return _convert_list(value, items, depth, redact, path)


def _convert_dataclass(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A dataclass instance: a dict of its fields (shallow, not ``asdict``)."""
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is None:  # pragma: no cover - a dataclass implies the module is loaded
        return _convert_other(value, depth, redact, path)
    try:
        names = [field.name for field in dataclasses.fields(value)]
    except Exception:
        return _convert_other(value, depth, redact, path)
    pairs = ((name, getattr(value, name, _UNSET_MARKER)) for name in names)
    return _convert_items(value, pairs, depth, redact, path)


def _has_model_dump(value: object) -> bool:
    """Tell whether ``value`` is an instance (not a class) with a callable ``model_dump``."""
    if isinstance(value, type):
        return False
    try:
        return callable(getattr(value, "model_dump", None))
    except Exception:
        return False


def _convert_other(value: Any, depth: int, redact: bool, path: set[int]) -> Any:
    """A pydantic-style model (its ``model_dump()``), else the object's repr."""
    if _has_model_dump(value):
        ident = id(value)
        if ident in path:
            return _CYCLE_MARKER
        try:
            dumped = value.model_dump()
        except Exception:
            dumped = value
        # A result that is itself a model (a mock, say) is not followed: repr instead.
        if dumped is not value and not _has_model_dump(dumped):
            path.add(ident)
            try:
                return _convert(dumped, depth, redact, path)
            finally:
                path.discard(ident)
    return _as_text(_fallback_repr(value), redact)


_CONVERTERS: Final[tuple[Callable[[Any, int, bool, set[int]], Any], ...]] = (
    _convert_enum,
    _convert_str,
    _convert_int,
    _convert_float,
    _convert_bytes,
    _convert_mapping,
    _convert_exception,
    _convert_iso,
    _convert_timedelta,
    _convert_stringify,
    _convert_set,
    _convert_sequence,
    _convert_dataclass,
    _convert_other,
)
