"""Hypothesis strategies for the property tests: hostile input, secrets, URLs and recipes.

An error library runs on the worst day of its users' systems, so the properties are checked
against input generated to break them: hostile ``details`` (cycles, 10,000-deep nesting, NaN,
bytes, unprintable objects, non-str keys), secrets planted anywhere, URLs and free text
holding credentials. ``RECIPES`` holds one generated recipe per class and ``errors(cls)``
draws an instance from it (now and then the class's sample from ``tests.samples``); a class
added to the tree without a recipe fails ``test_every_class_has_a_recipe`` in
``tests/cross_cutting/test_properties.py`` and every property parametrized over the tree.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import json
import os
import pathlib
import string
import threading
import types
from datetime import timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TypeVar

import pydantic
from hypothesis import assume, settings
from hypothesis import strategies as st

from errorkit import exceptions as ek
from errorkit import redaction, safety
from errorkit.safety import MAX_STRING_LENGTH, is_sensitive_key
from tests.samples import JQL_RAW_ERROR, SAMPLES, all_error_classes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

CLASSES = all_error_classes()
CLASS_IDS = [cls.__name__ for cls in CLASSES]


# `make fuzz` sets ERRORKIT_FUZZ to explore with fresh random examples, this many times more.
_FUZZ = os.environ.get("ERRORKIT_FUZZ", "")
_SCALE = int(_FUZZ) if _FUZZ.isdigit() and int(_FUZZ) > 0 else 1


def _settings(max_examples: int) -> settings:
    """Settings for one property: its example budget (``ERRORKIT_FUZZ`` times it under fuzz)."""
    return settings(max_examples=max_examples * _SCALE, deadline=None)


# Examples per property (per class where the property is parametrized over the tree).
PER_CLASS_JSON = _settings(60)
PER_CLASS_SECRETS = _settings(40)
PER_CLASS_MESSAGE = _settings(15)
PER_CLASS_PICKLE = _settings(20)
PER_CLASS_FROM_DICT = _settings(25)
PER_NAME_CLASS = _settings(20)
MAIN = _settings(400)
SMALL = _settings(200)


# --------------------------------------------------------------------------- hostile values


class Shade(enum.Enum):
    """An enum whose values are not all JSON."""

    RED = "red"
    PAIR = (1, "two")
    NAN = float("nan")
    NESTED = (("deep", b"\xff"),)


class Level(enum.IntEnum):
    """An int enum."""

    LOW = 1
    HIGH = 2


class Perm(enum.Flag):
    """A flag enum (members combine into new values)."""

    READ = 1
    WRITE = 2


@dataclasses.dataclass
class Point:
    """A dataclass holding anything."""

    x: Any
    y: Any = None


class Model(pydantic.BaseModel):
    """A pydantic model: converted through ``model_dump()``."""

    name: str
    score: float


class Opaque:
    """An object with no JSON form whose repr holds its address."""


class Unprintable:
    """An object whose ``str()`` and ``repr()`` both raise."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Let hypothesis print the object when it reports a failing example."""
        printer.text("Unprintable()")


class UnprintableError(Exception):
    """An exception whose ``str()`` raises."""

    def __str__(self) -> str:
        raise RuntimeError("no str")


class TwoArgError(Exception):
    """An exception that pickles but cannot be unpickled (its __init__ wants two args)."""

    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a}/{b}")


class Text(str):
    """A str subclass."""


class Number(int):
    """An int subclass."""


class Ratio(float):
    """A float subclass."""


def _closure() -> Callable[[], int]:
    """Return a lambda, which cannot be pickled."""
    captured = 1
    return lambda: captured


def _deep(kind: str, depth: int, leaf: Any) -> Any:
    """Nest ``leaf`` ``depth`` levels down in lists, dicts, tuples or a mix of them."""
    value = leaf
    for level in range(depth):
        shape = kind if kind != "mixed" else ("list", "dict", "tuple")[level % 3]
        if shape == "list":
            value = [value]
        elif shape == "dict":
            value = {"k": value}
        else:
            value = (value,)
    return value


def _cyclic(kind: str, child: Any) -> Any:
    """Return a container that contains itself (directly or through another one)."""
    if kind == "list":
        items: list[Any] = [child]
        items.append(items)
        return items
    if kind == "dict":
        mapping: dict[str, Any] = {"child": child}
        mapping["self"] = mapping
        return mapping
    if kind == "dataclass":
        point = Point(child)
        point.y = point
        return point
    outer: list[Any] = [child]
    inner = {"outer": outer}
    outer.append(inner)
    return inner


