"""The redaction engine's run paths: a run of like firings read in C gives the general reading.

Each run path (``_Reader._pairs``: same-name pairs in a row; ``_Reader._auth_params``: an
auth-param list; ``_Reader._repeated``: the same
header line or pair of a name of words again and again; ``_Reader._quiet_run``: a refused
run of pairs whose values hold no trigger; ``_Reader._plain_urls``: a stretch of URLs with
no secret; ``_is_header_line``: a header line skips the pair rule's run it would refuse;
``_sensitive_params``: a URL's parameters left unread when none can hold a secret;
``_Reader._pair_run``: a run's values checked for a next pair's name only where one can
be) is checked
twice: its output equals the reading with the path turned off, on thousands of generated
texts that mix the shapes, and it is used where it should be (the general rule is entered a
few times, not once per pair).
"""

from __future__ import annotations

import random
import re
import sys
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorkit import redaction

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_NAMES = [
    "tokens",
    "token",
    "key",
    "api key",
    "API key",
    "Session ID",
    "cookie",
    "Cookie",
    "Set-Cookie",
    "Authorization",
    "basic",
    "secret word",
    "x",
    "password hash",
    "sk-x key",
    "Invalid API key",
    "-----BEGIN key",
    "api_key",
    "x API",
    "api\\tkey",
    "x api\\tkey",
    "Session\\t ID",
]
_SEPARATORS = ["=", ": ", ":", " = ", "=>", "->", ":  ", ": \t", ":\t"]
_VALUES = [
    "1",
    "x",
    "api",
    "***",
    "a=1",
    "sk-" + "a" * 24,
    "Bearer",
    "b'x'",
    '"q"',
    "'s'",
    "http://u:p@h/",
    "//x",
    "a-----b",
    "-----BEGIN PRIVATE KEY-----",
    "key",
    "token",
    "[a]",
    "a\\b",
    "",
    "tokens=1",
    "x:tokens=1",
    "é",
    "a b",
    "p@ss",
    "*",
    "a\\nb",
    "x api_key",
]
_GAPS = [" ", "\n", "\r\n", "&", ";", ", ", "\t", "", "  ", " \n ", "\\n", " \xa0"]
_BETWEEN = [
    "prose ",
    "https://h/?token=x ",
    "Bearer abc123def ",
    "\n",
    "key ",
    "(",
    '"',
    'Digest nonce="n", nonce="n", nonce="n" ',
    'Digest username="u", nonce="n", response=r1, nc=1, response="r2" ',
    'Bearer realm="api", error="invalid_token" ',
    'Digest nonce="***", nonce="n-----BEGIN PRIVATE KEY-----", ',
]
_URL_ITEMS = [
    "https://h",
    "redis://h:6379/0",
    "http://h/a.b",
    "https://u:p@h",
    "https://h/?q=1",
    "http://h#f",
    "ftp://h/token",
    "http://h/x)",
    "://",
    "a",
    "sk-" + "a" * 24,
    "key=v",
    "https://Пароль.h",
    "https://h/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&token=x&j=//u:p@h",
    "https://h/?a=1?b=2#c=3&d=4&amp;e=5&f=6&g=7&h=8&i=9&j=%74oken",
    "https://h/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=//h&k=(sig=x",
]
_URL_GAPS = [",", ";", "&", ", ", ""]


def _url_list(rng: random.Random) -> str:
    """A stretch of URLs (a broker list), mostly alike, now and then another item."""
    item, gap = rng.choice(_URL_ITEMS[:3]), rng.choice(_URL_GAPS)
    items = [rng.choice(_URL_ITEMS) if rng.random() < 0.1 else item for _ in range(8)]
    return gap.join(items) + rng.choice([" ", "\n", "", ". "])


_URL_NAMES = ["token", "Token", "api_key", "key", "amp;token", "tokens", "cookie", "x"]
_URL_SEPARATORS = ["&", "#", "&amp;", "?", "&&", ";"]
_URL_VALUES = [
    "a",
    "x1",
    "%41",
    "***",
    "a-b",
    "",
    "Bearer",
    "a*b",
    "[#",
    "//u:p@h",
    "a+b~",
    "[",
    "(a",
    "{[",
    "[a]",
]


def _url_run(rng: random.Random) -> str:
    """A URL whose parameters repeat one name (a sensitive one or not), now and then another."""
    name = rng.choice(_URL_NAMES)
    parts = [rng.choice(["https://h/?", "https://u:p@h/", "http://h/p#", "https://h/"])]
    for _ in range(rng.randint(1, 8)):
        other = rng.random() < 0.15
        value = rng.choice(_URL_VALUES) if rng.random() < 0.3 else "v"
        parts.append(
            rng.choice(_URL_SEPARATORS) + (rng.choice(_URL_NAMES) if other else name) + "=" + value
        )
    endings = [" ", "", " token: x", "\n", " Bearer abc", "-----BEGIN", "'x'", " key: S", ": S"]
    parts.append(rng.choice(endings))
    return "".join(parts)


_CHAIN_NAMES = [
    *["token", "secret", "Token", "cookie", "tokens", "pwd", "my_token", "x", "sk"],
    *["x api key", "API key", "Session ID", "my secret", "x API", "key", "api token"],
    *["basic auth", "x cookie", "a b c d", "Invalid API key"],
]
_CHAIN_GAPS = [" ", "\n", "\r\n", "  ", "\t", " \n", " \\n", "\\t", "\\\\n", "\\n\n"]
_CHAIN_COLONS = [":", ":", " :", "\t:", " \xa0:"]
_CHAIN_ENDS = ["", "S", " ", "//x", "token: S", "=x", "'q'", "\\n", "sk-" + "a" * 24]


def _chain(rng: random.Random) -> str:
    """A pair again and again with an empty value (``token: token: ``), then an ending."""
    unit = rng.choice(_CHAIN_NAMES) + rng.choice(_CHAIN_COLONS) + rng.choice(_CHAIN_GAPS)
    lead = rng.choice(["", "a", "\\", " ", "https://h/?token=x "])
    return lead + unit * rng.randint(1, 6) + rng.choice(_CHAIN_ENDS)


_JSON_NAMES = [
    *["token", "secret", "id", "tokens", "max_tokens", "api_key", "accessToken", "x", "key"],
    *["Cookie", "Set-Cookie", "authorization", "basic", "Bearer", "a.token", "session id"],
    *["sk-" + "a" * 24, "eyJ", "my-secret-", "pwd", "tenant_ref", "x" * 130, "a\\nb"],
]
_JSON_VALUES = [
    *['"a"', '""', '"***"', '"*"', '"a\\"b"', '"a\\\\"', '"token"', '"Bearer abc123"'],
    *['"https://u:p@h/?token=x"', '"-----BEGIN PRIVATE KEY-----"', '"x y"', '"password: x"'],
    *['"é"', '"a\\nb"', '"\n"', '"sk-' + "a" * 24 + '"', '"a, \\"token\\": \\"b"'],
    *["1", "-2.5e+3", "true", "null", "***", "*", "basic", "x-----y", "->", "b'q'", "[1]"],
    *["token", "api key: S", "{}"],
]
_JSON_COLONS = ['": ', '":', '" : ', '":\n  ', '"\t:\t', '": \\n ', '" := ']
_JSON_COMMAS = [", ", ",", " ,\n", ",\n  ", " ", ""]
_JSON_ENDS = ["", "}", "]", ": S", "token: S", " password=x", '"tok', '"token"', '"token": ']


def _json_pairs(rng: random.Random) -> str:
    """JSON pairs in a row (a name or two again and again, now and then others), an end."""
    names = rng.sample(_JSON_NAMES[:8], 2)
    values = [rng.choice(_JSON_VALUES[:4]), rng.choice(_JSON_VALUES)]
    colon, comma = rng.choice(_JSON_COLONS[:2]), rng.choice(_JSON_COMMAS[:2])
    parts = [rng.choice(["", "{", "[{", "x", "\\", '"', "Bearer "])]
    for _ in range(rng.randint(1, 8)):
        other = rng.random() < 0.15
        name = rng.choice(_JSON_NAMES) if other else rng.choice(names)
        value = rng.choice(_JSON_VALUES) if rng.random() < 0.15 else rng.choice(values)
        glue = rng.choice(_JSON_COLONS) if rng.random() < 0.1 else colon
        parts.append('"' + name + glue + value + (rng.choice(_JSON_COMMAS) if other else comma))
    return "".join(parts) + rng.choice(_JSON_ENDS)


_HEADER_LINES = ["Cookie:", "cookie:", "Set-Cookie:", "AUTHORIZATION:", "Proxy-Authorization:"]
_HEADER_ENDS = ["\n", "\r\n", " \n", "\t\r", "\n\n ", "\\n", " a=1\n", " Bearer\n", "//x\n"]


_ESCAPED_UNITS = [
    *["token=a", "Bearer b1234567", "secret=s", "Basic Zm9vOmJhcg", "TOKEN abc-def"],
    *["bearer abc", "Token Abcdef", "digest x1", "pwd=***", "token=***", "Bearer ***"],
    *["tokens=1", "cookie=c", "token=xbasic", "token=a.b", "Bearer abc.", "token=sk-" + "a" * 24],
    *["Bearer tokenx", "Bearer abc=", "id=1", "oken=b", "token=-----BEGIN", "x api_key=k"],
    *["Bearer https://h", "token=a:b", "my.token=a", "sk-" + "a" * 24 + "=x", "k_live_x=1"],
    *["Bearer basic", "Basic token", "Token bearer", "nbearer=x"],
]
_ESCAPED_BREAKS = ["\\n", "\\r\\n", "\\t", "\\n ", "\\n\\n", " \\n", "\n", "\\\\n", ""]


