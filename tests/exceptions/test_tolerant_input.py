"""Odd constructor input: each odd-but-harmless value a constructor tolerates, pinned.

errorkit never fails its caller's failure: a None name, a numeric string where a number is
expected, any iterable where a list is, any container for details, a cause that is not an
exception, an unprintable or huge value in a canonical classmethod. Each gives a readable
error whose ``to_dict()`` dumps as strict JSON.

Last, a walk: every class, every keyword its constructor takes (the ``HTTPContext`` or
``RequestContext`` keywords where it collects ``**context``), every hostile value.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import json
import pickle
import traceback
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pytest

from errorkit import exceptions as ek
from tests.samples import all_error_classes

if TYPE_CHECKING:
    from collections.abc import Callable


def _json(error: ek.Error) -> str:
    return json.dumps(error.to_dict(), allow_nan=False)


def test_none_name_is_kept() -> None:
    """A None account name gives a readable message instead of a crash."""
    error = ek.AccountNotFoundError(None)  # type: ignore[arg-type]
    assert str(error) == "Account 'None' not found. No accounts configured."
    assert error.details == {"account_name": None, "available_accounts": []}
    _json(error)


@pytest.mark.parametrize(
    ("error", "attribute", "expected"),
    [
        (ek.AccountNotFoundError("a", ("x", "y")), "available_accounts", ["x", "y"]),
        (ek.AccountInUseError("a", ("t1",)), "referenced_by", ["t1"]),
        (ek.ProjectNotFoundError("1", (p for p in ("2", "3"))), "available_projects", ["2", "3"]),
        (ek.AccountNotFoundError("a", "solo"), "available_accounts", ["solo"]),
    ],
)
def test_any_iterable_where_a_list_is_expected(
    error: ek.Error, attribute: str, expected: Any
) -> None:
    """Tuples, generators and a lone string are accepted where a list is expected."""
    assert getattr(error, attribute) == expected
    assert error.details[attribute] == expected


@pytest.mark.parametrize(
    "value",
    [b"xy", bytearray(b"xy"), memoryview(b"xy")],
    ids=["bytes", "attack10: bytearray", "attack10: memoryview"],
)
def test_binary_data_where_a_list_is_expected_is_one_item(value: Any) -> None:
    """``bytes``, ``bytearray`` and ``memoryview`` are one item, not a list of byte values."""
    error = ek.AccountNotFoundError("a", value)
    assert error.available_accounts == [value]
    assert error.to_dict()["details"]["available_accounts"] == ["xy"]


def test_attempts_as_lists_become_tuples() -> None:
    """Region-probe attempts given as lists are kept as tuples."""
    error = ek.RegionProbeError("m", attempts=[["us", 401, "no"]])  # type: ignore[list-item]
    assert error.attempts == [("us", 401, "no")]
    assert error.to_dict()["attempts"] == [["us", 401, "no"]]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ek.APIError("m", status_code="503"), 503),  # type: ignore[arg-type]
        (ek.BadRequestError(status_code="422"), 422),  # type: ignore[arg-type]
        (ek.ProviderError("p", "503"), 503),  # type: ignore[arg-type]
        (ek.ServerError(status_code=502.0), 502),  # type: ignore[arg-type]
    ],
)
def test_numeric_status_is_converted(error: ek.APIError, status: int) -> None:
    """A numeric string or whole float status becomes an int."""
    assert error.status_code == status
    assert error.details["status_code"] == status


def test_an_int_subclass_status_is_judged_by_its_int_value() -> None:
    """A status whose own comparisons raise is kept as given and judged by its int value."""
    status = _UncomparableInt(503)
    error = ek.APIError("m", status_code=status)
    assert error.status_code is status
    assert error.retryable is True
    provider = ek.ProviderError("acme", _UncomparableInt(503))
    assert provider.retryable is True
    assert "server error (HTTP 503)" in provider.message


@pytest.mark.parametrize("status", ["nan", "inf", "9" * 5000, "429.5"])
def test_a_number_that_is_no_status_is_kept_as_given(status: str) -> None:
    """attack17: text that reads as a number but not a whole one is kept, not made a float."""
    error = ek.APIError("m", status_code=status)  # type: ignore[arg-type]
    kept: object = error.status_code
    assert kept == status
    assert error.retryable is False
    _json(error)


def test_numeric_string_status_drives_provider_error() -> None:
    """A converted status still picks ProviderError's message and retryability."""
    error = ek.ProviderError("p", "503")  # type: ignore[arg-type]
    assert error.retryable is True
    assert "server error (HTTP 503)" in str(error)


