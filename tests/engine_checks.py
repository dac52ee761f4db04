"""How the engine tests judge what reaches the caller from a worker.

The cases a worker raises (``CASES``, ``build``, ``raise_case``) are built in
``tests.samples``, from the same sample of each class as every other test; the checks
here compare what came back with the error the caller builds locally for the same case.
"""

from __future__ import annotations

import pickle
from typing import Any

from errorkit import exceptions as ek
from errorkit._build import _layout_of
from errorkit.safety import json_safe
from tests.samples import UNPICKLABLE, build


def attributes(error: ek.Error) -> Any:
    """Return an error's attributes, its causes aside, in a comparable (JSON) form."""
    causes = ("_original_exception", "tool_exception")
    return json_safe({k: v for k, v in vars(error).items() if k not in causes}, redact=False)


def safe_attributes(error: ek.Error) -> Any:
    """Return the attributes ``details`` holds, in their safe (masked) form."""
    return {name: json_safe(getattr(error, name)) for name, _, _ in _layout_of(type(error))}


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