_fixed_offsets = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
)
_long_texts = st.builds(
    lambda char, count: char * count,
    st.sampled_from(["x", "é", "ab ", "🙂", "token=abc "]),
    st.integers(min_value=MAX_STRING_LENGTH - 10, max_value=MAX_STRING_LENGTH + 3000),
)
_deep_depths = st.one_of(
    st.sampled_from([63, 64, 65, 66, 1000, 10_000]), st.integers(min_value=0, max_value=10_000)
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([5000, -5000, 19, -18]).map(lambda n: (10 ** abs(n)) * (1 if n > 0 else -1)),
    st.floats(),
    st.text(max_size=30),
    _long_texts,
    st.binary(max_size=20),
    st.builds(bytearray, st.binary(max_size=8)),
    st.binary(max_size=8).map(lambda data: memoryview(data)),
    st.datetimes(timezones=st.none() | _fixed_offsets),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.decimals(),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("-0")]),
    st.uuids(),
    st.sampled_from([*Shade, *Level, Perm.READ | Perm.WRITE]),
    st.builds(complex, st.floats(), st.floats()),
    st.fractions(),
    st.builds(pathlib.PurePosixPath, st.text(max_size=10)),
    st.builds(Text, st.text(max_size=10)),
    st.builds(Number, st.integers()),
    st.builds(Ratio, st.floats()),
    st.builds(Opaque),
    st.builds(Unprintable),
    st.builds(threading.Lock),
    st.builds(_closure),
    st.sampled_from([len, Ellipsis, NotImplemented, type, object]),
    st.builds(ValueError, st.text(max_size=20)),
    st.builds(KeyError, st.text(max_size=20)),
    st.builds(UnprintableError),
    st.builds(TwoArgError, st.text(max_size=5), st.text(max_size=5)),
    st.builds(Model, name=st.text(max_size=10), score=st.floats()),
    st.builds(range, st.integers(-5, 5), st.integers(-5, 50)),
    st.builds(iter, st.lists(st.integers(), max_size=3)),
)

_hashables = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.binary(max_size=8),
    st.sampled_from([*Shade, *Level]),
    st.uuids(),
    st.dates(),
    st.decimals(allow_nan=False),
    st.frozensets(st.integers(), max_size=3),
    st.tuples(st.integers(), st.text(max_size=3)),
    st.builds(Opaque),
    st.builds(Unprintable),
    st.builds(Text, st.text(max_size=6)),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Every kind of container errorkit must convert, holding ``children``."""
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(_hashables, children, max_size=4),
        st.sets(_hashables, max_size=4),
        st.frozensets(_hashables, max_size=3),
        st.lists(children, max_size=3).map(collections.deque),
        st.dictionaries(st.text(max_size=6), children, max_size=3).map(collections.OrderedDict),
        st.dictionaries(st.text(max_size=6), children, max_size=3).map(types.MappingProxyType),
        st.builds(Point, children, children),
        st.builds(ValueError, children),
        st.builds(_cyclic, st.sampled_from(["list", "dict", "dataclass", "mutual"]), children),
        st.builds(
            _deep, st.sampled_from(["list", "dict", "tuple", "mixed"]), _deep_depths, children
        ),
    )


hostile = st.recursive(_scalars, _containers, max_leaves=16)
"""Anything a caller might put in ``details`` or a context field, JSON or not."""

small_hostile = st.recursive(_scalars, _containers, max_leaves=4)


def _printable(value: Any) -> Any:
    """Return ``value``, rejecting the example when ``str(value)`` raises."""
    try:
        str(value)
    except Exception:
        assume(False)
    return value


def _safe_str(value: object) -> str:
    """``str(value)`` the way errorkit describes an object whose str() fails."""
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__} object>"


# --------------------------------------------------------------------------- plain parts

SECRET_PREFIX = "S3cr3t"
secrets = st.text(alphabet=string.ascii_letters + string.digits, min_size=8, max_size=16).map(
    lambda tail: SECRET_PREFIX + tail
)
"""Secrets: a fixed prefix no other generated text contains, then random alphanumerics."""


def _no_secret(text: str) -> bool:
    """Tell whether generated text is free of the secret prefix."""
    return SECRET_PREFIX not in text


texts = st.text(max_size=24).filter(_no_secret)
names = st.text(min_size=1, max_size=12).filter(_no_secret)
messages = st.one_of(st.just(""), texts, _long_texts)
"""Caller messages: empty (the class default applies), any text, or text over the limit."""

_SAFE_EXTRA_PARAMS = frozenset({"key", "sig", "signature"})


def _sensitive_param(name: str) -> bool:
    """Tell whether a URL query parameter name is sensitive (before percent-decoding)."""
    return is_sensitive_key(name) or name.lower().replace("-", "_") in _SAFE_EXTRA_PARAMS


plain_keys = st.text(alphabet=string.ascii_lowercase + string.digits + "_-", max_size=10).map(
    lambda tail: "k" + tail
)
plain_keys = plain_keys.filter(lambda key: not _sensitive_param(key))
"""Keys that are not sensitive (and not a URL-sensitive name either), never clashing."""

prose = st.text(alphabet="acdefghijklmnopqrstuvwxyz0123456789 ", min_size=1, max_size=20).map(
    lambda text: "w" + text + "w"
)
"""Text that no redaction rule touches (no separator, no ``basic``/``bearer``)."""

plain_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    prose,
    st.lists(st.one_of(prose, st.integers()), max_size=3),
)
"""JSON values that must come out of ``to_dict()`` exactly as they went in."""

_SENSITIVE_NAMES = sorted(redaction.SENSITIVE_NAMES)
"""Every exact name of the engine's table (the one list redaction reads)."""