def test_non_numeric_status_is_kept_as_given() -> None:
    """A status that is not a number is kept, and the error still serializes."""
    error = ek.APIError("m", status_code="teapot")  # type: ignore[arg-type]
    status: object = error.status_code
    assert status == "teapot"
    assert ek.ProviderError("p", "teapot").retryable is False  # type: ignore[arg-type]
    _json(error)


@pytest.mark.parametrize(
    ("retry_after", "expected", "suffix"),
    [
        ("30", 30.0, "Retry after 30 seconds."),
        ("1.5", 1.5, "Retry after 1.5 seconds."),
        ("soon", None, None),
        (-1, None, None),
        (float("nan"), None, None),
    ],
)
def test_rate_limit_retry_after_is_read_tolerantly(
    retry_after: Any, expected: float | None, suffix: str | None
) -> None:
    """Numeric strings are converted; anything unusable is an unknown delay (None)."""
    error = ek.RateLimitError(retry_after=retry_after)
    assert error.retry_after == expected
    if suffix is None:
        assert str(error) == "Rate limit exceeded"
    else:
        assert str(error).endswith(suffix)


def test_connector_retry_after_numeric_string() -> None:
    """A connector's retry_after given as text is converted to a float."""
    assert ek.ConnectorRateLimitError("p", "12.5").retry_after == 12.5  # type: ignore[arg-type]
    assert ek.ConnectorRateLimitError("p", "later").retry_after == 0.0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ([("a", 1)], {"a": 1}),
        (["x", "y"], {"value": ["x", "y"]}),
        ("text", {"value": "text"}),
        (42, {"value": 42}),
        ((("k", "v"),), {"k": "v"}),
    ],
)
def test_details_in_any_container(details: Any, expected: dict[str, Any]) -> None:
    """Details given as pairs become a dict; anything else is kept under ``value``."""
    error = ek.Error("m", details=details)
    assert error.details == expected
    _json(error)


def test_query_params_as_pairs() -> None:
    """EmptyDataError accepts query parameters as a list of pairs."""
    error = ek.EmptyDataError("p", query_params=[("series", "X")])  # type: ignore[arg-type]
    assert error.query_params == {"series": "X"}


def test_non_str_message_is_stringified() -> None:
    """A non-str message becomes its str, so ``str(error)`` is always a str."""
    error = ek.Error(42)  # type: ignore[arg-type]
    assert str(error) == "42"
    assert error.args == ("42",)


def test_non_exception_cause_is_wrapped() -> None:
    """An ``original_exception`` that is not an exception is wrapped in one, not rejected."""
    error = ek.ServerError(original_exception="upstream said no")  # type: ignore[arg-type]
    assert isinstance(error.original_exception, Exception)
    assert str(error.original_exception) == "upstream said no"


def test_non_json_context_values() -> None:
    """Dates, bytes and sets in the context serialize in their documented JSON forms."""
    error = ek.BadRequestError(
        response_body=b"\xffbad",
        request_params={"since": datetime.date(2026, 11, 21), "ids": {3, 1, 2}},
    )
    details = error.to_dict()["details"]
    assert details["response_body"] == "\\xffbad"
    assert details["request_params"] == {"since": "2026-11-21", "ids": [1, 2, 3]}
    assert error.request_params is not None
    assert error.request_params["ids"] == {1, 2, 3}


