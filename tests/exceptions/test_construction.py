"""How an error is built: the status registry, ``details`` on first read, slots."""

from __future__ import annotations

import gc
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest

import errorkit as ek
from errorkit import APIError, Error, RateLimitError

STATUS_TABLE = [
    (400, ek.BadRequestError),
    (422, ek.BadRequestError),
    (401, ek.AuthenticationError),
    (403, ek.PermissionDeniedError),
    (404, ek.NotFoundError),
    (409, ek.ConflictError),
    (429, ek.RateLimitError),
    (500, ek.ServerError),
    (501, ek.ServerError),
    (599, ek.ServerError),
    (402, APIError),
    (412, APIError),
    (418, APIError),
    (600, APIError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
def test_class_for_status(status: int, cls: type[APIError]) -> None:
    """The registry answers the exact status, then the 5xx range, then ``APIError``."""
    assert Error.class_for_status(status) is cls


@pytest.mark.parametrize("status", ["429", 429.0, Decimal("429"), Fraction(429)])
def test_class_for_status_reads_integral_numbers(status: object) -> None:
    """A numeric string or any integral real number is read as the status."""
    assert Error.class_for_status(status) is RateLimitError  # type: ignore[arg-type]
    assert type(ek.error_for_status(status)) is RateLimitError  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [399, 200, "abc", 429.5, True, None, Decimal("NaN")])
def test_class_for_status_rejects_non_error_statuses(status: object) -> None:
    """A status below 400 or one that is not an integral number is a ValueError."""
    with pytest.raises(ValueError, match="status"):
        Error.class_for_status(status)  # type: ignore[arg-type]


def test_a_subclass_registers_its_statuses() -> None:
    """``statuses=`` on a class statement adds the class to the registry."""

    class TeapotError(APIError, statuses=(418,)):
        code = "TEAPOT_FOR_TEST"
        status_code = 418

    try:
        assert Error.class_for_status(418) is TeapotError
        assert type(ek.error_for_status(418)) is TeapotError
    finally:  # leave the tree as it was: other tests walk APIError.__subclasses__()
        del Error._by_status[418]
        del Error._by_code["TEAPOT_FOR_TEST"]
        del TeapotError
        gc.collect()
    assert Error.class_for_status(418) is APIError
    assert all(cls.__name__ != "TeapotError" for cls in APIError.__subclasses__())


def test_mapping_and_problem_read_the_registry() -> None:
    """``http_mapping`` and ``problem`` ask the base class, so their answers agree with it."""
    for status, cls in STATUS_TABLE:
        assert ek.error_class_for_status(status) is cls
        problem = Error.from_problem_details({"status": status}) if status < 600 else None
        if problem is not None:
            assert type(problem) is cls


def test_details_is_a_snapshot_taken_on_first_read() -> None:
    """An attribute changed before ``details`` is first read shows in it; one after does not."""
    error = ek.NotFoundError(request_id="a")
    error.request_id = "b"
    assert error.details["request_id"] == "b"
    error.request_id = "c"
    assert error.details["request_id"] == "b"
    assert error.to_dict()["details"]["request_id"] == "b"


def test_details_copies_the_callers_mapping_at_construction() -> None:
    """The caller's details are copied when the error is built, not when they are read."""
    given = {"a": 1}
    error = Error("m", details=given)
    given["a"] = 2
    assert error.details == {"a": 1}


def test_details_can_be_replaced() -> None:
    """Assigning ``details`` replaces the snapshot with a copy of the new mapping."""
    error = ek.NotFoundError()
    error.details = {"x": 1}
    assert error.to_dict()["details"] == {"x": 1}


def test_a_loaded_rate_limit_error_keeps_its_fields_in_slots() -> None:
    """A fully loaded 429 stores no attribute in an instance dict (its fields are slots)."""
    error = RateLimitError(
        "Rate limit exceeded",
        retry_after=30.0,
        project_id="p",
        response_body={"error": "x"},
        request_method="POST",
        request_url="https://api.example.com/v1",
        request_params={"a": 1},
        request_body={"b": 2},
        request_id="req_1",
        provider="openai",
    )
    assert vars(error) == {}
    assert error.status_code == 429
    assert error.retryable is True
    copy = pickle.loads(pickle.dumps(error))
    assert copy.to_dict() == error.to_dict()
    assert copy.project_id == "p"
    assert copy.provider == "openai"


def test_status_and_retryable_differing_from_the_class_are_kept_per_instance() -> None:
    """A status other than the class's, or a hint, is stored on the instance itself."""
    error = ek.ServerError(status_code=501)
    assert (error.status_code, error.retryable) == (501, False)
    assert (ek.ServerError.status_code, ek.ServerError.retryable) == (500, True)
    hinted = ek.ServerError(retryable=False)
    assert (hinted.status_code, hinted.retryable) == (500, False)
    assert hinted.details["retryable"] is False


def test_connector_rate_limit_reads_its_quota_rule() -> None:
    """A connector 429 with an exhausted quota is not retryable though its class says 429."""
    assert ek.ConnectorRateLimitError("acme", 5).retryable is True
    assert ek.ConnectorRateLimitError("acme", 5, quota_exhausted=True).retryable is False


def test_a_repeated_rate_limit_message_is_the_same_text() -> None:
    """The delay sentence is appended the same way whether or not the text was seen before."""
    first = RateLimitError("Slow down.", retry_after=2.0)
    second = RateLimitError("Slow down.", retry_after=2.0)
    assert first.message == second.message == "Slow down. Retry after 2 seconds."
    assert RateLimitError("Slow down", retry_after=1.5).message == (
        "Slow down. Retry after 1.5 seconds."
    )
    assert RateLimitError("x", retry_after=float("nan")).message == "x"


def test_a_subclass_with_a_fixed_code_rejects_code_through_context() -> None:
    """``code=`` reaches none of the classes that fix their code, whichever path it takes."""
    for build in (
        lambda: ek.NotFoundError(code="X"),  # type: ignore[call-arg]
        lambda: RateLimitError(code="X"),  # type: ignore[call-arg]
        lambda: ek.ProviderError("p", 500, code="X"),  # type: ignore[call-arg]
    ):
        with pytest.raises(TypeError, match="'code'"):
            build()