def _escaped_units(rng: random.Random) -> str:
    """Units each ended by an escaped line break (``token=a`` and one), a few alike, then others."""
    units = rng.sample(_ESCAPED_UNITS[:8], 2)
    end = rng.choice(_ESCAPED_BREAKS[:3])
    parts = [rng.choice(["", "x ", "\\", "\\n", "token=", "a\\"])]
    for _ in range(rng.randint(1, 8)):
        other = rng.random() < 0.15
        unit = rng.choice(_ESCAPED_UNITS) if other else rng.choice(units)
        parts.append(unit + (rng.choice(_ESCAPED_BREAKS) if rng.random() < 0.1 else end))
    return "".join(parts) + rng.choice(_CHAIN_ENDS)


def _blank_header_lines(rng: random.Random) -> str:
    """Header lines, mostly blank (``Cookie:`` lines), now and then another line."""
    line = rng.choice(_HEADER_LINES) + rng.choice(_HEADER_ENDS[:3])
    lines = [
        rng.choice(_HEADER_LINES) + rng.choice(_HEADER_ENDS) if rng.random() < 0.15 else line
        for _ in range(rng.randint(1, 8))
    ]
    return rng.choice(["", "x", "x-", "\n", '"']) + "".join(lines) + rng.choice(_CHAIN_ENDS)


_SCHEME_NAMES = ["token", "password", "Token", "api_key", "tokens", "Cookie", "x", "sk-x_token"]
_SCHEME_SEPARATORS = [": ", ":", "=", " = ", ":\t", ":  ", "=>", ":="]
_SCHEME_WORDS = ["Bearer", "Basic", "bearer", "DIGEST", "Token", "xBearer", "x-bearer"]
_SCHEME_BREAKS = ["\n", "\r\n", " \n ", "\n\n", "\\n", " ", "\t\n"]
_SCHEME_CREDENTIALS = [
    *["abcD123", "a/b+c", "***", "a-----b", "token:", "x=y", "sk-" + "a" * 24, "a.b-c~"],
    *["é", "abc(", '"q"', "a.", "https://h/", "-----BEGIN PRIVATE KEY-----", "a----b", "b*"],
]
_SCHEME_ENDS = ["", "\n", ' ="x"', '&x="y"', ": S", " token: S", "\\n", " = S", "x"]


def _scheme_pair_lines(rng: random.Random) -> str:
    """Pairs whose value is a scheme word ending its line, its credential below, and others."""
    lead = rng.choice(_SCHEME_NAMES[:3]) + rng.choice(_SCHEME_SEPARATORS[:3])
    word, below = rng.choice(_SCHEME_WORDS[:3]), rng.choice(_SCHEME_BREAKS[:2])
    gap = rng.choice(["\n", "\r\n", " ", "\n\n", "&", "\t"])
    parts = [rng.choice(["", "x", '"', "\n", "https://h/?token=x ", "Bearer ", "token: "])]
    for _ in range(rng.randint(1, 8)):
        other = rng.random() < 0.15
        unit_lead = rng.choice(_SCHEME_NAMES) + rng.choice(_SCHEME_SEPARATORS) if other else lead
        unit_word = rng.choice(_SCHEME_WORDS) if rng.random() < 0.1 else word
        unit_below = rng.choice(_SCHEME_BREAKS) if rng.random() < 0.1 else below
        credential = rng.choice(_SCHEME_CREDENTIALS if rng.random() < 0.2 else ["abcD123", "a1"])
        parts.append(unit_lead + unit_word + unit_below + credential + gap)
    return "".join(parts) + rng.choice(_SCHEME_ENDS)


def _scheme_pair_chain(rng: random.Random) -> str:
    """A pair whose value is a scheme word, again and again (the next name its credential)."""
    name, word = rng.choice(_SCHEME_NAMES), rng.choice(_SCHEME_WORDS[:5])
    separator = rng.choice([": ", "=", ":\t", " = ", "= ", " =\t", "=  ", ": ", " : "])
    unit = name + separator + word + rng.choice(["\n", "\r\n", " ", " \n", "\n\n", "\t"])
    units = [
        rng.choice(_SCHEME_NAMES) + rng.choice(_SCHEME_SEPARATORS) + word + " "
        if rng.random() < 0.05
        else unit
        for _ in range(rng.randint(1, 9))
    ]
    return rng.choice(["", "x ", '"', "token: "]) + "".join(units) + rng.choice(_SCHEME_ENDS)


_TRIPLE_NAMES = ["token", "password", "x", "Cookie", "api_key", "tokens", "sk-x_token"]
_TRIPLE_LEADS = [' = """', ': """', '="""', " = '''", ' = r"""', ':\t"""', " := '''", ' => """']
_TRIPLE_VALUES = [
    *["S", "a b ", "***", "", " x", "a-----b", 'a"""', "a\\nb", 'x = """y', "é", "*a"],
    *["-----BEGIN PRIVATE KEY-----", "'", "a`b", "a----b", "token: S"],
]
_TRIPLE_ENDS = ["", '"""', "\n", '\n"""', "x", "\\n", "'''", " token = '''S"]


def _triple_lines(rng: random.Random) -> str:
    """Pairs whose value opens triple quotes, mostly alike, their lines masked to the end."""
    name, lead = rng.choice(_TRIPLE_NAMES[:3]), rng.choice(_TRIPLE_LEADS[:4])
    value, gap = rng.choice(["S", "abc def"]), rng.choice(["\n", "\r\n", "\n\n", "\n  "])
    units = []
    for _ in range(rng.randint(1, 8)):
        other = rng.random() < 0.15
        unit = rng.choice(_TRIPLE_NAMES) + rng.choice(_TRIPLE_LEADS) if other else name + lead
        unit += rng.choice(_TRIPLE_VALUES) if rng.random() < 0.15 else value
        units.append(unit + (rng.choice(["\n", "\r\n", " ", "\\n", ""]) if other else gap))
    return rng.choice(["", "x ", '"', "token: "]) + "".join(units) + rng.choice(_TRIPLE_ENDS)


_ESCAPED_HEADERS = ["Cookie:", "cookie: ", "Set-Cookie:\t", "AUTHORIZATION: ", "Authorization:"]
_ESCAPED_HEADER_VALUES = [
    *["", "Bearer", "a=1", "Bearer abc123", "x y", "BASIC", "token", "*", "*>", '"q"', "<a>"],
    *["a-----b", "token:", "x=", "sk-" + "a" * 24, "é", "a\\b", "b ", "http://h/?token=x"],
    *["password=p", "xBearer", "a->", "-----BEGIN PRIVATE KEY-----"],
]
_ESCAPED_HEADER_BREAKS = ["\\n", "\\r\\n", " \\n", "\\n\\n", "\\t", "\n", "\\\\n", ""]
_ESCAPED_HEADER_ENDS = ["", "abc123XYZ", "x", "token: S", "\\n", "npassword=S", "\\token=S"]


def _escaped_header_lines(rng: random.Random) -> str:
    """Header lines ended by escaped line breaks, blank or not, mostly alike, then an end."""
    header, value = rng.choice(_ESCAPED_HEADERS[:3]), rng.choice(_ESCAPED_HEADER_VALUES[:4])
    end = rng.choice(_ESCAPED_HEADER_BREAKS[:3])
    lines = []
    for _ in range(rng.randint(1, 8)):
        other = rng.random() < 0.15
        line = rng.choice(_ESCAPED_HEADERS) if other else header
        line += rng.choice(_ESCAPED_HEADER_VALUES) if rng.random() < 0.15 else value
        lines.append(line + (rng.choice(_ESCAPED_HEADER_BREAKS) if other else end))
    start = rng.choice(["", "x", "\\n", '"', "token: "])
    return start + "".join(lines) + rng.choice(_ESCAPED_HEADER_ENDS)


_QUOTE_SCHEMES = ["Bearer", "token", "BASIC", "Digest", "BeArer", "xBearer", "bearerx"]
_QUOTE_MARKS = ["`", '\\"', "'", '"', "```", '\\\\\\"', "\\'", "(", "\\"]
_QUOTE_ENDS = ["", "abc123XYZ", "Bearer", "token: S", "x`", 'S\\"', "sk-" + "a" * 24, "\\n"]


def _scheme_quote_units(rng: random.Random) -> str:
    """A scheme word, spacing and a quote, again and again (now and then another), an end."""
    scheme, mark = rng.choice(_QUOTE_SCHEMES[:4]), rng.choice(_QUOTE_MARKS[:4])
    spacing = rng.choice([" ", " ", "\t", "  "])
    units = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.15:
            units.append(rng.choice(_QUOTE_SCHEMES) + rng.choice([" ", ""]))
            units[-1] += rng.choice(_QUOTE_MARKS)
        else:
            units.append(scheme + spacing + mark)
    start = rng.choice(["", "x", "\\n", '"', "token: ", "Authorization: "])
    return start + "".join(units) + rng.choice(_QUOTE_ENDS)


