"""How errorkit's errors are built: constructors, message templates and details layouts.

The machinery behind ``errorkit.exceptions``, which holds only the exception classes:

* **Constructors.** An HTTP class writes its constructor's signature once, with
  ``**context: Unpack[...]`` for type checkers, and no body (``@_declared``). On the class's
  first construction, ``_compiled`` builds from that signature one flat function taking
  every keyword explicitly: it stores the class's own fields, keeps the request context in
  one tuple (an exception's attribute dict is slow to fill key by key), reads the delay,
  the status and the verdict, and masks the message, with no call in between unless
  something differs from the class's defaults. Forwarding ``**context`` from frame to
  frame cost more than the whole of such a constructor.
  A class outside ``APIError`` declares its constructor the same way, and ``_plain``
  compiles it: each argument stored (through the class's ``_converters`` reader, such as
  ``list_of``), the cause chained, then ``Error.__init__``.
* **Default messages.** Each template compiles on first use into an f-string over the
  error's fields (``_filler``); a value that is not a plain str, int or float takes the
  general path (``_Fields``).
* **Details.** ``_layout_of`` merges the ``_fields`` each class declares along the MRO.
* **Class declarations.** What a class declares, read by the machinery above:

  - ``_fields``: what the class adds to ``details``, in order; a name ending in ``?`` is left
    out when its value is None (``_layout_of`` merges them along the MRO).
  - ``_other_codes``: codes the class is also registered under (``class_for_code``).
  - ``_exception_attributes``: attributes holding exceptions, pickled as the cause is.
  - ``_by_code``, ``_by_status``, ``_by_range``: the registries, kept on ``Error``.
  - ``_message_switch``: the default message's template chosen from the error's own fields:
    ``(field, attribute)``, the template in ``attribute`` when ``field`` is truthy;
    ``(field, attribute, otherwise)``, the same, else the template in ``otherwise``. Then
    ``_status_messages``, ``((statuses, attribute), ...)``: the first whose statuses hold
    ``status_code``; else ``default_message``. Compiled constructors choose the same inline.
  - ``_converters``: ``(argument, reader)`` pairs, how a declared constructor reads an
    argument before storing it.
  - ``_fast_reads``: the class's own ``provider`` or ``retry_after`` properties, read from
    ``_request`` in one step where the class keeps it (``_read_in_one_step``).
  - On ``APIError`` and its subclasses: ``_class_status``, the class's own status, read once
    per class; ``_status_verdict``, ``retryable`` for a status; ``_status_rule``, False when
    ``_retryable_by_rule`` reads more than the status; ``_unretryable_when``, a field whose
    truth says "not retryable"; ``_says_retry_after``, True when the message ends ``Retry
    after N seconds.``; ``_no_wait``, ``retry_after`` when none is given; ``_wait_ceiling``,
    below which a float delay is used as it is; ``_read_wait``, which reads any other delay.
* **Method bodies.** The classes' methods keep their signatures and docstrings and call the
  bodies here: setting up a subclass (``_subclassed``), ``from_dict`` (``_rebuilt``),
  ``class_for_status``, the details snapshot, the fields ``from_dict`` restores, the template
  choosers and the default message, ``_chain``, ``original_exception``, ``__repr__``,
  ``__deepcopy__``, ``APIError``'s verdict (``retryable`` by the declarations when the server
  gave no hint) and restore (the delay and the verdict too), the connector delay reader,
  ``ParseError.retry_message``, the canonical errors of the ``for_...`` class methods, the
  hand-written constructors' work (``RegionProbeError``, ``ToolExecutionError``,
  ``CatalogNotFoundError``) and the pickling hooks. ``Error.message`` and ``Error.args`` are
  properties here (each text masked on the way in and out), which the class binds by name.
"""

from __future__ import annotations

import _thread
import sys
from _collections_abc import Iterable, Mapping

