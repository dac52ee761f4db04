r"""Secret redaction: one table of sensitive names and one grammar for free text.

Every question "is this a secret?" asks the same table: mapping keys (``json_safe``), URL
query parameters (``redact_url``) and ``name=value`` pairs in text (``redact_text``). A name
is compared in *normal form*: lower case, ``-``, ``.``, spaces and camelCase boundaries read
as ``_``, surrounding whitespace, quotes and ``_`` ignored. It is sensitive when its normal
form is in ``SENSITIVE_NAMES`` (or was added with ``add_sensitive_keys``), ends in one of
``SENSITIVE_SUFFIXES``, or has one of ``SENSITIVE_WORDS`` as a word.

Free text is read left to right: one search per trigger, compiled from the tables (the
stems of the names, the scheme words, the credential prefixes, ``://`` and ``-----BEGIN``),
finds the triggers worth reading, and each starts its rule below; each rule reads the value
it masks with a small linear reader and the scan goes on after it, so no text is read twice
and no pattern backtracks over its own output. The searches skip, in C, a trigger followed
by plain prose and a credential prefix no body can follow:

==========  ==========================================================  ===================
rule        what starts it                                              what becomes ``***``
==========  ==========================================================  ===================
url         ``scheme://``                                               through ``redact_url``
private_key ``-----BEGIN … PRIVATE KEY-----`` (or ``KEY BLOCK-----``)   the key body
shape       a known credential prefix (``CREDENTIAL_SHAPES``)           the whole credential
header      ``Authorization:``, ``Proxy-Authorization:``, ``Cookie:``,  the rest of the line
            ``Set-Cookie:``; ``Cookie=`` (any separator) + a pair
scheme      ``Bearer``, ``Basic``, ``Token``, ``Digest`` + whitespace   a credential-like word,
                                                                        or the values of an
                                                                        auth-param list but
                                                                        the public ones
pair        ``=``, ``:``, ``:=``, ``=>`` or ``->`` after a sensitive    the value
            name
==========  ==========================================================  ===================

A pair's name is bare, quoted or cut before its closing quote (``api key": S``), of one to
three words. Its value is what follows the separator (spacing, line breaks and separator
characters glued on, as in ``::=``, skipped): a quoted string (a Python triple-quoted one to
its closing quotes, a run of backticks to the same run), a bracketed group, or a bare run of
words glued together (an empty string too: ``""S``), which ends at whitespace or an escaped
line break or tab. A bare value is never the name of the next pair:
words that are, all of them, a listed name (``SENSITIVE_NAMES`` or added) followed by ``:``,
``->`` or a spaced ``=`` are that pair (a YAML ``password:`` under ``secret:``,
``sig= API key: S``), and a word that only ends in a sensitive name (``token=SToken : S``)
is a value glued to it, masked with its separator and followed by that pair's masked value.
A backslash and a letter before a quote are no string prefix (``password=\f"S`` is one bare
value). In escaped text an escape's letter (``\n``, ``\r``, ``\t``) is not part of the next
word, so ``line1\npassword=S`` holds the name ``password``; an escaped line break ends a
header's line too, and a scheme's credential (which may stand in brackets: ``Bearer (S)``).
A header's line that ends in a sensitive name and its separator (``Cookie: a=1; token:``)
has that pair's value, on the next line, masked. The words of a name may stand apart by any
space that is no line break (a tab, escaped too, a no-break, thin or ideographic space). A
header's name with ``=``, ``:=``, ``=>`` or ``->`` is read as the header when a cookie's name
and ``=`` follow (``Cookie=a=1; sid=S``), else as a pair. A name added beyond the name alphabet (a
letter outside ASCII, punctuation: ``clé_api``, ``X-AUTH!``) is read whole around its
trigger, as far as no space, quote, bracket or separator ends it, and so is a word where a
value would start (``token: clé: S`` is an empty pair, then ``clé``'s). A URL is read flat,
each ``scheme://`` and parameter once, so a URL nested at any depth is masked in linear
time.
A private key's header ends any other rule's value there, so the key's own rule reads it.
A URL's secrets hide nothing from the other rules: the scan goes on inside the URL, a value
read there ends where the URL's values end (its end, its fragment's ``#``), and masks that
meet join into one ``***``, so a URL reads the same whether its own secret was masked or not.
A truncation marker ending the text is kept as it is. Masking only replaces a secret by
``***``, so redacting twice changes nothing, and text with nothing to mask comes back as
the very same object.
"""

from __future__ import annotations

import _thread

from errorkit._coerce import MASKED as _TEXT_CACHE
from errorkit._coerce import NAME_MEMOS as _NAME_MEMOS

# Not imported from typing: at run time this module imports nothing but ``_thread``,
# ``_collections`` and ``errorkit._coerce`` (and ``re``, on first use).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections import deque
    from collections.abc import Callable
    from typing import Any, Final
else:  # the same deque, without importing ``collections``
    from _collections import deque

__all__ = [
    "CREDENTIAL_SHAPES",
    "REDACTED",
    "SENSITIVE_NAMES",
    "SENSITIVE_SUFFIXES",
    "SENSITIVE_WORDS",
    "CredentialShape",
    "add_sensitive_keys",
    "is_sensitive_key",
    "normal_name",
    "redact_text",
    "redact_url",
    "sensitive_names",
]

REDACTED: Final = "***"
"""What a masked secret is replaced with."""

# --------------------------------------------------------------------------- the name table

SENSITIVE_NAMES: Final = frozenset(
    {
        "authorization",
        "proxy_authorization",
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
        "passwd",
        "pwd",
        "cookie",
        "set_cookie",
        "x_api_key",
        "private_key",
        "privatekey",
        "credential",
        "credentials",
        "auth",
        "session",
        "sessionid",
        "session_id",
        "csrftoken",
        "csrf_token",
        "xsrf_token",
        "jwt",
        "signature",
        "sig",
    }
)
"""Names (in normal form) whose values are secrets."""

SENSITIVE_SUFFIXES: Final = (
    "_token",
    "_secret",
    "_password",
    "_passwd",
    "_api_key",
    "_apikey",
    "_private_key",
    "_access_key",
    "_secret_key",
    "_signature",
    "_credentials",
)
"""Endings (in normal form) that make a name sensitive: ``github_token``, ``db_password``."""

SENSITIVE_WORDS: Final = frozenset({"secret", "password"})
"""Words that make a name sensitive wherever they stand in it: ``aws_secret_access_key``."""

URL_ONLY_NAMES: Final = frozenset({"key"})
"""Names sensitive only as URL query parameters (Google's ``?key=`` API keys)."""


class _Names:
    """The names added at run time, and the caches that depend on them (swapped whole)."""

    __slots__ = ("added", "listed", "params", "verdicts")

    def __init__(self, added: frozenset[str]) -> None:
        self.added = added
        self.verdicts: dict[str, bool] = {}  # name -> sensitive?
        self.listed: dict[str, bool] = {}  # name -> listed (all of it) or added?
        self.params: dict[str, bool] = {}  # URL parameter name -> sensitive?


_names = _Names(frozenset())
_names_lock = _thread.allocate_lock()


def add_sensitive_keys(*names: str) -> None:
    """Treat more names as sensitive, in this process, from now on (additive only).

    Each name is compared in normal form, like the defaults: ``add_sensitive_keys("X-Tenant")``
    masks ``x_tenant``, ``xTenant`` and ``X-TENANT`` alike, as mapping keys, URL parameters and
    ``name=value`` pairs in text. The defaults cannot be removed. Thread-safe.

    Args:
        *names: The names to add; empty names are ignored.

    Raises:
        TypeError: When a name is not a str.
    """
    global _names
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"sensitive key names must be str, not {type(name).__name__}")
    with _names_lock:
        added = _names.added | {normal for normal in map(normal_name, names) if normal}
        if added != _names.added:
            _names = _Names(added)
            _clear_text_cache()


def sensitive_names() -> frozenset[str]:
    """Return the exact sensitive names in normal form, the added ones included.

    Names sensitive only by their ending or one of their words are not listed; this is the
    set a denylist-based scrubber (Sentry's ``EventScrubber``, say) can be extended with.
    """
    return SENSITIVE_NAMES | _names.added


def normal_name(name: str) -> str:
    """Return the normal form of a name: ``"X-Api-Key"`` and ``"xApiKey"`` give ``x_api_key``.

    Lower case; ``-``, ``.``, whitespace and camelCase boundaries become ``_`` (runs of them
    one ``_``); surrounding whitespace, quotes and ``_`` are dropped.
    """
    import re  # cached by re: these two patterns do not depend on the names added

    text = name.strip().strip("\"'`").strip()
    text = re.sub(_CAMEL, "_", text).lower()
    return re.sub(_SEPARATORS, "_", text).strip("_")


def _is_listed(name: str) -> bool:
    """Tell whether a name is one of the names listed (or added), memoising short names.

    Like ``_is_sensitive_name``, the name is read in normal form and also without its
    camelCase boundaries.
    """
    names = _names
    verdict = names.listed.get(name)
    if verdict is None:
        verdict = any(
            normal in SENSITIVE_NAMES or normal in names.added
            for normal in (normal_name(name), normal_name(name.lower()))
        )
        if len(name) <= 64:
            if len(names.listed) >= 4096:
                names.listed.clear()
            names.listed[name] = verdict
    return verdict


def _is_sensitive_normal(normal: str) -> bool:
    """Apply the three rules of the table to a name already in normal form."""
    if normal in SENSITIVE_NAMES or normal in _names.added or normal.endswith(SENSITIVE_SUFFIXES):
        return True
    return "_" in normal and not SENSITIVE_WORDS.isdisjoint(normal.split("_"))


def _is_sensitive_name(name: str) -> bool:
    """Tell whether a name is sensitive, memoising the verdict for short names.

    The name is read in normal form and, so that odd capitals cannot hide a name
    (``aUthorization``, ``PassWord``), also without the camelCase boundaries.
    """
    names = _names
    verdict = names.verdicts.get(name)
    if verdict is None:
        verdict = _is_sensitive_normal(normal_name(name)) or _is_sensitive_normal(
            normal_name(name.lower())
        )
        if len(name) <= 64:
            if len(names.verdicts) >= 4096:
                names.verdicts.clear()
            names.verdicts[name] = verdict
    return verdict


def is_sensitive_key(key: object) -> bool:
    """Tell whether values stored under ``key`` must be masked.

    Args:
        key: A mapping key. ``bytes`` keys are decoded as UTF-8; keys that are neither
            text nor bytes are never sensitive.

    Returns:
        True when the key's normal form is sensitive (see the module docstring).
    """
    if type(key) is str:
        return _is_sensitive_name(key)
    if isinstance(key, str):
        return _is_sensitive_name(str.__str__(key))
    if isinstance(key, bytes | bytearray):
        return _is_sensitive_name(bytes(key).decode("utf-8", "backslashreplace"))
    return False


# --------------------------------------------------------------------------- credential shapes


class CredentialShape:
    """A credential recognised by its form alone, wherever it stands in text.

    Attributes:
        issuer: Who issues credentials of this shape.
        prefixes: The literal starts of the credential.
        body: A regular expression for what follows a prefix.
        exact: True when the body has a fixed length (``AKIA`` + exactly 16).
    """

    __slots__ = ("body", "exact", "issuer", "prefixes")

    def __init__(
        self, issuer: str, prefixes: tuple[str, ...], body: str, *, exact: bool = False
    ) -> None:
        self.issuer = issuer
        self.prefixes = prefixes
        self.body = body
        self.exact = exact

    def __repr__(self) -> str:
        return f"CredentialShape({self.issuer!r}, {self.prefixes!r}, {self.body!r})"


CREDENTIAL_SHAPES: Final = (
    CredentialShape("OpenAI, Anthropic", ("sk-",), r"[A-Za-z0-9_-]{20,}"),
    CredentialShape("GitHub", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"[A-Za-z0-9]{36,}"),
    CredentialShape("GitHub", ("github_pat_",), r"[A-Za-z0-9_]{22,}"),
    CredentialShape("Slack", ("xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"), r"[A-Za-z0-9-]{10,}"),
    CredentialShape(
        "Stripe", ("sk_live_", "sk_test_", "rk_live_", "rk_test_"), r"[A-Za-z0-9]{16,}"
    ),
    CredentialShape("AWS access key id", ("AKIA", "ASIA"), r"[A-Z0-9]{16}", exact=True),
    CredentialShape("Google API key", ("AIza",), r"[A-Za-z0-9_-]{35}", exact=True),
    CredentialShape("JWT", ("eyJ",), r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
)
"""Known credential shapes, each masked as a whole word (no letter, digit or ``_`` around)."""

SCHEME_WORDS: Final = ("bearer", "basic", "token", "digest")
"""Authentication schemes whose following word is masked when it looks like a credential."""

PUBLIC_AUTH_PARAMS: Final = frozenset(
    {
        "realm",
        "scope",
        "error",
        "error_description",
        "error_uri",
        "username",
        "uri",
        "qop",
        "algorithm",
        "nc",
        "domain",
        "stale",
        "charset",
        "userhash",
    }
)
"""Auth-params (RFC 7235, 7616, 6750) whose values are not secrets: ``Bearer realm="api"``."""

_QUOTES: Final = frozenset("\"'`")
_CLOSER_OF: Final = str.maketrans("[{(", "]})")
_SCHEME_LENGTHS: Final = frozenset(map(len, SCHEME_WORDS))

HEADER_NAMES: Final = ("proxy-authorization", "authorization", "set-cookie", "cookie")
"""Headers whose whole value, to the end of the line, is masked when written in text."""

_WORD_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NAME_CHARS: Final = _WORD_CHARS | frozenset("-.")
_NAME_CHAR_TEXT: Final = "".join(sorted(_NAME_CHARS))
_SCHEME_CHARS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."
)
_CREDENTIAL_MARKS: Final = frozenset("0123456789-._~+/=")
_STRING_PREFIXES: Final = frozenset("bBrRuUfF")  # Python string prefixes, up to two
_CAMEL: Final = r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])"  # camelCase boundaries
_SEPARATORS: Final = r"[\s\-._]+"  # read as "_" in a name's normal form
_ESCAPE: Final = r"\\[nrt]"  # an escaped line break or tab, which ends a word
_ESCAPES: Final = frozenset({"\\n", "\\r", "\\t"})
# What may stand between the words of a name: a space or tab, no-break and thin spaces, and
# every other Unicode space that is no line break.
_GAP_CHARS: Final = (
    " \t\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
)
_GAP: Final = f"[{_GAP_CHARS}]"
_WORD_GAP: Final = frozenset(_GAP_CHARS)
_STRETCH_END: Final = frozenset("\"'`=:<>()[]{},;&") | frozenset(map(chr, range(33)))
# Spacing before a plain word after a trigger (see ``_Patterns.plain_after``): whitespace,
# escaped line breaks and tabs, which the scheme rule reads as spacing, then maybe an opening
# bracket, which it reads as the credential's. (Whitespace alone is tried first: the common
# case pays one branch, not a repeat of a group.)
_PLAIN_SPACING: Final = r"(?:\s+|\s*(?:\\[nrt]\s*)+[(<\[]?|\s+[(<\[])"
_NAME_LIMIT: Final = 128  # longest name a pair's look-back reads
_NAME_WORDS: Final = 3  # "Invalid API key:" is read as up to three words before the separator
_WORD_APART: Final = r"(?: |\\t)"  # between a run's name words: a space or an escaped tab
_NAME_AHEAD: Final = (  # up to three words and a separator: the next pair's name
    # (words apart by spacing or escaped tabs, "api\\tkey", as ``_words_before`` reads them;
    # a closing quote, maybe escaped, may end it: 'api key": S', 'api key\\t": S')
    rf"(?P<name>[A-Za-z0-9_.\-]{{1,128}}(?:(?:{_GAP}|\\t)+[A-Za-z0-9_.\-]{{1,128}}){{0,2}})"
    rf"(?:{_GAP}|\\t)*(?:\\?[\"'`]{_GAP}*)?"
    rf"(?P<sep>(?<={_GAP})=|:(?!//)|->)"  # a glued "=" goes on the value
)

# --------------------------------------------------------------------------- compiled patterns

# The scanner reads an ASCII-lower-cased copy of the text (same length, same indices) and
# finds every trigger, a plain literal, with ``str.find`` (a C search, far faster than one
# pattern with many alternatives): "://" (url), "-----begin" (private_key), a credential
# prefix (shape), and a word (a scheme word, or one of ``_stems()``, the words one of which
# every sensitive name holds). The rules themselves, and the exact test of a name against the
# table, are made in code on the text around a trigger.
_URL: Final = 0
_PRIVATE_KEY: Final = 1
_SHAPE: Final = 2
_WORD: Final = 3
# The two characters beyond ASCII whose lower case holds an ASCII letter (a test checks all
# of Unicode): the Kelvin sign, whose lower case is "k", and "İ", whose lower case is "i" and a
# combining dot. Both read as their ASCII letter in the lower-cased copy, one for one.
_CAPITALS_BEYOND_ASCII: Final = {"k": "\u212a", "i": "\u0130"}
_ASCII_LOWER: Final = {
    **{code: chr(code + 32) for code in range(ord("A"), ord("Z") + 1)},
    **{ord(capital): letter for letter, capital in _CAPITALS_BEYOND_ASCII.items()},
}


