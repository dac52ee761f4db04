"""How an error's state travels through pickle, ``copy`` and ``deepcopy``.

``Error.__reduce_ex__`` hands ``restore`` the class, the state and the cause. Each value
travels as it is when it survives pickling faithfully, else as its JSON-safe form (an
exception where an exception is expected becomes ``Exception("{Type}: {message}")``), so
pickling never raises and the rebuilt error has the same ``to_dict()``.
"""

from __future__ import annotations

from errorkit._coerce import str_of
from errorkit.safety import json_safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, SupportsIndex

    from errorkit.exceptions import Error


def reduce(error: Error, protocol: SupportsIndex, base: type[Error]) -> tuple[Any, ...]:
    """``error.__reduce_ex__``: its class, its state made portable, and its cause.

    The state is the instance dict, the slots a user's subclass adds, the message and the
    original exception (kept even when None). A cause whose chain leads back to ``error``
    travels as a stand-in, so a cycle of causes ends there (``base`` is ``Error``).
    """
    from errorkit._build import _slots_of

    state = {name: getattr(error, name) for name in _slots_of(type(error)) if hasattr(error, name)}
    state.update(error.__dict__, message=error.message)
    state.setdefault("_original_exception", error.__cause__)
    state["_original_exception"] = _unlooped(state["_original_exception"], error, base)
    cause = _unlooped(error.__cause__, error, base)
    exceptions = ("_original_exception", *error._exception_attributes)
    for key, value in state.items():
        if key in ("_details", "_extra") and type(value) is dict:
            state[key] = portable_details(value, protocol)
        elif key == "_request" and type(value) is tuple:
            state[key] = tuple(portable(field, protocol) for field in value)
        else:
            state[key] = portable(value, protocol, as_exception=key in exceptions)
    return (restore, (type(error), state, portable(cause, protocol, as_exception=True)))


def _unlooped(cause: object, error: Error, base: type[Error]) -> object:
    """``cause``, or its stand-in when ``error`` stands in its chain of causes."""
    seen: set[int] = set()
    link = cause
    while isinstance(link, base) and id(link) not in seen:
        if link is error:
            return Exception(f"{type(cause).__name__}: {cause}")
        seen.add(id(link))
        link = link.__dict__.get("_original_exception", link.__cause__)
    return cause


def restore(cls: type[Error], state: dict[str, Any], cause: BaseException | None) -> Error:
    """Rebuild a pickled or copied error without calling its constructor."""
    error = cls.__new__(cls)
    for name, value in state.items():
        object.__setattr__(error, name, value)
    if cause is not None:
        error.__cause__ = cause
    return error


def travels(value: object, protocol: SupportsIndex, *, strict: bool = True) -> bool:
    """Tell whether ``value`` survives pickling at ``protocol``.

    ``strict`` wants the same type and JSON form back; otherwise (for causes) the same text
    is enough, as old protocols turn a ``TimeoutError`` into an ``OSError``.
    """
    if value is None or type(value) in (str, float, bool):
        return True
    if type(value).__module__ == "errorkit.exceptions":
        return True  # errorkit's own errors always pickle (their causes are checked in turn)
    if type(value) is int and -(1 << 63) <= value < (1 << 63):
        return True
    import pickle

    try:
        copy = pickle.loads(pickle.dumps(value, int(protocol)))
    except Exception:  # unpicklable, or it fails to load back (a RecursionError too)
        return False
    try:
        if not strict:
            return str_of(copy) == str_of(value)
        return type(copy) is type(value) and json_safe(copy, redact=False) == json_safe(
            value, redact=False
        )
    except Exception:
        return False


def portable(value: Any, protocol: SupportsIndex, *, as_exception: bool = False) -> Any:
    """Return ``value`` if it survives pickling faithfully, else a stand-in that does."""
    exception = as_exception and isinstance(value, BaseException)
    if travels(value, protocol, strict=not exception):
        return value
    if exception:
        return Exception(f"{type(value).__name__}: {str_of(value)}")
    return json_safe(value, redact=False)


def portable_details(details: dict[Any, Any], protocol: SupportsIndex) -> dict[Any, Any]:
    """Make a details dict picklable: each value, and its keys as a whole, faithfully or as JSON."""
    details = dict(details)  # one atomic copy: another thread may be changing them
    if not all(travels(key, protocol) for key in details):
        return json_safe(details, redact=False)  # type: ignore[no-any-return]
    return {key: portable(value, protocol) for key, value in details.items()}