from errorkit._coerce import MASKED as _MASKED
from errorkit._coerce import NAME_MEMOS as _NAME_MEMOS
from errorkit._coerce import (
    attempt_of,
    bool_of,
    dict_of,
    exception_or_none,
    hint_or_none,
    http_status,
    is_retryable_status,
    list_of,
    quoted,
    real_or_value,
    repr_of,
    safe_text,
    safety,
    seconds_or_none,
    status_or_value,
    str_of,
    text_or_none,
    wait_seconds,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, SupportsIndex, TypeVar

    from errorkit._types import ErrorDict, RegionProbeErrorDict, Violation
    from errorkit.exceptions import (
        APIError,
        BusinessContextValidationError,
        Error,
        ParseError,
        RegionProbeError,
        SessionReplayError,
        ToolExecutionError,
    )

    _Init = TypeVar("_Init", bound=Callable[..., None])
    _E = TypeVar("_E", bound=Error)
    _R = TypeVar("_R", bound=SessionReplayError)
    _B = TypeVar("_B", bound=BusinessContextValidationError)


# The keywords of ``RequestContext`` and ``HTTPContext``, in order (a test keeps them in step).
_REQUEST_KEYWORDS = (
    "response_body",
    "request_method",
    "request_url",
    "request_params",
    "request_body",
    "request_id",
    "original_exception",
)
_HTTP_KEYWORDS = (*_REQUEST_KEYWORDS, "provider", "retry_after", "retryable", "details")
# The keywords an ``APIError`` keeps together in one tuple, ``_request``, and the
# attributes that read them.
_KEPT = (*_REQUEST_KEYWORDS[:-1], "provider", "retry_after")
_KEPT_AS = (*_KEPT[:-2], "_provider", "_retry_after")
_NO_REQUEST = (None,) * len(_KEPT)
# ``APIError._fields``: the status, then each kept keyword, left out of ``details`` when None.
_HTTP_FIELDS = ("status_code", *(f"{name}?" for name in _KEPT))


class _Text(str):
    """Text that any format spec leaves as it is (``_Fields(as_text=True)``)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return str.__str__(self)


class _Fields(Mapping[str, object]):
    """Read-only view of an error's attributes, for filling message templates.

    A list renders as quoted names (``'a', 'b'``); a value whose ``str()`` fails renders
    as its JSON form, so filling a template never raises. With ``as_text``, every value is
    its text (an int too long for ``str()`` included), whatever the format spec.
    """

    __slots__ = ("_error", "_text")

    def __init__(self, error: Error, *, as_text: bool = False) -> None:
        self._error = error
        self._text = as_text

    def __getitem__(self, name: str) -> Any:
        try:
            value = getattr(self._error, name)
        except AttributeError:
            raise KeyError(name) from None
        if type(value) in _SIMPLE and not self._text:
            return value
        text = quoted(value) if type(value) is list else str_of(value)
        return _Text(text) if self._text else text

    def __iter__(self) -> Iterator[str]:  # pragma: no cover - templates only look keys up
        return iter(())

    def __len__(self) -> int:  # pragma: no cover - templates only look keys up
        return 0


# Default message templates, each compiled on first use into a function that fills it
# with an f-string when every field it names is a plain str, int or float.
_FILLERS: dict[str, Callable[[Error], str | None]] = {}
_SIMPLE = (str, int, float)  # values a template formats as they are (see ``_Fields``)
_CONVERSIONS = {"r": "!r", "s": "!s", "a": "!a"}
_SAFE_SPEC = frozenset("0123456789.<>^=+- ,_#%abcdefgnosxEFGX")


def _filler(template: str) -> Callable[[Error], str | None]:
    """Compile ``template`` into a function returning its text, or None to fill it slowly.

    Only plain fields (``{name}``, with a conversion and a simple format spec) compile;
    any other template gets a function that always returns None.
    """
    from errorkit._inline import fill_source

    constants: dict[str, object] = {"_SIMPLE": _SIMPLE}
    parts = fill_source(template, "error.{}".format, "_l", constants)
    if parts is None:  # a field this does not compile: ``_filled`` reads it
        fill = _no_fill
    else:
        reads, plain, text = parts
        source = "\n    ".join(
            ["def fill(error):", *reads, f"if {plain}: return {text}", "return None"]
        )
        exec(source, constants)  # built from identifiers, format specs and constant names
        fill = constants["fill"]  # type: ignore[assignment]
    if len(_FILLERS) >= 1024:  # a ``_message_template`` may make a template per error
        _FILLERS.clear()
    _FILLERS[template] = fill
    return fill


def _no_fill(error: Error) -> None:
    """The filler of a template ``_filler`` does not compile: always the general path."""


def filled(template: str, error: Error) -> str:
    """Fill a default message template from ``error``'s attributes (see ``_Fields``)."""
    if "{" not in template:  # nothing to fill in
        return template
    try:
        text = (_FILLERS.get(template) or _filler(template))(error)
    except Exception:  # a field missing, or a value its format spec does not take
        text = None
    return _filled(template, error) if text is None else text


def _filled(template: str, error: Error) -> str:
    """Fill ``template`` from ``error``'s attributes; the template as it is when that fails.

    A value its format spec or ``str()`` refuses (an int too long for ``str()``) is filled
    as its text on a second try.
    """
    for fields in (_Fields(error), _Fields(error, as_text=True)):
        try:
            return template.format_map(fields)
        except Exception:
            continue
    return template


# ``BaseException.args``, which every constructor sets to the masked message.
_ARGS: Any = BaseException.__dict__["args"]
_store_args = _ARGS.__set__


def _args_set(error: BaseException, value: Iterable[object]) -> None:
    """``Error.args``, set: each text in it masked as a message is (a traceback shows it).

    A ``str`` subclass is read through its ``str()``, as ``message`` reads it.
    """
    _store_args(
        error,
        tuple(
            safe_text(item if type(item) is str else str_of(item))
            if isinstance(item, str)
            else item
            for item in value
        ),
    )


_args: Any = property(_ARGS.__get__, _args_set, doc="The message, masked, in a 1-tuple.")


def _message_of(error: Error) -> str:
    """``Error.message``, read (and ``str(error)``): ``args[0]`` masked, else the default."""
    args = error.args
    text = args[0] if args else None
    if type(text) is not str:
        text = text_or_none(text)
    if not text:
        return error._default_message()
    return _MASKED.get(text) or safe_text(text)


def _message_set(error: Error, text: str) -> None:
    """``Error.message``, set: the text masked into ``args``, read as the constructor reads it."""
    if type(text) is not str or not text:
        text = text_or_none(text) or error._default_message()
    _store_args(error, (safe_text(text),))


_message: Any = property(_message_of, _message_set)


def _str(error: Error) -> str:
    """``Error.__str__``: the message, as the class reads it (a subclass may read its own)."""
    return error.message


# (message, seconds) -> the masked message with ``Retry after {n} seconds.`` appended.
_SUFFIXED: dict[Any, str] = {}
_NAME_MEMOS.append(_SUFFIXED)  # emptied when sensitive names are added


def _with_retry_after(message: str, seconds: float) -> str:
    """Append ``Retry after {n} seconds.`` to a rate-limit message, masked; memoised."""
    text = _SUFFIXED.get((message, seconds))
    if text is None:
        mask = safety.safe_text  # loads the engine if it had not
        engine = sys.modules["errorkit.redaction"]
        names = engine._names  # the table of names before masking (see ``_remember``)
        text = mask(f"{message.removesuffix('.')}.{_wait_sentence(seconds)}")
        if len(message) <= 256:
            engine._remember(_SUFFIXED, (message, seconds), text, names)
    return text


def _wait_sentence(seconds: float) -> str:
    """The sentence a rate-limit message ends in: `` Retry after {n} seconds.``."""
    return f" Retry after {int(seconds) if seconds.is_integer() else seconds} seconds."


def _rewaited(message: str, said: float | None, seconds: float) -> str:
    """A rate-limit message that says ``seconds``, in place of the wait it said (``said``)."""
    if said is not None:
        message = message.removesuffix(_wait_sentence(said))
    return _with_retry_after(message, seconds)


_TYPES = frozenset(
    {"ErrorDict", "HTTPContext", "RegionProbeErrorDict", "RequestContext", "Violation"}
)


def typing_names(module: str) -> Callable[[str], object]:
    """A module ``__getattr__`` loading the typing-only names of ``errorkit._types`` on use.

    ``import errorkit`` does not import ``typing``, which costs more than the rest of it.
    ``_restore`` is where pickles made by errorkit 0.1 find their loader.
    """

    def __getattr__(name: str) -> object:
        if name in _TYPES:
            from errorkit import _types

            return getattr(_types, name)
        if name == "_restore":
            from errorkit._pickling import restore

            return restore
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__


def _read_payload(payload: object) -> tuple[str, str, Mapping[Any, Any]]:
    """Check a ``to_dict()`` payload and return its code, message and details."""
    if not isinstance(payload, Mapping):
        raise ValueError(f"error payload must be a mapping, not {type(payload).__name__}")
    missing = [key for key in ("code", "message", "details") if key not in payload]
    if missing:
        raise ValueError(f"error payload is missing {', '.join(map(repr, missing))}")
    code, message, details = payload["code"], payload["message"], payload["details"]
    if not isinstance(code, str) or not code:
        raise ValueError(f"error payload 'code' must be a non-empty str, not {code!r}")
    if not isinstance(message, str):
        raise ValueError(f"error payload 'message' must be a str, not {type(message).__name__}")
    if not isinstance(details, Mapping):
        raise ValueError(f"error payload 'details' must be a mapping, not {type(details).__name__}")
    return code, message, details


def _rebuilt(cls: type[Error], payload: Mapping[str, Any]) -> Error:
    """The body of ``Error.from_dict``: the error of ``payload``'s class, its fields restored."""
    code, message, details = _read_payload(payload)
    target = cls.class_for_code(code)
    if target is None:  # an unlisted code: the class whose payload this is, by its shape
        probe: type[Error] = sys.modules["errorkit.exceptions"].RegionProbeError
        target = probe if "attempts" in payload and issubclass(probe, cls) else cls
    if issubclass(cls, target):  # ``cls`` is that class or a subclass sharing its code
        target = cls
    elif not issubclass(target, cls):
        raise ValueError(
            f"payload code {code!r} belongs to {target.__name__}, which is not a {cls.__name__}"
        )
    error = target.__new__(target)
    error.code = safe_text(code)
    error._details = dict(details)
    if message:
        error.message = message
    error._restore_fields()
    if not message:  # the default message reads the fields just restored
        error.message = error._default_message()
    return error


def _snapshot(error: Error) -> dict[str, Any]:
    """Build ``details`` from the fields of the error's layout, then the caller's details."""
    own: dict[Any, Any] = {}
    for name, stored, optional in _layout_of(type(error)):
        value = getattr(error, stored, None)
        if value is not None or not optional:
            own[name] = value
    extra = getattr(error, "_extra", None)
    if extra:
        for key, value in extra.items():
            own.setdefault(key, value)
    return own


def _fields_from_details(error: Error) -> None:
    """Read each optional field left None from the caller's details key of its name.

    ``details`` lists that key where the field would stand, and ``from_dict`` reads it back
    as the field, so the error built and the error rebuilt agree.
    """
    extra = error._extra
    for name, stored, optional in _layout_of(type(error)):
        if optional and getattr(error, stored, None) is None:
            try:
                value = extra.get(name)
            except Exception:  # a key whose comparison raises: no field read from it
                continue
            if value is not None:
                setattr(error, stored, value)


def _restore_fields(error: Error) -> None:
    """Set the attributes kept in ``details`` after ``from_dict`` (None when absent)."""
    details = error.details
    for name, stored, _ in _layout_of(type(error)):
        setattr(error, stored, details.get(name))


def _subclassed(cls: type[Error], statuses: Iterable[int]) -> None:
    """Register a new class's codes and HTTP ``statuses``; set up what its status decides.

    ``retryable`` follows the class's own status; a class with a declared constructor gets
    it compiled on first use; ``APIError`` gets its request context read from ``_request``;
    the class's ``_fast_reads`` properties read it in one step, and an ``APIError`` gets its
    field defaults.
    """
    own = vars(cls)
    for code in ((own["code"],) if "code" in own else ()) + own.get("_other_codes", ()):
        cls._by_code.setdefault(code, cls)
    if statuses:
        _register_statuses(cls, statuses, sys.modules["errorkit.exceptions"].APIError)
    if isinstance(own.get("status_code"), int) and "retryable" not in own:
        cls.retryable = getattr(cls, "_status_verdict", is_retryable_status)(own["status_code"])
    http = hasattr(cls, "_class_status")  # an ``APIError``
    declared = _declaration(cls)
    if declared is not None:  # compiled on first use; a subclass compiles its own
        declared.__dict__.setdefault("_plain", not http)
        type.__setattr__(cls, "__init__", _lazy(cls, declared))
    if http and not isinstance(getattr(cls, "_provider", None), property):  # ``APIError``
        for index, name in enumerate(_KEPT_AS):  # read and written as plain attributes
            type.__setattr__(cls, name, _request_field(index))
    for name in own.get("_fast_reads", ()):
        _read_in_one_step(
            cls, name, getattr(cls, "_no_wait", None) if name == "retry_after" else None
        )
    if http:
        type.__setattr__(cls, "_class_status", getattr(cls, "status_code", None))
        _class_defaults(cls)  # type: ignore[arg-type]


def _class_for_status(status_code: int) -> type[APIError]:
    """The body of ``Error.class_for_status``: the exact status, then a range, then APIError."""
    base: type[APIError] = sys.modules["errorkit.exceptions"].APIError  # no import per call
    found = base._by_status.get(status_code) if type(status_code) is int else None
    if found is not None:  # a registered int status: the common case
        return found
    status = http_status(status_code)
    if status < 400:
        raise ValueError(f"HTTP status {status} is not an error status (expected >= 400)")
    found = base._by_status.get(status)
    if found is None:
        found = next((cls for span, cls in base._by_range if status in span), base)
    return found


def _message_template(error: Error) -> str | None:
    """``Error._message_template``: the default message's template, from the declarations.

    The template of ``_message_switch`` when its field is truthy (its third template, if
    any, when not), then the first of ``_status_messages`` holding the status, else
    ``default_message``.
    """
    switch = error._message_switch
    if switch is not None:
        if bool_of(getattr(error, switch[0], None)):  # unset: a constructor skipped
            return getattr(error, switch[1])  # type: ignore[no-any-return]
        if len(switch) > 2:
            return getattr(error, switch[2])  # type: ignore[no-any-return]
    if error._status_messages:
        status = getattr(error, "status_code", None)
        if isinstance(status, int):
            status = int.__int__(status)  # never its own ==
            for statuses, name in error._status_messages:
                if status in statuses:
                    return getattr(error, name)  # type: ignore[no-any-return]
    return error.default_message


def _for_model(error: Error) -> str | None:
    """``FeatureNotSupportedError._message_template``: the model named when there is one."""
    if getattr(error, "model_id", None) is None:  # unset: a subclass skipped the constructor
        return error.default_message
    return f"{error.default_message} for model '{{model_id}}'"


def _default_message(error: Error) -> str:
    """``Error._default_message``: the template chosen, filled; the class name without one."""
    template = error._message_template()
    return type(error).__name__ if template is None else filled(template, error)


def _chained(error: Error, cause: object) -> None:
    """``Error._chain``: record ``cause`` (when not None) as the original exception and cause."""
    if cause is not None:
        error.__cause__ = error._original_exception = exception_or_none(cause)


def _cause_of(error: Error) -> BaseException | None:
    """``Error.original_exception``: the cause recorded by ``_chain``, else ``__cause__``."""
    try:
        return error._original_exception
    except AttributeError:
        return error.__cause__


def _repr(error: Error) -> str:
    """``Error.__repr__``: the class name, the masked message and the code."""
    code = error.code
    shown = repr(safe_text(code)) if type(code) is str else safe_text(repr_of(code))
    return f"{type(error).__name__}(message={error.message!r}, code={shown})"


def _noted(error: BaseException, note: str, /) -> None:
    """``Error.add_note``: ``BaseException.add_note``, the note masked as a message is.

    A traceback prints an error's notes under its message. As Python's own, a note that
    is not a str is refused, and so is a ``__notes__`` that is not a list.
    """
    if not isinstance(note, str):
        raise TypeError(f"note must be a str, not '{type(note).__name__}'")
    try:
        notes = error.__notes__
    except AttributeError:
        notes = error.__notes__ = []
    if not isinstance(notes, list):
        raise TypeError("Cannot add notes if __notes__ is not a list")
    notes.append(safe_text(note))


def _retryable_by_rule(error: APIError) -> bool:
    """``APIError._retryable_by_rule``: whether the error is transient, with no server hint.

    Not when the class's ``_unretryable_when`` field is truthy; else as its status says.
    """
    flag = error._unretryable_when
    if flag is not None and bool_of(getattr(error, flag)):
        return False
    return error._status_verdict(error.status_code)


def _restore_http_fields(error: APIError) -> None:
    """``APIError._restore_fields``: the fields, then the delay and the verdict, read again."""
    _restore_fields(error)
    error._retry_after = wait_seconds(error._retry_after)  # a caller's key may stand there
    hint = error.details.get("retryable")
    error.retryable = hint if isinstance(hint, bool) else error._retryable_by_rule()


_VIOLATIONS = ("mutually_exclusive", "no_browser_misuse", "secret_stdin_misuse")
"""The values of ``Violation``, in order (a test keeps the two in step)."""


def _violation(value: Violation) -> Violation:
    """An ``InvalidArgumentError``'s ``violation``, checked.

    Raises:
        ValueError: When the value is not one of the values of ``Violation``.
    """
    if not isinstance(value, str) or str.__str__(value) not in _VIOLATIONS:
        shown = safe_text(repr_of(value))
        raise ValueError(f"Invalid violation {shown}; must be one of {_VIOLATIONS}.")
    return value


def _always(status: object) -> bool:
    """``RateLimitError._status_verdict``: retryable, whatever status carried the limit."""
    return True


def _duration(value: object) -> float:
    """A ``ConnectorRateLimitError``'s delay: at most a day; 0.0 when not a usable number.

    Raises:
        ValueError: When the delay is over a day: an epoch timestamp, most likely.
    """
    seconds = seconds_or_none(value)
    if seconds is not None and seconds > 86400:
        raise ValueError(
            f"retry_after={safe_text(repr_of(value))} is more than 86400 seconds; it looks "
            "like a Unix epoch timestamp, not a duration. Pass the number of seconds to wait."
        )
    return wait_seconds(seconds) or 0.0


def _retry_message(error: ParseError) -> str:
    """The body of ``ParseError.retry_message``, chosen by the type of the cause."""
    cause = error.original_exception
    if _is_validation_error(cause):
        return (
            f"Your response failed schema validation:\n{safe_text(str_of(cause))}\n\n"
            "Please correct these issues and respond again."
        )
    json_module = sys.modules.get("json")
    if json_module is not None and isinstance(cause, json_module.JSONDecodeError):
        return (
            "Your response could not be parsed because no valid JSON object was found. "
            "Please ensure your response contains a JSON object with opening '{' and "
            "closing '}' braces."
        )
    reason = error.message if cause is None else safe_text(str_of(cause))
    return (
        f"Your response could not be parsed: {reason}\n\n"
        "Please ensure your response matches the expected format."
    )


def _form_url(project_id: str | None) -> str:
    """``RateLimitError.rate_limit_form_url``: the form, prefilled when the project is known."""
    if not project_id:
        return "https://forms.gle/7Y9UcUHe69bh8EgC7"
    from urllib.parse import urlencode

    query = urlencode({"usp": "pp_url", "entry.1636741534": safe_text(project_id)})
    return (
        "https://docs.google.com/forms/d/e/"
        "1FAIpQLSe8h0ZpB-V3zoK9qeUnUeh7vCs2lvP1IJ6IYMAiayHJ4g5LQA/viewform?" + query
    )


def _replays_guarded(cls: type[_R], project_id: object) -> _R:
    """``SessionReplayAccessError.for_project``: the project's replays need sensitive access."""
    return cls(
        f"Project {str_of(project_id)} has SESSION_RECORDING_SENSITIVE_DATA enabled. "
        "Your account lacks sensitive-data access. Contact the project owner to grant "
        "the 'sensitive_data_replay' permission, or use a service account that has it.",
        details={
            "project_id": project_id,
            "flag": "SESSION_RECORDING_SENSITIVE_DATA",
            "permission_required": "sensitive_data_replay",
        },
    )


def _url_expired(cls: type[_R], replay_id: object, signed_at: object, expired_at: object) -> _R:
    """``SignedURLExpiredError.for_replay``: how to re-sign, and when the URL was signed."""
    return cls(
        f"Signed URL for replay {str_of(replay_id)} expired (5-minute TTL). Re-sign with "
        f"sign_replay({repr_of(replay_id)}) or use the default re_sign_on_expiry=True "
        "on stream_replay.",
        details={
            "replay_id": replay_id,
            "signed_at": real_or_value(signed_at),
            "expired_at": real_or_value(expired_at),
        },
    )


def _replay_missing(cls: type[_R], replay_id: object, retention: object, prefix: object) -> _R:
    """``ReplayNotFoundError.for_replay``: the retention window, and where the replay was."""
    days = status_or_value(retention)  # a whole number, however it was written
    return cls(
        f"Replay {str_of(replay_id)} not found on CDN. The replay may have aged out of its "
        f"retention window ({str_of(days)} days), never been recorded, or been "
        "deleted.",
        details={"replay_id": replay_id, "retention_days": days, "cdn_url_prefix": prefix},
    )


def _too_long(cls: type[_B], length: object, most: int) -> _B:
    """``BusinessContextValidationError.for_length``: the length against the largest."""
    length = status_or_value(length)  # a whole number, however it was written
    return cls(
        f"content exceeds maximum length of {most} characters (got {str_of(length)})",
        {"length": length, "max": most},
    )


def _probes_kept(error: RegionProbeError, attempts: object) -> list[Any]:
    """Keep ``RegionProbeError``'s attempts as tuples; return them as lists, for ``details``."""
    error._attempts = [attempt_of(a) for a in list_of(attempts)]
    return [list(a) if isinstance(a, tuple) else a for a in error._attempts]


def _restore_probes(error: RegionProbeError) -> None:
    """``RegionProbeError._restore_fields``: the attempts, as tuples, from ``details``."""
    attempts = error.details.get("attempts")
    error._attempts = [tuple(a) if isinstance(a, list) else a for a in list_of(attempts)]


def _with_probes(base: ErrorDict) -> RegionProbeErrorDict:
    """``RegionProbeError.to_dict``: ``base`` plus the attempts of its ``details``, as lists."""
    attempts = base["details"].get("attempts")  # JSON-safe, whatever was stored there
    if type(attempts) is not list:
        attempts = [] if attempts is None else [attempts]
    return {**base, "attempts": [list(a) if type(a) is list else a for a in attempts]}


def _tool_failed(error: ToolExecutionError, tool_exception: object) -> str:
    """Keep what a tool raised (a string becomes a ``ValueError``); return its text.

    The body of ``ToolExecutionError.__init__`` up to ``Error.__init__``: the exception, its
    type's name and the cause; the text it returns is the message.
    """
    message = str_of(tool_exception)
    error.tool_exception = (
        tool_exception
        if isinstance(tool_exception, BaseException)
        else ValueError(safe_text(message))  # its text shows in tracebacks: masked too
    )
    error.tool_exception_type = type(error.tool_exception).__name__
    error._chain(error.tool_exception)
    return message


def _restore_tool(error: ToolExecutionError) -> None:
    """``ToolExecutionError._restore_fields``: the fields, and a stand-in for the exception."""
    _restore_fields(error)
    error.tool_exception = Exception(f"{error.tool_exception_type}: {error.message}")


def _directed(error: Error, message: object, directive: str) -> str:
    """``CatalogNotFoundError``'s message: ``directive`` appended unless it says not to retry."""
    text = text_or_none(message) or error._default_message()
    return text if "DO NOT retry" in text else f"{text.removesuffix('.')}. {directive}"


def _deepcopied(error: _E, memo: dict[int, Any]) -> _E:
    """``Error.__deepcopy__``: a pickle round trip, else a deep copy of the pickled state."""
    import pickle

    try:
        return pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))  # type: ignore[no-any-return]
    except Exception:  # a class pickle cannot name (one defined in a function): its state
        import copy

        rebuild, arguments, *state = error.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        copied = memo[id(error)] = rebuild(*copy.deepcopy(arguments, memo))
        if state:  # the state comes after the error is made and kept: it may hold the error
            copied.__setstate__(copy.deepcopy(state[0], memo))
        return copied  # type: ignore[no-any-return]


