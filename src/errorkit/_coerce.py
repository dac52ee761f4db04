"""Read caller-supplied values the way every errorkit constructor and mapper does.

Each function's name says what it returns. None of them raises on odd input except
``http_status``, whose callers document the ``ValueError``.

Seconds to wait have one policy, ``wait_seconds``: a finite, non-negative real number of
seconds (numeric strings, ``Decimal`` and ``Fraction`` included), else None. Callers only
decide what None means: "unknown" for ``APIError.retry_after``, 0.0 for a connector's.

Text is made safe by ``safe_text``, which loads the redaction engine on its first call, and
constructors first look a message up in ``MASKED``, the engine's memo of texts masked before.
"""

from __future__ import annotations

# ``_collections_abc`` is what ``collections.abc`` re-exports, without importing ``collections``.
from _collections_abc import Iterable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_INF = float("inf")
_CONTAINERS: tuple[Any, ...] = (list, tuple, dict, set, frozenset)  # read past a subclass
_ONE_ITEM: tuple[type, ...] = (str, bytes, bytearray, memoryview)  # iterable, yet one value

# --- Text made safe before the redaction engine loads ---------------------------------------
# ``import errorkit`` does not load ``redaction`` or ``safety``: the first message masked does.
# Constructors read ``MASKED`` (text -> its masked form) on every call; the engine fills it and
# empties it, with every memo in ``NAME_MEMOS``, when sensitive names are added.

MASKED: dict[str, str] = {}
NAME_MEMOS: list[dict[Any, Any] | set[str]] = [MASKED]
"""Memos whose answers depend on the sensitive names; each is emptied when names are added.

A module that memoises a verdict of the engine (``safety``'s key memo) appends its memo here.
"""


class _Safety:
    """``errorkit.safety``, imported when a first name is read from it.

    Each name read is then kept as an attribute of this object, so later reads cost what
    reading a module attribute costs (an ``import`` statement in a function costs microseconds).
    """

    def __getattr__(self, name: str) -> Any:
        from errorkit import safety as module

        value = getattr(module, name)
        object.__setattr__(self, name, value)
        return value


if TYPE_CHECKING:
    from errorkit import safety as safety
else:
    safety = _Safety()


def safe_text(text: str) -> str:
    """``safety.safe_text(text)``: masked and cut, loading the engine on the first call."""
    return safety.safe_text(text)


def str_of(value: object) -> str:
    """``str(value)`` that cannot fail (an int too long for ``str()`` gives its JSON form)."""
    try:
        return str(value)
    except Exception:
        from errorkit.safety import json_safe

        shown = json_safe(value, redact=False)
        return shown if type(shown) is str else f"<{type(value).__name__} object>"


def repr_of(value: object) -> str:
    """``repr(value)`` that cannot fail."""
    try:
        return repr(value)
    except Exception:
        return str_of(value)


def text_or_none(value: object) -> str | None:
    """Return ``value`` as a non-empty string, or None when it is None or empty."""
    if value is None:
        return None
    text = value if type(value) is str else str_of(value)
    return text or None


def quoted(names: Iterable[object]) -> str:
    """Join names in single quotes: ``'a', 'b'``."""
    return ", ".join(f"'{str_of(name)}'" for name in names)


def dict_of(details: object) -> dict[Any, Any]:
    """Copy caller-supplied details into a new dict, whatever container they came in.

    A mapping is copied, a list or tuple of pairs becomes a dict, anything else is kept
    under ``value``. A ``dict`` subclass whose own methods raise is copied from its stored
    entries; any other container that fails to be read is kept under ``value`` as given.
    """
    if type(details) is dict:
        return details.copy()
    if details is None:
        return {}
    try:
        if isinstance(details, Mapping):
            return dict(details)
        if isinstance(details, (list, tuple)) and all(
            isinstance(item, (list, tuple)) and len(item) == 2 for item in details
        ):
            return dict(details)
    except Exception:  # an unhashable key, or a container whose methods raise
        if isinstance(details, dict):
            try:
                return dict(dict.items(details))  # its entries, past the methods that raise
            except Exception:
                pass
    return {"value": details}


def items_or_none(value: Any) -> list[Any] | None:
    """Copy the items of an iterable into a new list; None when they cannot be read.

    A subclass of a builtin container whose own iteration raises gives its stored items.
    """
    try:
        return list(value)
    except Exception:
        for base in _CONTAINERS:
            if isinstance(value, base):
                try:
                    return list(base.__iter__(value))  # past an ``__iter__`` that raises
                except Exception:
                    return None
        return None


def list_of(value: object) -> list[Any]:
    """Copy a list-like argument into a new list; None gives ``[]``, a string one item.

    So is ``bytes``, ``bytearray`` or ``memoryview``: binary data is one value, not its bytes.

    A value that is not iterable, or whose items cannot be read, is the one item.
    """
    if type(value) is list:
        return value.copy()
    if value is None:
        return []
    if isinstance(value, _ONE_ITEM) or not isinstance(value, Iterable):
        return [value]
    items = items_or_none(value)
    return [value] if items is None else items