_sensitive_bases = st.one_of(
    st.sampled_from(_SENSITIVE_NAMES),
    st.builds(
        lambda head, tail: head + tail,
        st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8),
        st.sampled_from(redaction.SENSITIVE_SUFFIXES),
    ),
)
_masks = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def _sensitive_keys(draw: st.DrawFn) -> str:
    """Draw a sensitive key in any case, with ``-`` or ``_`` between its words."""
    base = draw(_sensitive_bases)
    upper, dash = draw(_masks), draw(_masks)
    key = "".join(
        ("-" if dash >> index & 1 else "_")
        if char == "_"
        else (char.upper() if upper >> index & 1 else char)
        for index, char in enumerate(base)
    )
    assert is_sensitive_key(key), key
    return key


sensitive_keys = _sensitive_keys()
_param_names = st.one_of(sensitive_keys, st.sampled_from(["key", "Sig", "signature", "KEY"]))
_escape_choices = st.one_of(st.none(), st.tuples(st.integers(min_value=0), st.booleans()))


@st.composite
def _sensitive_params(draw: st.DrawFn) -> str:
    """Draw a sensitive query parameter name, varied in case and sometimes percent-encoded."""
    chars = list(draw(_param_names))
    escape = draw(_escape_choices)
    if escape is not None:
        index = escape[0] % len(chars)
        encoded = f"%{ord(chars[index]):02X}"
        chars[index] = encoded.lower() if escape[1] else encoded
    return "".join(chars)


sensitive_params = _sensitive_params()

# --------------------------------------------------------------------------- URLs

_schemes = st.sampled_from(["http", "https", "ftp", "git+ssh", "s3", "postgres", "x-y.z"])
_starts = st.one_of(_schemes.map(lambda scheme: scheme + "://"), st.just("//"))
_ports = st.sampled_from(["", ":80", ":8443", ":"])
_named_hosts = st.one_of(
    st.from_regex(r"[a-z0-9]([a-z0-9\-]{0,8}[a-z0-9])?(\.[a-z]{2,5}){0,2}", fullmatch=True),
    st.sampled_from(["127.0.0.1", "localhost"]),
)
_ipv6_hosts = st.sampled_from(["[::1]", "[2001:db8::7]", "[fe80::1%25eth0]"])
_users = st.from_regex(r"[a-z0-9._~\-]{1,8}", fullmatch=True)
_userinfos = st.one_of(
    st.just(""),
    st.builds(lambda user, tail: user + tail, _users, st.sampled_from(["@", ":@", ":***@"])),
)
_clean_param_names = st.text(
    alphabet=string.ascii_letters + string.digits + "_-.~", min_size=1, max_size=10
).filter(lambda name: not _sensitive_param(name))
_param_kinds = st.lists(
    st.sampled_from(["pair", "pair", "flag", "empty-sensitive", "masked"]), max_size=4
)

_UNRESERVED = string.ascii_letters + string.digits + "-._~"
_PROSE_SAFE = _UNRESERVED + "!$&*+,;=:@%"
"""Characters legal in a URL path that do not end a URL found in prose."""


@st.composite
def _clean_params(draw: st.DrawFn, values: st.SearchStrategy[str]) -> str:
    """Draw ``&``-joined parameters with nothing to mask (sensitive ones empty or masked)."""
    params: list[str] = []
    for kind in draw(_param_kinds):
        if kind == "pair":
            params.append(f"{draw(_clean_param_names)}={draw(values)}")
        elif kind == "flag":
            params.append(draw(_clean_param_names))
        elif kind == "empty-sensitive":
            params.append(draw(sensitive_params) + "=")
        else:
            params.append(draw(sensitive_params) + "=***")
    return "&".join(params)


