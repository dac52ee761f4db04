"""Every class pickles and copies whole: type, ``to_dict()``, attributes and its causes."""

from __future__ import annotations

import copy
import pickle
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from errorkit import exceptions as ek
from errorkit import safety
from tests.strategies import (
    CLASS_IDS,
    CLASSES,
    PER_CLASS_PICKLE,
    _safe_str,
    errors,
    exceptions,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    # How a clone is made: a pickle round trip at some protocol, copy or deepcopy.
    Transport: TypeAlias = Callable[[Any], Any]


def _state(error: ek.Error) -> Any:
    """Return an error's attributes, causes aside, in a comparable (JSON) form."""
    causes = ("tool_exception", "_original_exception")
    attributes = {k: v for k, v in vars(error).items() if k not in causes}
    return safety.json_safe(attributes, redact=False)


def _raise_from(error: ek.Error, cause: BaseException | None) -> ek.Error:
    """Raise ``error`` (from ``cause`` when given) and return it with its traceback."""
    caught: ek.Error | None = None
    try:
        if cause is None:
            raise error
        raise error from cause
    except ek.Error as exc:
        caught = exc
    assert caught is not None
    assert caught.__traceback__ is not None
    return caught


def _pickler(protocol: int) -> Transport:
    """Return a pickle round trip at ``protocol``."""
    return lambda value: pickle.loads(pickle.dumps(value, protocol))


def _assert_same_cause(
    clone: BaseException | None, cause: BaseException | None, transport: Transport
) -> None:
    """A cause travels as itself, with its text, or as ``Exception("{Type}: {text}")``.

    Travelling as itself, its type is kept, except that protocols 0-2 map builtin OSError
    subclasses to ``OSError`` (Python 2 compatibility).
    """
    del transport  # every transport must meet the same rule
    if cause is None:
        assert clone is None
        return
    assert clone is not None
    text = _safe_str(cause)
    if type(clone) is Exception and type(cause) is not Exception:
        assert str(clone) == f"{type(cause).__name__}: {text}"
        return
    assert _safe_str(clone) == text
    assert type(clone) is type(cause) or (isinstance(cause, OSError) and type(clone) is OSError)


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
@PER_CLASS_PICKLE
@given(data=st.data())
def test_pickle_and_copy_keep_type_and_to_dict(cls: type[ek.Error], data: st.DataObject) -> None:
    """Pickle (every protocol), copy and deepcopy keep type, to_dict, attributes and the cause."""
    error = data.draw(errors(cls))
    if data.draw(st.booleans()):
        error = _raise_from(error, data.draw(st.none() | exceptions))
    expected = error.to_dict()
    state = _state(error)
    transports = [_pickler(protocol) for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]
    transports += [copy.copy, copy.deepcopy]
    for transport in transports:
        clone = transport(error)
        assert type(clone) is cls
        assert clone.to_dict() == expected
        assert str(clone) == str(error)
        assert clone.args == error.args
        assert _state(clone) == state
        _assert_same_cause(clone.__cause__, error.__cause__, transport)
        _assert_same_cause(clone.original_exception, error.original_exception, transport)
        if isinstance(error, ek.ToolExecutionError):
            assert isinstance(clone, ek.ToolExecutionError)
            _assert_same_cause(clone.tool_exception, error.tool_exception, transport)
