"""``Error.from_dict``: an error crosses a boundary as JSON and is caught by type again."""

from __future__ import annotations

import gc
import json
from typing import TYPE_CHECKING, Any

import pytest

import errorkit
from errorkit import exceptions as ek
from tests.samples import all_error_classes, sample

if TYPE_CHECKING:
    from collections.abc import Callable

CLASSES = all_error_classes()


@pytest.mark.parametrize("cls", CLASSES, ids=[cls.__name__ for cls in CLASSES])
@pytest.mark.parametrize("via_json", [False, True], ids=["dict", "json"])
def test_round_trip_keeps_type_and_payload(cls: type[ek.Error], via_json: bool) -> None:
    """``from_dict(e.to_dict())`` has e's type and the same ``to_dict()``, also through JSON."""
    payload = sample(cls).to_dict()
    if via_json:
        payload = json.loads(json.dumps(payload))
    rebuilt = ek.Error.from_dict(payload)
    assert type(rebuilt) is cls
    assert rebuilt.to_dict() == payload
    assert str(rebuilt) == payload["message"]
    assert rebuilt.args == (payload["message"],)


def test_documented_attributes_are_restored() -> None:
    """The attributes kept in details come back: statuses, retry delays, providers, lists."""
    rate = ek.Error.from_dict(ek.RateLimitError(retry_after=30, project_id="7").to_dict())
    assert isinstance(rate, ek.RateLimitError)
    assert (rate.retry_after, rate.project_id, rate.status_code) == (30.0, "7", 429)
    assert rate.rate_limit_form_url.endswith("entry.1636741534=7")

    quota = ek.Error.from_dict(
        ek.ConnectorRateLimitError("fred", 5, quota_exhausted=True).to_dict()
    )
    assert isinstance(quota, ek.ConnectorRateLimitError)
    assert (quota.provider, quota.retry_after, quota.quota_exhausted) == ("fred", 5.0, True)
    assert quota.retryable is False

    upstream = ek.Error.from_dict(ek.ProviderError("fmp", 503).to_dict())
    assert isinstance(upstream, ek.ProviderError)
    assert (upstream.provider, upstream.status_code, upstream.retryable) == ("fmp", 503, True)

    account = ek.Error.from_dict(ek.AccountNotFoundError("x", ["a", "b"]).to_dict())
    assert isinstance(account, ek.AccountNotFoundError)
    assert (account.account_name, account.available_accounts) == ("x", ["a", "b"])

    probe = ek.Error.from_dict(ek.RegionProbeError("m", attempts=[("us", 401, "no")]).to_dict())
    assert isinstance(probe, ek.RegionProbeError)
    assert probe.attempts == [("us", 401, "no")]

    tool = ek.Error.from_dict(ek.ToolExecutionError(KeyError("k")).to_dict())
    assert isinstance(tool, ek.ToolExecutionError)
    assert tool.tool_exception_type == "KeyError"
    assert str(tool.tool_exception) == "KeyError: 'k'"

    timeout = ek.Error.from_dict(ek.APITimeoutError(request_method="GET").to_dict())
    assert isinstance(timeout, ek.APITimeoutError)
    assert isinstance(timeout, TimeoutError)
    assert timeout.request_method == "GET"


def test_absent_optional_fields_read_as_none() -> None:
    """Optional attributes missing from the payload read as None rather than failing."""
    rebuilt = ek.Error.from_dict({"code": "RATE_LIMITED", "message": "slow down", "details": {}})
    assert isinstance(rebuilt, ek.RateLimitError)
    assert rebuilt.retry_after is None
    assert rebuilt.provider is None
    assert rebuilt.request_url is None


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("OAUTH_TOKEN_ERROR", ek.OAuthError),
        ("OAUTH_REFRESH_ERROR", ek.OAuthError),
        ("OAUTH_REFRESH_REVOKED", ek.OAuthError),
        ("OAUTH_REGISTRATION_ERROR", ek.OAuthError),
        ("OAUTH_TIMEOUT", ek.OAuthError),
        ("OAUTH_PORT_ERROR", ek.OAuthError),
        ("OAUTH_BROWSER_ERROR", ek.OAuthError),
        ("OAUTH_REGION_PROBE_FAILED", ek.RegionProbeError),
        ("OAUTH_NETWORK_UNREACHABLE", ek.RegionProbeNetworkError),
        ("NO_WORKSPACES", ek.WorkspaceScopeError),
        ("AMBIGUOUS_WORKSPACE", ek.WorkspaceScopeError),
        ("WORKSPACE_NOT_FOUND", ek.WorkspaceScopeError),
        ("ORGANIZATION_AMBIGUOUS", ek.WorkspaceScopeError),
    ],
)
def test_alternative_codes_pick_their_class(code: str, cls: type[ek.Error]) -> None:
    """The documented alternative codes rebuild the class that owns them, keeping the code."""
    rebuilt = ek.Error.from_dict({"code": code, "message": "m", "details": {}})
    assert type(rebuilt) is cls
    assert rebuilt.code == code