class URLParts(NamedTuple):
    """The pieces generated URLs are made of: hosts, paths, clean parameters, fragments."""

    host: st.SearchStrategy[str]
    path: st.SearchStrategy[str]
    params: st.SearchStrategy[str]
    fragment: st.SearchStrategy[str]


def _url_parts(
    hosts: st.SearchStrategy[str], segments: st.SearchStrategy[str], values: st.SearchStrategy[str]
) -> URLParts:
    """Build the URL pieces from where hosts, path segments and parameter values come from."""
    params = _clean_params(values)
    return URLParts(
        host=st.builds(lambda host, port: host + port, hosts, _ports),
        path=st.lists(segments, max_size=3).map(lambda parts: "".join("/" + p for p in parts)),
        params=params,
        fragment=st.one_of(
            st.just(""),
            values.map(lambda text: "#" + text.replace("=", "")),
            params.map(lambda text: "#" + text),
        ),
    )


ANY_URL = _url_parts(
    st.one_of(_named_hosts, _ipv6_hosts),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="?#"), max_size=8),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="&#?@"), max_size=10),
)
"""Anything ``redact_url`` may be handed, whitespace and control characters included."""

LEGAL_URL = _url_parts(
    st.one_of(_named_hosts, _ipv6_hosts),
    st.text(alphabet=_PROSE_SAFE + "'()", max_size=8),
    st.text(alphabet=_PROSE_SAFE.replace("&", "").replace("@", "") + "/'()", max_size=10),
)
"""RFC 3986 URLs: IPv6 literals, quotes and parentheses included."""

PROSE_URL = _url_parts(
    _named_hosts,
    st.text(alphabet=_PROSE_SAFE, max_size=8),
    st.text(alphabet=_PROSE_SAFE.replace("&", "").replace("@", "") + "/", max_size=10),
)
"""URLs ``redact_text`` can find in prose: it ends a URL at whitespace, quotes and brackets."""


@st.composite
def clean_urls(draw: st.DrawFn, parts: URLParts = ANY_URL) -> str:
    """Draw a URL with nothing sensitive: no password, no sensitive parameter value."""
    start, user, host, path = draw(_starts), draw(_userinfos), draw(parts.host), draw(parts.path)
    params = draw(parts.params)
    query = "?" + params if params or draw(st.booleans()) else ""
    return f"{start}{user}{host}{path}{query}{draw(parts.fragment)}"


class DirtyURL(NamedTuple):
    """A URL holding a secret, and the URL ``redact_url`` must turn it into."""

    url: str
    expected: str


_secret_places = st.sampled_from(["userinfo", "param", "both", "nested"])
_dirty_fragments = st.sampled_from(["", "#top", "#a=1&b=2"])


@st.composite
def dirty_urls(draw: st.DrawFn, secret: str, parts: URLParts = ANY_URL) -> DirtyURL:
    """Draw a URL with the secret as userinfo password and/or a sensitive parameter value."""
    where = draw(_secret_places)
    user = draw(_users)
    userinfo = f"{user}:{secret}@" if where in ("userinfo", "both") else ""
    head = f"{draw(_schemes)}://{userinfo}{draw(parts.host)}{draw(parts.path)}"
    before, after = draw(parts.params), draw(parts.params)
    if where == "userinfo":
        query = "?" + before if before else ""
    elif where == "nested":
        inner = f"https://{user}:{secret}@{draw(parts.host)}{draw(parts.path)}"
        query = "?" + "&".join(filter(None, [before, f"{draw(_clean_param_names)}={inner}", after]))
    else:
        pair = f"{draw(sensitive_params)}={secret}"
        query = "?" + "&".join(filter(None, [before, pair, after]))
    url = head + query + draw(_dirty_fragments)
    return DirtyURL(url, url.replace(secret, safety.REDACTED))


# --------------------------------------------------------------------------- free text

_TEXT_FORMS: list[Callable[[str, str, str], str]] = [
    lambda key, param, secret: f"{key}={secret}",
    lambda key, param, secret: f"{key}: {secret}",
    lambda key, param, secret: f"{key} = {secret}",
    lambda key, param, secret: f'"{key}": "{secret}"',
    lambda key, param, secret: f"'{key}': '{secret}'",
    lambda key, param, secret: f'\\"{key}\\": \\"{secret}\\"',
    lambda key, param, secret: json.dumps({key: secret}),
    lambda key, param, secret: f"Authorization: Bearer {secret}",
    lambda key, param, secret: f"bearer {secret}",
    lambda key, param, secret: f"Basic {secret}",
    lambda key, param, secret: f"https://user:{secret}@api.example.com/v1",
    lambda key, param, secret: f"https://api.example.com/v1?page=2&{param}={secret}",
]


_text_forms = st.sampled_from(_TEXT_FORMS)