class _Patterns:
    """The compiled patterns, built on first use (``re`` is not imported with errorkit)."""

    __slots__ = (
        "add",
        "any_trigger",
        "auth_param",
        "auth_params",
        "authority_end",
        "bare",
        "blank_headers",
        "bracket_stop",
        "chain",
        "compress",
        "cookie_pair",
        "cookie_value",
        "credential",
        "double_quoted",
        "escaped_break",
        "escaped_gap",
        "escaped_header_run",
        "escaped_lead",
        "escaped_run",
        "escaped_unit",
        "finders",
        "gap",
        "glued_pairs",
        "group_span",
        "header_run",
        "heap",
        "islice",
        "item_cut",
        "json_pair",
        "json_run",
        "lead_run",
        "lengths",
        "line_end",
        "lower_than",
        "marker",
        "name_ahead",
        "name_gap",
        "name_in_word",
        "name_run",
        "named_run",
        "named_tail",
        "names",
        "no_search",
        "other_triggers",
        "overlaps",
        "pair",
        "pair_bare",
        "pair_run",
        "pair_run_checked",
        "pair_runs",
        "param_comma",
        "param_separator",
        "param_start",
        "params_after",
        "partial_marker",
        "pem_header",
        "plain_after",
        "possessive",
        "query_start",
        "quoted",
        "rules",
        "scheme_line",
        "scheme_lines",
        "scheme_pairs",
        "scheme_quotes",
        "scheme_tail",
        "separator_run",
        "shape_bodies",
        "shape_runs",
        "shapes",
        "single_quoted",
        "spaces",
        "trigger_groups",
        "triggers",
        "triple_quoted",
        "triple_run",
        "url_cut",
        "url_end",
        "url_pair",
        "url_pair_run",
        "url_pair_value",
        "url_param",
        "url_param_runs",
        "url_params",
        "url_start",
        "url_words_after",
        "value_end",
        "value_gap",
        "value_run",
        "whitespace",
        "wide_stretch",
        "wide_tail",
        "word_tail",
    )

    def __init__(self) -> None:
        import heapq
        import re
        from itertools import chain, compress, islice
        from operator import add, lt, methodcaller

        self.names = _names  # the table these patterns read: taken before they read it
        # A run matched to its end never needs a unit back: its repeat is possessive where
        # ``re`` has them (Python 3.11 on), so no state is kept per unit to backtrack into
        # (a run of a megabyte was read at twice the cost per KB of one of 100 KB).
        self.possessive = _possessive(re)
        self.heap = (heapq.heapify, heapq.heapreplace, heapq.heappop)
        self.islice = islice
        self.compress = compress
        self.chain = chain.from_iterable
        self.lower_than = lt
        self.add = add
        self.group_span = methodcaller("span", 1)  # a match's first group's span

        self.shape_bodies: dict[str, tuple[re.Pattern[str], bool]] = {
            prefix: (re.compile(shape.body), shape.exact)
            for shape in CREDENTIAL_SHAPES
            for prefix in shape.prefixes
        }
        # Each trigger (lower case) and its rule; a shape's trigger is its prefix, lower-cased.
        triggers = {"://": _URL, "-----begin": _PRIVATE_KEY}
        triggers.update(dict.fromkeys(map(str.lower, self.shape_bodies), _SHAPE))
        stems = _stems()  # "İ" reads as "i" in the copy: a stem holding its lower case, as "i"
        stems |= {stem.replace("i\u0307", "i") for stem in stems if "i\u0307" in stem}
        triggers.update(dict.fromkeys([*SCHEME_WORDS, *stems], _WORD))
        self.triggers: tuple[tuple[str, int], ...] = tuple(sorted(triggers.items()))
        # A name added beyond the name alphabet (letters outside ASCII, punctuation) is read
        # whole around its trigger: the stretch of what no value, quote or space ends.
        wide = any(re.fullmatch("[a-z0-9_]+", name) is None for name in self.names.added)
        stretch = r"""[^\s"'`=:<>()\[\]{},;&\\]"""  # what an added name's stretch holds
        self.wide_stretch: re.Pattern[str] | None = (
            re.compile(f"{stretch}*{self.possessive}") if wide else None
        )
        self.wide_tail: re.Pattern[str] | None = (
            # (no more than a name's length is read ahead: a glued run of it stays linear)
            re.compile(
                rf"""{stretch}{{0,{_NAME_LIMIT}}}(?:\\?["'`])?{_GAP}*(?P<sep>=|:(?!//)|->)"""
            )
            if wide
            else None
        )
        self.shapes: dict[str, tuple[str, re.Pattern[str], bool]] = {
            prefix.lower(): (prefix, body, exact)
            for prefix, (body, exact) in self.shape_bodies.items()
        }
        # What may stand between "-----BEGIN" and "PRIVATE KEY-----" (lower case); a PGP
        # key's armour ends "PRIVATE KEY BLOCK-----".
        self.pem_header: re.Pattern[str] = re.compile(r"[ a-z0-9.]*?private key(?: block)?-----")
        self.bare: re.Pattern[str] = re.compile(r"""[^\s&;,"'`)\]}>]+""")
        # Separator characters after a pair's separator, each run then spacing ("::= ", ": : "),
        # escaped line breaks and tabs too (":\\n:\\n").
        possessive = self.possessive
        self.separator_run: re.Pattern[str] = re.compile(
            rf"(?:(?:=>|->|[:=])+{possessive}(?:\s|\\[nrt])+{possessive})+{possessive}"
        )
        # The inside of a Python triple-quoted string, escapes read in pairs, up to its close.
        # Triple quotes after a separator and spacing (escaped line breaks too) and maybe a
        # string prefix (``token = """``, ``token: r"""``) open a value: they close none, so
        # an unclosed value is not closed by the next one's opening.
        self.triple_quoted: dict[str, re.Pattern[str]] = {
            quote: re.compile(
                rf"(?:[^{quote}\\=:>]+|\\.|[=:>](?:\s|\\[nrt])*[bBrRuUfF]{{0,2}}"
                # (an empty one glued to a word opens none: it is a bare value's, '""""""S')
                rf"(?:{quote}{{6,}}{self.possessive}(?=[A-Za-z0-9_])|{quote}{{3}})|[=:>]"
                rf"|{quote}(?!{quote}{quote}))*{self.possessive}",
                re.DOTALL,
            )
            for quote in "\"'"
        }
        # Spacing before a value: whitespace, and escaped line breaks and tabs ("\\n "), escaped
        # again too ("\\\\n ", JSON holding escaped text).
        self.value_gap: re.Pattern[str] = re.compile(r"(?:\s|\\+[nrt])*")
        # An escaped line break or tab (not an escaped backslash and a letter): in escaped
        # text it stands where whitespace would, so it ends a bare value as a space does.
        self.escaped_break: re.Pattern[str] = re.compile(
            rf"(?<!\\)(?:\\\\)*{self.possessive}(\\[nrt])"
        )
        flat = r"""[^\[\](){}"'\\]*"""  # inside a group: no bracket, quote or escape
        self.value_run: re.Pattern[str] = re.compile(
            rf"""(?:[^\s&;,"'`)\]}}<>(\[{{]+|\[{flat}\]|\({flat}\)|\{{{flat}\}}"""
            r"""|[)\]}<>](?=[A-Za-z0-9_])"""
            # a run of quotes glued to both sides too: 'x"""S'
            rf"""|["'`]+{self.possessive}(?=[A-Za-z0-9_]))+{self.possessive}"""
        )
        self.credential: re.Pattern[str] = re.compile(r"""[^\s"'`,;<>()\[\]{}]+""")
        # (each repeat possessive: nothing after it could take back what it read)
        self.double_quoted: re.Pattern[str] = re.compile(
            rf'[^"\\]*{possessive}(?:\\.[^"\\]*{possessive})*{possessive}', re.DOTALL
        )
        self.single_quoted: re.Pattern[str] = re.compile(
            rf"[^'\\]*{possessive}(?:\\.[^'\\]*{possessive})*{possessive}", re.DOTALL
        )
        backtick_quoted = re.compile(
            rf"[^`\\]*{possessive}(?:\\.[^`\\]*{possessive})*{possessive}", re.DOTALL
        )
        self.quoted: dict[str, re.Pattern[str]] = {
            '"': self.double_quoted,
            "'": self.single_quoted,
            "`": backtick_quoted,
        }
        self.bracket_stop: re.Pattern[str] = re.compile(r"""[\[({]+|[\])}]+|["'\\]""")
        # A line's end (found where the match ends): a line break, or an escaped one whose
        # backslash is not itself escaped (``C:\\new`` holds none).
        self.line_end: re.Pattern[str] = re.compile(
            rf"(?=[\r\n])|(?<!\\)(?:\\\\)*{self.possessive}(?=\\[rn])"
        )
        # A cookie's name and "=": a header's name with "=" or "=>" before it is the header.
        cookie = r"[A-Za-z0-9_.\-!#$%*+^|~]+="
        self.cookie_pair: re.Pattern[str] = re.compile(rf"[ \t]*{cookie}(?!>)")
        self.cookie_value: re.Pattern[str] = re.compile(rf"=\s*{cookie}")  # in a run of pairs
        self.whitespace: re.Pattern[str] = re.compile(r"\s")
        self.spaces: re.Pattern[str] = re.compile(r"\s*")
        # What may stand between a name and its separator: spacing, quotes, escapes.

        token = r"[A-Za-z0-9!#$%&*+.^_|~\-]+"  # an HTTP token (RFC 9110), quotes left out
        # One auth-param: its name, what stands between name and value, its value.
        equals = r"[ \t]*=[ \t]*"
        # A quoted value: in quotes, single quotes, or either escaped (``\"u\"``, in JSON).
        # (An empty string glued to a word or a triple quote is none: read as ``shapes``.)
        quoted = "".join(
            rf"{quote}{glued}[^{quote[-1]}\\]*(?:{escape}[^{quote[-1]}\\]*)*(?:{quote})?|"
            for quote, escape, glued in (
                ('"', r"\\.", r'(?!"["A-Za-z0-9!#$%&*+.^_|~\-])'),
                ("'", r"\\.", r"(?!'['A-Za-z0-9!#$%&*+.^_|~\-])"),
                (r'\\"', r'\\[^"]', ""),
                (r"\\'", r"\\[^']", ""),
            )
        )
        # Values a pair's are read as too (``_Reader._pair``): an empty string glued to a
        # word, a triple-quoted string (an unclosed one to its line's end), backticks,
        # brackets. (No group: ``_Reader._auth_params`` splits by the groups.)
        shapes = (
            rf"""(?:(?:"")+|(?:'')+){token}|"""
            + "".join(
                rf"{q * 3}(?:[^{q}\\]|\\.|{q}(?!{q}{q}))*{possessive}{q * 3}|{q * 3}[^\r\n]*|"
                for q in "\"'"
            )
            + rf"``[^`]*(?:`(?!`)[^`]*)*{possessive}``|`[^`]*`|\[[^\[\]]*\]|"
        )
        value = rf"""(?:{quoted}{shapes}{token})"""
        self.auth_param: re.Pattern[str] = re.compile(f"({token})({equals})({value})")
        # A list of them, apart by commas, semicolons or spaces (a comma after the last one
        # too); no group, as groups in a repeat cost time.
        param = f"{token}{equals}{value}"
        between = r"(?:\s*[,;]\s*|[ \t]+)"
        self.auth_params: re.Pattern[str] = re.compile(
            rf"""{param}(?:{between}{param})*{self.possessive}(?:\s*,\s*)?"""
        )
        self.param_comma: re.Pattern[str] = re.compile(between)
        # What after a trigger word makes it prose, read by no rule: a character that can
        # neither go on a name nor lead to a separator, or whitespace and a plain word
        # shorter than 16 letters, lower case but maybe its first, not an auth-param's name
        # nor a word of a name before its separator, however spaced ("session id -> S")
        # (never a credential: "Bearer token expired"). The spacing may hold escaped line
        # breaks and tabs, and the word an opening bracket, as a scheme's credential may
        # (``_PLAIN_SPACING``): "Bearer \\nhello", "Bearer [hello" are prose too.
        self.plain_after: re.Pattern[str] = re.compile(
            rf"""{_PLAIN_SPACING}[A-Za-z][a-z]{{0,14}}{self.possessive}"""
            # (a word ending in "-" before ">" ends in the "->" separator; a quote, maybe
            # escaped, may close a quoted name before it: ``"session id": S``. Each repeat
            # is possessive, as what it would give back starts nothing that follows: a
            # letter, a space or escape; a name's "-" before ">" the group reads itself.)
            rf"""(?!(?:{_GAP}+[A-Za-z0-9_.\-]{{1,128}}{self.possessive})?{self.possessive}"""
            rf"""(?:(?:{_GAP}|{_ESCAPE})*{self.possessive}"""
            rf"""(?:\\?["'`](?:{_GAP}|{_ESCAPE})*{self.possessive})?"""
            rf"""(?:=|:(?!//)|->)|(?<=-)>))"""
            r"""(?=[\s"'`,;<>()\[\]{}]|\Z)"""
            # a character no name holds (any can, in a name added beyond the alphabet)
            + (r"""|[^\sA-Za-z0-9_.\-"'`\\=:]""" if self.wide_tail is None else "")
            + r"|\Z"
        )
        self.name_in_word: re.Pattern[str] = re.compile(r"([^=:]+)(?:=|:(?!//)|->)")
        # A name of one to three words and its separator, where a value would start; with
        # names added beyond the name alphabet, its words are the stretches they are read as.
        self.name_ahead: re.Pattern[str] = re.compile(
            _NAME_AHEAD
            if self.wide_tail is None
            else _NAME_AHEAD.replace(r"[A-Za-z0-9_.\-]", r"""[^\s"'`=:<>()\[\]{},;&\\]""")
        )
        # After a scheme word: whitespace, then auth-params (a quoted value first) or a word.
        self.scheme_tail: re.Pattern[str] = re.compile(
            # (all "*" then spacing and "=" is a mask, no param's name: "Basic *** =" masks
            # nothing the first reading left)
            rf"""(?:\s|\\[nrt])+(?:(?P<param>(?!\*+[ \t]+=){token}[ \t]*=[ \t]*\\?["'])"""
            # "(abc)", `abc`, ``abc``, \"abc\", \\\"abc\\\" too: backslashes before a quote are no
            # part of the word
            rf"""|(?P<quote>`{{2,}}|\\*{self.possessive}["'`]|[(<\[]|)"""
            rf"""(?P<word>(?:[^\s"'`,;<>()\[\]{{}}\\]+|\\+(?![\\"'`]))+{self.possessive}))"""
        )
        # After a URL standing as an auth-param list's first part: the comma and the list.
        self.params_after: re.Pattern[str] = re.compile(rf"[ \t]*,\s*(?={token}[ \t]*=)")
        # A URL's parameters: what starts one, its name and "=", and what ends its value.
        self.param_separator: re.Pattern[str] = re.compile(r"[?#]|&(?:amp;)?")
        self.param_start: re.Pattern[str] = re.compile(r"[?#&]")
        self.query_start: re.Pattern[str] = re.compile(r"[?#]")
        self.authority_end: re.Pattern[str] = re.compile(r"[/?#]")
        self.url_param: re.Pattern[str] = re.compile(r"([^=?#&]*)=")
        self.url_params: re.Pattern[str] = re.compile(r"(?:[?#]|&(?:amp;)?)([^=?#&]*)=")
        self.value_end: re.Pattern[str] = re.compile(r"[&#]")
        # The same pair, empty, again and again: a name (its words a space or an escaped tab
        # apart), ":" (spaces or tabs before it) and spacing, escaped line breaks and tabs
        # too (``_named_run``).
        named_gap = r"[ \t]*:(?:[ \t\r\n]|\\[nrt])+"
        self.named_run: re.Pattern[str] = re.compile(
            rf"(?P<unit>(?P<name>[A-Za-z0-9_]{{1,128}}(?:{_WORD_APART}[A-Za-z0-9_]{{1,128}}){{0,2}})"
            rf"{named_gap})(?P=unit)+" + self.possessive
        )
        # What such a run holds from any word of its first name on: the rest of the unit,
        # the words before that word again, and the rest again (one test in C, no loop).
        self.named_tail: re.Pattern[str] = re.compile(
            rf"(?P<tail>[A-Za-z0-9_]{{1,128}}(?:{_WORD_APART}[A-Za-z0-9_]{{1,128}}){{0,2}}"
            rf"{named_gap})(?:[A-Za-z0-9_]{{1,128}}{_WORD_APART}){{0,2}}(?P=tail)"
        )
        # A run of a URL's parameters of one name, each value plain and ended by "&",
        # "&amp;", "#" or the URL's end, or brackets opened and never closed, then "#" (see
        # ``_Reader._url_pairs``); one of them, its value a group; the same, masked.
        url_pair = r"[A-Za-z0-9_.\-]{1,128}="
        plain = r"[A-Za-z0-9_.~%+]"
        url_value = rf"{plain}+|[\[({{][\[({{]*{plain}*"  # no closing bracket in it
        value_after = rf"(?:{plain}+(?:&amp;|[&#]|\Z)|[\[({{][\[({{]*{plain}*#)"
        self.url_pair_run: re.Pattern[str] = re.compile(
            rf"(?P<name>{url_pair[:-1]})={value_after}(?:(?P=name)={value_after})*"
            + self.possessive
        )
        self.url_pair_value: re.Pattern[str] = re.compile(
            rf"{url_pair}({url_value})(?:&amp;|[&#]|\Z)"
        )
        # After a URL's last value: up to two words and a separator, whose name, read back
        # from the separator, may take in words of that value (``?key=vAPI key: S``).
        self.url_words_after: re.Pattern[str] = re.compile(
            rf"(?:(?:{_GAP}|\\t)+[A-Za-z0-9_.\-]{{1,128}}){{0,2}}(?:{_GAP}|\\t)*(?:=|:(?!//)|->)"
        )
        # Per name, the patterns of ``_same_params``.
        self.url_param_runs: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
        self.url_pair: re.Pattern[str] = re.compile(rf"(?<==)(?:{url_value})(?=[&#]|\Z)")
        scheme = r"[A-Za-z][A-Za-z0-9+.\-]*://"
        self.item_cut: re.Pattern[str] = re.compile(
            rf"[,;&](?={scheme}|([A-Za-z0-9_.\-]{{1,128}})[ \t]*[=:])"
        )
        self.url_cut: re.Pattern[str] = re.compile(rf"[,;&](?={scheme})")
        self.url_end: re.Pattern[str] = re.compile(r"""[^\s"'`<>]*""")
        self.url_start: re.Pattern[str] = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
        self.name_run: re.Pattern[str] = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
        # The rest of a trigger's run of name characters, then the separator after it,
        # or after one or two more words ("Session ID:", "password hash:", a quote maybe
        # closing them: '"session id": ').
        self.word_tail: re.Pattern[str] = re.compile(
            r"""([A-Za-z0-9_.\-]*)(?:"""
            rf"""(?P<words>(?:(?:{_GAP}|\\t)+[A-Za-z0-9_.\-]+){{1,2}})"""  # escaped tabs too
            rf"""{_GAP}*(?:{_ESCAPE}{_GAP}*)*(?:\\?["'`]{_GAP}*(?:{_ESCAPE}{_GAP}*)*)?"""
            rf"""(?P<after>=|:(?!//)|->)"""
            r"""|[\s"'`]*(?:\\[nrt\\]?[\s"'`]*)*(?P<sep>=|:(?!//)|->)?)"""  # escapes too
        )
        # Per body: the run of the characters its first part is made of.
        self.shape_runs: dict[str, re.Pattern[str]] = {
            body.pattern: re.compile(_first_class(body.pattern) + "+")
            for body, _ in self.shape_bodies.values()
        }
        self.marker: re.Pattern[str] = re.compile(r"\.\.\.\[truncated \d+ chars\]")
        # A proper prefix of a truncation marker at the very end of the text.
        self.partial_marker: re.Pattern[str] = re.compile(
            r"\.(?:\.(?:\.(?:\[(?:t(?:r(?:u(?:n(?:c(?:a(?:t(?:e(?:d(?: (?:"
            r"\d+(?: (?:c(?:h(?:a(?:r(?:s)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?\Z"
        )
        self.finders, self.overlaps = self._finders()
        self.rules = tuple(rule for _, rule in self.triggers)
        self.lengths = tuple(len(trigger) for trigger, _ in self.triggers)
        self.no_search = (re.compile("(?!)").search, "")  # the search of an absent trigger
        # The trigger indices grouped by their first two characters; a group of one is
        # looked for by its whole trigger.
        groups: dict[str, list[int]] = {}
        for index, (trigger, _) in enumerate(self.triggers):
            groups.setdefault(trigger[:2], []).append(index)
        self.trigger_groups: tuple[tuple[str, tuple[int, ...]], ...] = tuple(
            (common if len(indices) > 1 else self.triggers[indices[0]][0], tuple(indices))
            for common, indices in groups.items()
        )
        self.pair_run, self.pair_run_checked, self.pair = self._pair_patterns()
        self._run_patterns()

    def _finders(
        self,
    ) -> tuple[
        tuple[tuple[re.Pattern[str], bool, re.Pattern[str] | None], ...],
        tuple[tuple[tuple[int, str, int], ...], ...],
    ]:
        """Derive from the trigger table the searches that find the triggers worth reading.

        Each trigger gets one compiled search (run in C), index-aligned with ``triggers``,
        with the trigger's own "nothing to read here" test folded in, so a dense run of such
        triggers costs no Python per trigger:

        - a word trigger is searched in the lower-cased copy and skipped when ``plain_after``
          matches after it (prose). A text with capitals is searched as written instead, the
          trigger in any case (its letters as ASCII classes: ``[Tt][Oo][Kk][Ee][Nn]``, a
          letter beyond ASCII read without case, so ``ẞ`` for ``ß``; slower to search), as
          lower case would hide what ``plain_after`` reads there: a capital
          inside the next word (``Bearer aBcDeF``) makes it no plain word;
        - a credential prefix is searched in the text as written (its case must match), not
          inside a word, and only where its body can follow: the exact shapes' whole body;
          for the others, anything but a run too short for the body with no ``-`` in it
          (where no other prefix can start a credential either).

        A prefix skipped this way would have been read and found no credential; reading it
        moved the scan past its own characters, so a trigger starting inside it was not
        read. ``overlaps`` lists, for each trigger, the prefixes that can end inside it (at
        which offset back), so the reader can tell (``_inside_prefix``).
        """
        import re

        word = "A-Za-z0-9_"
        plain = self.plain_after.pattern
        by_lower = {prefix.lower(): prefix for prefix in self.shape_bodies}
        # Each trigger's search, whether it reads the text as written (else the lower-cased
        # copy), and for a word its search in any case, for a text with capitals.
        finders: list[tuple[re.Pattern[str], bool, re.Pattern[str] | None]] = []
        # A prefix right after another one and a "-" ("-eyJ-eyJ") is read by that one: its
        # body, when it holds "-", goes on over this prefix; when it does not, or when it
        # holds no credential, this prefix is past the end of a run read in vain.
        # A prefix right after another one of the same shape, and a "-" or not ("-eyJ-eyJ"),
        # is read by that one when the shape's body goes on over "-": it holds a credential
        # reaching over this prefix, or it held none and neither does this one (its body
        # would end at the same place, shorter).
        same_shape: dict[str, list[str]] = {}
        for prefix, (body, exact) in self.shape_bodies.items():
            if not exact and re.fullmatch(_first_class(body.pattern), "-"):
                same_shape.setdefault(body.pattern, []).append(prefix)
        for trigger, rule in self.triggers:
            if rule == _WORD:
                any_case = "".join(
                    f"[{char}{char.upper()}{_CAPITALS_BEYOND_ASCII.get(char, '')}]"
                    if char.isascii() and char.isalpha()
                    # beyond ASCII, every character of the same case-insensitive reading
                    # ("ß" and "ẞ", whose upper case is no one character; "ς" and "Σ")
                    else f"(?i:{re.escape(char)})"
                    if not char.isascii()
                    else re.escape(char)
                    for char in trigger
                )
                finders.append(
                    (
                        re.compile(f"{re.escape(trigger)}(?!{plain})"),
                        False,
                        re.compile(f"{any_case}(?!{plain})"),
                    )
                )
            elif rule == _SHAPE:
                prefix = by_lower[trigger]
                body, exact = self.shape_bodies[prefix]
                literal = re.escape(prefix)
                chained = "".join(
                    f"(?<!(?<![{word}]){re.escape(before)}{dash}{literal})"
                    for before in same_shape.get(body.pattern, ())
                    for dash in ("-", "")
                    if dash or before.endswith("-")
                )
                if exact:
                    can_follow = f"(?=(?:{body.pattern})(?![{word}]))"
                else:
                    least = int(re.search(r"\{(\d+),", body.pattern).group(1))  # type: ignore[union-attr]
                    can_follow = rf"(?![{word}]{{0,{least - 1}}}(?![{word}\-]))"
                # Not inside a word, but maybe right after an escape's letter ("\\tsk-").
                alone = f"(?<![{word}](?<!{_ESCAPE}){literal})"  # one test, no branch
                search = f"{literal}{alone}{can_follow}{chained}"
                finders.append((re.compile(search), True, None))
            else:
                finders.append((re.compile(re.escape(trigger)), False, None))
        overlaps = tuple(
            tuple(
                (back, prefix, index)
                for index, (prefix, prefix_rule) in enumerate(self.triggers)
                if prefix_rule == _SHAPE
                for back in range(1, len(prefix))
                if trigger.startswith(prefix[back:]) or prefix[back:].startswith(trigger)
            )
            for trigger, _ in self.triggers
        )
        return tuple(finders), overlaps

    def _run_patterns(self) -> None:
        """The patterns that read a run of like firings in C (see ``_Reader._repeated``).

        ``lead_run`` is a run of pairs whose name is two or three words (``API key: x``),
        each the same text (name, separator, spacing) as the first, each value a bare value
        the pair rule takes the plain way (``pair_run``'s), apart each time by the same
        spacing and ``&;,`` (see ``_repeats``). ``header_run`` is the same for header lines
        (``Cookie: a=1``): each value the rest of its line, not blank, not already masked,
        holding no ``-----`` and no escaped line break. ``pair_runs`` caches, per name, the
        patterns of ``_Reader._quiet_run`` (bounded).
        """
        import re

        not_url = r"(?!//)"  # "key://x" is a URL, not a pair
        # (the words apart as the pair rule reads a name's words back: ``_words_before``)
        words = rf"[A-Za-z0-9_.\-]+(?:(?:{_GAP}|\\t)+[A-Za-z0-9_.\-]+){{1,2}}"
        lead = rf"{words}\s*(?:=>|->|:=|=|:{not_url})\s*"
        value = rf"{not_url}(?:{self.pair_bare})"
        self.lead_run: re.Pattern[str] = re.compile(_repeats(lead, value, self.possessive))
        self.gap: re.Pattern[str] = re.compile(r"[\s&;,]*")
        header = r"[A-Za-z0-9_.\-]+[ \t]*:[ \t]*"
        line = (  # no URL ("Cookie://x"), not blank, not masked, no "-----", to the line's end
            r"""(?!//)(?![ \t])(?=[*"'`\\]*[^\r\n*"'`\\])"""  # (no escaped \r or \n in it)
            r"[^\r\n\-\\]*(?:(?:-(?!----)|\\(?![rn]))[^\r\n\-\\]*)*"
            r"(?<![ \t])(?=[\r\n]|\Z)"  # spacing at the line's end is no part of it
        )
        self.header_run: re.Pattern[str] = re.compile(_repeats(header, line, self.possessive))
        # The same in escaped text, each line ended by an escaped line break (``\\n``, spacing
        # maybe before it: the gap): no backslash in it (so the break's is not escaped), no
        # spacing at its end (the header rule strips any), nor a separator (the pair after it
        # would read on below). ``_Reader._repeated`` reads it from ``escaped_gap``.
        escaped_gap = r"(?:[ \t]*\\[rn])+"
        escaped_line = (  # (masked: asterisks, quotes and maybe "<>" only, see ``_is_masked``)
            r"""(?!//)(?![ \t])(?=[*"'`<>]*[^\s*"'`\\<>])"""
            + r"[^\r\n\-\\]*(?:-(?!----)[^\r\n\-\\]*)*"
            + r"(?<![\s:=])(?=[ \t]*\\[rn]|\Z)"
        )
        self.escaped_header_run: re.Pattern[str] = re.compile(
            _repeats(header, escaped_line, self.possessive, escaped_gap)
        )
        self.escaped_gap: re.Pattern[str] = re.compile(escaped_gap)
        # The same for pairs whose value opens triple quotes left unclosed (``token = """S``
        # lines): a name, ``:`` or ``=`` (spaced maybe), the quotes; each value, masked to its
        # line's end, not blank nor masked, with no quote, backslash or ``-----`` in it.
        quotes = "(?:\"{3}|'{3})"
        inside = r"""(?=\**[^*\r\n])[^\r\n"'`\\\-]*(?:-(?!----)[^\r\n"'`\\\-]*)*"""
        self.triple_run: re.Pattern[str] = re.compile(
            _repeats(
                rf"[A-Za-z0-9_.\-]+[ \t]*[:=][ \t]*{quotes}",
                rf"{inside}(?=[\r\n]|\Z)",
                self.possessive,
            )
        )
        # The same for pairs whose value is a scheme word ending its line, the credential on
        # the next (``token: Bearer`` then ``abc123``, see ``_Reader._scheme_lines``): a name
        # of name characters, ``:`` or ``=`` glued to it, spacing; the scheme word, a line
        # break, the credential: plain characters (no ``-----``, no separator: none is read
        # as a next name or an auth-param) ending at whitespace. ``scheme_line`` is one unit
        # in groups: what stands before the scheme word, and between it and the credential.
        scheme = f"(?ai:{'|'.join(SCHEME_WORDS)})"
        below = r"[ \t]*[\r\n][ \t\r\n]*"
        credential = rf"(?:[A-Za-z0-9_.+/~]|-(?!----))+{self.possessive}(?=\s|\Z)(?![ \t]*=)"
        self.scheme_lines: re.Pattern[str] = re.compile(
            _repeats(
                r"(?P<name>[A-Za-z0-9_.\-]+)[:=][ \t]*",
                f"{scheme}{below}{credential}",
                self.possessive,
                # not spacing alone: a credential and the name after it may be the next
                # pair's name ("api token:"), which the pair rule reads as no credential
                r"[ \t]*[\r\n\f\v&;,][\s&;,]*",
            )
        )
        self.scheme_line: re.Pattern[str] = re.compile(
            rf"([\s&;,]*[A-Za-z0-9_.\-]+[:=][ \t]*){scheme}({below}){credential}"
        )
        # The same pair again and again, its value a scheme word that the next pair's name
        # follows, which is no credential (``token: Bearer`` lines, ``auth = Digest auth =
        # Digest``; see ``_Reader._scheme_pairs``): a name, then ``:`` glued to it or ``=``
        # spaced, spacing, the scheme word, then a line break or spacing (after a glued
        # ``=`` the next pair is the credential). Each scheme word is masked alone.
        self.scheme_pairs: re.Pattern[str] = re.compile(
            r"(?P<unit>[A-Za-z0-9_.\-]+(?::[ \t]+|[ \t]+=[ \t]+)"
            rf"(?P<scheme>{scheme})(?P<after>{below}|[ \t]+))(?P=unit)+{self.possessive}"
        )
        # A scheme word, spacing and a quote (backticks, or a quote maybe escaped: ``Bearer \"``),
        # the same unit again and again: the scheme rule reads each unit's credential as the
        # next unit's scheme word (see ``_Reader._scheme_quotes``).
        self.scheme_quotes: re.Pattern[str] = re.compile(
            rf"""(?P<unit>(?P<scheme>{scheme})[ \t]+(?:`+|\\*["'`]))(?P=unit)+{self.possessive}"""
        )
        # A pair whose name ends in a scheme word, ``=`` spaced, and a word with quotes glued
        # after it, the same unit again and again (``token = x"""token = x"""``): the bare
        # value runs on into the next unit's name, so it ends in a scheme word, whose
        # credential is that unit's ``=`` (see ``_Reader._glued_pairs``). Units in twos, as
        # ``scheme_pairs``; no string's prefix before the quotes (``b"""`` opens a string).
        self.glued_pairs: re.Pattern[str] = re.compile(
            rf"""(?P<unit>(?P<name>(?:[A-Za-z0-9_.\-]*[_.\-])?{scheme})"""
            rf"""(?P<spacing>[ \t]+)=[ \t]+"""
            rf"""(?P<value>(?![bBrRuUfF]{{1,2}}["'`])[A-Za-z0-9_]+["'`]+))"""
            rf"(?P=unit)(?:(?P=unit)(?P=unit))+{self.possessive}"
        )
        # Any trigger but a word's, found in one search in C (a URL, a key, a credential).
        self.other_triggers: re.Pattern[str] = re.compile(
            "|".join(re.escape(trigger) for trigger, rule in self.triggers if rule != _WORD)
        )
        self.pair_runs: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
        # Any trigger at all, found in one search in C (in the lower-cased copy).
        self.any_trigger: re.Pattern[str] = re.compile(
            "|".join(re.escape(trigger) for trigger, _ in self.triggers)
        )
        # A run of quoted JSON pairs (``"name": value``), each followed by a comma: the
        # name of name characters, ``:`` with spacing around it, the value a string in
        # double quotes (escapes read in pairs) or a bare word of a number's or a word's
        # characters (see ``_Reader._json_run``). ``json_pair`` is one of them, its parts
        # in groups: what stands before the value (the quoted name, ``:``, spacing, an
        # opening quote) and the value (its closing quote starts what stands between it
        # and the next pair).
        name = r"[A-Za-z0-9_.\-]{1,128}"
        inside = r'[^"\\]*(?:\\[\s\S][^"\\]*)*'
        bare = r"(?!->)[A-Za-z0-9_.+*\-]+"
        before = rf'"{name}"\s*:{not_url}\s*'
        self.json_run: re.Pattern[str] = re.compile(
            rf'(?:{before}(?:"{inside}"|{bare})\s*,\s*)+{self.possessive}'
        )
        self.json_pair: re.Pattern[str] = re.compile(
            rf'("{name}"\s*:{not_url}\s*"?)((?<="){inside}|{bare})'
        )
        # A run of units each ended by escaped line breaks or tabs (``token=a\nBearer b\n``
        # in escaped text): a pair (a name of name characters, ``=``, a bare value) or a
        # scheme word, spacing and a credential, each value of plain characters (no escape,
        # quote or separator; not ending in ``.``, which a credential drops), then ``\n``,
        # ``\r`` or ``\t`` escaped, and escapes and spacing (see ``_Reader._escaped_run``).
        # ``escaped_unit`` is one unit, in groups: what stands before its value (the escapes
        # and spacing that end the unit before, ``escaped_lead``, then a name and ``=`` or a
        # scheme word and spacing), and the value.
        head = rf"[A-Za-z0-9_.\-]{{1,128}}=|(?ai:{'|'.join(SCHEME_WORDS)})[ \t]+"
        plain = r"[A-Za-z0-9_.+/~*\-]*[A-Za-z0-9_+/~*\-]"
        escaped = r"\\[nrt](?:\\[nrt]|[ \t])*"
        self.escaped_run: re.Pattern[str] = re.compile(
            rf"(?:(?:{head}){plain}{escaped})+{self.possessive}"
        )
        self.escaped_lead: re.Pattern[str] = re.compile(f"(?:{escaped})?")
        self.escaped_unit: re.Pattern[str] = re.compile(
            rf"({self.escaped_lead.pattern}(?:{head}))({plain})"
        )
        # A run of header lines with no value (``Cookie:`` lines): a header's name (as
        # ``_is_header_line`` reads it), ``:``, spacing, a line break and any spacing; or,
        # in escaped text, an escaped line break (``Cookie:\\n``) right before the next such
        # line (the reading goes on at the last line: what follows its escape may be read).
        # The escape's letter must start no trigger with the name after it (``\\nCookie``):
        # the general reading reads such a trigger; with a name beyond the alphabet added,
        # the escaped lines are left to it.
        headers = "|".join(map(re.escape, HEADER_NAMES))
        blank = rf"(?ai:{headers}):[ \t]*"
        escaped = rf"|(?:\\[rn])+{self.possessive}(?={blank}(?:[\r\n]|\\[rn]))"
        if self.wide_tail is not None or any(
            self.any_trigger.match(f"{letter}{name}:") for letter in "nr" for name in HEADER_NAMES
        ):
            escaped = ""
        self.blank_headers: re.Pattern[str] = re.compile(
            rf"(?:{blank}(?:[\r\n]\s*{escaped}))+{self.possessive}"
        )

    def _pair_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        """The pair rule's common case, read in C: ``name=value`` pairs in a row.

        ``pair_run`` is pairs with the same name in a row, apart only by spacing and
        ``&;,``, each one whose every step the pair rule takes the plain way: a name of
        name characters, ``=`` or ``:`` right after it, maybe spacing, then a bare value of
        plain characters ending at whitespace, ``&``, ``;``, ``,`` or the end, or a quoted
        one without escapes; the value is not yet masked (a character other than ``*``),
        holds no ``-----`` (a private key's rule may read there), does not end in a scheme
        word (whose credential would go too), and is not followed by a separator (it could
        be the next pair's name). Anything else is left to the pair rule's own reading.
        It holds no group but the name, so its repeat may be possessive (``_possessive``).

        A value may also be, with the words after it, the next pair's name (``_next_pair``):
        ``pair_run_checked`` is ``pair_run`` with no bare value where ``name_ahead`` matches.
        Only a ``:`` in the run (``token: a token: b``) or the text after its last value can
        make such a name (see ``_Reader._pair_run``), so the check is made only then.

        ``pair`` splits a run ``pair_run`` read: its one group is what stands before a value
        (the name, the separator, spacing, an opening quote; a closing quote is left after
        the value), and the value is read the short way, every check made already: to its
        closing quote, or to whitespace, ``&``, ``;``, ``,`` or the end.
        """
        import re

        def unmasked(chars: str) -> str:
            """A run of ``chars`` (which hold no ``-``) and single ``-``, not all ``*``."""
            star_less = chars[:-1] + "*]"  # chars is a negated class: "*" joins it
            return (
                rf"(?=\**(?:{star_less}|-(?!----)))"
                rf"{chars}*(?:-(?!----){chars}*)*"
            )

        not_separator = r"(?!\s*(?:[=:]|->))"
        not_scheme = "".join(
            "(?<!{})".format("".join(f"[{c}{c.upper()}]" for c in word)) for word in SCHEME_WORDS
        )
        name_ahead = self.name_ahead.pattern.replace("?P<name>", "?:").replace("?P<sep>", "?:")
        # no separator run glued after the separator ("password ::= S"): ``_pair`` skips it
        bare = r"(?!(?:=>|->|[:=])+\s)" + unmasked(r"""[^\s&;,"'`()\[\]{}<>\\\-]""")
        bare += rf"(?=[\s&;,]|\Z){not_scheme}{not_separator}"
        self.pair_bare: str = bare  # the run of repeats checks the next names itself
        quoted = [
            (quote, unmasked(rf"[^{quote}\\\-]") + f"(?={quote}{not_separator})")
            for quote in "\"'`"
        ]
        name = r"[A-Za-z0-9_.\-]+"
        separator = r"(?:=(?!>)|:(?!//|=))\s*"
        quoted_value = "|".join(f"{quote}{inner}{quote}" for quote, inner in quoted)
        checked = f"(?!{name_ahead}){bare}"  # no value that is the next pair's name
        pair_run_checked = re.compile(
            rf"(?P<name>{name}){separator}(?:{checked}|{quoted_value})"
            rf"(?:[\s&;,]*(?P=name){separator}(?:{checked}|{quoted_value}))*{self.possessive}"
        )
        pair_run = re.compile(
            rf"(?P<name>{name}){separator}(?:{bare}|{quoted_value})"
            rf"(?:[\s&;,]*(?P=name){separator}(?:{bare}|{quoted_value}))*{self.possessive}"
        )
        pair = re.compile(
            rf"""({name}{separator}["'`]?)"""
            r"""(?:(?<=")[^"\\]*|(?<=')[^'\\]*|(?<=`)[^`\\]*|[^\s&;,"'`()\[\]{}<>\\]+)"""
        )
        return pair_run, pair_run_checked, pair