def test_unknown_code_gives_base_error_keeping_it() -> None:
    """An unknown code rebuilds a plain ``Error`` that keeps the code."""
    payload = {"code": "SOMETHING_NEW", "message": "from a newer server", "details": {"a": 1}}
    rebuilt = ek.Error.from_dict(payload)
    assert type(rebuilt) is ek.Error
    assert rebuilt.to_dict() == payload


def test_attack8_a_region_probe_with_its_own_code_rebuilds_as_one() -> None:
    """A payload with top-level ``attempts`` and an unlisted code is a ``RegionProbeError``.

    It came back as a plain ``Error``, whose ``to_dict()`` lacks ``attempts``.
    """
    error = ek.RegionProbeError(
        "no region", attempts=[("us", 401, "denied")], code="OAUTH_REGION_PROBE_TIMEOUT"
    )
    payload = error.to_dict()
    for base in (ek.Error, ek.OAuthError, ek.RegionProbeError):
        rebuilt = base.from_dict(payload)
        assert type(rebuilt) is ek.RegionProbeError
        assert rebuilt.to_dict() == payload
        assert rebuilt.attempts == [("us", 401, "denied")]
    assert type(ek.ToolError.from_dict({**payload, "code": "TOOL_NEW"})) is ek.ToolError


@pytest.mark.parametrize(
    ("stored", "listed"),
    [(None, []), (5, [5]), ("abc", ["abc"]), ([["us", 401, "no"]], [["us", 401, "no"]])],
    ids=["attack10: None", "attack10: a number", "attack10: a string", "a list of attempts"],
)
def test_attack10_region_probe_attempts_not_a_list_serialize(stored: Any, listed: Any) -> None:
    """Whatever ``details["attempts"]`` holds, ``to_dict()`` lists it and never raises."""
    error = ek.RegionProbeError("m", attempts=[("us", 0, "x")])
    error.details["attempts"] = stored
    out = error.to_dict()
    assert out["attempts"] == listed
    assert error.to_json() == json.dumps(out, allow_nan=False)
    rebuilt = ek.Error.from_dict(
        {"code": "OAUTH_REGION_PROBE_FAILED", "message": "m", "details": {"attempts": stored}}
    )
    assert isinstance(rebuilt, ek.RegionProbeError)
    assert rebuilt.to_dict()["attempts"] == listed


FIELD_KEY_ROWS: list[tuple[str, Callable[[], ek.Error], str, object]] = [
    (
        "attack8: a caller's retryable key is the hint",
        lambda: ek.ServerError(details={"retryable": False}),
        "retryable",
        False,
    ),
    (
        "attack8: a caller's retry_after key is the delay",
        lambda: ek.NotFoundError(details={"retry_after": 5}),
        "retry_after",
        5.0,
    ),
    (
        "attack8: a caller's provider key is the provider",
        lambda: ek.APIError("m", status_code=500, details={"provider": "other"}),
        "provider",
        "other",
    ),
    (
        "attack8: a caller's project_id key is the project",
        lambda: ek.RateLimitError(details={"project_id": "p1"}),
        "project_id",
        "p1",
    ),
]


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [row[1:] for row in FIELD_KEY_ROWS],
    ids=[row[0] for row in FIELD_KEY_ROWS],
)
def test_a_details_key_naming_a_field_left_out_stands_for_it(
    build: Callable[[], ek.Error], field: str, value: object
) -> None:
    """The error built and the one ``from_dict`` rebuilds read the same field from that key.

    ``details`` lists the caller's key where the field would stand; the error rebuilt read
    it as the field while the error built did not (``retryable`` True, then False).
    """
    error = build()
    assert getattr(error, field) == value
    payload = error.to_dict()
    assert payload["details"][field] == value
    rebuilt = ek.Error.from_dict(payload)
    assert getattr(rebuilt, field) == value
    assert rebuilt.retryable is error.retryable
    assert rebuilt.to_dict() == payload