def _reduced(error: Error, protocol: SupportsIndex) -> tuple[Any, ...]:
    """``Error.__reduce_ex__``: ``errorkit._pickling.reduce``, loaded on first use."""
    from errorkit._pickling import reduce

    return reduce(error, protocol, sys.modules["errorkit.exceptions"].Error)


def _reduced_v2(error: Error) -> tuple[Any, ...]:
    """``Error.__reduce__``: as ``__reduce_ex__`` with protocol 2."""
    return error.__reduce_ex__(2)


def _state_set(error: Error, state: Any) -> None:
    """``Error.__setstate__``: ``errorkit._pickling.set_state``, loaded on first use."""
    from errorkit._pickling import set_state

    set_state(error, state)


def _register_statuses(cls: type[Any], statuses: Iterable[int], base: type[APIError]) -> None:
    """Map HTTP error statuses (ints of at least 400, or a range) to ``cls``, an ``APIError``.

    A later class registering a status takes it over from the earlier one.
    """
    if not issubclass(cls, base):
        raise TypeError(f"statuses= registers APIError classes, and {cls.__name__} is not one")
    if isinstance(statuses, range):
        base._by_range.insert(0, (statuses, cls))
        return
    found = list(statuses) if isinstance(statuses, Iterable) else [statuses]
    for status in found:
        if type(status) is not int or status < 400:
            raise ValueError(f"statuses= takes HTTP error statuses (ints >= 400), not {status!r}")
    base._by_status.update(dict.fromkeys(found, cls))