@st.composite
def secret_phrases(draw: st.DrawFn, secret: str) -> str:
    """Draw one phrase of free text holding the secret in a form ``redact_text`` masks."""
    form = draw(_text_forms)
    return form(draw(sensitive_keys), draw(sensitive_params), secret)


class FreeText(NamedTuple):
    """Prose around a secret phrase: the prose must survive, the secret must not."""

    text: str
    before: str
    after: str


@st.composite
def free_texts(draw: st.DrawFn, secret: str) -> FreeText:
    """Draw ``{prose} {phrase with the secret}`` and ``{prose}`` on the next line.

    The line break ends a header written in text (``Authorization: ...``), whose whole
    value, to the end of its line, is masked.
    """
    before, after = draw(prose), draw(prose)
    return FreeText(f"{before} {draw(secret_phrases(secret))}\n {after}", before, after)


# --------------------------------------------------------------------------- planting secrets

_SECRET_FORMS: list[Callable[[str], Any]] = [
    lambda secret: secret,
    lambda secret: secret.encode(),
    lambda secret: [secret],
    lambda secret: (secret, 1),
    lambda secret: {"inner": secret},
    lambda secret: {secret},
    lambda secret: ValueError(secret),
    lambda secret: f"Bearer {secret}",
    lambda secret: Point(secret, secret),
]


class Planted(NamedTuple):
    """A payload with a secret planted somewhere in it."""

    payload: Any
    survives: Callable[[Any], bool]
    """Tell whether a ``to_dict()`` output kept the non-sensitive data next to the secret."""
    depth: int


def _walk(value: Any) -> Iterator[Any]:
    """Yield every node of plain JSON data (dicts, lists and leaves)."""
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _strings(value: Any) -> Iterator[str]:
    """Yield every string of plain JSON data, dict keys included."""
    for node in _walk(value):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            yield from node


_planting_kinds = st.sampled_from(["key", "key", "url", "text"])
_secret_forms = st.sampled_from(_SECRET_FORMS)
_shapes = st.lists(st.sampled_from(["dict", "list", "tuple", "ordered"]), max_size=80)
_fillers = st.one_of(plain_values, small_hostile)


@st.composite
def plantings(draw: st.DrawFn, secret: str) -> Planted:
    """Plant the secret at any depth: under a sensitive key, in a URL, or in free text."""
    kind = draw(_planting_kinds)
    sibling_key = draw(plain_keys)
    survives: Callable[[Any], bool]
    carrier: Any
    if kind == "key":
        key = draw(sensitive_keys)
        sibling = draw(plain_values)
        form = draw(_secret_forms)(secret)
        raw_key: Any = key.encode() if draw(st.booleans()) else key
        pairs = [(raw_key, form), (sibling_key, sibling)]
        carrier = dict(pairs if draw(st.booleans()) else pairs[::-1])

        def survives(out: Any) -> bool:
            return any(
                isinstance(node, dict)
                and node.get(sibling_key) == sibling
                and node.get(key) == safety.REDACTED
                for node in _walk(out)
            )

    elif kind == "url":
        dirty = draw(dirty_urls(secret, PROSE_URL))
        carrier = dirty.url

        def survives(out: Any) -> bool:
            return dirty.expected in set(_strings(out))

    else:
        free = draw(free_texts(secret))
        carrier = free.text

        def survives(out: Any) -> bool:
            return any(
                text.startswith(free.before + " ") and text.endswith(" " + free.after)
                for text in _strings(out)
            )

    shapes = draw(_shapes)
    level_key = draw(plain_keys)
    filler = draw(_fillers)
    value = carrier if isinstance(carrier, dict) or draw(st.booleans()) else {sibling_key: carrier}
    for level, shape in enumerate(shapes):
        if shape == "dict":
            value = {level_key: value, level_key + "x": filler}
        elif shape == "ordered":
            value = collections.OrderedDict([(level_key + "x", filler), (level_key, value)])
        elif shape == "list":
            value = [filler, value] if level % 2 else [value, filler]
        else:
            value = (value, filler)
    depth = len(shapes)
    return Planted(value, survives, depth)


# --------------------------------------------------------------------------- one recipe per class

T = TypeVar("T")


class Draw(Protocol):
    """What a recipe draws with: ``st.composite``'s ``draw`` or ``st.data()``'s ``draw``."""

    def __call__(self, strategy: st.SearchStrategy[T], label: Any = ...) -> T:
        """Draw one value from ``strategy``."""
        ...


Slot = Literal["context", "name", "message"]


class Recipe(NamedTuple):
    """How to build one class from a payload, a caller message and generated parts.

    ``slot`` says where the payload lands: ``context`` (``details``, bodies, params,
    provider... shown in ``to_dict()``, never in the message), ``name`` (a name the
    message is composed from, also in ``details``), or ``message`` (the message only).
    """

    build: Callable[[Draw, Any, str], ek.Error]
    slot: Slot