_GLUED_NAMES = ["token", "Token", "my_token", "x.BEARER", "tokens", "api_token", "bearer", "pwd"]
_GLUED_SEPARATORS = [" = ", "\t=\t", "  = ", " =", "= ", "=", " := ", " : "]
_GLUED_VALUES = [
    *['x"""', "ab''", "Q`", 'x"', 'b"""', "rb'", "x", "sk-aaaa'", 'token"', '*"""', "x\\n'"],
    *['-----BEGIN"', 'é"""', 'x"""token', "a.b'", "1``", 'token""', "Bearer''"],
    *['-----BEGIN PRIVATE KEY-----""', "sk-" + "a" * 24 + "''"],
]
_GLUED_ENDS = ["", "S", " = S", "=x", "token = S", '"""', "\n", " ", "x = "]


def _glued_pair_units(rng: random.Random) -> str:
    """A pair whose value, quotes glued after a word, runs on into the next name, again."""
    name, separator = rng.choice(_GLUED_NAMES[:3]), rng.choice(_GLUED_SEPARATORS[:3])
    unit = name + separator + rng.choice(_GLUED_VALUES[:4])
    units = [
        rng.choice(_GLUED_NAMES) + rng.choice(_GLUED_SEPARATORS) + rng.choice(_GLUED_VALUES)
        if rng.random() < 0.1
        else unit
        for _ in range(rng.randint(1, 10))
    ]
    start = rng.choice(["", "x ", '"', "'", "token: ", "\\", "a"])
    return start + "".join(units) + rng.choice(_GLUED_ENDS)


def _texts(count: int, seed: int, *, more: bool = False) -> Iterator[str]:
    """Texts of runs: a name, separator and value repeated (or with other values), mixed.

    With ``more``, runs of JSON pairs and of blank header lines are mixed in too.
    """
    rng = random.Random(seed)
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            name, separator, gap = rng.choice(_NAMES), rng.choice(_SEPARATORS), rng.choice(_GAPS)
            same = rng.random() < 0.6
            value = rng.choice(_VALUES)
            for _ in range(rng.randint(1, 6)):
                parts.append(name + separator + (value if same else rng.choice(_VALUES)) + gap)
            if rng.random() < 0.3:
                parts.append(rng.choice(_BETWEEN))
            if rng.random() < 0.3:
                parts.append(_url_list(rng))
            if rng.random() < 0.3:
                parts.append(_url_run(rng))
            if rng.random() < 0.3:
                parts.append(_chain(rng))
            if more and rng.random() < 0.4:
                parts.append(_json_pairs(rng))
            if more and rng.random() < 0.3:
                parts.append(_blank_header_lines(rng))
            if more and rng.random() < 0.4:
                parts.append(_escaped_units(rng))
            if more and rng.random() < 0.4:
                parts.append(_scheme_pair_lines(rng))
            if more and rng.random() < 0.3:
                parts.append(_scheme_pair_chain(rng))
            if more and rng.random() < 0.3:
                parts.append(_triple_lines(rng))
            if more and rng.random() < 0.3:
                parts.append(_escaped_header_lines(rng))
            if more and rng.random() < 0.3:
                parts.append(_scheme_quote_units(rng))
            if more and rng.random() < 0.3:
                parts.append(_glued_pair_units(rng))
        yield "".join(parts)


def _quiet_off(self: Any, start: int, name: str, after: int) -> int:
    """``_quiet_run`` turned off: the reading goes on pair by pair."""
    return after


def _repeated_off(self: Any, lead: int, value: int, end: int, run: Any) -> int:
    """``_repeated`` turned off: the reading goes on pair by pair."""
    return end


def _plain_urls_off(self: Any, lower: str, start: int, after: int) -> int:
    """``_plain_urls`` turned off: the reading goes on URL by URL."""
    return after


def _auth_params_off(self: Any, start: int) -> int:
    """``_auth_params`` read value by value, each through the general ``mask``."""
    result: int = self._mask_params(start)
    return result


def _sensitive_params_off(url: str, pos: int, patterns: Any) -> bool:
    """``_sensitive_params`` turned off: every parameter of a URL is read one by one."""
    return True


def _pair_run_checked(self: Any, start: int) -> Any:
    """``_pair_run`` without its shortcut: every bare value of the run checked in the match."""
    return self.patterns.pair_run_checked.match(self.text, start)


def _url_pairs_off(self: Any, start: int) -> int | None:
    """``_url_pairs`` turned off: the pair rule reads a URL's parameters one by one."""
    return None


def _same_params_off(url: str, pos: int, name: str, spans: Any, patterns: Any) -> int:
    """``_same_params`` turned off: the URL reading reads each parameter in its loop."""
    return pos


def _named_run_off(self: Any, start: int) -> int | None:
    """``_named_run`` turned off: the pair rule reads each empty pair of a chain."""
    return None


def _header_line_off(lower: str, start: int) -> bool:
    """``_is_header_line`` turned off: the pair rule reads every run."""
    return False


def _json_run_off(self: Any, start: int) -> int | None:
    """``_json_run`` turned off: the pair rule reads each JSON pair."""
    return None


def _escaped_run_off(self: Any, start: int) -> int | None:
    """``_escaped_run`` turned off: each unit is read by its rule."""
    return None


def _blank_headers_off(self: Any, start: int) -> int | None:
    """``_blank_headers`` turned off: the header rule reads each blank line."""
    return None


_PATHS: dict[str, tuple[Any, str, Callable[..., Any]]] = {
    "repeated": (redaction._Reader, "_repeated", _repeated_off),
    "quiet_run": (redaction._Reader, "_quiet_run", _quiet_off),
    "header_line": (redaction, "_is_header_line", _header_line_off),
    "plain_urls": (redaction._Reader, "_plain_urls", _plain_urls_off),
    "auth_params": (redaction._Reader, "_auth_params", _auth_params_off),
    "sensitive_params": (redaction, "_sensitive_params", _sensitive_params_off),
    "pair_run_checked": (redaction._Reader, "_pair_run", _pair_run_checked),
    "url_pairs": (redaction._Reader, "_url_pairs", _url_pairs_off),
    "same_params": (redaction, "_same_params", _same_params_off),
    "named_run": (redaction._Reader, "_named_run", _named_run_off),
}


# The run paths of JSON pairs and blank header lines, checked on texts that mix those in.
def _scheme_lines_off(self: Any, lead: int, end: int) -> int:
    """``_scheme_lines`` turned off: the pair rule reads each pair whose value is a scheme word."""
    return end


def _scheme_pairs_off(self: Any, lead: int, end: int) -> int:
    """``_scheme_pairs`` turned off: the pair rule reads each pair whose credential is a name."""
    return end


_repeated = redaction._Reader._repeated


def _triple_run_off(self: Any, lead: int, value: int, end: int, run: Any) -> int:
    """``_repeated`` turned off for triple-quoted values: the pair rule reads each line."""
    if run is self.patterns.triple_run:
        return end
    found: int = _repeated(self, lead, value, end, run)
    return found


def _escaped_header_run_off(self: Any, lead: int, value: int, end: int, run: Any) -> int:
    """``_repeated`` turned off for header lines ended by escaped breaks: each line is read."""
    if run is self.patterns.escaped_header_run:
        return end
    found: int = _repeated(self, lead, value, end, run)
    return found


def _scheme_quotes_off(self: Any, start: int) -> int | None:
    """``_scheme_quotes`` turned off: the scheme rule reads each scheme word before a quote."""
    return None


def _glued_pairs_off(self: Any, lead: int, end: int) -> int:
    """``_glued_pairs`` turned off: the pair rule reads each pair whose value runs on."""
    return end


_MORE_PATHS: dict[str, tuple[Any, str, Callable[..., Any]]] = {
    "json_run": (redaction._Reader, "_json_run", _json_run_off),
    "blank_headers": (redaction._Reader, "_blank_headers", _blank_headers_off),
    "escaped_run": (redaction._Reader, "_escaped_run", _escaped_run_off),
    "scheme_lines": (redaction._Reader, "_scheme_lines", _scheme_lines_off),
    "scheme_pairs": (redaction._Reader, "_scheme_pairs", _scheme_pairs_off),
    "triple_run": (redaction._Reader, "_repeated", _triple_run_off),
    "escaped_header_run": (redaction._Reader, "_repeated", _escaped_header_run_off),
    "scheme_quotes": (redaction._Reader, "_scheme_quotes", _scheme_quotes_off),
    "glued_pairs": (redaction._Reader, "_glued_pairs", _glued_pairs_off),
}


