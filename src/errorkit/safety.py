"""Serialization safety: JSON-safe conversion and truncation, on top of ``redaction``.

``json_safe`` turns any value into plain JSON data that ``json.dumps(..., allow_nan=False)``
always accepts, without dropping anything silently: values JSON cannot hold get a fixed,
faithful JSON form, cycles and excessive nesting become markers, and (by default) values
under sensitive keys and the secrets ``redaction.redact_text`` finds in strings are replaced
by ``***``, and long strings are cut to ``MAX_STRING_LENGTH`` characters with a
``...[truncated {n} chars]`` marker. Every helper here is idempotent
(applying it to its own output changes nothing), never raises, and imports only the
standard library, lazily, so importing this module stays cheap.
"""

from __future__ import annotations

import sys

from errorkit import redaction as _redaction
from errorkit._coerce import NAME_MEMOS as _NAME_MEMOS
from errorkit._coerce import items_or_none, str_of
from errorkit.redaction import (
    REDACTED,
    _is_sensitive_name,
    _remember,
    is_sensitive_key,
    redact_text,
    redact_url,
    sensitive_names,
)

# Not imported from typing: at run time this module imports nothing but sys.
TYPE_CHECKING = False
if TYPE_CHECKING:
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

_MAX_SEQUENCE_ITEMS: Final = 10_000  # a range or other lazy sequence keeps this many items
_MAX_DEPTH_MARKER: Final = "<max depth>"
_CYCLE_MARKER: Final = "<cycle>"
_UNSET_MARKER: Final = "<unset>"
_WINDOW_MARGIN: Final = 1024
_MARKER_FIXED_LEN: Final = len("...[truncated  chars]")
_SMALL_INT: Final = 1 << 2000  # any int strictly between -_SMALL_INT and _SMALL_INT has a str()
_NEGATIVE_SMALL_INT: Final = -_SMALL_INT


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
    elif len(text) <= MAX_STRING_LENGTH:
        return redact_text(text)  # the common case: nothing to cut (short texts are memoised)
    total = len(text)
    if total <= MAX_STRING_LENGTH + _WINDOW_MARGIN:
        return truncate(redact_text(text))
    return _cut(redact_text(text[: MAX_STRING_LENGTH + _WINDOW_MARGIN]), total, MAX_STRING_LENGTH)


def _text(value: str) -> str:
    """Return the redacted, bounded form of a plain string (fast when nothing applies)."""
    return redact_text(value) if len(value) <= MAX_STRING_LENGTH else safe_text(value)


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
        numbers: dict[str, int] = {}
        child = depth + 1
        plain_keys = _PLAIN_KEYS
        # The str keys of a dict are distinct, so a key kept as it is can only collide with
        # one that conversion changed: until such a key appears, there is nothing to check.
        check = type(container) is not dict
        for raw_key, item in items:
            if type(raw_key) is str and raw_key in plain_keys:
                key = raw_key
                if check and key in out:
                    key = _unique_key(key, out, True, numbers)
            else:
                raw = raw_key if type(raw_key) is str else _key_text(raw_key)
                key, sensitive = _KEY_CACHE.get(raw) or _safe_key(raw)
                if key in out:
                    key = _unique_key(raw, out, True, numbers)
                check = True
                if sensitive:
                    out[key] = REDACTED
                    continue
            cls = type(item)
            if cls is str:
                out[key] = _text(item)
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
    except RuntimeError:  # "dictionary changed size during iteration", or another failure
        if type(container) is not dict or isinstance(items, tuple):
            return _as_text(_fallback_repr(container), redact)
    except Exception:
        return _as_text(_fallback_repr(container), redact)
    finally:
        if tracked:
            path.discard(ident)
    # Another thread changed the dict while it was read: read a snapshot, copied atomically.
    return _convert_items(container, tuple(container.items()), depth, redact, path)


def _faithful_items(items: Iterable[tuple[Any, Any]], child: int, path: set[int]) -> Any:
    """The loop of ``_convert_items`` when nothing is redacted (errors go to the caller)."""
    out: dict[str, Any] = {}
    numbers: dict[str, int] = {}
    for raw_key, item in items:
        raw = raw_key if type(raw_key) is str else _key_text(raw_key)
        out[raw if raw not in out else _unique_key(raw, out, False, numbers)] = (
            item if type(item) is str else _convert(item, child, False, path)
        )
    return out


_KEY_CACHE: dict[str, tuple[str, bool]] = {}
# Short keys known to be safe as they are: not sensitive, nothing to redact or cut.
_PLAIN_KEYS: set[str] = set()
_NAME_MEMOS += (_KEY_CACHE, _PLAIN_KEYS)  # a name added later must not find a stale verdict