def _layout_of(cls: type[Error]) -> tuple[tuple[str, str, bool], ...]:
    """``(name, attribute, optional)`` of each field in ``details``, along the MRO; built once."""
    layout = cls.__dict__.get("_layout")
    if layout is None:
        fields: dict[str, bool] = {}
        for klass in reversed(cls.__mro__):
            for entry in vars(klass).get("_fields", ()):
                fields[entry.rstrip("?")] = entry.endswith("?")
        layout = tuple((name, _stored(cls, name), opt) for name, opt in fields.items())
        type.__setattr__(cls, "_layout", layout)
    return layout


def _slots_of(cls: type[Error]) -> tuple[str, ...]:
    """The ``__slots__`` attributes a user's subclass adds, to pickle; found once."""
    slots = cls.__dict__.get("_slots")
    if slots is None:
        slots = tuple(dict.fromkeys(name for k in cls.__mro__ for name in _slot_names(k)))
        type.__setattr__(cls, "_slots", slots)
    return slots


def _slot_names(klass: type) -> tuple[str, ...]:
    """The attribute names of a class's own ``__slots__`` (private names mangled)."""
    slots = vars(klass).get("__slots__", ())
    names = (slots,) if isinstance(slots, str) else tuple(slots)
    owner = klass.__name__.lstrip("_")
    return tuple(
        f"_{owner}{name}" if name.startswith("__") and not name.endswith("__") else name
        for name in names
        if name not in ("__dict__", "__weakref__")
    )