_HTTP_FIELDS = (
    "response_body",
    "request_method",
    "request_url",
    "request_params",
    "request_body",
    "request_id",
)
_OAUTH_CODES = [
    "OAUTH_TOKEN_ERROR",
    "OAUTH_REFRESH_ERROR",
    "OAUTH_REFRESH_REVOKED",
    "OAUTH_REGISTRATION_ERROR",
    "OAUTH_TIMEOUT",
    "OAUTH_PORT_ERROR",
    "OAUTH_BROWSER_ERROR",
]
_WORKSPACE_CODES = [
    "NO_WORKSPACES",
    "AMBIGUOUS_WORKSPACE",
    "WORKSPACE_NOT_FOUND",
    "ORGANIZATION_AMBIGUOUS",
]
REGISTERED_CODES = frozenset(
    {cls.code for cls in CLASSES}
    | set(_OAUTH_CODES)
    | set(_WORKSPACE_CODES)
    | {"OAUTH_REGION_PROBE_FAILED", "OAUTH_NETWORK_UNREACHABLE"}
)
unknown_codes = st.one_of(
    st.from_regex(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", fullmatch=True), st.text(min_size=1)
).filter(lambda code: code not in REGISTERED_CODES)

exceptions = st.one_of(
    st.builds(ValueError, texts),
    st.builds(KeyError, texts),
    st.builds(ConnectionRefusedError, texts),
    st.builds(TimeoutError),
    st.builds(OSError, st.integers(0, 200), texts),
    st.builds(TwoArgError, names, names),
    st.builds(UnprintableError),
)
"""Causes: picklable builtins, one that cannot be unpickled, one that cannot be printed."""

causes: st.SearchStrategy[Any] = st.one_of(exceptions, st.just("not an exception"))
maybe_causes = st.none() | causes
maybe_texts = st.none() | texts
maybe_names = st.none() | names
_name_lists = st.lists(names, max_size=2)
_param_dicts = st.dictionaries(plain_keys, texts, max_size=3)
_detail_dicts = st.dictionaries(plain_keys, plain_values, max_size=3)
_error_codes = st.none() | st.just("UNKNOWN_ERROR") | unknown_codes
_violations: st.SearchStrategy[Any] = st.sampled_from(
    ["mutually_exclusive", "no_browser_misuse", "secret_stdin_misuse"]
)
_jql_raw_errors = st.sampled_from([JQL_RAW_ERROR, "TypeError: x is undefined", ""])
_oauth_codes = st.sampled_from(_OAUTH_CODES)
_workspace_codes = st.sampled_from(_WORKSPACE_CODES)
_replay_statuses = st.none() | st.integers(min_value=400, max_value=599)
_attempts = st.lists(st.tuples(names, st.integers(min_value=0, max_value=599), texts), max_size=2)
_unauthorized_statuses = st.sampled_from([401, 403])
_connector_retry_afters: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.floats(max_value=86400), st.integers(0, 86400)
)
_error_statuses = st.integers(min_value=400, max_value=599)
_any_statuses = st.integers(min_value=100, max_value=999)
_TRANSPORT_FIELDS = ("request_method", "request_url", "provider")
_transport_slots = st.sampled_from(_TRANSPORT_FIELDS)
_slots: dict[tuple[str, ...], st.SearchStrategy[str]] = {}


def _details(draw: Draw, payload: Any) -> Any:
    """Return details holding the payload: the payload itself when a dict, else under a key."""
    if type(payload) is dict and draw(st.booleans()):
        return payload
    return {draw(plain_keys): payload}


def _context(draw: Draw, payload: Any, *, extra: tuple[str, ...] = ("provider",)) -> dict[str, Any]:
    """Return HTTP keyword context with the payload in one field, plain values in others."""
    fields = (*_HTTP_FIELDS, *extra)
    slots = _slots.get(fields)
    if slots is None:
        slots = _slots[fields] = st.sampled_from(fields)
    slot = draw(slots)
    context: dict[str, Any] = {slot: payload}
    for field in fields:
        if field != slot and draw(st.booleans()):
            if field == "request_params":
                context[field] = draw(_param_dicts)
            elif field == "details":
                context[field] = draw(_detail_dicts)
            else:
                context[field] = draw(texts)
    if draw(st.booleans()):
        context["original_exception"] = draw(causes)
    return context


