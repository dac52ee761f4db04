"""Which HTTP failures are retryable, and what the server's own hints change: the full tables.

The rule: an ``APIError`` with status 408, 425, 429 or a 5xx other than 501 is retryable,
whichever class carries it; a server's ``x-should-retry`` / ``stripe-should-retry`` header
(``true`` or ``false``, any case) wins over the rule; ``Retry-After`` (and its relatives) is
read for every status.
"""

from __future__ import annotations

import pickle

import pytest

import errorkit
from errorkit import exceptions as ek

ERROR_STATUSES = range(400, 600)
TRANSIENT = {408, 425, 429} | (set(range(500, 600)) - {501})


def _transient(status: int) -> bool:
    """The contract's rule, spelled out independently of the code under test."""
    return status in (408, 425, 429) or (500 <= status <= 599 and status != 501)


def test_error_for_status_retryable_follows_the_status() -> None:
    """Every status 400–599 is retryable exactly when it is 408, 425, 429 or a 5xx but 501."""
    verdicts = {status: errorkit.error_for_status(status) for status in ERROR_STATUSES}
    assert {s for s, error in verdicts.items() if error.retryable is True} == TRANSIENT
    assert all(error.retryable is False for s, error in verdicts.items() if s not in TRANSIENT)
    assert all(_transient(status) is (status in TRANSIENT) for status in ERROR_STATUSES)
    assert not any("retryable" in error.details for error in verdicts.values())  # no hint


@pytest.mark.parametrize("status", [408, 425, 429, 500, 501, 502, 503, 504, 599, 400, 418])
def test_one_rule_for_every_class(status: int) -> None:
    """APIError, ServerError and ProviderError agree on every status (501 included)."""
    expected = status in TRANSIENT
    assert ek.APIError("m", status_code=status).retryable is expected
    assert ek.ProviderError("p", status).retryable is expected
    if status >= 500:
        assert ek.ServerError(status_code=status).retryable is expected


@pytest.mark.parametrize(
    ("headers", "verdict"),
    [
        pytest.param({"x-should-retry": "true"}, True, id="x-true"),
        pytest.param({"x-should-retry": "false"}, False, id="x-false"),
        pytest.param({"X-Should-Retry": "TRUE"}, True, id="x-TRUE"),
        pytest.param({"X-SHOULD-RETRY": " False "}, False, id="x-False-spaced"),
        pytest.param({"stripe-should-retry": "true"}, True, id="stripe-true"),
        pytest.param({"Stripe-Should-Retry": "false"}, False, id="stripe-false"),
        pytest.param(
            {"x-should-retry": "false", "stripe-should-retry": "true"}, False, id="x-first"
        ),
        pytest.param({"x-should-retry": "maybe", "stripe-should-retry": "true"}, True, id="skip"),
    ],
)
def test_server_hint_wins_for_every_status(headers: dict[str, str], verdict: bool) -> None:
    """A true/false retry header decides ``retryable`` for any status and is kept in details."""
    for status in ERROR_STATUSES:
        error = errorkit.error_for_status(status, headers=headers)
        assert (status, error.retryable) == (status, verdict)
        assert (status, error.details["retryable"]) == (status, verdict)


@pytest.mark.parametrize("value", ["", "yes", "1", "0", "no", "truth", "true false"])
def test_other_hint_values_are_ignored(value: str) -> None:
    """A retry header that is not ``true`` or ``false`` leaves the status rule in charge."""
    for status in (429, 503, 400):
        error = errorkit.error_for_status(status, headers={"x-should-retry": value})
        assert error.retryable is _transient(status)
        assert "retryable" not in error.details


def test_retry_after_is_read_for_every_status() -> None:
    """``Retry-After`` is read whatever the status: a 503 or a 413 carries its delay too."""
    for status in ERROR_STATUSES:
        error = errorkit.error_for_status(status, headers={"Retry-After": "7"})
        assert (status, error.retry_after, error.details["retry_after"]) == (status, 7.0, 7.0)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"RateLimit-Reset": "12"}, 12.0),
        ({"Retry-After": "junk", "retry-after-ms": "250"}, 0.25),
        ({}, None),
        ({"Retry-After": "-5"}, None),
    ],
)
def test_retry_after_headers_on_a_503(headers: dict[str, str], seconds: float | None) -> None:
    """A 503 reads every retry header the way a 429 does, and none means None."""
    error = errorkit.error_for_status(503, headers=headers)
    assert error.retry_after == seconds
    assert ("retry_after" in error.details) is (seconds is not None)


def test_retry_after_does_not_make_a_status_retryable() -> None:
    """A delay alone does not change the verdict: a 413 with ``Retry-After`` stays not retryable."""
    error = errorkit.error_for_status(413, headers={"Retry-After": "30"})
    assert (error.retry_after, error.retryable) == (30.0, False)


def test_details_order_http_keys_then_hints() -> None:
    """The details list the HTTP keys, then ``retry_after``, then ``retryable``."""
    error = errorkit.error_for_status(
        503,
        headers={"x-request-id": "req_1", "Retry-After": "3", "x-should-retry": "false"},
        request_method="GET",
        provider="acme",
    )
    assert list(error.details.items()) == [
        ("status_code", 503),
        ("request_method", "GET"),
        ("request_id", "req_1"),
        ("provider", "acme"),
        ("retry_after", 3.0),
        ("retryable", False),
    ]


@pytest.mark.parametrize("hint", [True, False])
def test_hint_survives_pickle_and_from_dict(hint: bool) -> None:
    """The hint travels through pickle and a ``to_dict()`` / ``from_dict`` round trip."""
    error = errorkit.error_for_status(
        503 if not hint else 404, headers={"x-should-retry": str(hint), "Retry-After": "2"}
    )
    for clone in (pickle.loads(pickle.dumps(error)), ek.Error.from_dict(error.to_dict())):
        assert type(clone) is type(error)
        assert clone.retryable is hint
        assert isinstance(clone, ek.APIError)
        assert clone.retry_after == 2.0
        assert clone.to_dict() == error.to_dict()


@pytest.mark.parametrize("status", [408, 425, 429, 500, 501, 503, 400, 404])
def test_rule_survives_from_dict_without_a_hint(status: int) -> None:
    """Without a hint, a rebuilt error recomputes ``retryable`` from its status."""
    error = errorkit.error_for_status(status)
    assert ek.Error.from_dict(error.to_dict()).retryable is error.retryable


def test_class_level_retryable_matches_the_class_status() -> None:
    """Each HTTP class's ``retryable`` class attribute is the rule applied to its own status."""
    not_retryable: list[type[ek.APIError]] = [
        ek.BadRequestError,
        ek.NotFoundError,
        ek.ConflictError,
        ek.JQLSyntaxError,
    ]
    assert all(cls.retryable is False for cls in not_retryable)
    retryable: list[type[ek.APIError]] = [ek.RateLimitError, ek.ServerError, ek.SessionReplayError]
    assert all(cls.retryable is True for cls in retryable)
    assert ek.SessionReplayAccessError.retryable is False
    assert ek.PaymentRequiredError.retryable is False


def test_quota_exhausted_connector_rate_limit_is_not_retryable() -> None:
    """A connector's exhausted quota is not retryable, though it is a 429."""
    error = ek.ConnectorRateLimitError("p", 30, quota_exhausted=True)
    assert error.status_code == 429
    assert error.retryable is False
    assert ek.Error.from_dict(error.to_dict()).retryable is False