def _is_validation_error(exc: BaseException | None) -> bool:
    """Tell whether ``exc`` is a pydantic ``ValidationError``, without importing pydantic."""
    return exc is not None and any(
        klass.__name__ == "ValidationError"
        and klass.__module__.partition(".")[0] in ("pydantic", "pydantic_core")
        for klass in type(exc).__mro__
    )


# Arguments the compiled constructor reads itself rather than storing as they are.
_CONSTRUCTOR_ARGUMENTS = (
    "message",
    "status_code",
    "original_exception",
    "retryable",
    "details",
    "code",
)


def _declared(init: _Init) -> _Init:
    """Mark a constructor whose body is compiled from its signature (see ``_compiled``)."""
    init.__dict__["_declared"] = init
    return init


def _declaration(cls: type) -> Callable[..., None] | None:
    """The class's own ``@_declared`` constructor signature, or None.

    A class inheriting a declared constructor gets its own compiled one on first use
    (``_lazy``, ``_compiled``); a user's ``__init__`` (even one that ``functools.wraps`` a
    compiled constructor, copying its marker) is never replaced.
    """
    own = cls.__dict__.get("__init__")
    marked = getattr(own, "_declared", None)
    return marked if marked is own and own is not None else None


def _lazy(cls: type[Any], declared: Callable[..., None]) -> Callable[..., None]:
    """A stand-in ``__init__`` that compiles a constructor from ``declared`` on first use.

    Called for a class that inherits it, it compiles that class's own; called through a
    subclass's own ``__init__`` (``super().__init__``), the one of ``cls``.
    """

    def __init__(self: Error, *args: Any, **kwargs: Any) -> None:
        target = type(self)
        if target.__init__ is not stand_in:  # reached from a subclass's own constructor
            target = cls
        _adopted(target, declared, stand_in)(self, *args, **kwargs)

    stand_in = _dressed(__init__, cls, declared)
    return stand_in


