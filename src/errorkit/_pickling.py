"""How an error's state travels through pickle, ``copy`` and ``deepcopy``.

``Error.__reduce_ex__`` hands ``rebuild`` the class, and ``Error.__setstate__`` the state and
the cause, so errors that hold each other in their details pickle as any cycle does. Each
value travels as it is when it survives pickling faithfully, else as its JSON-safe form
(masked where the faithful one would lose a secret's name; an exception where an exception
is expected becomes ``Exception("{Type}: {message}")``, its secrets masked), so pickling
never raises and the rebuilt error has the same ``to_dict()``.

A cause that is an errorkit error is pickled inside its error, one level deeper each link.
A chain of more than ``CHAIN_DEPTH`` such causes travels flat instead: the outermost error
as any error does, with one list holding each link below it (its class, state and cause),
rebuilt from the innermost link out (``restore_chain``), so a chain of any length pickles,
every link kept, within a fixed depth of recursion. A link whose class pickle cannot find
by name (one defined in a function) ends the chain: it travels as a cause's stand-in.

A subclass may take part as it would for any object. Its own ``__getstate__``, when it
returns a dict, is the instance dict that travels (an attribute it leaves out stays out). Its
own ``__setstate__`` is handed that dict (a ``HandedState``), the message and ``args`` having
been put back before it runs; ``super().__setstate__(state)`` puts back the rest, the cause
included. ``args`` travels whole when it is not just the message.
"""

from __future__ import annotations

from errorkit._coerce import str_of
from errorkit.safety import json_safe, redact_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, SupportsIndex

    from errorkit.exceptions import Error

CHAIN_DEPTH = 32
"""Most errorkit causes pickled one inside the other; a longer chain travels flat."""


def reduce(error: Error, protocol: SupportsIndex, base: type[Error]) -> tuple[Any, ...]:
    """``error.__reduce_ex__``: its class, its state made portable, and its cause.

    The state is the instance dict, the slots a user's subclass adds, the message and the
    original exception (kept even when None). A cause whose chain leads back to ``error``
    travels as a stand-in, so a cycle of causes ends there (``base`` is ``Error``). A chain
    of more than ``CHAIN_DEPTH`` errorkit causes travels flat (``restore_chain``).
    """
    chain = _chain(error, base, protocol)
    own_setter = type(error).__setstate__ is not base.__setstate__
    if len(chain) > CHAIN_DEPTH + 1:
        below = [*chain[1:], None]
        links = [
            _portable_state(link, protocol, base, next_link)
            for link, next_link in zip(chain, below, strict=True)
        ]
        # The outermost error is made before its state is read, as any error is, so the
        # links below that hold it (in their details) hold this very object.
        cls, state, cause, keys, cause_linked = links[0]
        rest: tuple[Any, ...] = (cause, keys, cause_linked, links[1:])
    else:
        cls, state, cause, _, _ = _portable_state(error, protocol, base, None)
        rest = (cause,)
    if own_setter:  # the subclass's ``__setstate__`` gets a dict, as for any other object
        args = state.pop("args", None)
        message = state.pop("message")
        return (rebuild, (cls, (message,) if args is None else args), HandedState(state, rest))
    return (rebuild, (cls,), (state, *rest))


def _chain(error: Error, base: type[Error], protocol: SupportsIndex) -> list[Error]:
    """``error``, then each errorkit error its causes lead to, in order.

    Each link continues with its original exception, else its ``__cause__``. A chain that
    loops ends at the first link met again: its cause, which leads back to it, travels as
    a stand-in (``_unlooped``), as it does in a short chain. So does a chain whose next
    link's class pickle cannot find by name: that link travels as a cause does.
    """
    chain = [error]
    seen = {id(error): 0}
    link = error
    while True:
        cause = link.__dict__.get("_original_exception")
        if not isinstance(cause, base):
            cause = link.__cause__
        if not isinstance(cause, base) or not _named_class(type(cause), protocol):
            return chain
        if id(cause) in seen:
            return chain[: seen[id(cause)] + 1]
        seen[id(cause)] = len(chain)
        chain.append(cause)
        link = cause


def _named_class(cls: type, protocol: SupportsIndex) -> bool:
    """Tell whether pickle finds ``cls`` by its module and name."""
    if cls.__module__ == "errorkit.exceptions":
        return True
    import pickle

    try:
        pickle.dumps(cls, int(protocol))
    except Exception:  # defined in a function, or its name no longer leads to it
        return False
    return True


def _portable_state(
    error: Error, protocol: SupportsIndex, base: type[Error], below: Error | None
) -> tuple[type[Error], dict[str, Any], Any, tuple[str, ...], bool]:
    """``error``'s class, portable state and cause, with ``below`` (its next link) left out.

    Returns the class, the state, the cause, the state keys that held ``below`` and
    whether the cause was ``below``: ``restore_chain`` puts the rebuilt link back there.
    """
    from errorkit._build import _slots_of, request_values

    state = {name: getattr(error, name) for name in _slots_of(type(error)) if hasattr(error, name)}
    message = error.message
    state.update(_instance_dict(error), message=message)
    args = error.args
    if not (len(args) == 1 and type(args[0]) is str and args[0] == message):
        state["args"] = args  # written by hand, or by a subclass: it travels as it is
    state.setdefault("_original_exception", error.__cause__)
    cause: Any = error.__cause__
    linked = () if below is None else tuple(key for key, value in state.items() if value is below)
    for key in linked:
        del state[key]
    cause_linked = below is not None and cause is below
    if "_original_exception" in state:
        state["_original_exception"] = _unlooped(state["_original_exception"], error, base)
    if not cause_linked:
        cause = portable(_unlooped(cause, error, base), protocol, as_exception=True)
    exceptions = ("_original_exception", *error._exception_attributes)
    for key, value in state.items():
        if key in ("_details", "_extra") and type(value) is dict:
            state[key] = portable_details(value, protocol)
        elif key == "_request" and type(value) is tuple:  # each field as its property reads it
            state[key] = tuple(portable(field, protocol) for field in request_values(value))
        else:
            state[key] = portable(value, protocol, as_exception=key in exceptions)
    return type(error), state, None if cause_linked else cause, linked, cause_linked


