"""Every class pickles and copies whole: type, ``to_dict()``, attributes and its causes.

Each class's sample goes through every pickle protocol, ``copy`` and ``deepcopy``; then the
same on generated instances (hypothesis), raised with a traceback and a cause; then the
values that cannot pickle as they are, long chains of causes, and the trip through a real
process pool.
"""

from __future__ import annotations

import concurrent.futures
import copy
import gc
import json
import multiprocessing
import pickle
import threading
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import errorkit
from errorkit import _pickling, safety
from errorkit import exceptions as ek
from tests.samples import sample
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


def _sample_state(error: ek.Error) -> Any:
    """Return an error's attributes, its cause aside, in a comparable (JSON) form."""
    attributes = {k: v for k, v in vars(error).items() if k != "_original_exception"}
    return safety.json_safe(attributes, redact=False)


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
class TestEveryClass:
    """Every class's sample survives pickle (every protocol), copy and deepcopy."""

    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_pickle_round_trip(self, cls: type[ek.Error], protocol: int) -> None:
        """Pickling keeps the type, ``str``, ``to_dict()`` and every attribute."""
        error = sample(cls)
        clone = pickle.loads(pickle.dumps(error, protocol))
        assert type(clone) is cls
        assert str(clone) == str(error)
        assert clone.args == error.args
        assert clone.to_dict() == error.to_dict()
        assert _sample_state(clone) == _sample_state(error)
        assert str(clone.original_exception) == str(error.original_exception)

    def test_copy_and_deepcopy(self, cls: type[ek.Error]) -> None:
        """``copy.copy`` and ``copy.deepcopy`` keep the type, ``to_dict()`` and attributes."""
        error = sample(cls)
        for clone in (copy.copy(error), copy.deepcopy(error)):
            assert type(clone) is cls
            assert clone.to_dict() == error.to_dict()
            assert _sample_state(clone) == _sample_state(error)

    def test_pickle_keeps_cause_of_raised_error(self, cls: type[ek.Error]) -> None:
        """An error raised ``from`` a cause, with a traceback, pickles with its cause."""
        error = sample(cls)
        try:
            try:
                raise KeyError("inner")
            except KeyError as inner:
                raise error from inner
        except ek.Error as caught:
            clone = pickle.loads(pickle.dumps(caught))
        assert type(clone.__cause__) is KeyError
        assert str(clone.__cause__) == str(KeyError("inner"))
        if error.__dict__.get("_original_exception") is None:  # no cause of its own
            assert clone.original_exception is clone.__cause__
        else:  # the constructor's cause is kept, as a process pool needs
            assert repr(clone.original_exception) == repr(error.original_exception)
        assert clone.to_dict() == error.to_dict()


# --------------------------------------------------------------------------- generated instances


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


# Every way a clone is made: each pickle protocol, then ``copy`` and ``deepcopy``.
TRANSPORTS: list[Transport] = [
    *(_pickler(p) for p in range(pickle.HIGHEST_PROTOCOL + 1)),
    copy.copy,
    copy.deepcopy,
]
TRANSPORT_IDS = [f"pickle{p}" for p in range(pickle.HIGHEST_PROTOCOL + 1)] + ["copy", "deepcopy"]