def _adopted(
    cls: type[Any], declared: Callable[..., None], replaced: object = None
) -> Callable[..., None]:
    """Compile ``cls``'s constructor and install it, unless ``cls`` has another of its own."""
    init = (_plain if declared.__dict__.get("_plain") else _compiled)(cls, declared)
    if cls.__dict__.get("__init__", replaced) is replaced:  # not wrapped or patched meanwhile
        type.__setattr__(cls, "__init__", init)
    return init


def _compiled(cls: type[APIError], declared: Callable[..., None]) -> Callable[..., None]:
    """Compile ``cls``'s constructor from the signature of ``declared``.

    One straight-line function: the class's own fields, the delay read, the request
    context in one tuple, the status and verdict (``_judged`` only when they differ from
    the class's own), the cause, and the masked message (with its delay, for classes that
    say it). Class settings are read from ``type(self)``, as a subclass may call it; a
    subclass that inherits it gets its own on its first construction (the first lines).
    """
    names, positional, defaults = _signature(declared)
    if type(defaults.get("status_code")) is int:  # its class's status (a subclass's its own)
        defaults = {**defaults, "status_code": None}
    hint = str(declared.__annotations__.get("context", ""))
    context = _HTTP_KEYWORDS if "HTTP" in hint else _REQUEST_KEYWORDS if hint else ()
    params = [f"{name}=_defaults[{name!r}]" if name in defaults else name for name in names]
    params.insert(len(positional), "*")
    params += [f"{name}=None" for name in context]
    known = {*names, *context}
    forwarded = [*positional, *(f"{name}={name}" for name in (*names[len(positional) :], *context))]
    lines = [
        "cls = type(self)",
        "if cls is not _owner and cls.__init__ is _me:  # a subclass inheriting this one",
        f"    return _adopted(cls, _declared)(self, {', '.join(forwarded)})",
    ]
    converters = dict(cls._converters)  # here, readers of flags: a bool is kept as it is
    lines += [
        f"if type({name}) is not bool: {name} = _converters[{name!r}]({name})"
        for name in names
        if name in converters
    ]
    lines += [
        f"self.{_stored(cls, name)} = {name}"
        for name in (*names, *context)
        if name not in _CONSTRUCTOR_ARGUMENTS and name not in _KEPT
    ]
    if "status_code" in defaults:  # an optional status: None means the class status
        lines.append("if status_code is None: status_code = self.status_code")
    else:  # required, yet None given: a subclass's own status, if it declares one
        lines.append("if status_code is None: status_code = cls._class_status")
    if "retry_after" in known:
        lines += [
            "if retry_after is None: retry_after = cls._no_wait",
            "elif type(retry_after) is not float or not 0 < retry_after < cls._wait_ceiling:",
            "    retry_after = cls._read_wait(retry_after)",
        ]
    else:
        lines.append("retry_after = cls._no_wait")
    kept = ", ".join(name if name in known else "None" for name in _KEPT)
    lines.append(f"self._request = ({kept})")  # an exception's attributes are slow to store
    from errorkit._inline import Rules, keep

    namespace: dict[str, Any] = {}
    rules = Rules(cls, known, namespace)
    given_hint = "retryable" if "retryable" in known else "None"
    given_details = "details" if "details" in known else "None"
    differs = [f"{name} is not None" for name in ("retryable", "details") if name in known]
    differs.append(
        "status_code is None or (status_code is not cls._class_status and"
        " (type(status_code) is not int or status_code != cls._class_status))"
    )
    message = rules.default_message()
    lines += rules.lines(
        [
            f"if {' or '.join(differs)}:",
            f"    _judged(self, status_code, {given_hint}, {given_details})",
            "    retry_after = self._retry_after  # the caller's details may have named it",
        ]
    )
    if "original_exception" in known:
        lines.append("if original_exception is not None: self._chain(original_exception)")
    if "code" in known:
        lines.append(
            "if code is not None and _bool_of(code):"
            " self.code = _safe_text(code) if type(code) is str else code"
        )
    lines += [
        "if message is None:",
        *(f"    {line}" for line in message),
        "elif type(message) is not str or not message:",
        "    message = _text_or_none(message) or self._default_message()",
        "if retry_after is not None and cls._says_retry_after:",
        "    _store_args(self, (_SUFFIXED.get((message, retry_after)) or"
        " _with_retry_after(message, retry_after),))",
        "else: _store_args(self, (_MASKED.get(message) or _safe_text(message),))",
    ]
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(lines)
    namespace |= {
        "_owner": cls,
        "_declared": declared,
        "_adopted": _adopted,
        "_defaults": defaults,
        "_converters": converters,
        "_judged": _judged,
        "_SUFFIXED": _SUFFIXED,
        "_store_args": _store_args,
        "_with_retry_after": _with_retry_after,
        "_MASKED": _MASKED,
        "_safe_text": safety.safe_text,  # itself, not through the loader
        "_text_or_none": text_or_none,
        "_bool_of": bool_of,
        "_filled": _filled,
        "_SIMPLE": _SIMPLE,
        "_general": object(),  # no template: the general path
        "_keep": keep,
    }
    return _defined(source, namespace, cls, declared)