def _safe_key(raw: str) -> tuple[str, bool]:
    """Return the safe form of a key and whether it is sensitive, memoising short keys."""
    names = _redaction._names
    entry = (_text(raw), _is_sensitive_name(raw))
    if len(raw) <= 64:
        if len(_KEY_CACHE) >= 4096:
            _PLAIN_KEYS.clear()
        _remember(_KEY_CACHE, raw, entry, names)
        if entry[0] is raw and not entry[1] and _redaction._names is names:
            _PLAIN_KEYS.add(raw)
            if _redaction._names is not names:  # names came while adding: see ``_remember``
                _PLAIN_KEYS.discard(raw)
    return entry


def _unique_key(raw: str, out: dict[str, Any], redact: bool, numbers: dict[str, int]) -> str:
    """Return a key for ``raw`` that is not in ``out`` yet, numbering it ``(2) raw``, ...

    ``numbers`` remembers the next number to try for each ``raw`` of one container, so many
    keys whose text collides are numbered in linear time.
    """
    number = numbers.get(raw, 2)
    while True:
        candidate = f"({number}) {raw}"
        if redact:
            candidate = _text(candidate)
        number += 1
        if candidate not in out:
            numbers[raw] = number
            return candidate


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
                append(_text(item) if redact else item)
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
                    append(
                        [_convert(item[0], child, redact, path), REDACTED]
                        if redact and _is_secret_pair(item)
                        else _convert_list(item, item, child, redact, path)
                    )
                else:
                    converted = _convert(item, child, redact, path)
                    if redact and type(converted) is list and _is_secret_pair(converted):
                        converted = [converted[0], REDACTED]  # a pair in a tuple subclass
                    append(converted)
        return out
    except Exception:
        if tracked:
            path.discard(ident)
            tracked = False
        # A subclass of list or tuple whose own iteration (or length) raises: the items it
        # holds, which the pair rule reads as it reads any list's (its repr would show them
        # unmasked). Items already read that way are not read again.
        stored = items_or_none(container) if items is container or type(items) is not list else None
        if stored is not None:
            return _convert_list(container, stored, depth, redact, path)
        return _as_text(_fallback_repr(container), redact)
    finally:
        if tracked:
            path.discard(ident)


def _is_secret_pair(item: list[Any] | tuple[Any, ...]) -> bool:
    """Tell whether a list item is a ``(name, value)`` pair under a sensitive name.

    httpx and requests take query parameters and form bodies as such pairs, and raw
    headers as pairs of bytes (``(b"x-api-key", b"...")``).
    """
    if len(item) != 2:
        return False
    name = item[0]
    if type(name) is bytes:
        name = name.decode("utf-8", "backslashreplace")
    return type(name) is str and _is_sensitive_name(name)


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
    """A tuple, deque, range or other sequence: a list (the first 10 000 items of a huge one).

    Such a sequence may compute its items rather than hold them (``range(10**18)``), so
    one longer than ``_MAX_SEQUENCE_ITEMS + 1`` (or whose length overflows) keeps its first
    ``_MAX_SEQUENCE_ITEMS`` items and ends with ``"<{n} more items>"``: the work is bounded,
    nothing is dropped silently, and converting the result again changes nothing. A named
    tuple's item whose field name is sensitive is masked, as it would be in a dict.
    """
    try:
        size = len(value)
    except Exception:  # OverflowError for range(10**30), or a broken __len__
        size = -1
    if 0 <= size <= _MAX_SEQUENCE_ITEMS + 1:
        out = _convert_list(value, value, depth, redact, path)
        fields = getattr(type(value), "_fields", None)  # a named tuple's item names
        if redact and type(fields) is tuple and type(out) is list:
            for index, name in enumerate(fields[: len(out)]):
                if type(name) is str and _is_sensitive_name(name):
                    out[index] = REDACTED
        return out
    out = _convert_list(value, _first_items(value, _MAX_SEQUENCE_ITEMS), depth, redact, path)
    if type(out) is list and len(out) == _MAX_SEQUENCE_ITEMS:
        out.append(f"<{size - _MAX_SEQUENCE_ITEMS} more items>" if size > 0 else "<more items>")
    return out


def _first_items(value: Iterable[Any], limit: int) -> Iterable[Any]:
    """Yield the first ``limit`` items of ``value`` (never asks for one more)."""
    if limit <= 0:
        return
    for index, item in enumerate(value, 1):
        yield item
        if index >= limit:
            return


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


# --------------------------------------------------------------------------- to_json


class _NotPlain(Exception):
    """A value ``to_dict()`` would change: the payload takes the safe walker instead."""