def _repeats(lead: str, value: str, possessive: str, gap: str = r"[\s&;,]+") -> str:
    r"""A pattern for a unit (``lead``, then ``value``) repeated, apart by the same ``gap``.

    ``rest`` is the units after the first: ``gap``, the first unit's very lead, a value,
    again and again. Each value holds none of ``[\s&;,]`` (a pair's bare value) or ends
    at a line's end, where a gap starts with ``\r`` or ``\n`` (a header line), or with an
    escaped one (a header line in escaped text, whose value holds no backslash), so
    ``gap`` + ``lead`` stands in ``rest`` where the units start and nowhere else: their
    number is its count. ``possessive`` follows the repeat (see ``_possessive``).
    """
    unit = rf"(?P=gap)(?P=lead){value}"
    rest = rf"(?P<gap>{gap})(?P=lead){value}(?:{unit})*{possessive}"
    return rf"(?P<lead>{lead}){value}(?P<rest>{rest})"


def _possessive(re: Any) -> str:
    """``+``, which makes a repeat before it possessive, where ``re`` reads it; else nothing.

    Only a repeat that ends its pattern (or is followed by what may match nothing) is made
    possessive: the greedy reading never gives back a unit of it, so both match the same.
    And only one that holds no capturing group: ``re`` may fail on a group inside a
    possessive repeat (CPython issue 101955, fixed in 3.12.8 and 3.13.1).
    """
    try:
        re.compile("a*+")
    except re.error:  # pragma: no cover - Python 3.10
        return ""
    return "+"