class _Unprintable:
    """An object whose ``str()`` and ``repr()`` both raise."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@pytest.mark.parametrize("seconds", [Decimal("30"), Fraction(30, 1), "30", 30, 30.0])
def test_real_numbers_are_read_as_seconds(seconds: Any) -> None:
    """A Decimal or Fraction ``retry_after`` is 30 seconds, not 0."""
    error = ek.ConnectorRateLimitError("acme", seconds)
    assert error.retry_after == 30.0
    assert "retry after 30s" in str(error)


def test_a_string_attempt_is_one_item() -> None:
    """A bare string where an attempt tuple is expected is kept whole, not split into letters."""
    attempts: Any = ["us-east"]
    error = ek.RegionProbeError("probe failed", attempts=attempts)
    assert list(error.attempts) == attempts
    assert list(error.to_dict()["attempts"]) == attempts


NUMBER_ROWS: list[tuple[str, Callable[[], ek.Error], str, object]] = [
    (
        "attack8: a numeric string length",
        lambda: ek.BusinessContextValidationError.for_length("60000"),  # type: ignore[arg-type]
        "length",
        60000,
    ),
    (
        "attack8: a Decimal length",
        lambda: ek.BusinessContextValidationError.for_length(Decimal(60000)),  # type: ignore[arg-type]
        "length",
        60000,
    ),
    (
        "attack8: a numeric string retention",
        lambda: ek.ReplayNotFoundError.for_replay("r", "30", "https://cdn/"),  # type: ignore[arg-type]
        "retention_days",
        30,
    ),
    (
        "attack8: a numeric string signing time",
        lambda: ek.SignedURLExpiredError.for_replay("r", "1.5", 2.0),  # type: ignore[arg-type]
        "signed_at",
        1.5,
    ),
    (
        "attack8: a Fraction expiry time",
        lambda: ek.SignedURLExpiredError.for_replay("r", 1.0, Fraction(5, 2)),  # type: ignore[arg-type]
        "expired_at",
        2.5,
    ),
]


@pytest.mark.parametrize(
    ("build", "key", "number"),
    [row[1:] for row in NUMBER_ROWS],
    ids=[row[0] for row in NUMBER_ROWS],
)
def test_canonical_classmethods_read_numbers_however_written(
    build: Callable[[], ek.Error], key: str, number: object
) -> None:
    """A numeric string or another real number where a number is expected is that number."""
    error = build()
    assert error.details[key] == number
    assert type(error.details[key]) is type(number)
    assert error.to_dict()["details"][key] == number


def test_attack8_an_attempt_status_written_as_text_is_a_number() -> None:
    """A probe attempt's status given as a numeric string is an int, in ``attempts`` and JSON."""
    attempts: Any = [("us", "401", "denied"), ("eu", Decimal(0), "offline")]
    error = ek.RegionProbeError("probe failed", attempts=attempts)
    assert error.attempts == [("us", 401, "denied"), ("eu", 0, "offline")]
    assert error.to_dict()["attempts"] == [["us", 401, "denied"], ["eu", 0, "offline"]]


HUGE = 10**5000


@pytest.mark.parametrize(
    "build",
    [
        lambda: ek.SessionReplayAccessError.for_project(_Unprintable()),  # type: ignore[arg-type]
        lambda: ek.SessionReplayAccessError.for_project(HUGE),
        lambda: ek.SignedURLExpiredError.for_replay(_Unprintable(), 1.0, 2.0),  # type: ignore[arg-type]
        lambda: ek.ReplayNotFoundError.for_replay("r1", HUGE, "https://cdn/"),
        lambda: ek.BusinessContextValidationError.for_length(HUGE),
        lambda: ek.BusinessContextValidationError.for_length(_Unprintable()),  # type: ignore[arg-type]
    ],
    ids=[
        "project unprintable",
        "project huge int",
        "replay unprintable",
        "retention huge int",
        "length huge int",
        "length unprintable",
    ],
)
def test_canonical_classmethods_never_raise(build: Callable[[], ek.Error]) -> None:
    """Odd values in the canonical classmethods give a faithful error, not a crash."""
    error = build()
    json.dumps(error.to_dict(), allow_nan=False)
    assert str(error)