_MEMO_LIMIT: Final = 4096  # entries per memo before it starts over
_MEMO_TEXT_LENGTH: Final = 256  # longest text remembered (the engine memoises as far)
# The texts and keys the redaction engine left as they are, remembered for the table of
# sensitive names they were checked against (``add_sensitive_keys`` swaps that table).
_plain_memo: tuple[object, set[str], set[str]] = (None, set(), set())
_encode: Callable[[object], str] | None = None
_MESSAGE: object = None


def error_dict(error: Any) -> dict[str, Any]:
    """Return what ``Error.to_dict()`` returns: ``code``, ``message`` and ``details``, safe.

    When they hold nothing to change (as ``error_json`` decides), checked copies of them;
    otherwise the code and message through ``safe_text`` and the details through
    ``json_safe``, always a JSON object (``{"value": ...}`` when they were not a mapping).
    """
    try:
        return _plain_payload(error, numbers=True)
    except Exception:  # _NotPlain, or anything odd: the walker
        return _walked(error)


def _walked(error: Any) -> dict[str, Any]:
    """``error_dict`` by the safe walker."""
    code, details = error.code, json_safe(error.details)
    return {
        "code": safe_text(code if type(code) is str else _code_text(code)),
        "message": safe_text(error.message),
        "details": details if type(details) is dict else {"value": details},
    }


def _code_text(code: object) -> str:
    """A code that is not a str, as text: an Enum member's value when it is text, else ``str``."""
    import enum

    if isinstance(code, enum.Enum):
        value = json_safe(code, redact=False)
        if type(value) is str:
            return value
    return str_of(code)


def error_json(error: Any, base_to_dict: object) -> str:
    """Return ``json.dumps(error.to_dict(), allow_nan=False)``, byte for byte, but fast.

    When ``error``'s class keeps ``base_to_dict`` (the ``to_dict`` that returns exactly
    ``code``, ``message`` and ``details``) and those hold nothing ``to_dict()`` would change,
    they are encoded as they are by the C encoder. "Nothing to change" is decided by the
    redaction engine itself, each text and key once (then remembered until names are added
    with ``add_sensitive_keys``): every string, key and the code and message come back from
    ``redact_text`` unchanged and at most ``MAX_STRING_LENGTH`` long, no key and no first
    item of a ``(name, value)`` pair is a sensitive name, every container is a plain dict,
    list or tuple nested at most ``MAX_DEPTH`` deep, with ``str`` keys only, and every other
    value is a plain int, float, bool or None that JSON holds (no NaN, no infinity, no int
    too long for ``str()``). Anything else (a secret, a long string, a subclass, a non-str
    key, a cycle, a value JSON cannot hold, another thread changing the details meanwhile)
    encodes ``error.to_dict()``, the safe walker. Each container is copied before it is
    checked, and the copies are what is encoded, so the check and the text always agree.
    A class that overrides ``to_dict`` gets ``json.dumps`` of its output, exceptions included.

    Args:
        error: An errorkit error (anything with ``code``, ``message``, ``details`` and
            ``to_dict()``).
        base_to_dict: The ``to_dict`` function whose output the fast path reproduces.

    Returns:
        The JSON text of ``error.to_dict()``.
    """
    encode = _encode or _make_encoder()
    if type(error).to_dict is not base_to_dict:
        import json

        return json.dumps(error.to_dict(), allow_nan=False)
    try:
        return encode(_plain_payload(error))
    except Exception:  # _NotPlain, or anything odd
        pass
    return encode(_walked(error))  # plain JSON data without cycles: json.dumps' very text


def _make_encoder() -> Callable[[object], str]:
    """Build the encoder once: ``json.dumps(..., allow_nan=False)`` without its per-call setup.

    A payload is encoded once it is known to be a tree of plain values (no cycle can be in
    it), so circular checks are off and the C encoder holds no state between calls.
    """
    global _encode
    import json
    import json.encoder

    def refuse(value: object) -> object:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    make: Any = getattr(json.encoder, "c_make_encoder", None)  # not in the type stubs
    if make is None:  # pragma: no cover - CPython always has the C encoder
        encode: Callable[[object], str] = json.JSONEncoder(allow_nan=False).encode
    else:
        chunks = make(None, refuse, json.encoder.encode_basestring_ascii, None, ": ", ", ",
                      False, False, False)  # fmt: skip

        def encode(value: object) -> str:
            return "".join(chunks(value, 0))

    _encode = encode
    return encode