def tuple_or_value(value: object) -> Any:
    """Copy an iterable (not a string) into a tuple; anything else, or unreadable, as given."""
    if isinstance(value, _ONE_ITEM) or not isinstance(value, Iterable):
        return value
    items = items_or_none(value)
    return value if items is None else tuple(items)


def bool_of(value: object) -> bool:
    """``bool(value)`` that cannot fail: a value whose truth cannot be read counts as given."""
    try:
        return bool(value)
    except Exception:
        return True


_FALSE_WORDS = frozenset({"false", "no", "off", "0", ""})


def truth_of(value: object) -> bool:
    """``bool_of``, but a text says its truth: ``"false"``, ``"no"``, ``"off"``, ``"0"`` are False.

    A ``str`` subclass is read by its text, past its own methods.
    """
    if value is True or value is False:
        return value
    if isinstance(value, str):
        return str.lower(str.strip(value)) not in _FALSE_WORDS
    return bool_of(value)


def number_or_value(value: object) -> object:
    """Convert a numeric string to an int or float; return anything else as given.

    A ``str`` subclass is read by its text, past its own methods (``int()`` of a text that is
    not a number calls ``repr``, which a subclass may make raise).
    """
    if isinstance(value, str):
        text = value if type(value) is str else str.__str__(value)
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return value
    return value


def status_or_value(value: object) -> Any:
    """Convert a numeric status (``"429"``, ``429.0``, ``Decimal(429)``) to an int; else keep it.

    Text that reads as a number but not as an integral one (``"nan"``, ``"429.5"``, digits
    past the float range) is kept as given, not turned into a float that loses it.
    """
    number = number_or_value(value)
    if type(number) is int or isinstance(number, bool | str | bytes):
        return number
    try:
        if number == int(number):  # type: ignore[call-overload]
            return int(number)  # type: ignore[call-overload]
    except Exception:
        pass
    return value


def real_or_value(value: object) -> Any:
    """Read a real number written otherwise (``"1.5"``, ``Decimal``, ``Fraction``) as a float.

    An int or a float, and anything that is not a real number, is returned as given.
    """
    if type(value) is int or type(value) is float:
        return value
    seconds = seconds_or_none(value)
    return value if seconds is None else seconds


def attempt_of(value: object) -> Any:
    """A region probe attempt as a tuple, its status (the second of three items) an int."""
    attempt = tuple_or_value(value)
    if type(attempt) is tuple and len(attempt) == 3:
        return (attempt[0], status_or_value(attempt[1]), attempt[2])
    return attempt


def http_status(value: object) -> int:
    """Return an HTTP status as an int (numeric strings and integral reals converted).

    Raises:
        ValueError: When ``value`` is not an integral number (a bool is not one).
    """
    status = status_or_value(value)
    if type(status) is int or (isinstance(status, int) and not isinstance(status, bool)):
        return int(status)
    raise ValueError(f"Invalid HTTP status code {safe_text(repr_of(value))}")


def seconds_or_none(value: object) -> float | None:
    """Read any real number of seconds (infinite and negative included); None otherwise."""
    if type(value) is float or value is None:
        return value
    number = number_or_value(value)
    if isinstance(number, bool | str | bytes) or not hasattr(type(number), "__float__"):
        return None
    try:
        return float(number)  # type: ignore[arg-type]
    except OverflowError:  # too large for a float: the infinity of its sign
        try:
            return -_INF if number < 0 else _INF  # type: ignore[operator]
        except Exception:
            return _INF
    except Exception:
        return None


def wait_seconds(value: object) -> float | None:
    """Seconds to wait: a finite, non-negative number; None when missing or unusable."""
    seconds = seconds_or_none(value)
    return seconds + 0.0 if seconds is not None and 0 <= seconds < _INF else None  # -0.0 is 0.0


def hint_or_none(value: object) -> bool | None:
    """Read a retry hint: a bool, or ``"true"``/``"false"`` in any case; else None."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return {"true": True, "false": False}.get(str.strip(value).lower())  # past a subclass
    return None


def exception_or_none(value: object) -> BaseException | None:
    """A value usable as ``__cause__``: an exception as given, anything else wrapped, masked."""
    if value is None or isinstance(value, BaseException):
        return value
    return Exception(safe_text(str_of(value)))  # errorkit's own stand-in shows no secret


def is_retryable_status(status: object) -> bool:
    """Tell whether an HTTP status is transient: 408, 425, 429 or a 5xx other than 501."""
    if not isinstance(status, int):
        return False
    status = int.__int__(status)  # its int value: a subclass's comparisons may raise
    return status in (408, 425, 429) or (500 <= status < 600 and status != 501)