def _signature(declared: Callable[..., None]) -> tuple[tuple[str, ...], tuple[str, ...], Any]:
    """The parameters of a declared constructor but ``self``, its positional ones, its defaults."""
    code = declared.__code__
    names = code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]
    positional = names[: code.co_argcount - 1]
    given = declared.__defaults__ or ()
    defaults = dict(zip(positional[len(positional) - len(given) :], given, strict=True))
    defaults.update(declared.__kwdefaults__ or {})
    return names, positional, defaults


def _defined(
    source: str, namespace: dict[str, Any], cls: type[Error], declared: Callable[..., None]
) -> Callable[..., None]:
    """Run the source of a compiled constructor and dress the function it defines."""
    exec(source, namespace)  # built from parameter, field and constant names and format specs
    init = namespace["_me"] = _dressed(namespace["__init__"], cls, declared)
    if sys.version_info >= (3, 11):  # the name Python's own TypeErrors quote
        init.__code__ = init.__code__.replace(co_qualname=init.__qualname__)
    return init


# Arguments ``Error.__init__`` or ``Error._chain`` take, not stored by a plain constructor.
_BASE_ARGUMENTS = ("message", "code", "details", "original_exception")


def _plain(cls: type[Error], declared: Callable[..., None]) -> Callable[..., None]:
    """Compile the constructor of a class outside ``APIError`` from ``declared``'s signature.

    One straight-line function: each argument but those of ``_BASE_ARGUMENTS`` stored in
    the attribute of its name (``_name`` behind a read-only property), read through the
    class's ``_converters`` entry for it when there is one; the cause chained; then
    ``Error.__init__`` with the message (None without one), the code and the details.
    """
    names, positional, defaults = _signature(declared)
    params = [f"{name}=_defaults[{name!r}]" if name in defaults else name for name in names]
    if len(positional) < len(names):
        params.insert(len(positional), "*")
    forwarded = [*positional, *(f"{name}={name}" for name in names[len(positional) :])]
    converters = dict(cls._converters)
    lines = [
        "cls = type(self)",
        "if cls is not _owner and cls.__init__ is _me:  # a subclass inheriting this one",
        f"    return _adopted(cls, _declared)(self, {', '.join(forwarded)})",
    ]
    lines += [
        f"self.{_stored(cls, name)} = "
        + (f"_converters[{name!r}]({name})" if name in converters else name)
        for name in names
        if name not in _BASE_ARGUMENTS
    ]
    if "original_exception" in names:
        lines.append("if original_exception is not None: self._chain(original_exception)")
    given = ", ".join(name if name in names else "None" for name in _BASE_ARGUMENTS[:3])
    lines.append(f"_init(self, {given})")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(lines)
    namespace = {
        "_owner": cls,
        "_declared": declared,
        "_adopted": _adopted,
        "_defaults": defaults,
        "_converters": converters,
        "_init": sys.modules["errorkit.exceptions"].Error.__init__,
    }
    return _defined(source, namespace, cls, declared)