def _plain_payload(error: Any, *, numbers: bool = False) -> dict[str, Any]:
    """Return ``{code, message, details}`` as ``to_dict()`` would, or raise ``_NotPlain``.

    ``numbers`` also declines NaN, the infinities and ints too long for ``str()``; without
    it they are left to the encoder, which refuses them.
    """
    global _plain_memo
    names = sys.modules["errorkit.redaction"]._names
    memo = _plain_memo
    if memo[0] is not names:  # names were added: every verdict may have changed
        memo = _plain_memo = (names, set(), set())
    _, texts, keys = memo
    args = error.args  # the message as stored, unless a class reads it its own way
    if (
        len(args) == 1
        and type(args[0]) is str
        and args[0]
        and type(error).message is (_MESSAGE or _message())
    ):
        message = args[0]
    else:
        message = error.message
    code, details = error.code, error.details
    if type(code) is not str or code not in texts:
        _check_text(code, texts)
    if type(message) is not str or message not in texts:
        _check_text(message, texts)
    if type(details) is not dict:
        raise _NotPlain
    return {
        "code": code,
        "message": message,
        "details": _plain_dict(details, 1, texts, keys, numbers),
    }


def _message() -> object:
    """``Error.message``, the property that reads the message from ``args``."""
    global _MESSAGE
    if _MESSAGE is None:
        _MESSAGE = sys.modules["errorkit.exceptions"].Error.__dict__["message"]
    return _MESSAGE


def _check_text(text: object, texts: set[str]) -> None:
    """Raise ``_NotPlain`` unless ``text`` is a str that ``to_dict()`` keeps as it is."""
    if type(text) is not str or len(text) > MAX_STRING_LENGTH or redact_text(text) is not text:
        raise _NotPlain
    if len(text) <= _MEMO_TEXT_LENGTH:
        if len(texts) >= _MEMO_LIMIT:
            texts.clear()
        texts.add(text)


def _check_key(key: object, texts: set[str], keys: set[str]) -> None:
    """Raise ``_NotPlain`` unless ``key`` is a str key ``to_dict()`` keeps (and never masks)."""
    if type(key) is not str:
        raise _NotPlain
    _check_text(key, texts)
    if _is_sensitive_name(key):
        raise _NotPlain
    if len(key) <= _MEMO_TEXT_LENGTH:
        if len(keys) >= _MEMO_LIMIT:
            keys.clear()
        keys.add(key)


def _plain_dict(
    value: dict[Any, Any], depth: int, texts: set[str], keys: set[str], numbers: bool
) -> Any:
    """Return a checked copy of a dict whose contents ``to_dict()`` keeps, or raise."""
    if depth > MAX_DEPTH:
        raise _NotPlain
    copy = value.copy()  # one atomic read: the check and the encoding see the same items
    for key, item in copy.items():
        if type(key) is not str or key not in keys:
            _check_key(key, texts, keys)
        cls = type(item)  # by exact type, most frequent first; a subclass is not plain
        if cls is str:
            if item not in texts:
                _check_text(item, texts)
        elif cls is dict:
            copy[key] = _plain_dict(item, depth + 1, texts, keys, numbers)
        elif cls is list or cls is tuple:
            copy[key] = _plain_list(item, depth + 1, texts, keys, False, numbers)
        elif cls is int:
            if numbers and not _NEGATIVE_SMALL_INT < item < _SMALL_INT:
                raise _NotPlain  # an int too long for ``str()``: the walker names it
        elif cls is float:
            if numbers and item - item != 0.0:
                raise _NotPlain  # NaN or an infinity: the walker names it
        elif cls is not bool and item is not None:
            raise _NotPlain
    return copy


def _plain_list(
    value: list[Any] | tuple[Any, ...],
    depth: int,
    texts: set[str],
    keys: set[str],
    pair: bool,
    numbers: bool,
) -> Any:
    """Return a checked list copy of a list or tuple whose items ``to_dict()`` keeps, or raise.

    ``pair`` says the container is itself an item of a list, where ``to_dict()`` masks the
    value of a ``(name, value)`` pair under a sensitive name.
    """
    if depth > MAX_DEPTH:
        raise _NotPlain
    copy = list(value)  # one atomic read, as for a dict
    if pair and len(copy) == 2:
        first = copy[0]
        if type(first) is str and first not in keys and _is_sensitive_name(first):
            raise _NotPlain
    for index, item in enumerate(copy):  # as in ``_plain_dict``
        cls = type(item)
        if cls is str:
            if item not in texts:
                _check_text(item, texts)
        elif cls is dict:
            copy[index] = _plain_dict(item, depth + 1, texts, keys, numbers)
        elif cls is list or cls is tuple:
            copy[index] = _plain_list(item, depth + 1, texts, keys, True, numbers)
        elif cls is int:
            if numbers and not _NEGATIVE_SMALL_INT < item < _SMALL_INT:
                raise _NotPlain
        elif cls is float:
            if numbers and item - item != 0.0:
                raise _NotPlain
        elif cls is not bool and item is not None:
            raise _NotPlain
    return copy