def _assert_same_cause(
    clone: BaseException | None, cause: BaseException | None, transport: Transport
) -> None:
    """A cause travels as itself, with its text, or as ``Exception("{Type}: {text}")`` masked.

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
        assert str(clone) == errorkit.redact_text(f"{type(cause).__name__}: {text}")
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
    for transport in TRANSPORTS:
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


# ---------------------------------------------------------------- what cannot pickle as it is


class _Opaque:
    """An object whose repr holds its address, so it changes across processes."""


class _NeedsTwoArgs(Exception):
    """An exception that pickles but cannot be unpickled (its __init__ wants two args)."""

    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a}/{b}")


def test_unpicklable_values_travel_in_json_form() -> None:
    """Locks, lambdas and address-bearing objects pickle as their JSON-safe form."""
    error = ek.Error(
        "m",
        details={"lock": threading.Lock(), "fn": lambda: 1, "obj": _Opaque(), "n": 1},
    )
    clone = pickle.loads(pickle.dumps(error))
    assert clone.to_dict() == error.to_dict()
    assert clone.details["n"] == 1
    assert isinstance(clone.details["lock"], str)


def test_unpicklable_cause_becomes_exception() -> None:
    """A cause that cannot round-trip becomes ``Exception("{Type}: {message}")``."""
    error = ek.ServerError(original_exception=_NeedsTwoArgs("a", "b"))
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone.original_exception) is Exception
    assert str(clone.original_exception) == "_NeedsTwoArgs: a/b"


def test_an_error_of_a_class_defined_in_a_function_deep_copies() -> None:
    """``deepcopy`` of an error whose class pickle cannot name copies its state instead."""

    class LocalError(ek.RateLimitError):
        pass

    error = clone = None
    try:
        error = LocalError("m", retry_after=5.0, original_exception=ValueError("cause"))
        clone = copy.deepcopy(error)
        assert type(clone) is LocalError
        assert clone.to_dict() == error.to_dict()
        assert clone.retry_after == 5.0
        assert str(clone.original_exception) == "cause"
        assert clone.original_exception is not error.original_exception
    finally:  # other tests walk ``Error.__subclasses__()``: leave the tree as it was
        del LocalError, error, clone
        gc.collect()


def _peers() -> ek.Error:
    """Two errors holding each other in their details."""
    first, second = ek.ToolError("first"), ek.NotFoundError("second")
    first.details["peer"] = second
    second.details["peer"] = first
    return first


def _holds_itself() -> ek.Error:
    """An error holding itself in its details."""
    error = ek.ToolError("self")
    error.details["self"] = error
    return error


def _cause_holds_the_error() -> ek.Error:
    """An error whose cause holds it in its details."""
    cause = ek.ToolError("inner")
    error = ek.ConnectorError("outer", provider="p", original_exception=cause)
    cause.details["outer"] = error
    return error


def _long_chain_holding_itself() -> ek.Error:
    """An error over 33 errorkit causes (pickled flat), holding itself in its details."""
    error = _chain(_pickling.CHAIN_DEPTH + 1)
    error.details["self"] = error
    return error


def _long_chain_whose_link_holds_the_top() -> ek.Error:
    """An error over 1,000 errorkit causes, the 500th of which holds it in its details."""
    error = _chain(1000)
    _links(error)[500].details["root"] = error  # type: ignore[attr-defined]
    return error


CYCLE_ROWS: list[tuple[str, Callable[[], ek.Error], Callable[[Any], Any]]] = [
    (
        "attack8: two errors holding each other in details",
        _peers,
        lambda error: error.details["peer"].details["peer"],
    ),
    ("attack8: an error holding itself in details", _holds_itself, lambda e: e.details["self"]),
    (
        "attack8: a cause holding its error in details",
        _cause_holds_the_error,
        lambda error: error.original_exception.details["outer"],
    ),
    (
        "attack10: an error over a long chain, holding itself in details",
        _long_chain_holding_itself,
        lambda error: error.details["self"],
    ),
    (
        "attack10: a link of a long chain holding the top error in details",
        _long_chain_whose_link_holds_the_top,
        lambda error: _links(error)[500].details["root"],  # type: ignore[attr-defined]
    ),
]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize(
    ("make", "way_back"), [row[1:] for row in CYCLE_ROWS], ids=[row[0] for row in CYCLE_ROWS]
)
def test_errors_met_again_in_their_details_pickle_as_cycles(
    make: Callable[[], ek.Error], way_back: Callable[[Any], Any], protocol: int
) -> None:
    """Errors that reach themselves through details pickle and deep-copy, the cycle kept."""
    error = make()
    assert way_back(error) is error
    for clone in (pickle.loads(pickle.dumps(error, protocol)), copy.deepcopy(error)):
        assert type(clone) is type(error)
        assert clone.to_dict() == error.to_dict()
        assert way_back(clone) is clone


def test_unpicklable_tool_exception_is_described() -> None:
    """A ToolExecutionError whose tool exception cannot round-trip still pickles faithfully."""
    error = ek.ToolExecutionError(_NeedsTwoArgs("a", "b"))
    clone = pickle.loads(pickle.dumps(error))
    assert clone.to_dict() == error.to_dict()
    assert clone.tool_exception_type == "_NeedsTwoArgs"
    assert str(clone.tool_exception) == "_NeedsTwoArgs: a/b"


@pytest.mark.parametrize("cls", CLASSES, ids=[cls.__name__ for cls in CLASSES])
def test_rebuilt_error_pickles_and_rebuilds_again(cls: type[ek.Error]) -> None:
    """A rebuilt error pickles, and rebuilding its own payload changes nothing."""
    payload = sample(cls).to_dict()
    rebuilt = ek.Error.from_dict(payload)
    assert pickle.loads(pickle.dumps(rebuilt)).to_dict() == payload
    assert ek.Error.from_dict(rebuilt.to_dict()).to_dict() == payload


# ------------------------------------------------------------------------ long chains of causes


def _chain(links: int) -> ek.Error:
    """Return an APIError with ``links`` errors below it, each the cause of the one above."""
    error: ek.Error = ek.Error("root")
    for index in range(links):
        error = ek.APIError(f"e{index}", status_code=500, original_exception=error)
    return error


def _links(error: BaseException | None) -> list[BaseException]:
    """Return ``error`` and each ``__cause__`` below it, stopping at one seen before."""
    found: list[BaseException] = []
    while error is not None and all(error is not seen for seen in found):
        found.append(error)
        error = error.__cause__
    return found


def _assert_same_chain(clone: ek.Error, error: ek.Error) -> None:
    """Each link of ``clone`` has the type, ``to_dict()`` and cause of its link in ``error``."""
    clones, links = _links(clone), _links(error)
    assert len(clones) == len(links)
    for copied, link in zip(clones, links, strict=True):
        assert type(copied) is type(link)
        assert isinstance(copied, ek.Error)
        assert isinstance(link, ek.Error)
        assert copied.to_dict() == link.to_dict()
        assert copied.retryable is link.retryable
        assert copied.original_exception is copied.__cause__


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_chain_of_a_thousand_causes_pickles_whole(protocol: int) -> None:
    """A chain of 1,000 errorkit causes pickles at every protocol with every link kept."""
    error = _chain(1000)
    _assert_same_chain(pickle.loads(pickle.dumps(error, protocol)), error)


def test_a_chain_of_a_thousand_causes_copies_and_serializes() -> None:
    """``copy``, ``deepcopy`` and ``to_dict()`` of an error with 1,000 causes keep every link."""
    error = _chain(1000)
    shallow = copy.copy(error)
    _assert_same_chain(shallow, error)
    assert shallow.original_exception is not error.original_exception  # the links are copied
    assert copy.copy(_chain(1)).original_exception is not None
    _assert_same_chain(copy.deepcopy(error), error)
    assert json.loads(json.dumps(error.to_dict(), allow_nan=False))["message"] == "e999"


@pytest.mark.parametrize("extra", [-1, 0, 1, 2])
def test_chains_around_the_flat_depth_pickle_alike(extra: int) -> None:
    """Chains just under, at and over ``CHAIN_DEPTH`` causes pickle with every link kept."""
    error = _chain(_pickling.CHAIN_DEPTH + extra)
    _assert_same_chain(pickle.loads(pickle.dumps(error)), error)


def test_a_long_chain_through_cause_alone_pickles() -> None:
    """Errors chained by ``raise ... from`` whose stored cause is None pickle, 500 deep."""
    error: ek.Error = ek.Error("root")
    for index in range(500):
        unchained = pickle.loads(pickle.dumps(ek.ServerError(f"s{index}")))  # stores None
        try:
            raise unchained from error
        except ek.ServerError as caught:
            error = caught
    clone = pickle.loads(pickle.dumps(error))
    assert len(_links(clone)) == 501
    assert str(_links(clone)[-1]) == "root"


def test_a_long_chain_ending_in_a_loop_ends_in_a_stand_in() -> None:
    """A 1,000-link chain looping back into itself ends, as a short one does, in a stand-in."""
    error = _chain(1000)
    links = _links(error)
    root = links[-1]
    assert isinstance(root, ek.Error)
    root.__cause__ = root._original_exception = links[500]  # e499: the loop is e499 ... root
    for transport in (_pickler(pickle.HIGHEST_PROTOCOL), copy.deepcopy):
        clones = _links(transport(error))
        assert [str(link) for link in clones[:-1]] == [str(link) for link in links[:501]]
        assert type(clones[-1]) is Exception  # e499's cause, which leads back to e499
        assert str(clones[-1]) == "APIError: e498"
    short = _links(_chain(3))  # e2, e1, e0, root; root leads back to e1
    short_root = short[-1]
    assert isinstance(short_root, ek.Error)
    short_root.__cause__ = short_root._original_exception = short[1]
    assert str(_links(pickle.loads(pickle.dumps(short[0])))[-1]) == "APIError: e0"


def test_a_link_of_a_long_chain_pickled_again_arrives_as_a_copy() -> None:
    """A link pickled beside its 1,000-link chain comes back a copy; beside a short one, itself."""
    for links in (1000, 3):
        error = _chain(links)
        inner = error.original_exception
        assert isinstance(inner, ek.Error)
        clone, inner_clone = pickle.loads(pickle.dumps([error, inner]))
        assert inner_clone.to_dict() == clone.original_exception.to_dict() == inner.to_dict()
        assert (clone.original_exception is inner_clone) is (links == 3)


@pytest.mark.parametrize("links", [3, _pickling.CHAIN_DEPTH, _pickling.CHAIN_DEPTH + 1, 100])
def test_a_chain_through_a_class_pickle_cannot_name_ends_in_a_stand_in(links: int) -> None:
    """attack10: a link of a class defined in a function ends a chain of any length."""

    class LocalError(ek.Error):
        pass

    error = clone = None
    try:
        error = ek.ConnectorError("top", provider="p", original_exception=LocalError("inner"))
        for index in range(links):
            error = ek.ConnectorError(f"e{index}", provider="p", original_exception=error)
        clone = pickle.loads(pickle.dumps(error))
        clones = _links(clone)
        assert [str(link) for link in clones[:-1]] == [str(link) for link in _links(error)[:-1]]
        assert type(clones[-1]) is Exception
        assert str(clones[-1]) == "LocalError: inner"
    finally:  # other tests walk ``Error.__subclasses__()``: leave the tree as it was
        del LocalError, error, clone
        gc.collect()


# Pickles made by earlier versions: 0.1.0 named its loader ``errorkit.exceptions._restore``;
# later ones stored ``provider`` of a connection error, now a read-only property.
OLD_PICKLES = [
    (
        "attack10: a ToolError pickled by 0.1.0",
        "gAJjZXJyb3JraXQuZXhjZXB0aW9ucwpfcmVzdG9yZQpxAGNlcnJvcmtpdC5leGNlcHRpb25zClRvb2xFcnJvcgpxAX1xAihYBwAAAG1lc3NhZ2VxA1gEAAAAYm9vbXEEWAcAAABkZXRhaWxzcQV9cQZ1TodxB1JxCC4=",
        ek.ToolError,
        "boom",
    ),
    (
        "attack10: an APIConnectionError with its provider",
        "gAJjZXJyb3JraXQuX3BpY2tsaW5nCnJlc3RvcmUKcQBjZXJyb3JraXQuZXhjZXB0aW9ucwpBUElDb25uZWN0aW9uRXJyb3IKcQF9cQIoWA4AAAByZXF1ZXN0X21ldGhvZHEDTlgLAAAAcmVxdWVzdF91cmxxBE5YCAAAAHByb3ZpZGVycQVYAQAAAHBxBlgHAAAAbWVzc2FnZXEHWBEAAABDb25uZWN0aW9uIGZhaWxlZHEIWBMAAABfb3JpZ2luYWxfZXhjZXB0aW9ucQlOdU6HcQpScQsu",
        ek.APIConnectionError,
        "Connection failed",
    ),
    (
        "attack10: an APITimeoutError with its provider",
        "gAJjZXJyb3JraXQuX3BpY2tsaW5nCnJlc3RvcmUKcQBjZXJyb3JraXQuZXhjZXB0aW9ucwpBUElUaW1lb3V0RXJyb3IKcQF9cQIoWA4AAAByZXF1ZXN0X21ldGhvZHEDTlgLAAAAcmVxdWVzdF91cmxxBE5YCAAAAHByb3ZpZGVycQVOWAcAAABtZXNzYWdlcQZYEQAAAFJlcXVlc3QgdGltZWQgb3V0cQdYEwAAAF9vcmlnaW5hbF9leGNlcHRpb25xCE51TodxCVJxCi4=",
        ek.APITimeoutError,
        "Request timed out",
    ),
]


@pytest.mark.parametrize(
    ("encoded", "cls", "message"), [row[1:] for row in OLD_PICKLES], ids=[r[0] for r in OLD_PICKLES]
)
def test_pickles_of_earlier_versions_load(encoded: str, cls: type[ek.Error], message: str) -> None:
    """An error pickled by an earlier version loads as its class, with its message."""
    import base64

    error = pickle.loads(base64.b64decode(encoded))
    assert type(error) is cls
    assert error.message == message
    assert error.to_dict()["message"] == message
    if isinstance(error, ek.APIConnectionError):
        assert error.provider == ("p" if cls is ek.APIConnectionError else None)


def test_a_long_chain_under_a_second_long_chain_pickles() -> None:
    """An error whose stored cause and ``__cause__`` are two 1,000-link chains keeps both."""
    error = ek.APIError("top", status_code=500, original_exception=_chain(1000))
    error.__cause__ = _chain(1000)
    clone = pickle.loads(pickle.dumps(error))
    assert clone.original_exception is not clone.__cause__
    assert len(_links(clone.original_exception)) == 1001
    assert len(_links(clone.__cause__)) == 1001


# --------------------------------------------------------------------------- across processes


def raise_parse_error() -> None:
    """Raise a ParseError caused by a JSON decoding failure (run in a worker)."""
    raise errorkit.ParseError("acme", original_exception=json.JSONDecodeError("bad", "{", 0))


def raise_from() -> None:
    """Raise a ServerError ``from`` a ValueError, without the keyword (run in a worker)."""
    try:
        raise ValueError("inner cause")
    except ValueError as exc:
        raise errorkit.ServerError() from exc


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_cause_survives_a_process_pool(method: str) -> None:
    """The parent sees the worker's cause, not the pool's remote traceback, fork or spawn."""
    context = multiprocessing.get_context(method)
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        with pytest.raises(errorkit.ParseError) as parse:
            pool.submit(raise_parse_error).result(timeout=60)
        with pytest.raises(errorkit.ServerError) as server:
            pool.submit(raise_from).result(timeout=60)
    assert type(parse.value.original_exception) is json.JSONDecodeError
    assert parse.value.retry_message().startswith("Your response could not be parsed because")
    assert repr(server.value.original_exception) == "ValueError('inner cause')"


def test_a_later_cause_does_not_replace_the_stored_one() -> None:
    """Overwriting ``__cause__`` (as a pool does) leaves ``original_exception`` alone."""
    cause = OSError("disk")
    error = errorkit.APIConnectionError(original_exception=cause)
    assert error.__cause__ is cause
    error.__cause__ = RuntimeError("remote traceback")
    assert error.original_exception is cause
    assert pickle.loads(pickle.dumps(error)).original_exception.args == ("disk",)


class _HandsOn(ek.APIError):
    """A subclass whose own ``__setstate__`` reads the state as a dict."""

    handed: type

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        assert state is not None
        self.__dict__.update(state)
        self.handed = type(state)


class _PassesOn(ek.APIError):
    """A subclass whose own ``__setstate__`` passes the state on to errorkit's."""

    handed: type

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        super().__setstate__(state)
        self.handed = type(state)