def _replay(cls: type[ek.SessionReplayError]) -> Recipe:
    """The recipe of a session-replay class: details merged after the HTTP context."""

    def build(draw: Draw, payload: Any, message: str) -> ek.Error:
        context = _context(draw, payload, extra=("provider", "details"))
        details = context.pop("details", None)
        if details is payload:
            details = _details(draw, payload)
        status = draw(_replay_statuses)
        return cls(message, details=details, status_code=status, **context)

    return Recipe(build, "context")


def _http(cls: type[ek.APIError], statuses: st.SearchStrategy[int | None]) -> Recipe:
    """The recipe of an APIError subclass whose message is optional."""

    def build(draw: Draw, payload: Any, message: str) -> ek.Error:
        make: Callable[..., ek.Error] = cls
        return make(message or None, status_code=draw(statuses), **_context(draw, payload))

    return Recipe(build, "context")


def _transport(cls: type[ek.APIConnectionError]) -> Recipe:
    """The recipe of a transport failure: payload as method, URL or provider."""

    def build(draw: Draw, payload: Any, message: str) -> ek.Error:
        context: dict[str, Any] = {field: draw(maybe_texts) for field in _TRANSPORT_FIELDS}
        context[draw(_transport_slots)] = payload
        cause = draw(maybe_causes)
        return cls(message or None, original_exception=cause, **context)

    return Recipe(build, "context")


def _region(cls: type[ek.RegionProbeError]) -> Recipe:
    """The recipe of a region probe failure: the payload as one attempt's error body."""

    def build(draw: Draw, payload: Any, message: str) -> ek.Error:
        attempts = [*draw(_attempts), (draw(names), 0, payload)]
        return cls(message, attempts=attempts)

    return Recipe(build, "context")


def _connector_http(cls: type[ek.ConnectorError]) -> Recipe:
    """The recipe of a connector HTTP failure: payload in the request context."""

    def build(draw: Draw, payload: Any, message: str) -> ek.Error:
        context = _context(draw, payload, extra=())
        provider = draw(names)
        if cls is ek.UnauthorizedError:
            status = draw(_unauthorized_statuses)
            env_var = draw(maybe_names)
            return ek.UnauthorizedError(
                provider, message or None, env_var=env_var, status_code=status, **context
            )
        if cls is ek.ConnectorRateLimitError:
            retry_after = draw(_connector_retry_afters)
            return ek.ConnectorRateLimitError(
                provider,
                retry_after,  # None is read as 0.0
                quota_exhausted=draw(st.booleans()),
                message=message or None,
                **context,
            )
        if cls is ek.ProviderError:
            status = draw(_error_statuses)
            return ek.ProviderError(provider, status, message or None, **context)
        return ek.PaymentRequiredError(provider, message or None, **context)

    return Recipe(build, "context")


_retry_afters: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.floats(),
    st.integers(min_value=-10, max_value=10**6),
    st.floats(min_value=0, max_value=1e6).map(str),
)
_statuses_4xx = st.none() | st.integers(min_value=400, max_value=499)