# --- every class, every parameter, every hostile value ---------------------------------

PLANTED = "hunter2"
"""The secret each hostile value carries where it has any text."""


class _Incomparable:
    """A base whose ``==``, ``!=`` and ``hash()`` raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no eq")

    def __ne__(self, other: object) -> bool:
        raise RuntimeError("no ne")

    def __hash__(self) -> int:
        raise RuntimeError("no hash")


class _Uncomparable(_Incomparable):
    """An object whose ``==``, ``!=`` and ``hash()`` raise; its repr holds a secret."""

    def __repr__(self) -> str:
        return f"password={PLANTED}"


class _Untruthful:
    """An object whose truth cannot be read; its repr holds a secret."""

    def __bool__(self) -> bool:
        raise RuntimeError("no bool")

    def __repr__(self) -> str:
        return f"password={PLANTED}"


class _Uniterable:
    """An object whose ``__iter__`` raises; its repr holds a secret."""

    def __iter__(self) -> Any:
        raise RuntimeError("no iter")

    def __repr__(self) -> str:
        return f"password={PLANTED}"


class _UncomparableInt(int):
    """An int whose comparisons raise (so it has no hash either), as a status or a count."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no eq")

    def __ne__(self, other: object) -> bool:
        raise RuntimeError("no ne")

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("no lt")

    def __le__(self, other: object) -> bool:
        raise RuntimeError("no le")

    def __gt__(self, other: object) -> bool:
        raise RuntimeError("no gt")

    def __ge__(self, other: object) -> bool:
        raise RuntimeError("no ge")

    __hash__ = None  # type: ignore[assignment]


class _HostileDict(dict[str, Any]):
    """A dict holding a secret whose length, keys, items, values and iteration raise."""

    def __len__(self) -> int:
        raise RuntimeError("no len")

    def __iter__(self) -> Any:
        raise RuntimeError("no iter")

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("no getitem")

    def keys(self) -> Any:
        raise RuntimeError("no keys")

    def items(self) -> Any:
        raise RuntimeError("no items")

    def values(self) -> Any:
        raise RuntimeError("no values")


class _HostileMapping(Mapping[str, Any]):
    """A mapping (not a dict) whose every method raises; its repr holds a secret."""

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("no getitem")

    def __iter__(self) -> Any:
        raise RuntimeError("no iter")

    def __len__(self) -> int:
        raise RuntimeError("no len")

    def __repr__(self) -> str:
        return f"password={PLANTED}"


class _HostileList(list[Any]):
    """A list holding a secret whose length, iteration and indexing raise."""

    def __len__(self) -> int:
        raise RuntimeError("no len")

    def __iter__(self) -> Any:
        raise RuntimeError("no iter")

    def __getitem__(self, index: Any) -> Any:
        raise RuntimeError("no getitem")


class _HostileStr(_Incomparable, str):
    """A text holding a secret whose repr, comparisons, hash, format, strip and lower raise.

    ``int()`` of a text that is not a number builds its error message with ``repr``, so a
    constructor that reads it as a number must read its plain text instead.
    """

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")

    def strip(self, chars: str | None = None) -> str:
        raise RuntimeError("no strip")

    def lower(self) -> str:
        raise RuntimeError("no lower")