def _first_class(body: str) -> str:
    """Return the character class a credential body starts with (``[A-Za-z0-9_-]``)."""
    return body[: body.index("]") + 1]


def _stems() -> set[str]:
    """A few words, one of which every sensitive name, as written, holds (lower case).

    A name's normal form only changes case and separators, so each of its words stands in
    the name as written. The words are picked greedily from the names' own words (and
    ``key``, for names written as words: "API key"): the one found in most names not yet
    covered first, so ``key`` and ``token`` stand for ``api_key``, ``private_key``,
    ``access_token`` and the like. Few stems mean few searches.
    """
    names = [*SENSITIVE_NAMES, *_names.added, *SENSITIVE_SUFFIXES, *SENSITIVE_WORDS, "key"]
    uncovered = {name.strip("_") for name in names if name.strip("_")}
    candidates = {word for name in uncovered for word in name.split("_") if word}
    # Which names each word stands in, found once: the greedy choice below only counts.
    covers = {word: {name for name in uncovered if word in name} for word in sorted(candidates)}
    stems: set[str] = set()
    while uncovered:
        best = max(covers, key=lambda word: (len(covers[word] & uncovered), len(word)))
        stems.add(best)
        uncovered -= covers.pop(best)
    return stems


_PATTERNS: _Patterns | None = None


def _patterns() -> _Patterns:
    """Return the compiled patterns, compiling them once (again after names are added).

    Patterns compiled from the table that stood before ``add_sensitive_keys`` swapped it (a
    compile racing the swap may store them after it) are compiled again, not used.
    """
    global _PATTERNS
    patterns = _PATTERNS
    if patterns is None or patterns.names is not _names:
        patterns = _PATTERNS = _Patterns()
    return patterns


def _remember(memo: dict[Any, Any], key: object, value: object, names: object) -> None:
    """Memoise ``value``, computed while ``names`` was the table, unless names came since.

    ``add_sensitive_keys`` swaps the table, then empties the memos. A result computed with
    the old table and stored after that would outlive it; checking the table again after
    the store removes it, as the swap comes before the emptying.
    """
    if _names is names:
        if len(memo) >= 4096:
            memo.clear()
        memo[key] = value
        if _names is not names:
            memo.pop(key, None)


def _clear_text_cache() -> None:
    """Forget memoised results and the hint pattern (called when names are added)."""
    global _PATTERNS
    for memo in _NAME_MEMOS:
        memo.clear()
    _PATTERNS = None