def _instance_dict(error: Error) -> dict[str, Any]:
    """The instance dict that travels: the one a subclass's own ``__getstate__`` returns."""
    if getattr(type(error), "__getstate__", None) is not _DEFAULT_GETSTATE:
        try:
            state = error.__getstate__()
        except Exception:  # pickling never raises: the instance dict, as before it had one
            return error.__dict__
        if isinstance(state, dict):
            return state
    return error.__dict__


_DEFAULT_GETSTATE = getattr(BaseException, "__getstate__", None)  # object's from 3.11, else none


class HandedState(dict):  # type: ignore[type-arg]
    """The state a subclass's own ``__setstate__`` is handed: a dict of its attributes.

    ``rest`` holds what ``Error.__setstate__`` needs besides the dict (the cause, and a flat
    chain's links); ``super().__setstate__(state)`` reads it.
    """

    def __init__(self, values: dict[str, Any], rest: tuple[Any, ...]) -> None:
        super().__init__(values)
        self.rest = rest


def _unlooped(cause: object, error: Error, base: type[Error]) -> object:
    """``cause``, or its stand-in when ``error`` stands in its chain of causes."""
    seen: set[int] = set()
    link = cause
    while isinstance(link, base) and id(link) not in seen:
        if link is error:
            return Exception(redact_text(f"{type(cause).__name__}: {cause}"))
        seen.add(id(link))
        link = link.__dict__.get("_original_exception", link.__cause__)
    return cause


def rebuild(cls: type[Error], args: tuple[Any, ...] | None = None) -> Error:
    """Make an empty error of ``cls``, without calling its constructor, for ``set_state``.

    Pickle keeps it before it reads the state, so an error met again inside its own state
    (``a.details["peer"] = b`` and ``b.details["peer"] = a``) is this very object. ``args``
    is given when a subclass's own ``__setstate__`` will read the state.
    """
    error = cls.__new__(cls)
    if args is not None:
        error.args = args
    return error


def set_state(error: Error, state: tuple[Any, ...] | dict[str, Any]) -> None:
    """``Error.__setstate__``: put back the state and the cause ``reduce`` made portable.

    ``state`` is ``(values, cause)``, or for the outermost error of a flat chain
    ``(values, cause, keys, cause_linked, links)``: the chain below is rebuilt from
    ``links``, then goes under ``keys``, and is the cause when ``cause_linked``. A
    ``HandedState`` (from a subclass's own ``__setstate__``) holds the values and the rest. A value
    under the name of a field now read through a property (pickled before the field was)
    goes where the property reads it.
    """
    if isinstance(state, dict):  # handed on by a subclass's own ``__setstate__``
        values: dict[str, Any] = state
        cause, *flat = getattr(state, "rest", (None,))
    else:
        values, cause, *flat = state
    if flat:
        keys, cause_linked, links = flat
        below = restore_chain(links)
        values.update(dict.fromkeys(keys, below))
        if cause_linked:
            cause = below
    for name, value in values.items():
        try:
            object.__setattr__(error, name, value)
        except AttributeError:  # a read-only property: its field is stored as ``_{name}``
            object.__setattr__(error, f"_{name}", value)
    if cause is not None:
        error.__cause__ = cause


def restore(cls: type[Error], state: dict[str, Any], cause: BaseException | None) -> Error:
    """Rebuild an error in one step (a link of a flat chain, or an error pickled by 0.1)."""
    error = rebuild(cls)
    set_state(error, (state, cause))
    return error


def restore_chain(links: list[tuple[Any, ...]]) -> Error:
    """Rebuild a chain of errors pickled flat, innermost first; return the outermost.

    Each link is ``(class, state, cause, keys, cause_linked)`` from ``_portable_state``:
    the link rebuilt before it goes back under ``keys``, and is its cause when
    ``cause_linked``.
    """
    below: Any = None
    for cls, state, cause, keys, cause_linked in reversed(links):
        state.update(dict.fromkeys(keys, below))
        below = restore(cls, state, below if cause_linked else cause)
    return below  # type: ignore[no-any-return]


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
        return Exception(redact_text(f"{type(value).__name__}: {str_of(value)}"))
    return _json_form(value)


def _json_form(value: Any) -> Any:
    """The JSON form ``value`` travels as: faithful, or masked where that would lose a secret.

    The faithful form keeps every text whole; it is used unless ``to_dict()`` would read it
    otherwise than ``value`` itself (a named tuple's items lose their names in it), in which
    case the masked form travels, so ``to_dict()`` is the same on both sides.
    """
    faithful = json_safe(value, redact=False)
    masked = json_safe(value)
    return faithful if json_safe(faithful) == masked else masked


def portable_details(details: dict[Any, Any], protocol: SupportsIndex) -> dict[Any, Any]:
    """Make a details dict picklable: each value, and its keys as a whole, faithfully or as JSON."""
    details = dict(details)  # one atomic copy: another thread may be changing them
    if not all(travels(key, protocol) for key in details):
        return _json_form(details)  # type: ignore[no-any-return]
    return {key: portable(value, protocol) for key, value in details.items()}