HOSTILE: dict[str, Callable[[], object]] = {
    "unprintable": _Unprintable,
    "uncomparable": _Uncomparable,
    "uncomparable int": lambda: _UncomparableInt(503),
    "untruthful": _Untruthful,
    "uniterable": _Uniterable,
    "hostile dict": lambda: _HostileDict(password=PLANTED),
    "hostile mapping": _HostileMapping,
    "hostile list": lambda: _HostileList([f"password={PLANTED}"]),
    "5001-digit int": lambda: 10**5000,
    "NaN": lambda: float("nan"),
    "Decimal NaN": lambda: Decimal("NaN"),
    "Decimal sNaN": lambda: Decimal("sNaN"),
    "bytes": lambda: f"password={PLANTED}".encode(),
    "object": object,
    "hostile str": lambda: _HostileStr(f"password={PLANTED}"),
}
"""Each hostile value, built fresh for each case."""

_VALID = {
    "message": "m",
    "status_code": 500,
    "provider": "acme",
    "retry_after": 1.0,
    "violation": "mutually_exclusive",
    "attempts": [],
    "account_name": "a",
    "project_id": "1",
    "provider_id": "acme",
    "env_var": "ACME_KEY",
    "model_id": "m-1",
    "raw_error": "SyntaxError: x",
    "tool_exception": "boom",
    "tool_name": "search",
    "feature": "streaming",
}
"""A valid value for each required parameter, so one call changes one parameter only."""


def _signature(cls: type[ek.Error]) -> tuple[list[str], dict[str, object]]:
    """Every keyword ``cls``'s constructor takes, in order, and its required arguments."""
    names: list[str] = []
    required: dict[str, object] = {}
    for name, parameter in list(inspect.signature(cls.__init__).parameters.items())[1:]:
        if parameter.kind is parameter.VAR_KEYWORD:
            context = ek.HTTPContext if "HTTPContext" in str(parameter.annotation) else None
            names += (context or ek.RequestContext).__annotations__
        else:
            names.append(name)
            if parameter.default is parameter.empty:
                required[name] = _VALID[name]
    return names, required


_CASES = [
    (cls, name, value)
    for cls in all_error_classes()
    for name in _signature(cls)[0]
    for value in HOSTILE
]


def _rejects(cls: type[ek.Error], parameter: str, value: str) -> bool:
    """Tell whether a documented ValueError rejects this hostile value in this parameter."""
    if issubclass(cls, ek.InvalidArgumentError) and parameter == "violation":
        return True  # only the three documented violations are accepted
    return (  # more than a day: an epoch timestamp, not a duration
        issubclass(cls, ek.ConnectorRateLimitError)
        and parameter == "retry_after"
        and value == "5001-digit int"
    )


@pytest.mark.parametrize(
    ("cls", "parameter", "value"),
    _CASES,
    ids=[f"{cls.__name__}-{name}-{value}" for cls, name, value in _CASES],
)
def test_every_parameter_takes_every_hostile_value(
    cls: type[ek.Error], parameter: str, value: str
) -> None:
    """A hostile value in any parameter gives an error whose every surface works, secret-free."""
    arguments: dict[str, Any] = {**_signature(cls)[1], parameter: HOSTILE[value]()}
    if _rejects(cls, parameter, value):
        with pytest.raises(ValueError, match=r"violation|86400 seconds") as raised:
            cls(**arguments)
        assert PLANTED not in str(raised.value)
        return
    error = cls(**arguments)
    payload = json.dumps(error.to_dict(), allow_nan=False)
    assert error.to_json() == payload
    try:
        raise error
    except ek.Error as raised_error:
        shown = "".join(traceback.format_exception(raised_error))
    clones = [pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL)), copy.deepcopy(error)]
    for clone in clones:
        assert type(clone) is cls
        assert clone.to_dict() == error.to_dict()
    for text in (str(error), repr(error), payload, shown, *map(repr, clones)):
        assert PLANTED not in text


def test_a_listed_violation_in_a_hostile_str_is_accepted() -> None:
    """A ``str`` subclass holding a listed violation is read by its text, past its ``==``."""
    error = ek.InvalidArgumentError("m", violation=_HostileStr("mutually_exclusive"))  # type: ignore[arg-type]
    assert error.to_dict()["details"] == {"violation": "mutually_exclusive"}