def _lower(text: str) -> str:
    """Lower-case ASCII letters only, so every index still points at the same character."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


# --------------------------------------------------------------------------- URLs


def redact_url(url: str) -> str:
    """Mask the credentials in a URL, leaving every other character as it was.

    The password of the userinfo (``https://user:PASS@host``), a userinfo without a password
    that looks like a credential (a known shape, or 16 characters or longer:
    ``https://<token>@github.com``), and the values of sensitive query parameters (the names
    of the table, plus ``key``, compared after percent-decoding and ignoring prose
    punctuation glued before the name, as in ``?(token=...``) become ``***``. Parameters in
    an ``&``-separated fragment (OAuth's ``#access_token=...``) and URLs nested unencoded
    (``?next=https://u:p@h/``, in the path or the fragment, at any depth) are masked the
    same way, in one linear reading. The URL is edited in place rather than re-assembled,
    so nothing else is normalised.

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
        return _redact_url(url)
    except Exception:  # pragma: no cover - defensive: fail closed rather than raise
        return REDACTED


_HEX: Final = frozenset("0123456789abcdefABCDEF")


def _redact_url(url: str) -> str:
    """Mask userinfo and sensitive parameters; return ``url`` itself if unchanged."""
    return _replace(url, _url_secrets(url, 0, _patterns()))


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span (in order, apart) by ``***``; return ``text`` itself if none."""
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces += (text[last:start], REDACTED)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _url_secrets(url: str, offset: int, patterns: _Patterns) -> list[tuple[int, int]]:
    """Return the spans of the secrets in a URL, in order, shifted by ``offset``.

    The URL is read flat, left to right, so a URL nested in another (in its path, in a
    parameter, as its fragment, at any depth, or right after another scheme) costs only
    its own characters:

    - every ``scheme://`` starts an authority, as does a ``//`` that starts the URL or a
      parameter's value: its password (``user:PASS@``), or a userinfo without one that
      looks like a token, is a secret;
    - from the first ``?`` or ``#`` on, each ``?``, ``#``, ``&`` or ``&amp;`` starts a
      parameter: the value of a sensitive one, up to the next ``&`` or ``#``, is a secret.

    Spans that overlap or touch (a password inside a sensitive value) are one span.
    """
    if "@" not in url and "?" not in url and "#" not in url:
        return []
    spans: list[tuple[int, int]] = []
    if url.startswith("//"):
        _userinfo_secret(url, 2, spans, patterns)
    floor = 0
    at = url.find("://") if "@" in url else -1
    while at >= 0:
        if _scheme_start(url, at, floor) >= 0:
            _userinfo_secret(url, at + 3, spans, patterns)
        floor = at + 3
        at = url.find("://", floor)
    found = patterns.query_start.search(url)
    # Each "?", "#", "&" or "&amp;", a name and "=" from the query on, found by one search in
    # C, but inside a sensitive value: that value reads on over "?" to the next "&" or "#".
    search = patterns.url_params.search
    param = None if found is None else search(url, found.start())
    plain = 0  # parameters read in a row that hold no secret
    while param is not None:
        if plain == 8 and not _sensitive_params(url, param.start(), patterns):
            break  # none of the rest holds one either (tested once per URL)
        name = param.group(1)
        start = param.end()
        if _is_sensitive_param(name):
            value_end = patterns.value_end.search(url, start)
            end = len(url) if value_end is None else value_end.start()
            if end > start and not _is_masked(url[start:end]):
                spans.append((start, end))
                end = _same_params(url, end, name, spans, patterns)
            param = search(url, end)
            continue
        plain += 1
        if url.startswith("//", start):
            _userinfo_secret(url, start + 2, spans, patterns)  # "?next=//u:p@h/"
        param = search(url, start)
    if not spans:
        return spans
    chain, lower_than = patterns.chain, patterns.lower_than
    bounds = list(chain(spans))  # first, last, first, last, ...
    # Read in order and apart most often (each span ends before the next starts): as they are.
    if not all(map(lower_than, bounds[1:-1:2], bounds[2::2])):
        spans.sort()
        joined = [spans[0]]
        for first, last in spans[1:]:
            if first <= joined[-1][1]:
                joined[-1] = (joined[-1][0], max(last, joined[-1][1]))
            else:
                joined.append((first, last))
        spans = joined
        bounds = list(chain(spans))
    if not offset:
        return spans
    shifted = map(offset.__add__, bounds)
    return list(zip(shifted, shifted, strict=True))  # the bounds shifted, paired again, in C


def _same_params(
    url: str, pos: int, name: str, spans: list[tuple[int, int]], patterns: _Patterns
) -> int:
    """Read at once the parameters of the sensitive ``name`` that follow at ``pos``.

    Each one (``&name=``, ``&amp;name=`` or ``#name=`` and a value up to the next ``&`` or
    ``#``, not empty, with no ``*``, quote or backslash, so not masked) is read as the
    loop of ``_url_secrets`` reads it: its value is a secret. Their spans are added, found
    in C, and where the reading goes on is returned (``pos`` when none follows).
    """
    found = patterns.url_param_runs.get(name)
    if found is None:
        import re

        lead = rf"(?:&amp;|&(?!amp;)|#){re.escape(name)}="
        value = r"[^&#*\"'`\\]+"
        # The run holds no group, so its repeat may be possessive (``_possessive``).
        repeat = rf"(?:{lead}{value}(?=[&#]|\Z))+{patterns.possessive}"
        found = (re.compile(repeat), re.compile(rf"{lead}({value})(?=[&#]|\Z)"))
        if len(patterns.url_param_runs) >= 64:
            patterns.url_param_runs.clear()
        patterns.url_param_runs[name] = found
    runs, param = found
    run = runs.match(url, pos)
    if run is None:
        return pos
    spans += map(patterns.group_span, param.finditer(url, pos, run.end()))
    return run.end()


def _sensitive_params(url: str, pos: int, patterns: _Patterns) -> bool:
    """Tell whether the parameters from ``pos`` on may hold a secret, in one reading in C.

    Every ``?``, ``#``, ``&`` or ``&amp;`` is taken as a parameter's start (as the reading
    of parameters does until it meets a sensitive one): each distinct name is looked up
    once, and a value that starts with ``//`` (an authority) may hold a secret too.
    """
    if url.find("=//", pos) >= 0:
        return True
    return any(map(_is_sensitive_param, set(patterns.url_params.findall(url, pos))))


def _userinfo_secret(
    url: str, start: int, spans: list[tuple[int, int]], patterns: _Patterns
) -> None:
    """Add the span of the secret in the userinfo of the authority at ``start``, if any."""
    found = patterns.authority_end.search(url, start)
    end = len(url) if found is None else found.start()
    at = url.rfind("@", start, end)
    if at >= 0:
        colon = url.find(":", start, at)
        secret_start = colon + 1 if colon >= 0 else start
        secret = url[secret_start:at]
        if secret and not _is_masked(secret) and (colon >= 0 or _looks_like_token(secret)):
            spans.append((secret_start, at))


def _looks_like_token(userinfo: str) -> bool:
    """Tell whether a userinfo without a password is a credential (a shape, or 16+ chars)."""
    if len(userinfo) >= 16:
        return True
    for prefix, (body, _) in _patterns().shape_bodies.items():
        if userinfo.startswith(prefix) and body.fullmatch(userinfo, len(prefix)):
            return True
    return False


def _is_sensitive_param(name: str) -> bool:
    """Tell whether a URL query parameter name (possibly percent-encoded) is sensitive."""
    names = _names
    verdict = names.params.get(name)
    if verdict is None:
        # Prose punctuation glued to the name ("?(token=...", "&)sig=...") does not hide it.
        decoded = _percent_decode(name).lstrip("()[]{}<>,;:!?'\"")
        verdict = _is_sensitive_name(decoded) or normal_name(decoded) in URL_ONLY_NAMES
        if len(name) <= 64:
            if len(names.params) >= 4096:
                names.params.clear()
            names.params[name] = verdict
    return verdict


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
    """Tell whether a non-empty value is asterisks only (already masked), quotes aside.

    A quote or backslash a masked value keeps (an escaped quote left open before it)
    does not make a second reading mask it again, swallowing them; nor does a ``<`` or
    ``>`` after a mask, which ends a URL in text but not a text that is one URL (where a
    mask that took a space, ``?token=***>``, can leave it).
    """
    rest = value.strip("*\"'`\\")
    return not rest or ("*" in value and not rest.strip("<>"))


# --------------------------------------------------------------------------- free text


def redact_text(text: str) -> str:
    """Mask the credentials in free text, by the grammar of the module docstring.

    A ``...[truncated {n} chars]`` marker at the very end of the text, where truncation
    puts it (and the start of an older one that the cut went through, just before it), is
    left intact. Anywhere else the same characters are plain text, read by the rules like
    any other: a marker written into a secret does not shield the rest of it.

    Args:
        text: Any text, such as an error message or a response body; anything else is
            converted with ``str()`` first.

    Returns:
        The masked text; the very same string when nothing was masked.
    """
    if type(text) is not str:
        try:
            text = str.__str__(text) if isinstance(text, str) else str(text)
        except Exception:
            return REDACTED
    short = len(text) <= 256
    if short:
        cached = _TEXT_CACHE.get(text)
        if cached is not None:
            return text if cached == text else cached
    names = _names
    try:
        result = _redact_text(text)
    except Exception:  # pragma: no cover - defensive: fail closed rather than raise
        return REDACTED
    if short:
        _remember(_TEXT_CACHE, text, result, names)
    return result


def _redact_text(text: str) -> str:
    """Redact ``text``; a truncation marker ending it is kept out of the reading."""
    patterns = _patterns()
    marker = text.rfind("...[truncated ") if text.endswith(" chars]") else -1
    if marker < 0 or not patterns.marker.fullmatch(text, marker):
        return _Reader(text, patterns).read()
    # The text before the marker may end with the start of an older marker that the cut
    # went through ("token=.." + marker): that stays as it is too.
    segment = text[:marker]
    partial = patterns.partial_marker.search(segment)
    cut = marker if partial is None else partial.start()
    body = text[:cut]
    redacted = _Reader(body, patterns).read()
    return text if redacted is body else redacted + text[cut:]


class _Reader:
    """One left-to-right reading of a text: each rule masks a span and moves on past it."""

    __slots__ = (
        "checked_end",
        "escapes",
        "fragment",
        "last",
        "lower",
        "named_refused",
        "out",
        "patterns",
        "pending",
        "plain_span",
        "refused",
        "run_end",
        "runs_end",
        "shape_ends",
        "span_end",
        "text",
        "unclosed",
        "url_end",
        "url_start",
        "wide_quiet",
    )

    def __init__(self, text: str, patterns: _Patterns) -> None:
        self.text = text
        self.lower = text  # the ASCII-lower-cased copy, set when the reading starts
        self.patterns = patterns
        self.out: list[str] = []
        # The secrets of the URLs read, not yet written to ``out``: the other rules read on
        # inside a URL, and a mask of theirs that meets one of these joins it.
        self.pending: deque[tuple[int, int]] = deque()  # first out first, in O(1)
        self.last = 0  # text[:last] has been copied (or masked) into ``out``
        self.url_start = 0  # where the last URL read starts
        self.url_end = 0  # where the last URL read ends
        self.span_end = 0  # where the stretch of text that URL stood in (no whitespace) ends
        self.plain_span = 0  # where the last stretch tested for ``_plain_urls`` ends
        self.checked_end = 0  # where the last run of pairs ``_pair_run`` checked ends
        self.run_end = 0  # where the last run of name characters read ends
        self.wide_quiet = 0  # before it, no trigger starts an added name beyond the alphabet
        self.named_refused = 0  # where the last run of empty pairs refused for its name ends
        self.runs_end = 0  # where the last run ``_json_run`` or ``_escaped_run`` matched ends
        self.escapes = "\\" in text  # whether the text may hold escaped line breaks
        # The URL end, start and result of the last search for a fragment's "#" in a URL.
        self.fragment = (-1, 0, -1)
        # The name and end of the last run of same-name pairs the pair rule (or, in a URL,
        # ``_url_pairs``) refused (a header's name, a name that is not sensitive): a later
        # trigger of that name inside the run would match the rest of it only to refuse it
        # again.
        self.refused: tuple[str, int] = ("", 0)
        # Per body: credential prefixes before this index cannot start a credential.
        self.shape_ends: dict[str, int] = {}
        # The quotes and end of the last triple-quoted value read to its end unclosed: one
        # opened inside it, after a separator, reads to the same end.
        self.unclosed = ("", 0)

    def read(self) -> str:
        """Run the scanner over the whole text and return the masked text.

        The next place of each trigger worth reading waits in a heap, as ``place * count +
        index``. A trigger is searched for again only once its place has been read, and
        from where the reading got to: the triggers inside a value already read are never
        listed, so a dense run of them costs one search in C, not Python each.
        """
        text = self.text
        lower = _lower(text)
        patterns = self.patterns
        triggers = patterns.triggers
        count = len(triggers)
        finders = patterns.finders
        searches: list[tuple[Callable[[str, int], re.Match[str] | None], str]] = [
            patterns.no_search
        ] * count
        # Per trigger searched in any case in the text as written (slower, with no literal
        # to skip to), the trigger itself: its next place in the copy is found first.
        literals = [""] * count
        heap: list[int] = []
        capitals = lower != text or (not lower.isascii() and lower.lower() != lower)
        # The triggers that start alike are looked for together first: one search of
        # their common start skips them all in a text that holds none.
        for common, indices in patterns.trigger_groups:
            # An added name beyond ASCII: the copy keeps its capitals, so with capitals in the
            # text it may stand, written in them, before its first place in the copy.
            first = 0 if capitals and not common.isascii() else lower.find(common)
            if first < 0:
                continue
            for index in indices:
                trigger = triggers[index][0]
                at = first if capitals and not trigger.isascii() else lower.find(trigger, first)
                if at < 0:
                    continue
                finder, as_written, any_case = finders[index]
                haystack = text if as_written else lower
                if capitals and any_case is not None:
                    finder, haystack = any_case, text
                    if triggers[index][0].isascii():  # the copy holds it wherever it stands
                        literals[index] = triggers[index][0]
                searches[index] = (finder.search, haystack)
                found = finder.search(haystack, at)
                if found is not None:
                    heap.append(found.start() * count + index)
        if not heap:
            return text
        heapify, heapreplace, heappop = patterns.heap
        heapify(heap)
        rules = (self._url, self._private_key, self._shape, self._word)
        self.lower = lower
        overlaps = patterns.overlaps
        rule_of, lengths = patterns.rules, patterns.lengths
        pos = 0
        while heap:
            start, index = divmod(heap[0], count)
            rule = rule_of[index]
            after = start + lengths[index]
            # A trigger inside a value already read is skipped; a private key's header is
            # read unless a mask covers it (a value that reached it was cut there).
            if start >= pos or (start >= self.last and rule == _PRIVATE_KEY):
                inside = start
                if overlaps[index]:
                    inside = self._inside_prefix(lower, start, pos, overlaps[index])
                if inside > start:  # read as part of a prefix that held no credential
                    pos = inside
                    if rule == _PRIVATE_KEY and start >= self.last:
                        pos = max(pos, self._private_key(lower, start, after))
                elif rule == _URL and start < self.url_end:
                    pos = max(pos, after)  # a URL nested in the one just read
                else:
                    end = rules[rule](lower, start, after)
                    if end > pos:
                        pos = end
            # Every place before ``resume`` would be skipped as inside a value read (or,
            # for ``://``, inside the URL just read).
            if rule in (_WORD, _SHAPE):
                resume = pos
            elif rule == _URL:
                resume = max(pos, self.url_end)
            else:
                resume = min(pos, self.last)
            if rule == _URL:  # a plain literal: str.find is the faster search
                at = lower.find("://", resume if resume > after else after)
            else:
                search, haystack = searches[index]
                at = resume if resume > after else after
                if literals[index]:
                    at = lower.find(literals[index], at)  # no match can start before
                found = None if at < 0 else search(haystack, at)
                at = -1 if found is None else found.start()
            if at < 0:
                heappop(heap)
            else:
                heapreplace(heap, at * count + index)
        for pending in self.pending:
            self._write(*pending)
        if not self.out:
            return text
        self.out.append(text[self.last :])
        return "".join(self.out)

    def _inside_prefix(
        self, lower: str, start: int, pos: int, overlaps: tuple[tuple[int, str, int], ...]
    ) -> int:
        """Return where a credential prefix read just before ``start`` and over it ends.

        The prefixes whose search skipped them (no credential can follow) were still read
        before: each moved the scan past its own characters. Returns ``start`` when no such
        prefix covers ``start``.
        """
        for back, prefix, index in overlaps:
            at = start - back
            if at >= pos and lower.startswith(prefix, at):
                if self._inside_prefix(lower, at, pos, self.patterns.overlaps[index]) > at:
                    continue  # that prefix was itself covered by an earlier one
                return at + len(prefix)
        return start

    def mask(self, start: int, end: int, *, whole: bool = False) -> int:
        """Replace ``text[start:end]`` by ``***`` (unless already masked); return ``end``.

        A private key's header inside the span ends it there, unless ``whole``: the
        private_key rule reads the key from that header on, so no other rule's value (a
        header line, a scheme's credential) can hide the key's body by covering its header.
        """
        if not whole and end - start > 10:
            end = self._private_key_start(start, end)
        if self.pending and start >= self.last:
            self._write(*self._join_pending(start, end))
        else:
            self._write(start, end)
        return end

    def _write(self, start: int, end: int) -> None:
        """Write the text up to ``start`` and ``***`` for ``text[start:end]``, if it is new."""
        if start < end and start >= self.last and not _is_masked(self.text[start:end]):
            self.out += (self.text[self.last : start], REDACTED)
            self.last = end

    def _join_pending(self, start: int, end: int) -> tuple[int, int]:
        """Write the URL secrets before ``start``; return the span joined with those it meets.

        Masks that overlap or touch are one mask: ``***`` stands for all of them, so a
        second reading finds the same single mask.
        """
        pending = self.pending
        while pending and pending[0][0] <= end:
            first, last = pending.popleft()
            if last < start:
                self._write(first, last)
            else:
                start, end = min(start, first), max(end, last)
        return start, end

    def _private_key_start(self, start: int, end: int) -> int:
        """Return where the first private key header in ``text[start:end]`` starts, or ``end``."""
        lower = self.lower
        at = lower.find("-----begin", start, end)
        while at >= 0:
            if self.patterns.pem_header.match(lower, at + len("-----begin")):
                return at
            at = lower.find("-----begin", at + 1, end)
        return end

    # ---- rules

    def _url(self, lower: str, at: int, after: int, limit: int | None = None) -> int:
        """A URL: up to whitespace, a quote or ``<>``, or a ``,;&`` that starts a new item.

        ``limit``, when given, is where the URL ends at the latest (an auth-param list's
        comma after it).
        """
        text, patterns = self.text, self.patterns
        start = _scheme_start(text, at, self.last)
        if start < 0:
            return after  # "://" with no scheme before it: no URL
        if start < self.url_end:
            return after  # a URL nested in the one just read: redact_url read it
        if start == 0 and self._is_whole_url():
            self.span_end = len(text)  # the whole text is one URL: read it whole, quotes and all
        elif start >= self.span_end:  # else the stretch read for the URL before holds this one
            span = patterns.url_end.match(text, start)
            self.span_end = len(text) if span is None else span.end()
        end = _url_item_end(text, after, self.span_end, patterns)
        end = _trim_prose(text, start, end if limit is None else min(end, limit))
        self.url_start, self.url_end = start, end
        # Its secrets are written when the scan passes them: the scan goes on inside the
        # URL, and a pair in its path, a credential shape or a scheme word glued to its end
        # ("?:Basic S3cr3t") is read by its own rule, whether the URL held a secret or not.
        # A private key's header ends a URL's secret as it ends every other rule's value.
        secrets = _url_secrets(text[start:end], start, patterns)
        if secrets:
            if lower.find("-----begin", secrets[0][0], secrets[-1][1]) < 0:
                self.pending += secrets  # no private key's header in any of them
            else:
                self.pending += [
                    (first, self._private_key_start(first, last) if last - first > 10 else last)
                    for first, last in secrets
                ]
        elif self.span_end - end > 1 and self.plain_span < self.span_end:
            return self._plain_urls(lower, start, after)
        return after

    def _plain_urls(self, lower: str, start: int, after: int) -> int:
        """Where the reading of a stretch of URLs that holds no secret goes on.

        A stretch (``https://a,https://b,...``, no whitespace) with no ``@``, ``?`` or ``#``
        holds no URL secret, and when it holds no trigger but ``://`` either, no rule masks
        anything in it: the URL rule only notes each URL's bounds, which no other rule asks
        for there. The reading goes on at its last URL, read as the general path reads it
        (in the same stretch, so its bounds are found the same way). The stretch is tested
        once, with one search in C per trigger.
        """
        span_end = self.span_end
        self.plain_span = span_end  # tested once per stretch
        last = lower.rfind("://", after, span_end)
        if last < 0:
            return after
        stretch = self.text[start:span_end].lower()  # beyond ASCII too: an added name
        if "@" in stretch or "?" in stretch or "#" in stretch:
            return after
        for trigger, rule in self.patterns.triggers:
            if rule != _URL and trigger in stretch:
                return after
        return last

    def _is_whole_url(self) -> bool:
        """Tell whether the text, which starts with a URL, is that URL alone (a URL value).

        Such a text is read as ``redact_url`` reads a URL, quotes and ``<>`` included: it
        holds no whitespace. ``redact_url`` reads every URL nested in it, wherever it
        stands, so a mask that takes a nested URL away leaves a text read the same way.
        """
        return self.patterns.whitespace.search(self.text) is None

    def _private_key(self, lower: str, at: int, after: int) -> int:
        """A PEM (or PGP) private key: its body, to the matching END line or the text's end."""
        header = self.patterns.pem_header.match(lower, after)
        if header is None:
            return after  # another kind of PEM block (a certificate): not a secret
        footer = "-----end" + lower[after : header.end()]
        end = lower.find(footer, header.end())
        if end < 0:
            # No footer: the body runs to the end of the text, but for the start of its
            # footer there, which a cut (truncation) left and a second reading keeps.
            cut = lower.rfind("-----", header.end())
            if cut < 0 or not footer.startswith(lower[cut:]):
                cut = len(lower)
            return self.mask(header.end(), cut, whole=True)
        self.mask(header.end(), end, whole=True)
        return end + len(footer)

    def _word(self, lower: str, at: int, after: int) -> int:
        """A trigger word: its run of name characters (read once) as a name or a scheme."""
        if at < self.run_end or at < self.wide_quiet:  # no separator or space in reach
            return after
        if self.patterns.wide_tail is not None:
            masked = self._wide_name(at)
            if masked is not None:
                return masked
        text = self.text
        start = at
        while start > self.last and text[start - 1] in _NAME_CHARS:
            start -= 1
        start = _escape_end(text, start, at)
        if self.pending and self.url_start <= start < self.url_end:
            masked = self._url_pairs(start)
            if masked is not None:
                return masked
        elif not self.pending and start >= self.url_end and start >= self.refused[1]:
            named = self._named_run(start)
            if named is not None:
                return named
        if (
            not self.pending
            and self.last < start
            and self.url_end <= start
            and self.runs_end <= start  # else the run's rest is the rules' to read
        ):
            # Runs of like units read in C: JSON pairs, header lines left blank, units ended
            # by escaped line breaks.
            if text[start - 1] == '"':
                masked = self._json_run(start - 1)
                if masked is not None:
                    return masked
            elif _is_header_line(lower, start):
                blank = self._blank_headers(start)
                if blank is not None:
                    return blank
            elif self.escapes:
                masked = self._escaped_run(start)
                if masked is not None:
                    return masked
        pairs: re.Match[str] | None = None
        quiet: tuple[int, str] | None = None
        if start >= self.last and start >= self.url_end and not self._refused(start):
            # The pair rule's run in C, unless it would be refused for its name: a header's
            # (``Cookie:``) or one not sensitive, whose pairs the quiet run may read instead.
            # With URL secrets waiting, the run is matched all the same (it writes them).
            first = self.patterns.name_run.match(text, start)
            if self.pending or first is None:
                pairs = self._pair_run(start)
            elif not _is_header_line(lower, start):
                if _is_sensitive_name(first.group()):
                    pairs = self._pair_run(start)
                else:
                    quiet = (start, first.group())
        if pairs is not None:
            name = pairs.group("name")
            if not (
                len(name) <= _NAME_LIMIT
                and "-----" not in name
                and (
                    name.lower() not in HEADER_NAMES
                    or _no_header(text, start, pairs.end(), self.patterns)
                )
                and _is_sensitive_name(name)
            ):
                # Refused, the URL secrets before it still wait: a name read back from the
                # separator may take in words of a value they mask (``?key=api key: S``).
                self.refused = (name, pairs.end())
                pairs = None
        if pairs is not None and self.pending:
            pending = self.pending
            while pending and pending[0][1] < start:  # the URL secrets before the pairs
                self._write(*pending.popleft())
            if pending and pending[0][0] <= pairs.end():
                pairs = None  # a URL secret among the pairs: the pair rule joins the masks
        if pairs is not None:
            return self._pairs(start, pairs.end())
        # The rest of the run, what may stand before a separator, and the separator.
        tail = self.patterns.word_tail.match(text, after)
        if tail is None:  # pragma: no cover - the pattern matches the empty string
            return after
        end = self.run_end = tail.end(1)
        separator = tail.start("sep")
        if separator < 0 and text.startswith(">", tail.end()) and text[end - 1] == "-":
            separator = end - 1  # "secret->x": the run took the "-" of "->"
        scheme = end - start in _SCHEME_LENGTHS and lower[start:end] in SCHEME_WORDS
        if tail.start("words") >= 0 and not scheme:  # the name read back from the separator
            masked = self._pair(tail.start("after"), None, -1)
            if masked is not None:
                return masked
        elif separator >= 0:
            # The run itself, unquoted, is the name most often: no need to read back for it.
            plain = tail.end(1) == tail.start(2) or not _QUOTES.intersection(text[end:separator])
            run = text[start:end]
            if (  # the run in quotes ('"token": '), as ``_name_before`` would read it
                not plain
                and start > self.last
                and text[start - 1 : start] == text[end : end + 1]
                and not text[end + 1 : separator].strip()
                and run.lower() not in HEADER_NAMES
            ):
                sensitive = end - start <= _NAME_LIMIT and _is_sensitive_name(run)
                masked = self._pair(separator, run, start - 1) if sensitive else None
            else:
                known = plain and end - start <= _NAME_LIMIT and _is_sensitive_name(run)
                masked = self._pair(separator, run if known else None, start)
            if masked is not None:
                return masked
        if scheme:
            masked = self._scheme(end)
            if masked is None:
                masked = self._scheme_quotes(start)
            if masked is not None:
                return masked
        if quiet is not None:
            return self._quiet_run(*quiet, after)
        return after

    def _url_pairs(self, start: int) -> int | None:
        """Mask at once a run of a URL's parameters of one sensitive name; None for no run.

        Inside a URL read, ``name=value`` pairs of one sensitive name in a row, each value
        plain (no quote, bracket, space, ``-``, ``*`` or separator in it) and ended by ``&``,
        ``&amp;``, ``#`` or the URL's end (``&token=a&token=b#token=c``), are each read by the
        pair rule as the URL reading read them: the value, to the ``&`` or ``#``, is masked,
        joined with the URL secret waiting there, which is that very span (a name sensitive
        only in URLs, ``&key=a``, masks that span alone). When the secrets waiting are those
        spans, they are written at once, in C; else (and for a name a header's, a name or a
        value holding another rule's trigger) the pairs are left to the pair rule. So is a
        last value that the text after the URL may read on: a quote after it (``b'x'``), a
        scheme word ending it (its credential follows), or a name that it starts or is
        (``token=api key: S``, ``token=password: S``). A run refused for its name is not
        matched again from a later name inside it; when that name is not sensitive and the
        run holds no other rule's trigger, the run is skipped.
        """
        text, patterns = self.text, self.patterns
        if patterns.wide_tail is not None or self._refused(start):
            return None  # the rest of a run refused for its name would be refused again
        found = patterns.url_pair_run.match(text, start, self.url_end)
        if found is None:
            return None
        name = found.group("name")
        end = found.end()
        sensitive = _is_sensitive_param(name)
        if not sensitive or name.lower() in HEADER_NAMES:
            self.refused = (name, end)
            # A name not sensitive: no value of the run is a secret, and a word in it starts
            # no rule that masks (no space in a URL, no separator after a value) unless the
            # text after the URL reads on from its last value: skipped.
            if (
                sensitive
                or patterns.other_triggers.search(self.lower, start, end)
                or self._read_on(start, end)
            ):
                return None
            return end
        if patterns.other_triggers.search(self.lower, start, end):  # the run is ASCII
            return None
        if self._read_on(start, end):
            return None
        pending = self.pending
        while pending and pending[0][1] < start:  # the URL secrets before the pairs
            self._write(*pending.popleft())
        found_spans = patterns.url_pair_value.finditer(text, start, end)
        spans: list[tuple[int, int]] = list(map(patterns.group_span, found_spans))
        count = len(spans)
        if (
            len(pending) < count
            or list(patterns.islice(pending, count)) != spans
            or (len(pending) > count and pending[count][0] <= spans[-1][1])
        ):
            return None
        if len(pending) == count:
            pending.clear()
        elif len(pending) <= 2 * count:  # most of them: the rest copied, in C
            self.pending = deque(patterns.islice(pending, count, None))
        else:
            for _ in range(count):
                pending.popleft()
        end = spans[-1][1]  # the last value's end
        self.out += (text[self.last : start], patterns.url_pair.sub(REDACTED, text[start:end]))
        self.last = end
        self.run_end = spans[-1][0] - 1  # the last name's end, as the pair rule's reading sets it
        return end

    def _read_on(self, start: int, end: int) -> bool:
        """Whether the text after a URL's run of pairs may read on from the run's last value.

        So it may when that value runs to the URL's end and a quote follows it (``b'x'``), a
        scheme word ends it (its credential follows: ``?tokens=Bearer abc1``), or a name
        starts it or is it (``token=api key: S``, ``token=password: S``), or a name of words
        may take it in (``?key=vAPI key: S``, ``?key=password a=1``).
        """
        text = self.text
        if text[end - 1] in "&#;":
            return False
        value = text.rfind("=", start, end) + 1
        return (
            text[end : end + 1] in _QUOTES
            or self.lower.endswith(SCHEME_WORDS, value, end)
            or _ahead_name(text, value) is not None
            or self._is_next_name(value, end, end)
            or self.patterns.url_words_after.match(text, end) is not None
        )

    def _named_run(self, start: int) -> int | None:
        r"""Skip a run of pairs each empty, its value the next pair's name; None for no run.

        ``token: token: token: x``, ``secret:`` lines or ``x api key: x api key: ``: the
        same unit again and again, a name listed (one to three words one space apart, no
        header's, no scheme word before its last), ``:`` (maybe spaced: ``password : ``) and
        spacing (escaped line breaks and tabs too: ``token: \n``). The pair rule reads each
        unit's value as the next unit's name (``_next_pair``), so it masks nothing and goes
        on at the next unit, each time the same way, whatever stood before the first. The
        reading goes on at the last unit, read as the general path reads it (what follows
        it may be its value). Found in C, its name checked once.
        """
        text, patterns = self.text, self.patterns
        if start < self.named_refused:  # inside a run refused: each later unit is refused too
            return None
        if patterns.wide_tail is not None or patterns.named_tail.match(text, start) is None:
            return None  # no unit repeated from this word on: no run holds it
        found = None
        for first in self._words_before(start):  # the name may start a word or two before
            found = patterns.named_run.match(text, first)
            if found is not None and start < found.end("name"):
                break
        else:
            return None
        unit = found.group("unit")
        name = found.group("name").replace("\\t", " ")  # the name as its words, a space apart
        lowered = (unit + unit).lower()
        words = name.lower().split()
        if (
            any(word in HEADER_NAMES or word in SCHEME_WORDS for word in words[:-1])
            or words[-1] in HEADER_NAMES
            or not _is_listed(name)
            or not _is_sensitive_name(name)
            or patterns.other_triggers.search(lowered)
        ):
            self.named_refused = found.end()  # a later word of the run would find it again
            return None
        last = found.end() - len(unit)  # where the last unit starts
        self.run_end = last - len(unit) + len(name)  # as the reading of the one before sets it
        return last

    def _scheme_quotes(self, start: int) -> int | None:
        r"""Skip a run of scheme words each before a quote, reading nothing; None for no run.

        ``Bearer `Bearer `…`` or ``Bearer \"Bearer \"…``: the same unit again and again, a
        scheme word (at ``start``, just read), spacing and a quote (``scheme_quotes``). The scheme
        rule reads each unit's credential as the word after its quote, the next unit's
        scheme word: the very word it has just read after the first unit and found to be no
        credential (else it masked it, as in ``BeArer `BeArer `…``, and this is not asked).
        The pair rule finds no separator in a unit, nor a run of pairs, and nothing before a
        unit's scheme word (a quote) joins it, so each unit is read the same way, masking
        nothing. The reading goes on at the last unit, read as the general path reads it
        (what follows its quote may be a credential).
        """
        patterns = self.patterns
        if self.pending or patterns.wide_tail is not None:
            return None  # a URL secret waiting, or a name beyond the alphabet: read as it is
        found = patterns.scheme_quotes.match(self.text, start)
        if found is None:
            return None
        # (a unit holds no other rule's trigger: no URL, key or credential prefix)
        scheme, unit = found.group("scheme", "unit")
        last = found.end() - len(unit)  # where the last unit starts
        self.run_end = last - len(unit) + len(scheme)  # as the reading of the one before sets it
        return last

    def _json_run(self, start: int) -> int | None:
        """Mask at once a run of quoted JSON pairs from ``start``; where the reading goes on.

        ``"name": value`` pairs, each followed by a comma (``json_run``), are each read by the
        pair rule the same way, whatever stands around the run: a name holding a trigger is
        read from its quotes, and its value is masked to its closing quote (or, bare, to the
        comma or spacing) when the name is sensitive; else nothing is masked, and a name
        holding no trigger is not read at all. So the values of sensitive names are masked
        here, in C, each distinct name looked up once, unless another rule would read in
        the run: a name holding another rule's trigger (a credential's prefix), a private
        key's header in a masked value, a trigger of any rule in a value left as it is. The
        reading goes on at the first such pair (None when it is the first), and the rest of
        the run is left to the pair rule, so no run is matched twice.
        """
        patterns = self.patterns
        run = self._matched_run(patterns.json_run, start)
        if run is None:
            return None
        end = self.runs_end
        # Between the pairs (nothing, then a closing quote maybe, a comma and spacing), and
        # each pair's parts, in turns: what stands before the value, and the value.
        parts = patterns.json_pair.split(run)
        heads, values = parts[1::3], parts[2::3]
        other = patterns.other_triggers.search
        verdicts: dict[str, bool | None] = {}  # per head, None for a name another rule reads
        for head in set(heads):
            name = head[1 : head.index('"', 1)]
            verdicts[head] = None if other(name.lower()) else _is_sensitive_name(name)
        sensitive = list(map(verdicts.__getitem__, heads))
        count = len(heads)  # the pairs read here
        plain = "\0".join(  # the values left as they are, apart by what no trigger holds
            value for value, known in zip(values, sensitive, strict=True) if not known
        )
        if (
            None in verdicts.values()
            or patterns.any_trigger.search(_lower(plain))
            or self.lower.find("-----begin", start, end) >= 0
        ):
            count = next(
                (
                    index
                    for index, (value, known) in enumerate(zip(values, sensitive, strict=True))
                    if known is None
                    or (known and "-----begin" in _lower(value))
                    or (not known and patterns.any_trigger.search(_lower(value)))
                ),
                count,
            )
            if count == 0:
                return None
            del parts[3 * count + 1 :], values[count:], sensitive[count:]
            end = start + sum(map(len, parts))  # where the pair another rule reads starts
        masks = {  # each distinct value once
            value: value if not value or _is_masked(value) else REDACTED
            for value in set(patterns.compress(values, sensitive))
        }
        masked = [
            masks[value] if known else value for value, known in zip(values, sensitive, strict=True)
        ]
        self._write_run(start, parts, values, masked)
        return end

    def _escaped_run(self, start: int) -> int | None:
        r"""Mask at once a run of units ended by escaped line breaks; where the reading goes on.

        Each unit of ``escaped_run`` (``token=a\n``, ``Bearer b1234567\n``) is read by its
        rule the same way wherever it stands, as an escaped line break ends a value and
        a credential, and the escape's letter is no part of the next word: a pair of a
        sensitive name has its value masked (a header's name too: no cookie follows its
        ``=``); a scheme word has its credential masked when it looks like one, else
        nothing is masked. So each distinct unit is worked out once, the run masked in C,
        unless a unit is read otherwise: a name not sensitive or holding another rule's
        trigger, a pair's value ending in a scheme word (its credential on the next line
        goes too), a private key's header, a trigger of any rule in a credential left as it
        is, or a trigger that an escape's letter starts (``\token``). The reading goes on
        after the last value read here, where the pair rule would (None when no unit is).
        """
        patterns = self.patterns
        run = self._matched_run(patterns.escaped_run, start)
        if run is None:
            return None
        # Each unit's parts in turns: what stands before its value, and the value (between
        # them nothing, and the escapes and spacing after the last one).
        parts = patterns.escaped_unit.split(run)
        heads, values = parts[1::3], parts[2::3]
        any_trigger, other = patterns.any_trigger, patterns.other_triggers
        pairs: dict[str, bool | None] = {}  # per head: a pair's?, None for one read otherwise
        for head in set(heads):
            lead = patterns.escaped_lead.match(head).end()  # type: ignore[union-attr]
            lowered = head[lead:].lower()
            if head[lead - 1 : lead] in ("n", "r", "t") and any_trigger.match(
                head[lead - 1] + lowered
            ):
                pairs[head] = None  # the escape's letter before it starts a trigger
            elif head.endswith("="):
                name = head[lead:-1]
                sensitive = not other.search(lowered) and _is_sensitive_name(name)
                pairs[head] = True if sensitive else None
            else:
                pairs[head] = False
        masks: dict[tuple[str, str], str | None] = {}  # per unit: its value masked, or None
        for head, value in set(zip(heads, values, strict=True)):
            pair, lowered = pairs[head], _lower(value)
            if pair is None or "-----begin" in lowered:
                mask = None
            elif pair:
                scheme = lowered.endswith(SCHEME_WORDS)
                mask = None if scheme else value if _is_masked(value) else REDACTED
            elif _looks_like_credential(value):
                mask = REDACTED
            else:
                mask = None if any_trigger.search(lowered) else value
            masks[head, value] = mask
        masked = list(map(masks.__getitem__, zip(heads, values, strict=True)))
        count = masked.index(None) if None in masks.values() else len(masked)
        if count == len(masked) and pairs[heads[-1]]:
            # The last pair's value and the words after the run may be the next pair's
            # name ("token=api\\tkey: S"), which the pair rule reads as no value: left to it.
            value_at = start + sum(map(len, parts[: 3 * count - 1]))
            count -= _ahead_name(self.text, value_at) is not None
        if count == 0:
            return None
        del parts[3 * count :], values[count:], masked[count:]  # up to the last value read
        end = start + sum(map(len, parts))
        self._write_run(start, parts, values, masked)
        return end

    def _matched_run(self, run: re.Pattern[str], start: int) -> str | None:
        """The text of a run of ``run`` at ``start`` (its end kept in ``runs_end``), or None.

        None too once a name beyond the alphabet was added: such a name is read by its own
        stretch, which these runs do not know.
        """
        if self.patterns.wide_tail is not None:
            return None
        found = run.match(self.text, start)
        if found is None:
            return None
        self.runs_end = found.end()
        return found.group()

    def _write_run(
        self, start: int, parts: list[str], values: list[str], masked: list[Any]
    ) -> None:
        """Write a run read at ``start`` up to the end of its last masked value.

        ``parts`` is the run split into what stands before each value and the value, in
        turns (``values`` those values, ``masked`` each as it is written), as the pair rule
        writes them: the text after the last mask is left to the reading.
        """
        last = len(masked) - 1  # the last value masked
        while last >= 0 and masked[last] == values[last]:
            last -= 1
        if last >= 0:
            written = sum(map(len, parts[: 3 * last + 3]))
            parts[2::3] = masked
            self.out += (self.text[self.last : start], "".join(parts[: 3 * last + 3]))
            self.last = start + written

    def _blank_headers(self, start: int) -> int | None:
        """Skip a run of header lines left blank (``Cookie:`` lines); None for no run.

        The header rule reads each line's value, nothing, masks nothing and goes on at its
        line break; the next line is read the same way, whatever stood before it. So the
        reading goes on after the run, found in C (``blank_headers``).
        """
        found = self.patterns.blank_headers.match(self.text, start)
        return None if found is None else found.end()

    def _words_before(self, start: int) -> list[int]:
        """Where the word at ``start`` and the one or two before it start.

        The words are one space or one escaped tab apart; the earliest first; none reaches
        before the text read.
        """
        text = self.text
        starts = [start]
        for _ in range(_NAME_WORDS - 1):
            end = starts[0] - 1
            if end > self.last + 1 and text[end - 1 : end + 1] == "\\t":
                end -= 1
            elif end <= self.last or text[end] != " ":
                break
            first = end
            while first > self.last and text[first - 1] in _WORD_CHARS:
                first -= 1
            if first == end:
                break
            starts.insert(0, first)
        return starts

    def _wide_name(self, at: int) -> int | None:
        """An added name beyond the name alphabet (``clé_api``, ``X-AUTH!``) and its pair.

        The stretch around the trigger at ``at`` that no space, quote, bracket, value
        separator or ``=``/``:`` ends, up to a separator, is read as a name: when it is one
        of the names added, its value is masked. Else (None) the trigger is read as a word.
        """
        if at < self.wide_quiet:
            return None
        text = self.text
        tail = self.patterns.wide_tail.match(text, at)  # type: ignore[union-attr]
        if tail is None:
            # No separator within a name's length: none is for a trigger further back in the
            # same stretch either (one can stand only at its end), so those are not read.
            stretch = self.patterns.wide_stretch.match(text, at)  # type: ignore[union-attr]
            self.wide_quiet = (at if stretch is None else stretch.end()) - _NAME_LIMIT - 2
            return None
        start = at
        while (
            start > self.last and at - start < _NAME_LIMIT and text[start - 1] not in _STRETCH_END
        ):
            start -= 1
        escape = max(text.rfind(mark, start, at) for mark in _ESCAPES)
        if escape >= 0:  # an escaped line break or tab ends a word: "foo\nX-AUTH!=S"
            start = escape + 2
        if tail.start("sep") - start > _NAME_LIMIT:
            return None
        # a closing quote, maybe escaped (``\"X-AUTH!\": S``), is no part of the name
        name = text[start : tail.start("sep")].rstrip(_GAP_CHARS).rstrip("\"'`").rstrip("\\")
        if not _is_listed(name):
            return None
        return self._pair(tail.start("sep"), name, start)

    def _pair_run(self, start: int) -> re.Match[str] | None:
        """The pair rule's run at ``start`` (``pair_run``), checked for the next pair's name.

        A bare value is, with the words after it, the next pair's name only across a ``:``
        or ``->`` (a glued ``=`` is no separator there, and a run holds no ``>`` outside
        quotes): with no ``:`` in the run, only its last value, which the text after it
        follows, can be one. Else the run is matched again, every value checked, and so is
        any run that starts before its end (each character is read once by the first match).

        A bare last value can start a name only when it is all name characters, one word
        (it holds no space and no ``:``, and ``=`` ends a name only after a space): then it
        is the run of name characters that ends the run of pairs, as no separator or space
        holds one. When the value holds another character, that run starts inside it and
        is read in vain: at worst the run is matched again, every value checked, the same.
        """
        text, patterns = self.text, self.patterns
        if start < self.checked_end:  # in a run found to need the check: not read twice
            return patterns.pair_run_checked.match(text, start)
        found = patterns.pair_run.match(text, start)
        if found is None:
            return None
        end = found.end()
        if text.find(":", start, end) < 0:
            if text[end - 1] in _QUOTES:
                return found  # the last value is quoted
            # A name's first word is at most _NAME_LIMIT characters: no more is read back.
            tail = text[max(start, end - _NAME_LIMIT - 1) : end]
            if _ahead_name(text, end - len(tail) + len(tail.rstrip(_NAME_CHAR_TEXT))) is None:
                return found
        self.checked_end = end
        return patterns.pair_run_checked.match(text, start)

    def _quiet_run(self, start: int, name: str, after: int) -> int:
        """Where the reading goes on after a run of pairs of a name that is not sensitive.

        The pair at ``start`` has a name that is not sensitive (``tokens=1 tokens=2``), and
        its reading masked nothing. Each later pair of that name would be read the same
        way: its name alone (not sensitive), or its name and the word before it, spacing
        only between (``key=api key=x``: ``api key``), which is checked here once per
        distinct word; and everything else would be read by the rules of the triggers it
        holds. So when the rest of the run (``quiet_run``: such pairs, each value up to
        spacing or ``&;,``) holds no trigger at all, the reading skips to its end, where no
        trigger can start before and end after; else it goes on at ``after``.
        """
        text, patterns = self.text, self.patterns
        if len(name) >= _NAME_LIMIT:
            return after
        found = patterns.pair_runs.get(name)
        if found is None:
            if patterns.other_triggers.search(name.lower()):
                return after  # a name holding a credential prefix or a URL: its own rule
            import re

            # Where the name stands as a pair's name (nothing glued before it, a separator
            # after it), and a run of such pairs.
            literal = re.escape(name)  # first, so the search skips to it in C
            name_at = rf"{literal}(?<![A-Za-z0-9_.\-]{literal})(?:=(?!>)|:(?!//))"
            found = (
                re.compile(rf"{name_at}\s*"),
                re.compile(rf"(?:{name_at}\s*[^\s&;,]*(?:[\s&;,]+|\Z))+{patterns.possessive}"),
            )
            if len(patterns.pair_runs) >= 64:
                patterns.pair_runs.clear()
            patterns.pair_runs[name] = found
        names, quiet_run = found
        run = quiet_run.match(text, start)
        if run is None or text.find(name, start + len(name), run.end()) < 0:
            return after  # one pair: nothing to gain
        end = run.end()
        # What stands between the names' separators: values, spacing, other text.
        parts = names.split(text[start:end])
        rest = " ".join(parts).lower()
        if any(trigger in rest for trigger, _ in patterns.triggers):
            return after
        for part in set(parts[1:-1]):  # each followed by the name
            word = part.rstrip(_GAP_CHARS)
            if len(word) < len(part) and word and word[-1] in _NAME_CHARS:
                first = max(len(word.rstrip(_NAME_CHAR_TEXT)), len(word) - _NAME_LIMIT)
                word = word[_escape_end(word, first, len(word)) :]  # not an escape's letter
                if _is_sensitive_name(f"{word} {name}"):
                    return after
        self.run_end = end
        return end

    def _refused(self, start: int) -> bool:
        """Tell whether ``start`` begins a pair of the same-name run last refused."""
        name, end = self.refused
        if start >= end:
            return False
        found = self.patterns.name_run.match(self.text, start)
        return found is not None and found.group() == name

    def _pairs(self, start: int, end: int) -> int:
        """Mask the values of the pairs in a row that ``pair_run`` read; return ``end``."""
        text = self.text
        # The text between the values, and what stands before each value (the group), in
        # turns: the values are what the split leaves out.
        parts: list[str] = self.patterns.pair.split(text[start:end])
        # Each stretch up to a value ("between" + "before"), glued in C, then "***" after each.
        heads = map(self.patterns.add, parts[0:-1:2], parts[1::2])
        masked = REDACTED.join(heads) + REDACTED + parts[-1]
        self.run_end = end
        if text[end - 1] in _QUOTES:  # the closing quote of the last value is not masked
            end -= 1
            masked = masked[:-1]
        self.out += (text[self.last : start], masked)
        self.last = end
        return end + (end < self.run_end)

    def _shape(self, lower: str, start: int, after: int) -> int:
        """A known credential shape, masked whole when its body and word boundary fit."""
        text = self.text
        prefix, body, exact = self.patterns.shapes[lower[start:after]]
        if (
            start < self.shape_ends.get(body.pattern, 0)
            or not text.startswith(prefix, start)
            or (
                start
                and text[start - 1] in _WORD_CHARS
                and text[start - 2 : start] not in _ESCAPES  # "\\tsk-..." stands alone
            )
        ):
            return after  # another case ("Sk-"), or inside a word
        found = body.match(text, after)
        if found is not None and (found.end() >= len(text) or text[found.end()] not in _WORD_CHARS):
            return self.mask(start, found.end())
        if not exact:
            # A prefix of the same shape starting inside the run the body's first part read
            # reaches the same end and fails the same way: none is tried again.
            run = self.patterns.shape_runs[body.pattern].match(text, after)
            self.shape_ends[body.pattern] = after if run is None else run.end()
        return after

    def _header(self, start: int) -> int:
        """An ``Authorization``/``Cookie`` header in text: its value, to the end of the line.

        When the line ends in a sensitive name and its separator (``Cookie: a=1; token:``),
        that pair's value, on the next line, is masked too; so is the credential after a
        scheme word that ends it (``Authorization: Bearer``), read by the scheme rule.
        """
        text = self.text
        while start < len(text) and text[start] in " \t":
            start += 1
        line_end = self.patterns.line_end.search(text, start)
        end = len(text) if line_end is None else line_end.end()
        line = text[start:end].rstrip()  # spacing at the line's end stays
        masked = self.mask(start, start + len(line))
        lowered = line.lower()
        if lowered.endswith(SCHEME_WORDS) and not lowered[-7:-6].isalnum():
            credential = self._scheme(start + len(line))  # on the next line
            if credential is not None:
                return max(masked, credential)
        if line.endswith((":", "=")):
            separator = start + len(line) - (2 if line.endswith(("=>", "->")) else 1)
            found = _name_before(text, separator, start)
            if found is not None and found[0].lower() not in HEADER_NAMES:
                after = self._pair(separator, found[0], found[2])
                if after is not None:
                    return max(masked, after)
        return masked

    def _scheme(self, scheme_end: int) -> int | None:
        """``Bearer`` (``Basic``, ``Token``, ``Digest``) and a credential, or its auth-params.

        The credential is one word, bare or quoted (``Bearer "abc123"``), masked when it
        looks like one. Parameters that start with a quoted value (``Digest username="bob",
        response="..."``, a ``WWW-Authenticate: Bearer realm="api"`` challenge) are read as
        pairs instead: each value is masked unless its name is one of ``PUBLIC_AUTH_PARAMS``.
        A bare ``x=y`` first is a credential (``Bearer S3cr3t=...``), not a parameter. A URL
        (whose scheme holds no credential prefix) is read by its own rule; when a comma and
        auth-params follow it (a Digest credential whose first part is a URL), they are read
        as the list.
        """
        text = self.text
        tail = self.patterns.scheme_tail.match(text, scheme_end)
        if tail is None:
            return None  # no whitespace after the scheme, or no word
        if tail.start("param") >= 0:
            return self._auth_params(tail.start("param"))  # a quoted value first, as in RFCs
        start, end = tail.span("word")
        quote = tail.group("quote")
        word = tail.group("word")
        if "\\" in word:  # an escaped line break ends the word, as whitespace does
            cut = self.patterns.escaped_break.search(text, start + 1, end)
            if cut is not None:
                end = cut.start(1)
                word = text[start:end]
        if "&" in word and "://" not in word:  # "&" joins no credential: it starts a pair
            word = word[: word.index("&")]
            end = start + len(word)
        closed = end  # where a pair's separator would follow the word
        if quote and text.startswith(quote, end):
            closed = end + len(quote)
        else:
            word = word.rstrip(".,:;!?")  # prose punctuation after the word is not part of it
            end = closed = start + len(word)
        url = self.patterns.url_start.match(word) if "://" in word else None
        # A scheme holding a credential prefix is read by the shape rule first, which leaves
        # no URL there: the word is the credential ("Bearer sk-…://h/S").
        if url is not None and not self.patterns.other_triggers.search(
            self.lower, start, start + url.end() - 3
        ):
            return self._params_after_url(start, end)
        name = self.patterns.name_in_word.match(word)
        if (
            not _looks_like_credential(word)
            or (name is not None and _is_sensitive_name(name.group(1)))
            or self._is_next_name(start, end, closed)
        ):
            return None  # prose, or the name of a pair ("basic access_token: S"): its rule reads it
        return self.mask(start, end)

    def _params_after_url(self, start: int, end: int) -> int | None:
        """A URL after a scheme word, then maybe auth-params: ``Digest https://h/x, nonce="n"``.

        The URL is read by its rule, here, before the list (its secrets wait to be written,
        and ``mask`` writes them first); the list after it is read as an auth-param list.
        Returns None, leaving the URL to be read where the scan finds it, when no list
        follows or the URL reaches into it.
        """
        params = self.patterns.params_after.match(self.text, end)
        if params is None:
            return None
        colon = self.lower.find("://", start, end)
        self._url(self.lower, colon, colon + 3, params.start())  # the comma ends it
        if self.url_end > params.start():
            return None
        return self._auth_params(params.end())

    def _auth_params(self, start: int) -> int:
        """Mask the values of an auth-param list (``name=value, name="value"``), end to end.

        Each value is masked unless its name is one of ``PUBLIC_AUTH_PARAMS`` (the quotes
        of a quoted value stay). The list is read in C: one match for the whole list, one
        split into names and values. A private key's header or a pending URL secret inside
        the list leaves it to ``mask``, value by value, which stops at the one and joins
        the other.
        """
        text = self.text
        found = self.patterns.auth_params.match(text, start)
        if found is None:  # pragma: no cover - the scheme rule saw a param there
            return start
        end = found.end()
        segment = found.group()
        if self.pending or "-----" in segment or start < self.last:
            return self._mask_params(start)
        # Between the params, then each param's name, "=" and value, in turns.
        parts = self.patterns.auth_param.split(segment)
        names, values = parts[1::4], parts[3::4]
        if any(map(_is_public_param, set(names))):
            masked = [
                value if _is_public_param(name) else _masked_param(value)
                for name, value in zip(names, values, strict=True)
            ]
        else:  # every value masked: each distinct value once, the list mapped in C
            memo = {value: _masked_param(value) for value in set(values)}
            masked = list(map(memo.__getitem__, values))
        last = len(masked) - 1  # the last value masked
        while last >= 0 and masked[last] is values[last]:
            last -= 1
        if last < 0:
            return end
        parts[3::4] = masked
        last = 4 * last + 3  # its index in ``parts``
        # The text is written up to the end of the last mask (a closing quote stays after
        # it); what follows is as it was.
        quote = len(parts[last]) - len(parts[last].rstrip("\"'\\"))  # the closing quote
        written = "".join(parts[: last + 1])
        self.out += (text[self.last : start], written[: len(written) - quote])
        self.last = end - len("".join(parts[last + 1 :])) - quote
        return end

    def _mask_params(self, start: int) -> int:
        """``_auth_params`` read value by value, each through ``mask``."""
        text, patterns = self.text, self.patterns
        pos = start
        while (param := patterns.auth_param.match(text, pos)) is not None:
            name, value = param.group(1, 3)
            end = param.end()
            if not _is_public_param(name):
                inside, outside = _param_inside(value)
                self.mask(param.start(3) + inside, param.start(3) + outside)
            comma = patterns.param_comma.match(text, end)
            if comma is None:
                return end
            pos = comma.end()
        return pos

    def _pair(self, separator: int, name: str | None, name_start: int) -> int | None:
        """When a sensitive name ends at ``separator``, mask the value after it; else None.

        ``name`` is the unquoted sensitive name there, starting at ``name_start``, when the
        caller knows it already.
        """
        text = self.text
        quoted = False
        if name is None:
            found = _name_before(text, separator, self.last)
            if found is None:
                return None
            name, quoted, name_start = found
        start = separator + (2 if text.startswith(("=>", "->", ":="), separator) else 1)
        if not quoted and name.lower() in HEADER_NAMES:
            if text[separator] == ":":
                end = self._header(start)
                run = self.patterns.header_run
                escaped = self.escapes and self.patterns.wide_tail is None
                if escaped and self.patterns.escaped_gap.match(text, end):
                    run = self.patterns.escaped_header_run  # a line ended by an escaped break
                return self._repeated(name_start, start, end, run)
            if self.patterns.cookie_pair.match(text, start) and not (
                self.url_start <= start < self.url_end
            ):
                return self._header(start)  # "Cookie=a=1; b=2": the header, every pair
        start = _skip(self.patterns.value_gap, text, start)  # escaped line breaks too
        glued = self.patterns.separator_run.match(text, start)
        if glued is not None:  # "password ::= S": what separates is no value
            start = _skip(self.patterns.value_gap, text, glued.end())
        if start >= len(text):
            return start
        first = text[start]
        if first == "\\":
            return self._escaped_quoted(start)
        if first in _STRING_PREFIXES:  # a Python prefixed string: b'...', f"...", rb'...'
            width = 2 if text[start + 1 : start + 2] in _STRING_PREFIXES else 1
            if text[start + width : start + width + 1] in ("'", '"'):
                start += width
                first = text[start]
        if first in "\"'":  # an empty string glued to a word ('""S', '""""""S') opens none:
            empty = 6 if text.startswith(first * 6, start) else 2  # a bare value, quotes too
            while empty >= 6 and text.startswith(first, start + empty):
                empty += 1  # and a quote after an empty triple-quoted one ('"""""""S')
            beyond = text[start + empty : start + empty + 1]  # (none at the end: no word)
            if text.startswith(first * empty, start) and beyond in _WORD_CHARS:
                return self.mask(start, self._value_end(start))
        if text.startswith(('"""', "'''"), start):  # a Python triple-quoted string
            end = self._triple_quoted(start)
            if self.patterns.wide_tail is not None:  # a name beyond the alphabet: read alone
                return end
            return self._repeated(name_start, start + 3, end, self.patterns.triple_run)
        if text.startswith("``", start):  # a Markdown code span or fence
            after = start
            while after < len(text) and text[after] == "`":
                after += 1
            opener = text[start:after]
            # The same run before the name, no word glued after it: a span round the name
            # and separator ("``password=``; see"), closed here: no value.
            before = name_start - len(opener)
            if (
                before >= 0
                and text.startswith(opener, before)
                and text[before - 1 : before] != "`"
                and text[after : after + 1] not in _WORD_CHARS
            ):
                return after
            return self._backticked(start)
        if first in "\"'`":
            inner = self.patterns.quoted[first].match(text, start + 1)
            end = inner.end() if inner is not None else len(text)
            if self._is_next_name(start + 1, end, end + 1):
                return start + 1
            self.mask(start + 1, end)
            closed = min(end + 1, len(text))
            if end - start - 1 in _SCHEME_LENGTHS and self.lower[start + 1 : end] in SCHEME_WORDS:
                # a quoted scheme word ('auth = "Digest" a="b", ...'): its credential goes too
                return self._quoted_scheme(closed)
            return closed
        if first in "[{(":
            return self.mask(start, self._value_end(start))
        if (named := self._next_pair(start)) is not None:
            return named
        end = self._value_end(start)
        if end == start:
            return start
        pem = self.lower.find("-----begin", start, end)
        if pem >= 0:  # a private key: its own rule reads it whole, header to footer
            end = pem
            if end == start:
                return start
        if self._is_next_name(start, end, end):
            # A value that ends in a sensitive name ("SToken : x"): masked, and so is the
            # value of the pair it names.
            self.mask(start, end)
            masked = self._pair(_skip(self.patterns.spaces, text, end), text[start:end], start)
            return end if masked is None else masked
        if (
            self.lower.endswith(SCHEME_WORDS, start, end)
            and not text[max(start, end - 7) : max(start, end - 6)].isalnum()
        ):
            # "token=Bearer abc", "api_key=bearer abc": the scheme's credential goes too,
            # read as a bare value is ("token: Bearer abc->S" masks "abc->S"); auth-params
            # with a quoted value first ('auth = Digest a="b", ...') as the scheme rule reads
            # them.
            tail = self.patterns.scheme_tail.match(text, end)
            if tail is not None and tail.start("param") >= 0:
                self.mask(start, end)
                return self._auth_params(tail.start("param"))
            after = _skip(self.patterns.value_gap, text, end)  # line breaks too
            apart = not text[end:after].strip(" \t")  # else the scheme and it mask apart
            credential = self.patterns.bare.match(text, after)
            quoted = text[after : after + 1] in _QUOTES
            if after > end and _ahead_name(text, after + quoted) is not None:
                # The next pair's name, maybe quoted ("token: Bearer\npassword: S"), is no
                # credential: that pair is read as its own.
                if " " not in name:  # a name of words reads a run of its own below
                    return self._scheme_pairs(name_start, self.mask(start, end))
            elif after > end and text.startswith("``", after):  # a code span or fence
                self.mask(start, end)
                return self._backticked(after)
            elif after > end and quoted:  # 'token: Bearer "S"'
                inner = self.patterns.quoted[text[after]].match(text, after + 1)
                inside = len(text) if inner is None else inner.end()  # the closing quote's place
                if apart:  # and what is glued after the closing quote ('"""S', '""S')
                    end = self._value_end(min(inside + 1, len(text)))
                else:
                    self.mask(start, end)
                    self.mask(after + 1, inside)
                    return min(inside + 1, len(text))
            elif after > end and credential is not None:
                if apart:
                    end = self._value_end(after)
                    if " " not in name:  # a name of words reads a run of its own below
                        return self._scheme_pairs(name_start, self.mask(start, end))
                else:
                    self.mask(start, end)
                    masked = self.mask(after, self._value_end(after))
                    return self._scheme_lines(name_start, masked)
        end = self.mask(start, end)
        if " " in name:  # a name of words: the same pair may follow, again and again
            return self._repeated(name_start, start, end, self.patterns.lead_run)
        return end

    def _triple_quoted(self, start: int) -> int:
        """Mask a Python triple-quoted value at ``start``; return where the reading goes on.

        The value ends at its closing quotes (an escaped quote closes nothing, nor do quotes
        after a separator, which open the next value); an unclosed one at the end of its
        line, where the reading goes on.
        """
        text = self.text
        quotes = text[start : start + 3]
        if quotes == self.unclosed[0] and start < self.unclosed[1]:
            close = self.unclosed[1]  # opened inside a value read unclosed: unclosed too
        else:
            inside = self.patterns.triple_quoted[quotes[0]].match(text, start + 3)
            close = inside.end()  # type: ignore[union-attr]
        if not text.startswith(quotes, close):
            self.unclosed = (quotes, close)
            return self._unclosed(start + 3)
        self.mask(start + 3, close)
        return close + 3

    def _backticked(self, start: int) -> int:
        """Mask a value in a run of backticks at ``start`` (a Markdown code span or fence).

        The value ends at the same run of backticks; an unclosed one is read as an unclosed
        triple-quoted value is (``_unclosed``).
        """
        text = self.text
        after = start
        while after < len(text) and text[after] == "`":
            after += 1
        opener = text[start:after]
        if opener == self.unclosed[0] and start < self.unclosed[1]:
            close = -1  # none after an opening of the same run read unclosed: none here
        else:
            close = text.find(opener, after)
        if close < 0:
            self.unclosed = (opener, len(text))
            return self._unclosed(after, below=len(opener) >= 3)
        self.mask(after, close)
        return close + len(opener)

    def _unclosed(self, start: int, *, below: bool = False) -> int:
        """Mask an unclosed value opened before ``start``; return where the reading goes on.

        The value is the rest of its line or, when only spacing follows the opening there,
        the next line (``token = '''`` and a line break: the value stands below) unless a
        pair starts it (``password=S``, read as its own); after a fence's opening (``below``),
        the next line as well (the rest is its info string).
        """
        text, line_end = self.text, self.patterns.line_end
        line = line_end.search(text, start)
        end = len(text) if line is None else line.end()
        blank = not text[start:end].strip()
        if blank or below:
            if not blank:
                self.mask(start, end)  # "```json": the code stands below
            start = _skip(self.patterns.value_gap, text, end)  # escaped line breaks too
            word = self.patterns.name_run.match(text, start)
            if word is not None and self._is_next_name(start, word.end(), word.end()):
                return start
            line = line_end.search(text, start)
            end = len(text) if line is None else line.end()
        return self.mask(start, end)

    def _repeated(self, lead: int, value: int, end: int, run: re.Pattern[str]) -> int:
        """Mask at once the pairs after the one just masked that repeat it (``run``).

        The pair rule has masked ``text[:end]``, a value after the name and separator
        that stand in ``text[lead:value]``. When ``run`` reads that pair and, right after
        it, pairs of the very same name, separator and spacing with the plain values it
        allows (the same header line again: ``Cookie: a=1`` lines; the same pair of a name
        of words: ``API key: x`` lines), each of them would be read as that one was: their
        values are masked in C, the masked run written as one repeated string. Returns where
        the reading goes on. A name and separator that do not follow at once cost no match.
        """
        if self.last != end or self.pending or lead < self.url_end:
            return end  # not a plain mask (a private key cut it, a URL secret joined it)
        text, patterns = self.text, self.patterns
        escaped = run is patterns.escaped_header_run
        gap_run = patterns.escaped_gap if escaped else patterns.gap
        if not text.startswith(text[lead:value], _skip(gap_run, text, end)):
            return end  # no repeat right after it: not worth the run's match
        found = run.match(text, lead)
        if found is None or found.start("rest") != end:
            return end
        lowered = found.group("lead").lower()
        gap = found.group("gap")
        if patterns.other_triggers.search(lowered) or (
            escaped and patterns.any_trigger.match(gap[-1] + lowered)
        ):
            return end  # a name holding a credential prefix, or a trigger an escape starts
        last = text[max(found.start(), found.end() - 8) : found.end()].lower()
        unit = gap + found.group("lead")  # what stands before each value
        rest = found.group("rest")
        if (escaped or run is patterns.header_run) and last.endswith(SCHEME_WORDS):
            # The last line's scheme may take a credential below: that line is read on its
            # own, the lines before it at once (a scheme ending one takes the next line's
            # header name, a sensitive name: no credential).
            rest = rest[: rest.rfind(unit)]
            if not rest:
                return end
        if run is patterns.lead_run and self._names_ahead(gap, unit, rest, found.end()):
            return end
        self.out.append((unit + REDACTED) * rest.count(unit))
        self.last = self.run_end = end + len(rest)
        return end + len(rest)

    def _scheme_lines(self, lead: int, end: int) -> int:
        """Mask at once the pairs after the one just masked whose value is a scheme word too.

        The pair rule has masked a value that is a scheme word ending its line and the
        credential on the next line, up to ``end``; its name, separator and spacing stand at
        ``lead``. Each pair after it of the very same name, separator and spacing, apart by
        the same spacing (``scheme_lines``), is read the same way wherever it stands: its
        name is read as a pair's (no run of pairs takes a value that is a scheme word), its
        value is no name (a line break follows it), and its credential is read as a bare
        value that no separator follows. So both are masked here, in C, when the name is
        sensitive, no header's, and holds no other rule's trigger. Returns where the reading
        goes on.
        """
        patterns = self.patterns
        if not self._plain_mask(lead, end):
            return end
        found = patterns.scheme_lines.match(self.text, lead)
        if found is None or found.start("rest") != end:
            return end
        name = found.group("name")
        if (
            "-----" in name
            or name.lower() in HEADER_NAMES
            or not _is_sensitive_name(name)
            or patterns.other_triggers.search(found.group("lead").lower())
        ):
            return end
        # What stands before each scheme word, and between it and its credential, in turns.
        parts = patterns.scheme_line.split(found.group("rest"))
        heads = map(patterns.add, parts[0:-1:3], parts[1::3])
        lines = REDACTED.join(patterns.chain(zip(heads, parts[2::3], strict=True)))
        self.out.append(lines + REDACTED + parts[-1])
        self.last = found.end()
        return found.end()

    def _plain_mask(self, lead: int, end: int) -> bool:
        """Whether the pair read from ``lead`` ended in a plain mask at ``end`` a run may follow.

        Not when something else was written or waits (a URL's secrets), the pair stands in
        a URL, or a name beyond the name alphabet was added (its reading may differ).
        """
        return (
            self.last == end
            and not self.pending
            and lead >= self.url_end
            and self.patterns.wide_tail is None
        )

    def _scheme_pairs(self, lead: int, end: int) -> int:
        """Mask at once a run of pairs whose scheme word the next pair's name follows.

        The pair rule has masked, up to ``end``, a value that is a scheme word the name of
        the next pair follows, the same unit again (``scheme_pairs``): that name is no
        credential. Every pair of the run but the last is read so: its scheme word masked
        alone, the next pair read as its own (its name sensitive, as the pair rule read it).
        So they are written here at once; the reading goes on at the last one's name, as
        the general path reads it (what follows the run may be a credential).
        """
        patterns = self.patterns
        if not self._plain_mask(lead, end):
            return end
        found = patterns.scheme_pairs.match(self.text, lead)
        if found is None:
            return self._glued_pairs(lead, end)
        unit = found.group("unit")
        head = unit[: found.start("scheme") - lead]  # the name, separator and spacing
        name = head.rstrip(" \t=:")
        if (
            found.end("scheme") != end
            or "-----" in name
            or name.lower() in HEADER_NAMES
            or patterns.other_triggers.search(unit.lower())
        ):
            return end
        after = found.group("after")  # what follows each scheme word
        units = (found.end() - lead) // len(unit) - 2  # the pairs between the first and last
        if units <= 0:
            return end
        self.out.append((after + head + REDACTED) * units)
        self.last = end + len(unit) * units
        return self.last

    def _glued_pairs(self, lead: int, end: int) -> int:
        """Mask at once a run of pairs whose value runs on into the next pair's name; ``end`` else.

        The pair rule has masked, up to ``end``, a bare value that is a word, quotes glued to
        it and the next pair's name, a scheme word (``token = x'''token``), with what it
        took for that scheme's credential: the next pair's ``=`` (``glued_pairs``). The
        reading goes on after that ``=``: spacing, then the word with its quotes, where a word
        trigger finds no separator nor spacing after it (quotes and a name follow); the pair
        after them is read the same way wherever it stands, when what stands before its name
        is the same: the quote that ends each unit. So, when the units hold no other rule's
        trigger (a credential's prefix, a private key's header), from a pair so read after a
        unit on, each two units are written at once (the first one's name and separator, then
        one mask); the reading goes on in the last two, where their mask ends (what follows
        them may be read otherwise).
        """
        text, patterns = self.text, self.patterns
        found = patterns.glued_pairs.match(text, lead)
        if found is None:
            return end
        name, unit, value = found.group("name", "unit", "value")
        after = len(name) + len(found.group("spacing")) + 1  # the unit up to its "=" and past
        if (
            lead + len(unit) + after != end
            or text[lead - 1 : lead] != unit[-1]  # the first pair stands as the others do
            or "-----" in name
            or patterns.other_triggers.search((unit + unit).lower())
        ):
            return end
        kept = 2 * len(unit) - after - len(value)  # to the mask of each two units
        twos = (found.end() - lead) // (2 * len(unit)) - 1  # the twos after the first
        self.out.append((text[end : end + kept] + REDACTED) * twos)
        self.last = end + 2 * len(unit) * twos
        return self.last

    def _names_ahead(self, gap: str, unit: str, rest: str, end: int) -> bool:
        """Tell whether a value of a run of repeats would be read as the next pair's name.

        ``rest`` is the run's units after the first, each ``unit`` (``gap`` and the name
        that repeat) and a value, the last value ending at ``end``. A value and the words
        after it may be a name listed (``x`` and ``API key:`` are ``x_api_key``), which the
        pair rule reads as the next pair (see ``_next_pair``): the last value is checked
        with the text after it, and when only spacing stands between a value and the name
        after it, each distinct value is checked once with that name.
        """
        last = len(rest) - rest.rfind(unit) - len(unit)
        if _ahead_name(self.text, end - last) is not None:
            return True
        if gap.strip(_GAP_CHARS):
            return False  # a line break or "&;," between: no value reads on into a name
        values = set(rest.split(unit)[1:-1])
        return any(_ahead_name(value + unit, 0) is not None for value in values)

    def _value_end(self, start: int) -> int:
        """Return where a bare value ends: words and bracketed groups glued together.

        ``[a]bsecret``, ``ValueError('S')``, ``a[x]@``, ``p@ss'w0rd`` are each one value; it
        ends at whitespace or an escaped line break or tab (a backslash and ``n``, ``r`` or
        ``t``), ``&``, ``;``, ``,``, or at a quote, ``<``, ``>`` or a closing bracket it did
        not open that no letter, digit or ``_`` follows. A value inside a URL ends where a
        value of the URL ends too: at the URL's end or at its fragment's ``#`` (so the pair
        rule and the URL rule read the same value).
        """
        text, patterns = self.text, self.patterns
        limit = len(text)
        if self.url_start <= start < self.url_end:
            fragment = self._fragment(start)
            limit = self.url_end if fragment < 0 else fragment
        # Read no further than one character past the limit: what lies beyond is cut off
        # anyway, and a value of each of many parameters must not read to the text's end.
        stop = min(limit + 1, len(text))
        pos = start
        while True:
            run = patterns.value_run.match(text, pos, stop)  # words and flat groups, in C
            if run is not None:
                pos = run.end()
            if pos >= stop or text[pos] not in "([{":
                break
            pos = _bracket_end(text, pos, patterns, stop)  # a group holding groups or quotes
        end = min(pos, limit)
        if "\\" in text[start:end]:  # an escape that does not start it ends the value
            cut = patterns.escaped_break.search(text, start + 1, end)
            if cut is not None:
                return cut.start(1)
        return end

    def _fragment(self, start: int) -> int:
        """Return the first ``#`` in the URL just read at or after ``start`` (-1 for none).

        The values of a URL's many parameters ask in turn, each from further on: the answer
        found for an earlier start stands while it lies at or after this one (no ``#`` lies
        between), so the URL is searched once, not once per value.
        """
        end, searched, found = self.fragment
        if end != self.url_end or start < searched or 0 <= found < start:
            found = self.text.find("#", start, self.url_end)
            self.fragment = (self.url_end, start, found)
        return found

    def _is_next_name(self, start: int, end: int, after: int) -> bool:
        """Tell whether a value is the sensitive name of the next pair ("token: password=x")."""
        text = self.text
        if after < len(text) and text[after].isspace():
            after = _skip(self.patterns.spaces, text, after)
        return text.startswith(("=", ":", "->"), after) and _is_sensitive_name(text[start:end])

    def _next_pair(self, start: int) -> int | None:
        """Read a bare value that names the next pair; None when it does not.

        A value whose words, up to a separator, are one of the names listed (in
        ``SENSITIVE_NAMES`` or added), all of them, is no value: it is the next pair's
        name (``token=`` ``API key: S``), and ``start`` is returned for that pair to be
        read. A word that only ends in a sensitive name (``SToken: S``,
        ``S.password : S``) is a value glued to a name: it is masked with its separator
        (a second reading finds no name there), and so is the value after it.
        """
        found = _ahead_name(self.text, start)
        if found is None:
            return None
        ahead, name = found
        if ahead is None:
            return start
        self.mask(start, ahead.end())
        return self._pair(ahead.start("sep"), name, start)

    def _escaped_quoted(self, start: int) -> int:
        r"""A value quoted with escaped quotes (``\"abc\"``, JSON inside a string).

        Escaped triple quotes (``\"\"\"abc\"\"\"``, Python source in JSON) close at the
        same three escaped quotes. An unclosed value runs to the end of the text.
        """
        text = self.text
        quote = start
        while quote < len(text) and text[quote] == "\\":
            quote += 1
        if quote >= len(text) or text[quote] not in "\"'":
            # No escaped quote: a bare value, read whole (an escape and a quote glued to
            # it, as in "\f"S", are no string's prefix).
            return self.mask(start, self._value_end(start))
        opener = text[start : quote + 1]
        if text.startswith(opener * 3, start):  # escaped triple quotes: to the same three
            opener *= 3
        close = text.find(opener, start + len(opener))
        end = len(text) if close < 0 else close
        self.mask(start + len(opener), end)
        if close < 0:
            return end
        inside = start + len(opener)
        if close - inside in _SCHEME_LENGTHS and self.lower[inside:close] in SCHEME_WORDS:
            return self._quoted_scheme(close + len(opener))  # 'auth = \\"Digest\\" a=\\"b\\"'
        return close + len(opener)

    def _quoted_scheme(self, closed: int) -> int:
        """Read on after a quoted scheme word, a pair's value, whose quote closes at ``closed``.

        Its credential is read as the scheme rule reads it, and so are auth-params after it,
        glued to the quote too (``"Digest"a="b"``).
        """
        if self.patterns.auth_param.match(self.text, closed):
            return self._auth_params(closed)
        read = self._scheme(closed)
        return closed if read is None else read


def _no_header(text: str, start: int, end: int, patterns: _Patterns) -> bool:
    """Tell whether a run of pairs under a header's name holds no header.

    No ``:``, and no ``=`` with a cookie's name and ``=`` after it: a value that starts
    with a pair (``Cookie=a=1``) makes the name a header's, read to the end of its line.
    """
    return text.find(":", start, end) < 0 and patterns.cookie_value.search(text, start, end) is None


def _is_header_line(lower: str, start: int) -> bool:
    """Tell whether a header's name and ``:`` start at ``start``: the pair rule refuses it."""
    for name in HEADER_NAMES:
        if lower.startswith(name, start):
            return lower.startswith(":", start + len(name))
    return False


def _ahead_name(text: str, start: int) -> tuple[re.Match[str] | None, str] | None:
    """Read the next pair's name where a bare value would start at ``start``, if one is there.

    Returns ``(None, name)`` for words that are, all of them, a name listed (the value is
    empty, the name is the next pair's), ``(match, name)`` for one word that ends in a
    sensitive name (a value glued to a name), and None when the value is a value.
    """
    ahead = _patterns().name_ahead.match(text, start)
    if ahead is None:
        return None
    words = ahead.group("name").replace("\\t", " ").split()
    name = " ".join(words)
    if _is_listed(name):
        return None, name
    if len(words) == 1 and _is_sensitive_name(name):
        return ahead, name
    return None


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Return where ``pattern`` (one that may match nothing) stops matching at ``pos``."""
    found = pattern.match(text, pos)
    return pos if found is None else found.end()


def _name_before(text: str, sep: int, floor: int) -> tuple[str, bool, int] | None:
    """Return the sensitive name ending at ``sep``, whether it is quoted, and its start.

    The name is a quoted string, a bare word, or up to three words ("Invalid API key"). A
    closing quote with no opening one (a body cut inside a name: ``access_token": "S"``,
    ``api key": "S"``) ends the name, its words read as a bare name's.
    """
    end = sep
    while end > floor and (
        text[end - 1].isspace() or (end - 2 >= floor and text[end - 2 : end] in _ESCAPES)
    ):
        end -= 1 if text[end - 1].isspace() else 2  # spacing, escaped line breaks too
    if end > floor and text[end - 1] in "\"'`":
        quote = text[end - 1]
        close = end - 1
        while close > floor and text[close - 1] == "\\":
            close -= 1
        opening = text.rfind(quote, max(floor, close - _NAME_LIMIT), close)
        if opening < 0:  # no opening quote: the name is the words before the closing one
            words_end, least = close, max(floor, close - _NAME_LIMIT)
            while words_end > least:  # spacing, escaped too: 'api key ": S', 'api key\\t": S'
                if text[words_end - 1] in _WORD_GAP:
                    words_end -= 1
                elif words_end - 2 >= least and text[words_end - 2 : words_end] in _ESCAPES:
                    words_end -= 2
                else:
                    break
            found = _words_before(text, words_end, floor)
            return None if found is None else (found[0], True, found[2] - 1)
        name = text[opening + 1 : close].rstrip("\\")
        while name[:2] in _ESCAPES or name[-2:] in _ESCAPES:  # escaped spacing: '"password\\n"'
            name = name[2:] if name[:2] in _ESCAPES else name[:-2]
        return (name, True, opening) if name and _is_sensitive_name(name) else None
    return _words_before(text, end, floor)


def _words_before(text: str, end: int, floor: int) -> tuple[str, bool, int] | None:
    """Return the sensitive name of one to three words ending at ``end`` and its start."""
    words: list[str] = []
    while len(words) < _NAME_WORDS:
        start = end
        while start > floor and end - start < _NAME_LIMIT and text[start - 1] in _NAME_CHARS:
            start -= 1
        start = _escape_end(text, start, end)
        if start == end:
            break
        words.append(text[start:end])
        name = " ".join(reversed(words))
        if _is_sensitive_name(name):
            return name, False, start
        end = start
        while end > floor:  # spaces, tabs, Unicode spaces, escaped tabs ("api\\tkey")
            if text[end - 1] in _WORD_GAP:
                end -= 1
            elif end - 2 >= floor and text[end - 2 : end] == "\\t":
                end -= 2
            else:
                break
        if end == start or end <= floor:
            break
    return None


def _escape_end(text: str, start: int, end: int) -> int:
    r"""Return ``start + 1`` when ``text[start]`` (before ``end``) is an escape's letter.

    In text that was escaped (JSON in a message), ``\n``, ``\r`` and ``\t`` end a word:
    ``line1\npassword=S`` holds the name ``password``, not ``npassword``. Else ``start``.
    """
    if 0 < start < end and text[start] in "nrt" and text[start - 1] == "\\":
        return start + 1
    return start


def _scheme_start(text: str, separator: int, floor: int) -> int:
    """Return where the scheme before the ``://`` at ``separator`` starts, or -1 for none."""
    start = separator
    while start > floor and text[start - 1] in _SCHEME_CHARS:
        start -= 1
    while start < separator and not text[start].isalpha():
        start += 1  # "-https://": prose punctuation before the scheme
    return start if start < separator else -1


def _bracket_end(text: str, start: int, patterns: _Patterns, stop: int | None = None) -> int:
    """Return the end of the bracketed value opened at ``start`` (or ``stop``, the end)."""
    stop = len(text) if stop is None else stop
    stack: list[str] = []  # the closing brackets awaited, innermost last
    pos = start
    search = patterns.bracket_stop.search
    while (found := search(text, pos, stop)) is not None:
        char = found.group()
        pos = found.end()
        if char[0] in "[{(":  # a run of opening brackets, taken in one step
            stack += char.translate(_CLOSER_OF)
        elif char[0] in ")]}":  # a run of closing brackets
            for offset, closer in enumerate(char):
                if stack and closer == stack[-1]:
                    stack.pop()
                    if not stack:
                        return found.start() + offset + 1
        elif char in "\"'":
            quoted = (patterns.double_quoted if char == '"' else patterns.single_quoted).match(
                text, pos, stop
            )
            pos = (quoted.end() if quoted is not None else stop) + 1
        else:  # a backslash escapes the next character
            pos += 1
    return stop


def _url_item_end(text: str, after_scheme: int, span_end: int, patterns: _Patterns) -> int:
    """Return where a URL ends: at a ``,``, ``;`` or ``&`` that starts another URL or pair.

    Inside the query a ``&`` or ``;`` separates the URL's own parameters (``redact_url``
    reads them), so only a delimiter before the query can start a sensitive pair. The
    pattern finds the delimiters followed by a scheme or by a name and a separator; only
    those names are looked up.
    """
    pos = after_scheme
    # No "=" or ":" ahead (no separator, no scheme): nothing can start another item. The
    # search for "=" runs only when no ":" is ahead, which a next URL in the stretch would
    # hold, so it runs once per stretch, however many URLs the stretch holds.
    colon = text.find(":", pos, span_end)
    if colon < 0 and text.find("=", pos, span_end) < 0:
        return span_end
    while (found := patterns.item_cut.search(text, pos, span_end)) is not None:
        query = text.find("?", pos, found.start())  # each stretch is searched once
        if query >= 0:  # in the query now: only a new URL ends this one
            found = patterns.url_cut.search(text, query, span_end)
            return span_end if found is None else found.start()
        if found.group(1) is None or _is_sensitive_name(found.group(1)):
            return found.start()
        pos = found.start() + 1
    return span_end


def _trim_prose(text: str, start: int, end: int) -> int:
    """Drop what prose puts after a URL: final punctuation and unbalanced closing brackets.

    Read from the end, punctuation goes, and a closing bracket goes while the URL has more
    of them than opening ones. The cut is the start of the longest such tail, found by
    halving with counts made in C (a run of a million ``)`` costs no Python loop).
    """
    tail = start + len(text[start:end].rstrip(".,;:!?)]"))
    if tail == end:
        return end  # no punctuation or closing bracket at the end
    spare_parens = max(0, text.count(")", start, end) - text.count("(", start, end))
    spare_brackets = max(0, text.count("]", start, end) - text.count("[", start, end))
    if text.count(")", tail, end) <= spare_parens and text.count("]", tail, end) <= spare_brackets:
        return tail  # the whole tail can go: the smallest index the halving would find
    low, high = tail, end  # text[high:end] can go; find the smallest such index
    while low < high:
        middle = (low + high) // 2
        if (
            text.count(")", middle, end) <= spare_parens
            and text.count("]", middle, end) <= spare_brackets
        ):
            high = middle
        else:
            low = middle + 1
    return high


_PUBLIC_PARAMS: Final[dict[str, bool]] = {}


def _is_public_param(name: str) -> bool:
    """Tell whether an auth-param's value is public (``realm``), memoising the verdict."""
    public = _PUBLIC_PARAMS.get(name)
    if public is None:
        public = normal_name(name) in PUBLIC_AUTH_PARAMS
        if len(name) <= 64:
            if len(_PUBLIC_PARAMS) >= 4096:
                _PUBLIC_PARAMS.clear()
            _PUBLIC_PARAMS[name] = public
    return public


def _masked_param(value: str) -> str:
    """An auth-param's value masked, its quotes kept; the value itself if nothing is left."""
    start, end = _param_inside(value)
    return value[:start] + REDACTED + value[end:] if value[start:end].strip("*") else value


def _param_inside(value: str) -> tuple[int, int]:
    """Where an auth-param's value is masked: inside its quotes (maybe escaped, or triple).

    An empty string glued to a word (``""S``) is no string: the value is masked whole, as
    a value without quotes is.
    """
    first = value[:1]
    if first in ('"', "'"):
        run = len(value) - len(value.lstrip(first))
        if run % 2 == 0 and run < len(value):  # an empty string glued to a word
            return 0, len(value)
        quote = first * 3 if run >= 3 else first
    else:
        quote = value[: len(value) - len(value.lstrip("\\")) + 1]  # maybe escaped: '\\"'
        if quote[-1:] not in ('"', "'"):
            return 0, len(value)
    if len(value) > len(quote) and value.endswith(quote):
        return len(quote), len(value) - len(quote)
    return len(quote), len(value)


def _looks_like_credential(word: str) -> bool:
    """Tell a credential after an auth scheme from a word of prose ("Bearer token expired")."""
    if not word or _is_masked(word):
        return False
    if len(word) >= 16 or not _CREDENTIAL_MARKS.isdisjoint(word):
        return True
    if word == word.lower() or word == word.upper():
        return False
    inner = word[1:]  # a capitalised word of prose is not mixed case, "hUNTER" is
    return not (word[0].isupper() and inner == inner.lower())