class _Hides(ek.ConfigError):
    """A subclass whose own ``__getstate__`` leaves a session token out.

    Not a direct subclass of ``Error``: the code catalog lists those as its families.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._session_token = "tok-session-123"

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_session_token"]
        return state


@pytest.mark.parametrize("transport", TRANSPORTS, ids=TRANSPORT_IDS)
@pytest.mark.parametrize("cls", [_HandsOn, _PassesOn])
def test_a_subclass_setstate_is_handed_a_dict(
    cls: type[_HandsOn | _PassesOn], transport: Transport
) -> None:
    """attack17: a subclass's own ``__setstate__`` gets a dict, and the error comes back whole."""
    error = cls("upstream api_key=sk-live-0123456789abcdefghijABCD", status_code=503)
    error.__cause__ = ValueError("boom")
    clone = transport(error)
    assert type(clone) is cls
    assert issubclass(clone.handed, dict)
    assert clone.to_dict() == error.to_dict()
    assert clone.args == error.args
    assert clone.original_exception is not None
    assert str(clone.original_exception) == "boom"
    if cls is _PassesOn:  # errorkit's own ``__setstate__`` puts the cause back too
        assert str(clone.__cause__) == "boom"


def test_a_long_chain_under_a_subclass_setstate_pickles_whole() -> None:
    """attack17: a flat chain's links reach errorkit's ``__setstate__`` through the subclass's."""
    error = _PassesOn("top", status_code=500, original_exception=_chain(40))
    _assert_same_chain(pickle.loads(pickle.dumps(error)), error)