def _judged(error: APIError, status_code: object, hint: object, details: object) -> None:
    """Store a status other than the class's, and ``retryable`` and ``details`` from it."""
    cls = type(error)
    if type(status_code) is not int:
        status_code = status_or_value(status_code)
    is_class_status = status_code is cls._class_status or (  # never compares an odd value
        type(status_code) is int and status_code == cls._class_status
    )
    if not is_class_status or status_code is None:
        error.status_code = status_code  # type: ignore[assignment]
    if hint is not None and type(hint) is not bool:
        hint = hint_or_none(hint)  # a header string ("true") is read too
    extra = None if details is None else dict_of(details)
    if extra:  # a caller's key naming a field stands for it, as ``from_dict`` reads it
        error._extra = extra
        _fields_from_details(error)
        error._retry_after = wait_seconds(error._retry_after)
        if hint is None:
            try:
                hint = extra.get("retryable")
            except Exception:  # a key whose comparison raises
                hint = None
            hint = hint if type(hint) is bool else None
    if hint is None:
        if extra is not None:
            error._extra = extra
        if not is_class_status or not cls._status_rule:
            hint = error._retryable_by_rule()
        else:  # the class's own value, which the rule gave for the class's status
            hint = cls.retryable
    else:  # the server's hint: kept in ``details``, before the caller's keys, and winning
        own = extra or {}
        own.pop("retryable", None)
        error._extra = {"retryable": hint, **own}
    if hint is not cls.retryable:  # the class's value is read from the class
        error.retryable = bool(hint)


def _stored(cls: type, name: str) -> str:
    """The attribute a field is kept in: ``_x`` behind a read-only property ``x``."""
    found = getattr(cls, name, None)
    return "_" + name if isinstance(found, property) and found.fset is None else name


class Later:
    """A stand-in, in ``APIError._request``, for fields worked out on their first read.

    Only ``response_body`` and ``request_url`` may hold one (``_LATER_FIELDS``); their
    properties return ``value(index)`` in its place. A subclass says how in ``work(index)``,
    which must not raise. The first value kept is the one every later read returns, so two
    threads reading at once get the same object; pickling and copying read the values
    (``request_values``).
    """

    __slots__ = ("_values",)
    _values: dict[int, object]

    def work(self, index: int) -> object:  # pragma: no cover - each subclass has its own
        """Work out the field at ``index`` of ``_request``; never raises."""
        raise NotImplementedError

    def value(self, index: int) -> object:
        """The field at ``index``: worked out on the first call, the same object after."""
        try:
            return self._values[index]
        except (AttributeError, KeyError):  # not read yet
            pass
        found = self.work(index)
        made: dict[int, object] = {}  # made outside the lock: nothing in it runs Python code
        with _LATER_LOCK:
            try:
                values = self._values
            except AttributeError:
                values = self._values = made
            return values.setdefault(index, found)


# The fields of ``_request`` a ``Later`` may stand for, by index, and the lock under which
# the first value of each is kept (held only for that, never while working it out; reentrant
# all the same).
_LATER_FIELDS = (_KEPT.index("response_body"), _KEPT.index("request_url"))
_LATER_LOCK = _thread.RLock()


def request_values(fields: tuple[Any, ...]) -> tuple[Any, ...]:
    """``APIError._request`` with each ``Later`` replaced by the value it stands for."""
    return tuple(
        field.value(index) if isinstance(field, Later) else field
        for index, field in enumerate(fields)
    )


def _request_field(
    index: int, default: object = None, doc: str | None = None, *, writable: bool = True
) -> property:
    """The property reading (and writing) one field of ``APIError._request``."""

    def get(error: APIError) -> Any:
        try:
            value = error._request[index]
        except AttributeError:  # made without its constructor
            return default
        return default if value is None else value

    def get_later(error: APIError) -> Any:
        try:
            value = error._request[index]
        except AttributeError:  # made without its constructor
            return default
        if isinstance(value, Later):  # worked out now, on the first read
            value = value.value(index)
        return default if value is None else value

    if index in _LATER_FIELDS:
        get = get_later

    get.__dict__["_field"] = (index, default)  # what a compiled constructor reads instead

    def put(error: APIError, value: object) -> None:
        fields = list(error.__dict__.get("_request", _NO_REQUEST))
        fields[index] = value
        error._request = tuple(fields)

    return property(get, put if writable else None, None, doc)


# A read-only property over ``_provider`` or ``_retry_after`` -> the one reading ``_request``
# directly; an HTTP class reads ``provider`` and ``retry_after`` in one step, not two.
_ONE_STEP: dict[property, property] = {}


def _read_in_one_step(owner: type, name: str, default: object = None) -> None:
    """Register ``owner.<name>`` for a one-step read, and use it where ``owner`` is HTTP."""
    slow = vars(owner)[name]
    fast = _request_field(_KEPT.index(name), default, slow.__doc__, writable=False)
    _ONE_STEP[slow] = _ONE_STEP[fast] = fast
    if isinstance(getattr(owner, "_provider", None), property):  # it keeps ``_request``
        setattr(owner, name, fast)


def _class_defaults(cls: type[APIError]) -> None:
    """Turn a class value for a kept field (``provider = "acme"``) into that field's default.

    A plain class attribute would hide the property reading the error's own value, so the
    value given to the constructor would be lost; the property now falls back to it.
    Inherited ``provider`` and ``retry_after`` properties read in one step (``_ONE_STEP``);
    a class with one base and none of those names inherits its base's, already fixed.
    """
    own = vars(cls)
    if len(cls.__bases__) == 1 and own.keys().isdisjoint(_KEPT):
        return
    for index, name in enumerate(_KEPT):
        if name in own and not isinstance(own[name], property):
            setattr(cls, name, _request_field(index, own[name]))
    for name in ("provider", "retry_after"):
        found = getattr(cls, name, None)
        fast = _ONE_STEP.get(found) if isinstance(found, property) else None
        if fast is not None and fast is not found:
            setattr(cls, name, fast)


def _dressed(
    init: Callable[..., None], cls: type[Error], declared: Callable[..., None]
) -> Callable[..., None]:
    """Give a generated constructor the name, docstring and signature of ``declared``."""
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = declared.__module__
    init.__doc__ = declared.__doc__
    init.__dict__.update(_declared=declared, __wrapped__=declared)
    return init