RECIPES: dict[type[ek.Error], Recipe] = {
    ek.Error: Recipe(
        lambda d, p, m: ek.Error(m, d(_error_codes), _details(d, p)),
        "context",
    ),
    ek.ConfigError: Recipe(lambda d, p, m: ek.ConfigError(m, _details(d, p)), "context"),
    ek.AccountNotFoundError: Recipe(
        lambda d, p, m: ek.AccountNotFoundError(m, [*d(_name_lists), _printable(p)]),
        "name",
    ),
    ek.AccountExistsError: Recipe(
        lambda d, p, m: ek.AccountExistsError(m or _printable(p)), "name"
    ),
    ek.AccountInUseError: Recipe(
        lambda d, p, m: ek.AccountInUseError(m, [_printable(p), *d(_name_lists)]),
        "name",
    ),
    ek.InvalidArgumentError: Recipe(
        lambda d, p, m: ek.InvalidArgumentError(
            m,
            violation=d(_violations),
            detected_auth_type=p,
        ),
        "context",
    ),
    ek.ProjectNotFoundError: Recipe(
        lambda d, p, m: ek.ProjectNotFoundError(m, [_printable(p)]), "name"
    ),
    ek.MissingAPIKeyError: Recipe(lambda d, p, m: ek.MissingAPIKeyError(m, _printable(p)), "name"),
    ek.NoRegisteredProviderError: Recipe(
        lambda d, p, m: ek.NoRegisteredProviderError(m or _printable(p)), "name"
    ),
    ek.APIError: Recipe(
        lambda d, p, m: ek.APIError(m, status_code=d(_any_statuses), **_context(d, p)),
        "context",
    ),
    ek.BadRequestError: _http(ek.BadRequestError, st.sampled_from([None, 400, 422])),
    ek.QueryError: _http(ek.QueryError, st.sampled_from([None, 400])),
    ek.JQLSyntaxError: Recipe(
        lambda d, p, m: ek.JQLSyntaxError(
            m or d(_jql_raw_errors),
            script=p,
            request_path=d(maybe_texts),
        ),
        "context",
    ),
    ek.AuthenticationError: _http(ek.AuthenticationError, _statuses_4xx),
    ek.PermissionDeniedError: _http(ek.PermissionDeniedError, _statuses_4xx),
    ek.NotFoundError: _http(ek.NotFoundError, _statuses_4xx),
    ek.ConflictError: Recipe(
        lambda d, p, m: ek.ConflictError(
            m or None,
            status_code=d(st.sampled_from([None, 409])),
            retry_after=d(_retry_afters),
            retryable=d(st.none() | st.booleans() | texts),  # type: ignore[arg-type]
            **_context(d, p, extra=("provider", "details")),
        ),
        "context",
    ),
    ek.RateLimitError: Recipe(
        lambda d, p, m: ek.RateLimitError(
            m or None,
            retry_after=d(_retry_afters),
            project_id=d(maybe_names),
            **_context(d, p),
        ),
        "context",
    ),
    ek.ServerError: _http(ek.ServerError, st.none() | st.integers(min_value=500, max_value=599)),
    ek.SessionReplayError: _replay(ek.SessionReplayError),
    ek.SessionReplayAccessError: _replay(ek.SessionReplayAccessError),
    ek.SignedURLExpiredError: _replay(ek.SignedURLExpiredError),
    ek.ReplayNotFoundError: _replay(ek.ReplayNotFoundError),
    ek.APIConnectionError: _transport(ek.APIConnectionError),
    ek.APITimeoutError: _transport(ek.APITimeoutError),
    ek.OAuthError: Recipe(
        lambda d, p, m: ek.OAuthError(m, d(_oauth_codes), _details(d, p)),
        "context",
    ),
    ek.RegionProbeError: _region(ek.RegionProbeError),
    ek.RegionProbeNetworkError: _region(ek.RegionProbeNetworkError),
    ek.WorkspaceScopeError: Recipe(
        lambda d, p, m: ek.WorkspaceScopeError(m, d(_workspace_codes), _details(d, p)),
        "context",
    ),
    ek.BusinessContextValidationError: Recipe(
        lambda d, p, m: ek.BusinessContextValidationError(m, _details(d, p)), "context"
    ),
    ek.ConnectorError: Recipe(
        lambda d, p, m: ek.ConnectorError(m, provider=p, original_exception=d(maybe_causes)),
        "context",
    ),
    ek.UnauthorizedError: _connector_http(ek.UnauthorizedError),
    ek.PaymentRequiredError: _connector_http(ek.PaymentRequiredError),
    ek.ConnectorRateLimitError: _connector_http(ek.ConnectorRateLimitError),
    ek.ProviderError: _connector_http(ek.ProviderError),
    ek.EmptyDataError: Recipe(
        lambda d, p, m: ek.EmptyDataError(d(names), m or None, query_params=_details(d, p)),
        "context",
    ),
    ek.ParseError: Recipe(
        lambda d, p, m: ek.ParseError(p, m or d(names), original_exception=d(maybe_causes)),
        "context",
    ),
    ek.InvalidParameterError: Recipe(lambda d, p, m: ek.InvalidParameterError(p, m), "context"),
    ek.CatalogNotFoundError: Recipe(
        lambda d, p, m: ek.CatalogNotFoundError(m, provider=p), "context"
    ),
    ek.ToolError: Recipe(lambda d, p, m: ek.ToolError(m or p), "message"),
    ek.ToolExecutionError: Recipe(
        lambda d, p, m: ek.ToolExecutionError(
            m or (p if isinstance(p, BaseException) else ValueError(p))
        ),
        "message",
    ),
    ek.ToolNotFoundError: Recipe(lambda d, p, m: ek.ToolNotFoundError(m or _printable(p)), "name"),
    ek.FeatureNotSupportedError: Recipe(
        lambda d, p, m: ek.FeatureNotSupportedError(
            d(names), d(names), model_id=p, message=m or d(names)
        ),
        "context",
    ),
}


_sample_odds = st.integers(min_value=0, max_value=15)


@st.composite
def errors(
    draw: st.DrawFn,
    cls: type[ek.Error],
    payloads: st.SearchStrategy[Any] = hostile,
    *,
    samples: bool = True,
) -> ek.Error:
    """Draw an instance of exactly ``cls``: now and then its sample, else from its recipe."""
    if samples and draw(_sample_odds) == 0:
        return SAMPLES[cls]()
    error = RECIPES[cls].build(draw, draw(payloads), draw(messages))
    assert type(error) is cls
    return error