def raise_handed() -> None:
    """Raise an error of a subclass with its own ``__setstate__`` (run in a worker)."""
    raise _HandsOn("upstream failed", status_code=503)


def test_a_subclass_setstate_error_crosses_a_process_pool() -> None:
    """attack17: the parent gets the subclass's error and the pool stays usable (spawn)."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        for _ in range(2):
            with pytest.raises(_HandsOn) as raised:
                pool.submit(raise_handed).result(timeout=60)
            assert raised.value.message == "upstream failed"
            assert raised.value.status_code == 503


@pytest.mark.parametrize("transport", TRANSPORTS, ids=TRANSPORT_IDS)
def test_an_attribute_a_subclass_getstate_leaves_out_stays_out(transport: Transport) -> None:
    """attack17: a subclass's own ``__getstate__`` decides which attributes travel."""
    clone = transport(_Hides("m"))
    assert "_session_token" not in vars(clone)
    assert clone.to_dict() == _Hides("m").to_dict()


@pytest.mark.parametrize("transport", TRANSPORTS, ids=TRANSPORT_IDS)
@pytest.mark.parametrize("args", [("a", "b"), (), (None,), (5,), (2, "No such file")], ids=repr)
def test_args_written_by_hand_travel_whole(args: tuple[Any, ...], transport: Transport) -> None:
    """attack17: ``args`` that are not just the message come back as they were."""
    error = ek.APIConnectionError("m")
    error.args = args
    clone = transport(error)
    assert clone.args == error.args
    assert clone.to_dict() == error.to_dict()