@pytest.mark.parametrize("path", [*sorted(_PATHS), "pair_run"])
def test_a_run_path_reads_as_the_general_path(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run path gives, on 3,000 generated texts, the output of the reading without it.

    ``pair_run`` turned off (it never matches) leaves every pair to the pair rule's own
    reading: the same-name runs it reads in C (``_Reader._pairs``) are compared too.
    """
    texts = list(_texts(3000, seed=[*sorted(_PATHS), "pair_run"].index(path)))
    if path == "pair_run":
        off: Any = (redaction._patterns(), "pair_run", re.compile("(?!)"))
    else:
        off = _PATHS[path]
    assert _differences(texts, off, monkeypatch) == []


def _differences(
    texts: list[str], off: tuple[Any, str, Any], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, str]]:
    """The texts read otherwise with a path turned off (``setattr(*off)``), and both readings."""
    fast = [redaction._redact_text(text) for text in texts]
    monkeypatch.setattr(*off)
    general = [redaction._redact_text(text) for text in texts]
    return [
        (text, one, other)
        for text, one, other in zip(texts, fast, general, strict=True)
        if one != other
    ]


def test_the_generated_texts_reach_every_run_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The generated texts take each run path many times, so the comparison above tests it."""
    calls = dict.fromkeys(
        [
            "_repeated",
            "_quiet_run",
            "_plain_urls",
            "_pairs",
            "_url_pairs",
            "_named_run",
        ],
        0,
    )
    for name in calls:
        original = getattr(redaction._Reader, name)

        def counted(self: Any, *args: Any, _name: str = name, _original: Any = original) -> Any:
            calls[_name] += 1
            return _original(self, *args)

        monkeypatch.setattr(redaction._Reader, name, counted)
    for text in _texts(3000, seed=0):
        redaction._redact_text(text)
    assert min(calls.values()) > 100


@pytest.mark.parametrize("path", sorted(_MORE_PATHS))
def test_a_run_of_json_pairs_or_blank_lines_reads_as_the_general_path(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run paths of JSON pairs and blank header lines give the reading without them.

    On 3,000 generated texts mixing runs of every rule with those two, each turned off in
    turn (the other left on, as every older run path).
    """
    texts = list(_texts(3000, seed=100 + sorted(_MORE_PATHS).index(path), more=True))
    assert _differences(texts, _MORE_PATHS[path], monkeypatch) == []


def test_the_generated_texts_reach_the_json_and_blank_line_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The texts with JSON pairs and blank header lines take both paths, each many times."""
    taken = {"_json_run": 0, "_blank_headers": 0, "_escaped_run": 0}
    for name in taken:
        original = getattr(redaction._Reader, name)

        def counted(self: Any, start: int, _name: str = name, _original: Any = original) -> Any:
            found = _original(self, start)
            taken[_name] += found is not None  # the run read, not only tried
            return found

        monkeypatch.setattr(redaction._Reader, name, counted)
    for text in _texts(3000, seed=100, more=True):
        redaction._redact_text(text)
    assert min(taken.values()) > 300


RUNS = [
    ('"token": "a", ', '"token": "***", '),
    ('"token": "a", "secret": "b", ', '"token": "***", "secret": "***", '),
    ('"id": 1, "token": "a",\n', '"id": 1, "token": "***",\n'),
    ("Cookie:\n", "Cookie:\n"),
    ("token=a\\nBearer b1234567\\n", "token=***\\nBearer ***\\n"),
    ("secret=s\\t", "secret=***\\t"),
    ("Set-Cookie: \r\n", "Set-Cookie: \r\n"),
    ("API key: x\n", "API key: ***\n"),
    ("Session ID: s3 ", "Session ID: *** "),
    # a name of words apart by an escaped tab, as the pair rule reads them back
    ("api\\tkey: x\n", "api\\tkey: ***\n"),
    ("Session\\t\\tID=s3\n", "Session\\t\\tID=***\n"),
    ("Cookie: a=1\n", "Cookie: ***\n"),
    ("Set-Cookie: sid=1; Path=/\r\n", "Set-Cookie: ***\r\n"),
    ("Authorization: Bearer abc\n", "Authorization: ***\n"),
    ("tokens=1 ", "tokens=1 "),
    ("cookie=x\n", "cookie=***\n"),
    # escaped header lines, and scheme words each before a quote
    ("Cookie:\\n", "Cookie:\\n"),
    ("Set-Cookie: \\r\\n", "Set-Cookie: \\r\\n"),
    ("Authorization: Bearer\\n", "Authorization: ***\\n"),
    ("Cookie: a=1 \\n", "Cookie: *** \\n"),
    ("Bearer `", "Bearer `"),
    ('Bearer \\"', 'Bearer \\"'),
    ("token '", "token '"),
    ("Digest ```", "Digest ```"),
]


@pytest.fixture
def default_names() -> Iterator[None]:
    """Read with the default table of names: names other tests added are set aside meanwhile.

    The run paths a test counts calls of are taken with the default table; a name added
    elsewhere in the process (other test modules add some) may send a run to the general
    reading, which masks the same but enters the rules more often.
    """
    saved = redaction._names
    redaction._names = redaction._Names(frozenset())
    redaction._clear_text_cache()
    try:
        yield
    finally:
        redaction._names = saved
        redaction._clear_text_cache()


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[None]:
    """Count the calls of ``owner.name`` from now on: one item in the returned list each."""
    calls: list[None] = []
    original = getattr(owner, name)

    def counted(*args: Any) -> Any:
        calls.append(None)
        return original(*args)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize(("unit", "masked"), RUNS, ids=[unit for unit, _ in RUNS])
@pytest.mark.usefixtures("default_names")
def test_a_run_enters_the_general_rule_a_few_times(
    unit: str, masked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 like units are masked each as the first, reading the word rule a few times only."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_word")
    assert redaction._redact_text(unit * 400 + "end") == masked * 400 + "end"
    assert len(calls) <= 4


ROWS = [
    # a pair of a name of words, again: each value masked, the repeat read at once
    ("API key: a\nAPI key: b\nAPI key: c", "API key: ***\nAPI key: ***\nAPI key: ***"),
    # a different gap ends the repeat; the reading goes on pair by pair, the same
    ("API key: a\nAPI key: b API key: c", "API key: ***\nAPI key: *** API key: ***"),
    # a value the pair rule reads otherwise (a quoted one) ends the repeat
    ("API key: a\nAPI key: 'b c'\nAPI key: d", "API key: ***\nAPI key: '***'\nAPI key: ***"),
    # a header line that is a URL ("Cookie://x") is no header line
    ("Cookie: a\nCookie: b\nCookie://x", "Cookie: ***\nCookie: ***\nCookie://x"),
    # a blank or masked header line is left as it is
    ("Cookie: a\nCookie: ***\nCookie: b", "Cookie: ***\nCookie: ***\nCookie: ***"),
    # a private key in a header line is read by its own rule
    (
        "Cookie: a\nCookie: -----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----",
        "Cookie: ***\nCookie: -----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----",
    ),
    # a refused run: the word before a name can make it sensitive (api key)
    ("key=api key=x key=y", "key=api key=*** key=y"),
    # a refused run whose value holds a credential: that rule still reads it
    ("tokens=1 tokens=sk-" + "a" * 24 + " tokens=3", "tokens=1 tokens=*** tokens=3"),
    # a URL secret waiting before a run: written first, so no name is read back into it
    ("https://h/?token=api key=x key=y", "https://h/?token=*** key=x key=y"),
    ("https://h/?token=a Cookie: b\nCookie: c", "https://h/?token=*** Cookie: ***\nCookie: ***"),
    # a name read back over a long word before it: linear, and the word's tail is the name
    (
        "tokens=" + "a" * 3000 + "!b tokens=1 tokens=2",
        "tokens=" + "a" * 3000 + "!b tokens=1 tokens=2",
    ),
    ("api key=1 key=2 key=3", "api key=*** key=2 key=3"),
    # a refused run whose value holds a sensitive pair: the pair rule reads it
    ("tokens=1 tokens=x:password=p tokens=3", "tokens=1 tokens=x:password=*** tokens=3"),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[text for text, _ in ROWS])
def test_run_rows(text: str, expected: str) -> None:
    """Runs that end, or hold a shape another rule reads, mask as the rows say."""
    assert redaction._redact_text(text) == expected
    assert redaction.redact_text(expected) == expected


class _CountingRun:
    """The pair rule's run pattern, counting the calls of its ``match``."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.calls = 0

        self.read = 0

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        """Match as the pattern does, counting the call and the characters it covers."""
        self.calls += 1
        found = self.pattern.match(text, pos, endpos)
        if found is not None:
            self.read += found.end() - found.start()
        return found


@pytest.mark.parametrize("unit", ["Cookie: a=1\n", "set-cookie:x\n", "Proxy-Authorization: B\n"])
def test_a_header_line_skips_the_pair_run_it_would_refuse(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A header's name and ``:`` never start the pair rule's run match, which it refuses."""
    patterns = redaction._patterns()
    counting = _CountingRun(patterns.pair_run)
    monkeypatch.setattr(patterns, "pair_run", counting)
    masked = redaction._redact_text(unit * 50)
    assert masked.count("***") == 50
    assert counting.calls == 0


@pytest.mark.parametrize("gap", [",", ";", "&"])
@pytest.mark.usefixtures("default_names")
def test_a_stretch_of_plain_urls_is_read_at_its_ends(
    gap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 URLs with no secret in one stretch: the URL rule reads the first and the last."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_url")
    text = gap.join(["https://h:9200/a"] * 400) + " token=abc"
    assert redaction._redact_text(text) == text.replace("abc", "***")
    assert len(calls) == 2


@pytest.mark.usefixtures("default_names")
def test_an_auth_param_list_masks_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """400 auth-params, none public, with one value: the value's mask is worked out once."""
    calls = _count_calls(monkeypatch, redaction, "_masked_param")
    text = "Digest " + 'nonce="n", ' * 400
    assert redaction._redact_text(text) == "Digest " + 'nonce="***", ' * 400
    assert len(calls) == 1


@pytest.mark.usefixtures("default_names")
def test_a_url_of_many_plain_parameters_is_read_once_in_c(monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL of 400 parameters, none sensitive, has its parameter names looked up once each."""
    calls = _count_calls(monkeypatch, redaction, "_is_sensitive_param")
    text = "https://h/" + "?a=1&b=2" * 200 + " token=x"
    assert redaction._redact_text(text) == text.replace("token=x", "token=***")
    assert len(calls) <= 8 + 2


@pytest.mark.parametrize("separator", ["&", "#", "&amp;"])
def test_a_url_of_one_sensitive_parameter_again_and_again_is_read_at_once(
    separator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 ``token=`` parameters in a URL: each read once in C, not by the word rule each."""
    words = 0
    names = 0
    original_word = redaction._Reader._word
    original_param = redaction._is_sensitive_param

    def counted_word(self: Any, lower: str, at: int, after: int) -> int:
        nonlocal words
        words += 1
        return original_word(self, lower, at, after)

    def counted_param(name: str) -> bool:
        nonlocal names
        names += 1
        return original_param(name)

    monkeypatch.setattr(redaction._Reader, "_word", counted_word)
    monkeypatch.setattr(redaction, "_is_sensitive_param", counted_param)
    unit = separator + "token="
    text = "https://h/?" + (unit + "a") * 400 + " end"
    assert redaction._redact_text(text) == "https://h/?" + (unit + "***") * 400 + " end"
    assert words <= 4
    assert names <= 4


@pytest.mark.parametrize("unit", ["&key=a", "#key=a", "&KEY=a", "&amp;key=a"])
@pytest.mark.usefixtures("default_names")
def test_attack7_a_url_run_of_a_name_sensitive_only_in_urls_is_read_at_once(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 ``key=`` parameters in a URL are masked at once in C, not by the word rule each."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_word")
    text = "https://h/?" + unit * 400 + " end"
    masked = "https://h/?" + unit.replace("=a", "=***") * 400 + " end"
    assert redaction._redact_text(text) == masked
    assert len(calls) <= 4
    assert redaction._redact_text(masked) == masked


@pytest.mark.parametrize(
    ("unit", "masked"),
    [
        ("&tokens=1", "&tokens=1"),
        ("&cookie=1", "&cookie=***"),
        ("&keys=1", "&keys=1"),
        ("&key=a", "&key=***"),
    ],
)
def test_attack7_a_url_run_is_matched_once_whatever_its_name(
    unit: str, masked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URL's run of 400 parameters of one name is matched once, not from each name on.

    A run refused for its name (not sensitive, or a header's) was matched again from each
    of its names while a URL secret waited after it: quadratic time.
    """
    patterns = redaction._patterns()
    counting = _CountingRun(patterns.url_pair_run)
    monkeypatch.setattr(patterns, "url_pair_run", counting)
    text = "https://h/?" + unit * 400 + "&token=x end"
    expected = "https://h/?" + masked * 400 + "&token=*** end"
    assert redaction._redact_text(text) == expected
    assert redaction._redact_text(expected) == expected
    assert counting.read <= 2 * len(text)


@pytest.mark.parametrize("unit", ["&tokens=1", "#x=a", "&amp;keys=1", "#x=[", "&tokens=Bearer"])
@pytest.mark.usefixtures("default_names")
def test_attack7_a_url_run_of_a_name_not_sensitive_is_skipped_at_once(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 parameters of a name not sensitive before a URL secret: the word rule reads a few."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_word")
    text = "https://h/?" + unit * 400 + "&token=x end"
    assert redaction._redact_text(text) == "https://h/?" + unit * 400 + "&token=*** end"
    assert len(calls) <= 4


URL_RUNS = [
    # a masked value ends the run: it is left as it is, the rest masked
    ("https://h/?token=a&token=***&token=b", "https://h/?token=***&token=***&token=***"),
    # "&amp;" then a name: the name is the one after "amp;"
    (
        "https://h/?token=a&amp;token=b&amp;token=c",
        "https://h/?token=***&amp;token=***&amp;token=***",
    ),
    # a parameter "amp;token" after "#" is no URL secret; the pair rule reads "token=b"
    ("https://h/#token=a#amp;token=b", "https://h/#token=***#amp;token=***"),
    # the last value ends in a scheme word: its credential after the URL goes too
    ("https://h/?token=a&token=bearer abc", "https://h/?token=***&token=***"),
    # the last value runs to the URL's end: read at once too
    ("https://h/?token=a&token=b x", "https://h/?token=***&token=*** x"),
    # a last value the text after the URL reads on: a string's prefix, a name, a scheme
    ("https://h/?token=b'x' y", "https://h/?token=***'***' y"),
    ("https://h/?token=api key: S", "https://h/?token=*** key: ***"),
    ("https://h/?token=password: S", "https://h/?token=***: ***"),
    ("https://h/?token=password\n: S", "https://h/?token=***\n: ***"),
    ("https://h/?token=Session ID: S", "https://h/?token=*** ID: ***"),
    ("https://h/?token=a&token=bearer abc", "https://h/?token=***&token=***"),
    # a private key's header in a value ends the run; its rule reads it
    (
        "https://h/?token=a&token=b-----BEGIN PRIVATE KEY-----K",
        "https://h/?token=***&token=***-----BEGIN PRIVATE KEY-----***",
    ),
]


@pytest.mark.parametrize(("text", "expected"), URL_RUNS, ids=[text for text, _ in URL_RUNS])
def test_url_run_rows(text: str, expected: str) -> None:
    """A URL's runs of one parameter that end, or hold a shape another rule reads, mask so."""
    assert redaction._redact_text(text) == expected
    assert redaction.redact_text(expected) == expected


@pytest.mark.parametrize(
    "unit",
    [
        "token: ",
        "secret:\n",
        "pwd:\r\n",
        "x api key: ",
        "x api\\tkey: ",
        "token: \\n",
        "password : ",
    ],
)
@pytest.mark.usefixtures("default_names")
def test_a_chain_of_empty_pairs_is_skipped_at_once(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 empty pairs, each value the next one's name: the pair rule reads a few of them."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_pair")
    assert redaction._redact_text(unit * 400) == unit * 400
    assert redaction._redact_text(unit * 400 + "S") == unit * 400 + "***"
    assert len(calls) <= 4


@pytest.mark.usefixtures("default_names")
def test_a_url_of_unclosed_brackets_is_read_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """400 ``token=[#`` parameters in a URL: each bracket masked, the word rule read a few times."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_word")
    text = "https://h/?" + "token=[#" * 400 + " end"
    assert redaction._redact_text(text) == "https://h/?" + "token=***#" * 400 + " end"
    assert len(calls) <= 4


def _greedy_patterns() -> Any:
    """The engine's patterns compiled with every repeat greedy (as ``re`` before 3.11 reads)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redaction, "_possessive", lambda re: "")
        return redaction._Patterns()


_GREEDY = _greedy_patterns()

# Words of every rule, for texts that mix them: names, separators, values, schemes, URLs,
# credential shapes, private keys, headers, quotes, brackets and escapes.
_MIXED = [
    *_NAMES,
    *_SEPARATORS,
    *_VALUES,
    *_GAPS,
    *_BETWEEN,
    *_URL_ITEMS,
    "https://u:p@h/?token=a&token=b#token=c",
    "&token=",
    "#token=[",
    'Digest nonce="n", ',
    "Cookie: a=1\n",
    "token: ",
    "secret:\n",
    "x api key: ",
    "x api\\tkey: ",
    "eyJabcdefgh.ijklmnopq.rstuvwxyz",
    "AKIA" + "A" * 16,
    "-----END PRIVATE KEY-----",
    "\\",
    "(",
    ")",
    "token: Bearer\n",
    "abcD123\n",
    "auth = Digest ",
    'token = """S\n',
    "password : ",
    "token: \\n",
    'token = x"""',
]


def test_the_run_patterns_repeat_possessively_where_re_can() -> None:
    """On Python 3.11 and later the run patterns hold possessive repeats, so the next test bites."""
    patterns = redaction._patterns()
    if sys.version_info < (3, 11):
        assert patterns.possessive == ""
        return
    assert patterns.possessive == "+"
    runs = ["pair_run", "pair_run_checked", "lead_run", "header_run", "named_run", "url_pair_run"]
    runs += ["scheme_lines", "scheme_pairs", "triple_run", "glued_pairs"]
    for name in [*runs, "auth_params", "value_run", "double_quoted", "single_quoted"]:
        assert (
            ")*+" in getattr(patterns, name).pattern or ")++" in getattr(patterns, name).pattern
        ), name


def test_no_possessive_repeat_holds_a_capturing_group() -> None:
    """A group inside a possessive repeat can make ``re`` raise (CPython 101955): none has one."""
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_constants as constants
        import sre_parse as parser
    possessive = getattr(constants, "POSSESSIVE_REPEAT", None)

    def nodes(pattern: Any) -> Iterator[tuple[Any, Any]]:
        """Every (opcode, argument) of a parsed pattern, nested ones too."""
        for op, av in pattern:
            yield op, av
            for item in av if isinstance(av, list | tuple) else [av]:
                for sub in item if isinstance(item, list | tuple) else [item]:
                    if isinstance(sub, parser.SubPattern):
                        yield from nodes(sub)

    patterns = redaction._patterns()
    redaction._redact_text("tokens=1 tokens=2 https://h/?token=a&token=b")  # per-name patterns
    compiled = [getattr(patterns, slot, None) for slot in redaction._Patterns.__slots__]
    compiled += [run for pair in patterns.pair_runs.values() for run in pair]
    compiled += [run for pair in patterns.url_param_runs.values() for run in pair]
    repeats = 0
    for pattern in compiled:
        if not isinstance(pattern, re.Pattern):
            continue
        for op, av in nodes(parser.parse(pattern.pattern)):
            if possessive is not None and op is possessive:
                repeats += 1
                groups = [
                    arg[0]
                    for inner, arg in nodes(av[2])
                    if inner is constants.SUBPATTERN and arg[0] is not None
                ]
                assert groups == [], pattern.pattern
    assert repeats >= (8 if sys.version_info >= (3, 11) else 0)


def test_possessive_runs_read_as_greedy_ones() -> None:
    """On 3,000 generated run texts, the reading with possessive repeats equals the greedy one."""
    differences = [
        text
        for text in _texts(3000, seed=99)
        if redaction._Reader(text, redaction._patterns()).read()
        != redaction._Reader(text, _GREEDY).read()
    ]
    assert differences == []


def test_possessive_runs_read_as_greedy_ones_on_more_runs() -> None:
    """On 1,000 texts mixing in every run path's shapes, possessive and greedy readings agree."""
    differences = [
        text
        for text in _texts(1000, seed=98, more=True)
        if redaction._Reader(text, redaction._patterns()).read()
        != redaction._Reader(text, _GREEDY).read()
    ]
    assert differences == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MIXED), max_size=24).map("".join), st.integers(1, 6))
def test_possessive_runs_read_as_greedy_ones_on_mixed_text(text: str, repeat: int) -> None:
    """Text mixing every rule, repeated, reads the same with possessive or greedy repeats."""
    text *= repeat
    assert redaction._Reader(text, redaction._patterns()).read() == (
        redaction._Reader(text, _GREEDY).read()
    )


# Runs of JSON pairs and of blank header lines, and where they end: each row is masked as
# it says, by the run path and by the general reading alike.
JSON_ROWS = [
    # a run cut in the middle of a name: the rest is read by the pair rule
    ('"token": "a", "token": "b", "tok', '"token": "***", "token": "***", "tok'),
    ('"token": "a", "token": "b", "token', '"token": "***", "token": "***", "token'),
    # a value with escaped quotes, and one ending in an escaped backslash
    ('"token": "a\\"b", "token": "c\\\\", x', '"token": "***", "token": "***", x'),
    # a name not sensitive between sensitive ones, holding a trigger or not
    (
        '"token": "a", "tokens": "b", "id": 3, "secret": "c", "x": 1',
        '"token": "***", "tokens": "b", "id": 3, "secret": "***", "x": 1',
    ),
    # bare values: numbers and words; a masked or empty value stays as it is
    (
        '"pwd": -1.5e+3, "pwd": true, "pwd": "***", "pwd": "", "pwd": *, "pwd": null}',
        '"pwd": ***, "pwd": ***, "pwd": "***", "pwd": "", "pwd": *, "pwd": ***}',
    ),
    # camelCase and header names, read from their quotes
    (
        '"accessToken": "a", "Set-Cookie": "b", "authorization": "c", ',
        '"accessToken": "***", "Set-Cookie": "***", "authorization": "***", ',
    ),
    # text right after the run: a value that is the next pair's name, a pair, a scheme
    ('"token": "a", "x": "password": S', '"token": "***", "x": "password": ***'),
    ('"token": "a", token: S', '"token": "***", token: ***'),
    ('"token": "a", Bearer abc123def', '"token": "***", Bearer ***'),
    # a value of a name not sensitive that another rule reads: the run stops before it
    (
        '"token": "a", "id": "Bearer abc123def", "token": "b", ',
        '"token": "***", "id": "Bearer ***", "token": "***", ',
    ),
    (
        '"token": "a", "url": "https://u:p@h/?token=x", "token": "b", ',
        '"token": "***", "url": "https://u:***@h/?token=***", "token": "***", ',
    ),
    # a credential's prefix in a name, a private key in a masked value: their rules read them
    (
        '"token": "a", "sk-' + "a" * 24 + '": 1, "token": "b", ',
        '"token": "***", "***": 1, "token": "***", ',
    ),
    (
        '"token": "a", "token": "-----BEGIN PRIVATE KEY-----K", ',
        '"token": "***", "token": "-----BEGIN PRIVATE KEY-----***',  # no END: to the end
    ),
    # a name of words, or written with an escape, ends the run; its own reading follows
    ('"token": "a", "session id": "b", ', '"token": "***", "session id": "***", '),
    ('"token": "a", \\"token\\": \\"b\\", ', '"token": "***", \\"token\\": \\"***\\", '),
    # blank header lines, then a line with a value, a scheme at a line's end, a URL
    ("Cookie:\nCookie:\nCookie: a=1\nCookie:\n", "Cookie:\nCookie:\nCookie: ***\nCookie:\n"),
    ("Cookie:\r\nAuthorization: Bearer\nabc123def", "Cookie:\r\nAuthorization: ***\n***"),
    ("Cookie:\n\n  Cookie:\nCookie://x token=S", "Cookie:\n\n  Cookie:\nCookie://x token=***"),
    ("Cookie:\\nCookie:\\ntoken=S", "Cookie:\\nCookie:\\ntoken=***"),
    # units ended by escaped line breaks: pairs, and schemes with a credential or a word
    (
        "token=a\\nBearer b1234567\\nBearer abc\\r\\nsecret=s\\t Basic Zm9v\\n",
        "token=***\\nBearer ***\\nBearer abc\\r\\nsecret=***\\t Basic ***\\n",
    ),
    # an escape's letter that starts a name ("\\t" + "oken"): the name is read from it
    ("token=a\\token=b\\n", "token=***\\token=***\\n"),
    # a value ending in a scheme word takes the credential after the line break
    ("token=a\\ntoken=x-bearer\\nabc123\\n", "token=***\\ntoken=***\\n***\\n"),
    # a name not sensitive, a header's name, a word with a trigger after a scheme
    ("token=a\\ntokens=1\\ntoken=b\\n", "token=***\\ntokens=1\\ntoken=***\\n"),
    ("token=a\\ncookie=c\\ntoken=b\\n", "token=***\\ncookie=***\\ntoken=***\\n"),
    ("token=a\\nBearer tokenx\\nx", "token=***\\nBearer tokenx\\nx"),
    # a word left as it is that starts a rule: a scheme word reads the next line's word
    ("token=a\\nBearer basic\\nabc123def", "token=***\\nBearer basic\\n***"),
    # a run cut inside a unit, and text right after the run
    ("token=a\\nBearer b1234567\\nBea", "token=***\\nBearer ***\\nBea"),
    ("token=a\\nBearer b1234567\\n: S token: S", "token=***\\nBearer ***\\n: S token: ***"),
    # pairs whose value is a scheme word ending its line, the credential on the next: a run
    # cut inside a unit, a credential of a known shape, a name not sensitive between
    (
        "token: Bearer\na1\ntoken: Bearer\na2\ntoken: Bea",
        "token: ***\n***\ntoken: ***\n***\ntoken: ***",
    ),
    (
        "token: Bearer\na1\ntoken: Bearer\nsk-" + "a" * 24 + "\ntoken: Bearer\na3\n",
        "token: ***\n***\ntoken: ***\n***\ntoken: ***\n***\n",
    ),
    (
        "token: Bearer\na1\ntokens: Bearer\na2\ntoken: Bearer\na3\ntoken: Bearer\na4\n",
        "token: ***\n***\ntokens: Bearer\n***\ntoken: ***\n***\ntoken: ***\n***\n",
    ),
    # text right after the run: an auth-param's "=" and quote, a separator, a private key
    ('token: Bearer\na1\ntoken: Bearer\na2 ="x"', 'token: ***\n***\ntoken: ***\na2 ="***"'),
    ("token: Bearer\na1\ntoken: Bearer\na2\n: S", "token: ***\n***\ntoken: ***\n***\n: S"),
    (
        "token: Bearer\na1\ntoken: Bearer\na-----BEGIN PRIVATE KEY-----\nK\n",
        "token: ***\n***\ntoken: ***\n***-----BEGIN PRIVATE KEY-----***",
    ),
    # "=" and a line break of two characters; a credential already masked stays as it is
    (
        "password=basic\r\nZm9v\r\npassword=basic\r\nYmFy\r\npassword=basic\r\n***\r\n",
        "password=***\r\n***\r\npassword=***\r\n***\r\npassword=***\r\n***\r\n",
    ),  # pairs whose value opens triple quotes left unclosed, each line masked to its end: a run
    # cut inside a unit, closed after it, a name not sensitive between, a credential inside
    ('token = """a\ntoken = """b\ntoken = """c', 'token = """***\ntoken = """***\ntoken = """***'),
    ('token = """a\ntoken = """b\ntoken = "', 'token = """***\ntoken = """***\ntoken = "'),
    ('token = """a\ntoken = """b\n"""\nx', 'token = """***"""\nx'),
    (
        'token = """a\nx = """b\ntoken = """c\ntoken = """d\n',
        'token = """***\nx = """b\ntoken = """***\ntoken = """***\n',
    ),
    (
        'token = """sk-' + "a" * 24 + '\ntoken = """b\ntoken = """c\n',
        'token = """***\ntoken = """***\ntoken = """***\n',
    ),
    # text right after the run, a value already masked, single quotes and "\r\n"
    ('token = """a\ntoken = """b\n token: S', 'token = """***\ntoken = """***\n token: ***'),
    (
        "pwd: '''a b\r\npwd: '''***\r\npwd: '''c\r\n",
        "pwd: '''***\r\npwd: '''***\r\npwd: '''***\r\n",
    ),
]


def _read_without_new_runs(text: str) -> str:
    """``_redact_text`` with the JSON-pair and blank-line run paths turned off."""
    with pytest.MonkeyPatch.context() as patch:
        for owner, attribute, off in _MORE_PATHS.values():
            patch.setattr(owner, attribute, off)
        return redaction._redact_text(text)


@pytest.mark.parametrize(("text", "expected"), JSON_ROWS, ids=[text for text, _ in JSON_ROWS])
def test_json_and_blank_line_run_rows(text: str, expected: str) -> None:
    """Runs of JSON pairs or blank header lines, cut or followed by other text, mask so."""
    assert redaction._redact_text(text) == expected
    assert _read_without_new_runs(text) == expected
    assert redaction.redact_text(expected) == expected
    # repeated, the run reads each copy the same way
    assert redaction._redact_text(text * 3) == _read_without_new_runs(text * 3)


_JSON_MIXED = [
    *_MIXED,
    *(f'"{name}' for name in _JSON_NAMES),
    *_JSON_VALUES,
    *_JSON_COLONS,
    *_JSON_COMMAS,
    *_HEADER_LINES,
    *_HEADER_ENDS,
    *_ESCAPED_UNITS,
    *_ESCAPED_BREAKS,
    *_ESCAPED_HEADERS,
    *_ESCAPED_HEADER_VALUES,
    *_ESCAPED_HEADER_BREAKS,
    *_QUOTE_SCHEMES,
    *_QUOTE_MARKS,
    "Cookie:\\n",
    "Authorization: Bearer\\n",
    "Bearer `",
    'Bearer \\"',
    '"token": "a", ',
    '"id": 1, ',
    "Cookie:\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_JSON_MIXED), max_size=30).map("".join), st.integers(1, 4))
def test_json_and_blank_line_runs_read_as_the_general_path_on_mixed_text(
    text: str, repeat: int
) -> None:
    """Text mixing every rule with JSON pairs and header lines reads as the general path."""
    text *= repeat
    assert redaction._redact_text(text) == _read_without_new_runs(text)


_ADDED = [
    ("tenant_ref", "Ref-Code", "nbearer"),  # names of the name alphabet
    ("tenant_ref", "clé_api", "İd"),  # and names beyond it
]


@pytest.mark.parametrize("names", _ADDED, ids=["ascii", "beyond ascii"])
def test_runs_read_as_the_general_path_with_names_added(names: tuple[str, ...]) -> None:
    """With names added, runs of pairs of them and of others read as the general path does."""
    rows = [
        '"tenant_ref": "a", "tenantRef": "b", "x": "c", "ref-code": 1, "Ref.Code": 2, ',
        '"clé_api": "a", "token": "b", "İd": "c", "id": "d", "tenant_ref": "e", ',
        '"token": "a", "x": "tenant_ref", "y": "clé_api: S", "tenant_ref": "b"',
        # an escape's letter that starts an added name ("\\n" + "bearer"): its word is read
        "token=a\\nbearer abc123\\ntoken=b\\n",
        # pairs whose value is a scheme word ending its line, of added names
        "tenant_ref: Bearer\na1\ntenant_ref: Bearer\na2\nclé_api: Bearer\na3\nclé_api: Basic\na4\n",
    ]
    texts = [*rows, *_texts(300, seed=7, more=True)]
    saved = redaction._names
    try:
        redaction.add_sensitive_keys(*names)
        masked = [redaction._redact_text(text) for text in texts]
        # the added name's values, in any form
        assert masked[0].startswith('"tenant_ref": "***", "tenantRef": "***", "x": "c", ')
        assert masked == [_read_without_new_runs(text) for text in texts]
    finally:
        redaction._names = saved
        redaction._clear_text_cache()


def test_a_json_run_stopped_early_is_not_matched_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of JSON pairs stopped at a pair another rule reads is matched once, not per pair.

    Each stop leaves the rest of the run to the pair rule; matching the rest again from each
    later name would read the text over and over (quadratic time).
    """
    patterns = redaction._patterns()
    counting = _CountingRun(patterns.json_run)
    monkeypatch.setattr(patterns, "json_run", counting)
    text = '"token": "a", "id": "token", ' * 200
    expected = '"token": "***", "id": "token", ' * 200
    assert redaction._redact_text(text) == expected
    assert counting.calls >= 1
    assert counting.read <= 2 * len(text)


def test_a_json_run_with_nothing_to_mask_comes_back_as_the_same_text() -> None:
    """A run of JSON pairs whose sensitive values are masked or empty is the very same text."""
    text = '"token": "***", "secret": "", "pwd": *, "id": 1, "tokens": "a", ' * 100
    assert redaction._redact_text(text) is text


def test_an_escaped_run_stopped_early_is_not_matched_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run of units ended by escaped line breaks stopped early is matched once, not per unit.

    Each stop (a unit read otherwise) leaves the rest of the run to the rules; matching it
    again from each later unit would read the text over and over (quadratic time).
    """
    patterns = redaction._patterns()
    counting = _CountingRun(patterns.escaped_run)
    monkeypatch.setattr(patterns, "escaped_run", counting)
    text = "token=a\\ntokens=1\\n" * 200
    expected = "token=***\\ntokens=1\\n" * 200
    assert redaction._redact_text(text) == expected
    assert counting.calls >= 1
    assert counting.read <= 2 * len(text)


def _prose_after_spaces_only() -> Any:
    """The engine's patterns with a trigger's plain word read as prose after whitespace only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redaction, "_PLAIN_SPACING", r"\s+")
        return redaction._Patterns()


# Words after which a trigger word's plain word stands behind an escape or a bracket, and
# words that make such a word no prose (a separator after it, a capital inside it).
_PROSE = [
    *["Bearer [", "Bearer \\n", "Bearer \\n [", "token (", "Basic <", "Digest \\t", "\\\\n"],
    *["password \\n", "secret [", "api key \\r", "hello", "Hello", "aBc", "abc123XYZ"],
    *[": S", "= S", "->S", "]", ")", "(", "\\", "\\n", " ", "\n", "realm=", '"', "x"],
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_MIXED, *_PROSE]), max_size=24).map("".join))
def test_prose_after_an_escape_or_a_bracket_reads_as_the_rules_do(text: str) -> None:
    r"""A trigger skipped as prose after ``\n`` or ``[`` would have been read to mask nothing."""
    spaced = _prose_after_spaces_only()
    assert redaction._Reader(text, redaction._patterns()).read() == (
        redaction._Reader(text, spaced).read()
    )


def test_the_prose_test_reads_as_its_greedy_form_at_every_place() -> None:
    """The prose test after a trigger, its repeats possessive, matches as the greedy one does.

    At every place of 2,000 texts of pieces of every rule and of prose (spacing before a
    ``->``, a long word, escapes, quotes), the same span or none.
    """
    rng = random.Random(5)
    pieces = [*_MIXED, *_PROSE, " ->S", " a->", " hello -> ", "abcdefghijklmnopqrs ", "\\t->"]
    possessive, greedy = redaction._patterns().plain_after, _GREEDY.plain_after
    differences = []
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for at in range(len(text)):
            one, other = possessive.match(text, at), greedy.match(text, at)
            if (one and one.span()) != (other and other.span()):
                differences.append((text, at))
    assert differences == []


@pytest.mark.parametrize("names", [(), *_ADDED], ids=["none", "ascii", "beyond ascii"])
def test_prose_after_an_escape_or_a_bracket_on_generated_text(names: tuple[str, ...]) -> None:
    """On generated run texts (names added or not), the wider prose test changes no output."""
    texts = [*_texts(400, seed=11, more=True), *("".join(_PROSE[i::5]) * 3 for i in range(5))]
    saved = redaction._names
    try:
        redaction.add_sensitive_keys(*names)
        spaced = _prose_after_spaces_only()
        assert [redaction._Reader(text, redaction._patterns()).read() for text in texts] == [
            redaction._Reader(text, spaced).read() for text in texts
        ]
    finally:
        redaction._names = saved
        redaction._clear_text_cache()


@pytest.mark.parametrize("unit", ["Bearer [", "Bearer \\n", "token (", "Basic \\t<"])
@pytest.mark.usefixtures("default_names")
def test_a_scheme_word_before_an_escaped_or_bracketed_word_is_skipped_as_prose(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    r"""400 scheme words each before a plain word behind ``\n`` or ``[``: no rule is entered."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_word")
    assert redaction._redact_text(unit * 400) == unit * 400
    assert redaction._redact_text(unit * 400 + "abc123XYZ") == unit * 400 + "***"
    assert len(calls) <= 2


@pytest.mark.parametrize("path", ["_scheme_lines", "_scheme_pairs", "_glued_pairs"])
def test_the_generated_texts_reach_the_scheme_word_paths(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The texts with pairs whose value is a scheme word take both paths, reading runs, often."""
    taken: list[None] = []
    original = getattr(redaction._Reader, path)

    def counted(self: Any, lead: int, end: int) -> int:
        found: int = original(self, lead, end)
        if found > end:  # a run read, not only tried
            taken.append(None)
        return found

    monkeypatch.setattr(redaction._Reader, path, counted)
    for text in _texts(3000, seed=100, more=True):
        redaction._redact_text(text)
    assert len(taken) > 200


@pytest.mark.parametrize(
    ("unit", "masked"),
    [
        ("token: Bearer\nabcD123\n", "token: ***\n***\n"),
        ("pwd=basic\r\nZm9v\r\n", "pwd=***\r\n***\r\n"),
        # the next pair's name is no credential: each scheme word is masked alone
        ("token: Bearer\r\n", "token: ***\r\n"),
        ("password: Basic\n", "password: ***\n"),
        ("auth = Digest ", "auth = *** "),
        # a value glued to the next pair's name, a scheme word, which takes the next "="
        ('token = x"""' * 2, 'token = *** x"""'),
        ("Token =\tab''" * 2, "Token =\t***\tab''"),
    ],
)
@pytest.mark.usefixtures("default_names")
def test_pairs_whose_value_is_a_scheme_word_are_read_at_once(
    unit: str, masked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 pairs, each value a scheme word and a credential below: the pair rule reads one.

    The pair after them (its name no credential) is read as its own.
    """
    calls = _count_calls(monkeypatch, redaction._Reader, "_pair")
    assert redaction._redact_text(unit * 400 + "token: end") == masked * 400 + "token: ***"
    assert len(calls) <= 2


def test_the_generated_texts_reach_the_triple_quoted_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The texts with triple-quoted values left unclosed read runs of them at once, often."""
    taken: list[None] = []

    def counted(self: Any, lead: int, value: int, end: int, run: Any) -> int:
        found: int = _repeated(self, lead, value, end, run)
        if run is self.patterns.triple_run and found > end:  # a run read, not only tried
            taken.append(None)
        return found

    monkeypatch.setattr(redaction._Reader, "_repeated", counted)
    for text in _texts(3000, seed=100, more=True):
        redaction._redact_text(text)
    assert len(taken) > 200


@pytest.mark.parametrize(
    ("unit", "masked"),
    [('token = """S\n', 'token = """***\n'), ("pwd: '''a b\r\n", "pwd: '''***\r\n")],
)
@pytest.mark.usefixtures("default_names")
def test_lines_of_unclosed_triple_quotes_are_read_at_once(
    unit: str, masked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 pairs, each value opening triple quotes left unclosed: the pair rule reads one."""
    calls = _count_calls(monkeypatch, redaction._Reader, "_pair")
    assert redaction._redact_text(unit * 400) == masked * 400
    assert len(calls) <= 2


def test_the_generated_texts_reach_the_escaped_header_and_scheme_quote_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The texts take each new path often: escaped header lines, blank or not, and quotes."""
    taken = {"escaped_header_run": 0, "escaped_blank": 0, "scheme_quotes": 0}

    def repeated(self: Any, lead: int, value: int, end: int, run: Any) -> int:
        found: int = _repeated(self, lead, value, end, run)
        taken["escaped_header_run"] += run is self.patterns.escaped_header_run and found > end
        return found

    blank_headers = redaction._Reader._blank_headers

    def blank(self: Any, start: int) -> int | None:
        found: int | None = blank_headers(self, start)
        # a run that went over an escaped line break, not only real ones
        taken["escaped_blank"] += found is not None and "\\" in self.text[start:found]
        return found

    scheme_quotes = redaction._Reader._scheme_quotes

    def quotes(self: Any, start: int) -> int | None:
        found: int | None = scheme_quotes(self, start)
        taken["scheme_quotes"] += found is not None
        return found

    monkeypatch.setattr(redaction._Reader, "_repeated", repeated)
    monkeypatch.setattr(redaction._Reader, "_blank_headers", blank)
    monkeypatch.setattr(redaction._Reader, "_scheme_quotes", quotes)
    for text in _texts(3000, seed=100, more=True):
        redaction._redact_text(text)
    assert min(taken.values()) > 100, taken


ESCAPED_ROWS = [
    # a credential after the last scheme word is read by the scheme rule
    ("Bearer `Bearer `Bearer `abc123XYZ", "Bearer `Bearer `Bearer `***"),
    ('Bearer \\"Bearer \\"Bearer \\"abc123XYZ\\"', 'Bearer \\"Bearer \\"Bearer \\"***\\"'),
    # a scheme word that looks like a credential is masked as the next unit's credential
    ("BeArer `BeArer `BeArer `x", "BeArer `*** `BeArer `x"),
    # a run cut in the middle of a unit, text right after it
    ("Bearer `Bearer `Bear", "Bearer `Bearer `Bear"),
    ("Cookie:\\nCookie:\\nCookie:\\ntoken=S", "Cookie:\\nCookie:\\nCookie:\\ntoken=***"),
    ("Cookie:\\nCookie:\\nCook", "Cookie:\\nCookie:\\nCook"),
    # the last header line's scheme word takes the credential after the run
    (
        "Authorization: Bearer\\nAuthorization: Bearer\\nAuthorization: Bearer\\nabc123XYZ",
        "Authorization: ***\\nAuthorization: ***\\nAuthorization: ***\\n***",
    ),
    # a masked value, a private key's header, a name below: each line read as its rule reads it
    ("Cookie: a\\nCookie: *\\nCookie: b\\n", "Cookie: ***\\nCookie: *\\nCookie: ***\\n"),
    (
        "Cookie: a\\nCookie: b\\nCookie: -----BEGIN PRIVATE KEY-----\\nK",
        "Cookie: ***\\nCookie: ***\\nCookie: -----BEGIN PRIVATE KEY-----***",
    ),
    ("Cookie: a\\nCookie: b\\nCookie: token:\\nS", "Cookie: ***\\nCookie: ***\\nCookie: ***\\n***"),
    # an escaped backslash before the "n" is no line break
    ("Cookie: a\\nCookie: b\\\\nCookie: c", "Cookie: ***\\nCookie: ***"),
]


@pytest.mark.parametrize(("text", "expected"), ESCAPED_ROWS, ids=[t for t, _ in ESCAPED_ROWS])
def test_escaped_header_and_scheme_quote_rows(text: str, expected: str) -> None:
    """Runs of escaped header lines and of scheme words before quotes, cut or followed, so."""
    assert redaction._redact_text(text) == expected
    assert _read_without_new_runs(text) == expected
    assert redaction.redact_text(expected) == expected


@pytest.mark.parametrize(
    "names", [("ncookie", "ncook"), ("nauthorization", "naut"), ("clé_api",), ("bear",)]
)
def test_escaped_header_and_scheme_quote_runs_with_names_added(names: tuple[str, ...]) -> None:
    """With names added (one an escape's letter and a header's name), the runs read the same."""
    rows = [
        "Cookie:\\nCookie:\\nCookie:\\nCookie: a\\nCookie: b\\nCookie: c\\n",
        "Authorization: x\\nAuthorization: y\\nAuthorization: z\\n",
        # the escape's letter starts an added name: its pair is read, not the header's line
        "Authorization: a b\\nAuthorization: a b\\nAuthorization: a b\\n",
        "Cookie:\\nCookie:\\nCookie:\\nS",
        "Bearer `Bearer `Bearer `Bearer `x",
    ]
    texts = [*rows, *(text * 3 for text in rows), *_texts(300, seed=11, more=True)]
    saved = redaction._names
    try:
        redaction.add_sensitive_keys(*names)
        masked = [redaction._redact_text(text) for text in texts]
        assert masked == [_read_without_new_runs(text) for text in texts]
    finally:
        redaction._names = saved
        redaction._clear_text_cache()


def _read_generally(text: str) -> str:
    """``_redact_text`` with every run path turned off: each unit read by its rule."""
    with pytest.MonkeyPatch.context() as patch:
        for owner, attribute, off in [*_MORE_PATHS.values(), *_PATHS.values()]:
            patch.setattr(owner, attribute, off)
        patch.setattr(redaction._patterns(), "pair_run", re.compile("(?!)"))
        return redaction._redact_text(text)


# Shapes where a run path read otherwise than the rules (attack16): a URL's value then a
# name of words, a name apart by an escaped tab, a scheme word before the next pair's name.
ATTACK16_SHAPES = [
    "https://h/?key=api key: S1x9",
    "https://h/?key=api  key: S1x9",
    "https://h/?key=a&key=api key: S1x9",
    "https://h/?token=api key: S1x9",
    "https://h/?key=x-api key: S1x9",
    "https://h/?key=password \\tkey: S1x9",
    'https://h/?sig=api key: "S1x9"',
    "https://h/?key=api\\tkey: S1x9 https://h/?token=a&token=api key\\t: S1x9",
    "token: api\\tkey: S1x9 token=api\\tkey: S1x9 api\\tkey: api\\tkey: S1x9",
    "x token=api\\tkey: S1x9 x token=a\\ntoken=api\\tkey: S1x9",
    "auth: Digest\n" * 7 + "password: S1x9 ok",
    "token: Bearer\r\n" * 6 + "api key: S1x9",
    "auth = Digest " * 7 + "password = S1x9",
    "token: Bearer token: Bearer token: Bearer token: Bearer\nabcS1x9",
    "token: Bearer\nabc token: Bearer\napi token: Bearer\nxyz token: Bearer\nS1x9",
    "token=Bearer\n" * 5 + "password: S1x9",
    "token: Bearer\n" * 7 + "``S1x9abc`` ok",
    "token: Bearer\n" * 6 + 'token = """S1x9""" token = """"""""S1x9 ok',
    'Digest username="u", response="""S1x9""", a=[S1x9]\nauth = "Digest"b="S1x9"',
]


@pytest.mark.parametrize("text", ATTACK16_SHAPES)
def test_attack16_shapes_read_as_the_general_path(text: str) -> None:
    """Each shape reads with the run paths as without them, and its secret is masked."""
    once = redaction._redact_text(text)
    assert once == _read_generally(text)
    assert "S1x9" not in once
    assert redaction._redact_text(text * 3) == _read_generally(text * 3)