def test_a_delay_named_in_details_is_said_in_the_message() -> None:
    """A rate limit's delay read from the caller's details ends its message, as a keyword's does."""
    error = ek.RateLimitError(details={"retry_after": 5})
    assert str(error) == "Rate limit exceeded. Retry after 5 seconds."
    kept = ek.RateLimitError(retry_after=7, details={"retry_after": 5})  # the keyword wins
    assert (kept.retry_after, kept.details["retry_after"]) == (7.0, 7.0)


def test_from_dict_on_a_subclass() -> None:
    """On a subclass, a matching payload builds that class; a foreign code is a ValueError."""
    payload = ek.ServerError(status_code=502).to_dict()
    assert type(ek.APIError.from_dict(payload)) is ek.ServerError
    with pytest.raises(ValueError, match="belongs to ServerError, which is not a ConfigError"):
        ek.ConfigError.from_dict(payload)
    unknown = ek.APIError.from_dict({"code": "TEAPOT", "message": "m", "details": {}})
    assert type(unknown) is ek.APIError
    assert unknown.code == "TEAPOT"


def test_a_subclass_sharing_its_parents_code_rebuilds_itself() -> None:
    """``Sub.from_dict`` gives a ``Sub`` when the payload's code is that of a class above it."""

    class MyNotFoundError(ek.NotFoundError):
        pass

    error = rebuilt = None
    try:
        error = MyNotFoundError("no such user", request_id="r1")
        rebuilt = MyNotFoundError.from_dict(error.to_dict())
        assert type(rebuilt) is MyNotFoundError
        assert rebuilt.to_dict() == error.to_dict()
        assert rebuilt.request_id == "r1"
        assert type(ek.Error.from_dict(error.to_dict())) is ek.NotFoundError  # the code's class
    finally:  # other tests walk ``Error.__subclasses__()``: leave the tree as it was
        del MyNotFoundError, error, rebuilt
        gc.collect()
    probe = ek.RegionProbeError("m", attempts=[("us", 0, "x")], code="OAUTH_TOKEN_ERROR")
    assert ek.RegionProbeError.from_dict(probe.to_dict()).to_dict() == probe.to_dict()


def test_empty_message_falls_back() -> None:
    """A payload with an empty message gets the class default, so ``str()`` is never empty."""
    rebuilt = ek.Error.from_dict({"code": "NOT_FOUND", "message": "", "details": {}})
    assert str(rebuilt) == "Resource not found"


@pytest.mark.parametrize(
    ("payload", "complaint"),
    [
        ([], "must be a mapping, not list"),
        ("RATE_LIMITED", "must be a mapping, not str"),
        ({"message": "m", "details": {}}, "missing 'code'"),
        ({"code": "X"}, "missing 'message', 'details'"),
        ({"code": 7, "message": "m", "details": {}}, "'code' must be a non-empty str, not 7"),
        ({"code": "", "message": "m", "details": {}}, "'code' must be a non-empty str"),
        ({"code": "X", "message": None, "details": {}}, "'message' must be a str, not NoneType"),
        ({"code": "X", "message": "m", "details": [1]}, "'details' must be a mapping, not list"),
    ],
)
def test_malformed_payload_says_what_is_wrong(payload: Any, complaint: str) -> None:
    """A malformed payload raises ValueError naming the problem."""
    with pytest.raises(ValueError, match=complaint):
        ek.Error.from_dict(payload)


def test_caught_by_type_after_crossing_a_boundary() -> None:
    """A connector 429 serialized to JSON is caught again as ``RateLimitError``."""
    wire = json.dumps(errorkit.ConnectorRateLimitError("fred", 12).to_dict())
    with pytest.raises(errorkit.RateLimitError) as caught:
        raise errorkit.Error.from_dict(json.loads(wire))
    assert caught.value.retry_after == 12.0


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"status_code": 503}, "HTTP 503 error"),
        ({"provider": "fmp", "status_code": 408}, "fmp: upstream timed out."),
    ],
)
def test_empty_message_default_uses_restored_fields(details: Any, expected: str) -> None:
    """A default message built for an empty payload message is filled from the restored fields."""
    code = "API_ERROR" if "provider" not in details else "PROVIDER_ERROR"
    rebuilt = ek.Error.from_dict({"code": code, "message": "", "details": details})
    assert str(rebuilt).startswith(expected)


def test_class_for_code() -> None:
    """``class_for_code`` finds classes by their code and alternative codes, else None."""
    assert ek.Error.class_for_code("RATE_LIMITED") is ek.RateLimitError
    assert ek.Error.class_for_code("OAUTH_TIMEOUT") is ek.OAuthError
    assert ek.Error.class_for_code("UNKNOWN_ERROR") is ek.Error
    assert ek.Error.class_for_code("NOPE") is None
