"""What the engine tests raise in a worker, and how they judge what reaches the caller.

A *case* is a name the caller sends to a worker process: the worker rebuilds the error
from that name and raises it. The names are every errorkit class (its sample from
``tests.samples``), plus two errors per cause of the causes set: a ``ParseError`` given
the cause as ``original_exception=``, and a ``ServerError`` raised ``from`` it inside the
``except`` block that caught it, as wrapper code does. The caller builds the same case
locally, so it knows what the worker raised.
"""

from __future__ import annotations

import json
import pickle
import threading
from typing import TYPE_CHECKING, Any

import httpx
import pydantic
import requests

from errorkit import exceptions as ek
from errorkit.safety import json_safe
from tests.samples import all_error_classes, sample

if TYPE_CHECKING:
    from collections.abc import Callable


class LockedError(Exception):
    """An exception holding a lock: no pickler can carry it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lock = threading.Lock()


class _Model(pydantic.BaseModel):
    """A model whose validation fails for a string ``count``."""

    count: int


def _validation_error() -> pydantic.ValidationError:
    """Return the pydantic ``ValidationError`` of a bad ``count``."""
    try:
        _Model.model_validate({"count": "many"})
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("the model accepted a bad count")  # pragma: no cover


def _status_error() -> httpx.HTTPStatusError:
    """Return an httpx ``HTTPStatusError``: it pickles, but cannot be unpickled."""
    request = httpx.Request("GET", "https://api.example.com/v1/items")
    response = httpx.Response(503, request=request)
    return httpx.HTTPStatusError("Server error '503'", request=request, response=response)


CAUSES: dict[str, Callable[[], BaseException]] = {
    "httpx.ReadTimeout": lambda: httpx.ReadTimeout("timed out reading the response"),
    "requests.ConnectionError": lambda: requests.ConnectionError("connection refused"),
    "json.JSONDecodeError": lambda: json.JSONDecodeError("Expecting value", "not json", 0),
    "pydantic.ValidationError": _validation_error,
    "httpx.HTTPStatusError": _status_error,
    "LockedError": lambda: LockedError("holds a lock"),
}
"""The causes set: what real wrapper code catches, plus two that plain pickle cannot carry."""

UNPICKLABLE = "LockedError"
"""The cause no pickler can carry, whatever it does."""

CLASS_CASES = {cls.__name__: cls for cls in all_error_classes()}
PARSE_CASES = {f"ParseError[{name}]": name for name in CAUSES}
FROM_CASES = {f"ServerError[from {name}]": name for name in CAUSES}
APART_CASE = f"ProviderError[{UNPICKLABLE}, raised apart]"
"""An unpicklable cause given as ``original_exception=`` and left out of ``__cause__``."""
CASES = [*CLASS_CASES, *PARSE_CASES, *FROM_CASES, APART_CASE]


def build(name: str) -> ek.Error:
    """Build the error of case ``name``, raised (so it has a traceback and its cause)."""
    try:
        raise_case(name)
    except ek.Error as error:
        return error
    raise AssertionError(f"case {name} did not raise")  # pragma: no cover


def raise_case(name: str) -> None:
    """Raise the error of case ``name`` (this is what runs in the worker)."""
    if name in CLASS_CASES:
        raise sample(CLASS_CASES[name])
    if name in PARSE_CASES:
        raise ek.ParseError("acme", original_exception=CAUSES[PARSE_CASES[name]]())
    if name == APART_CASE:  # how the docs keep such an error whole on Dask
        try:
            raise CAUSES[UNPICKLABLE]()
        except Exception as exc:
            error = ek.ProviderError("acme", 502, original_exception=exc)
        error.__cause__ = None
        raise error
    try:
        raise CAUSES[FROM_CASES[name]]()
    except Exception as exc:
        raise ek.ServerError(status_code=503) from exc


def attributes(error: ek.Error) -> Any:
    """Return an error's attributes, its causes aside, in a comparable (JSON) form."""
    causes = ("_original_exception", "tool_exception")
    return json_safe({k: v for k, v in vars(error).items() if k not in causes}, redact=False)


def safe_attributes(error: ek.Error) -> Any:
    """Return the attributes ``details`` holds, in their safe (masked) form."""
    return {name: json_safe(getattr(error, name)) for name, _, _ in error._layout}


def stand_in_text(cause: BaseException, *, masked: bool = False) -> str:
    """Return the text of the stand-in of ``cause``: ``"{Type}: {message}"``."""
    if masked:
        form = json_safe(cause)
        return f"{form['type']}: {form['message']}"
    return f"{type(cause).__name__}: {cause}"


def check_whole(name: str, caught: BaseException | None, *, carried_by_tblib: bool) -> None:
    """``caught`` is the error of case ``name``, delivered whole.

    Same class, identical ``to_dict()``, every attribute equal, and the cause (and a
    tool's exception) as a pickle round trip gives it: itself when it travels, else the
    stand-in ``Exception("{Type}: {message}")``; an engine that pickles exceptions with
    tblib (Dask) carries every cause it can pickle as itself. ``retry_message()`` reads
    as the worker's when the cause travelled, else it names the stand-in, never a
    traceback.
    """
    sent = build(name)
    carried = carried_by_tblib and UNPICKLABLE not in name
    expected = sent if carried else pickle.loads(pickle.dumps(sent))
    assert type(caught) is type(sent)
    assert isinstance(caught, ek.Error)
    assert caught.to_dict() == sent.to_dict()
    assert attributes(caught) == attributes(sent)
    check_cause(caught.original_exception, sent.original_exception, expected.original_exception)
    if isinstance(caught, ek.ToolExecutionError):
        assert isinstance(sent, ek.ToolExecutionError)
        assert isinstance(expected, ek.ToolExecutionError)
        check_cause(caught.tool_exception, sent.tool_exception, expected.tool_exception)
    if isinstance(caught, ek.ParseError):
        assert isinstance(sent, ek.ParseError)
        assert isinstance(expected, ek.ParseError)
        assert caught.retry_message() == expected.retry_message()
        if type(caught.original_exception) is type(sent.original_exception):
            assert caught.retry_message() == sent.retry_message()
        assert "Traceback" not in caught.retry_message()


def check_cause(
    caught: BaseException | None, sent: BaseException | None, expected: BaseException | None
) -> None:
    """The cause arrived as itself (same type and text), or as the stand-in pickle makes."""
    if sent is None:
        assert caught is None
        return
    assert caught is not None
    if type(expected) is Exception and type(sent) is not Exception:
        assert type(caught) is Exception
        assert str(caught) == stand_in_text(sent)
    else:
        assert type(caught) is type(sent)
        assert str(caught) == str(sent)


def check_from_json(name: str, caught: BaseException | None) -> None:
    """``caught`` is the error of case ``name`` rebuilt from its JSON form.

    Same class, identical ``to_dict()``, every attribute ``details`` holds equal in its
    safe form, and the cause as the stand-in ``Exception("{Type}: {message}")``.
    """
    sent = build(name)
    assert type(caught) is type(sent)
    assert isinstance(caught, ek.Error)
    assert caught.to_dict() == sent.to_dict()
    assert safe_attributes(caught) == safe_attributes(sent)
    cause, sent_cause = caught.original_exception, sent.original_exception
    if sent_cause is None:
        assert cause is None
        return
    assert type(cause) is Exception
    assert str(cause) == stand_in_text(sent_cause, masked=True)
    if isinstance(caught, ek.ParseError):
        assert caught.retry_message() == (
            f"Your response could not be parsed: {cause}\n\n"
            "Please ensure your response matches the expected format."
        )
