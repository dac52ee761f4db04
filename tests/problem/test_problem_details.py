"""RFC 9457 problem details: ``to_problem_details()`` and ``Error.from_problem_details()``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorkit import exceptions as ek
from errorkit import problem
from errorkit.problem import (
    PROBLEM_JSON_CONTENT_TYPE,
    TYPE_PREFIX,
    from_problem_details,
    problem_title,
    to_problem_details,
)
from tests.samples import SECRET, all_error_classes, sample

CLASSES = all_error_classes()
CLASS_IDS = [cls.__name__ for cls in CLASSES]

# The RFC 9457 section 3 example, a problem type errorkit does not know.
RFC_EXAMPLE: dict[str, Any] = {
    "type": "https://example.com/probs/out-of-credit",
    "title": "You do not have enough credit.",
    "status": 403,
    "detail": "Your current balance is 30, but that costs 50.",
    "instance": "/account/12345/msgs/abc",
    "balance": 30,
    "accounts": ["/account/12345", "/account/67890"],
}


# --- the document ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
class TestEveryClass:
    """The document and the round trip, for every class in the tree."""

    @pytest.mark.parametrize("via_json", [False, True], ids=["dict", "json"])
    def test_round_trip_keeps_type_and_payload(self, cls: type[ek.Error], via_json: bool) -> None:
        """``from_problem_details(e.to_problem_details())`` has e's type and ``to_dict()``."""
        error = sample(cls)
        document = error.to_problem_details()
        if via_json:
            document = json.loads(json.dumps(document, allow_nan=False))
        rebuilt = ek.Error.from_problem_details(document)
        assert type(rebuilt) is cls
        assert rebuilt.to_dict() == error.to_dict()
        assert str(rebuilt) == error.to_dict()["message"]

    def test_round_trip_through_own_class(self, cls: type[ek.Error]) -> None:
        """Called on the error's own class, ``from_problem_details`` rebuilds it too."""
        error = sample(cls)
        rebuilt = cls.from_problem_details(error.to_problem_details())
        assert type(rebuilt) is cls
        assert rebuilt.to_dict() == error.to_dict()

    def test_members_come_from_to_dict(self, cls: type[ek.Error]) -> None:
        """``type``, ``title``, ``detail``, ``code`` and ``details`` come from ``to_dict()``."""
        error = sample(cls)
        payload: dict[str, Any] = dict(error.to_dict())
        document = error.to_problem_details()
        assert document["type"] == f"urn:errorkit:{payload['code']}"
        assert document["title"] == problem_title(cls)
        assert document["detail"] == payload["message"]
        assert document["code"] == payload["code"]
        assert document["details"] == payload["details"]
        assert document.get("attempts") == payload.get("attempts")

    def test_member_order(self, cls: type[ek.Error]) -> None:
        """Members come in RFC order, then the extensions: type, title, status?, detail, code."""
        document = sample(cls).to_problem_details()
        expected = ["type", "title", "status", "detail", "code", "details", "attempts"]
        assert list(document) == [key for key in expected if key in document]

    def test_status_only_for_http_errors(self, cls: type[ek.Error]) -> None:
        """``status`` is the error's int HTTP status, and absent when it has none."""
        error = sample(cls)
        status = getattr(error, "status_code", None)
        document = error.to_problem_details()
        if isinstance(status, int):
            assert document["status"] == status
        else:
            assert "status" not in document

    def test_document_is_json_without_secrets(self, cls: type[ek.Error]) -> None:
        """The document is strict JSON and never shows the secret planted in the sample."""
        text = json.dumps(sample(cls).to_problem_details(), allow_nan=False)
        assert SECRET not in text

    def test_document_is_new_each_time(self, cls: type[ek.Error]) -> None:
        """Mutating a returned document changes neither the error nor the next document."""
        error = sample(cls)
        document = error.to_problem_details()
        document["details"]["injected"] = True
        document["title"] = "changed"
        assert error.to_problem_details() != document

    def test_method_and_function_agree(self, cls: type[ek.Error]) -> None:
        """``Error.to_problem_details()`` is ``errorkit.problem.to_problem_details``."""
        error = sample(cls)
        assert error.to_problem_details() == to_problem_details(error)
        document = error.to_problem_details()
        assert from_problem_details(document, ek.Error).to_dict() == error.to_dict()


def test_all_is_sorted_and_resolves() -> None:
    """The module's ``__all__`` is sorted and every listed name exists."""
    assert problem.__all__ == sorted(problem.__all__)
    assert all(hasattr(problem, name) for name in problem.__all__)


def test_content_type() -> None:
    """The media type constant is RFC 9457's ``application/problem+json``."""
    assert PROBLEM_JSON_CONTENT_TYPE == "application/problem+json"
    assert TYPE_PREFIX == "urn:errorkit:"


def test_titles_are_pinned() -> None:
    """Every class's title is pinned, so a changed summary shows up as a deliberate diff."""
    assert {cls.__name__: problem_title(cls) for cls in CLASSES} == {
        "Error": "Error",
        "ConfigError": "Config error",
        "AccountNotFoundError": "Account not found",
        "AccountExistsError": "Account exists",
        "AccountInUseError": "Account in use",
        "InvalidArgumentError": "Invalid argument",
        "ProjectNotFoundError": "Project not found",
        "MissingAPIKeyError": "Missing API key",
        "NoRegisteredProviderError": "No registered provider",
        "APIError": "API error",
        "BadRequestError": "Bad request",
        "QueryError": "Query execution failed",
        "JQLSyntaxError": "JQL syntax error",
        "AuthenticationError": "Authentication failed",
        "PermissionDeniedError": "Permission denied",
        "NotFoundError": "Resource not found",
        "ConflictError": "Conflict",
        "RateLimitError": "Rate limit exceeded",
        "ServerError": "Server error",
        "SessionReplayError": "Session replay error",
        "SessionReplayAccessError": "Session replay access error",
        "SignedURLExpiredError": "Signed URL expired",
        "ReplayNotFoundError": "Replay not found",
        "APIConnectionError": "Connection failed",
        "APITimeoutError": "Request timed out",
        "OAuthError": "OAuth error",
        "RegionProbeError": "Region probe error",
        "RegionProbeNetworkError": "Region probe network error",
        "WorkspaceScopeError": "Workspace scope error",
        "BusinessContextValidationError": "Business context validation error",
        "ConnectorError": "Connector error",
        "UnauthorizedError": "Unauthorized",
        "PaymentRequiredError": "Payment required",
        "ConnectorRateLimitError": "Connector rate limit error",
        "ProviderError": "Provider error",
        "EmptyDataError": "Empty data",
        "ParseError": "Parse error",
        "InvalidParameterError": "Invalid parameter",
        "CatalogNotFoundError": "Catalog bundle not found",
        "ToolError": "Tool error",
        "ToolExecutionError": "Tool execution error",
        "ToolNotFoundError": "Tool not found",
        "FeatureNotSupportedError": "Feature not supported",
    }


def test_rate_limit_document() -> None:
    """A 429 becomes a complete problem document whose details keep ``retry_after``."""
    error = ek.RateLimitError(retry_after=30, request_id="req_1")
    assert error.to_problem_details() == {
        "type": "urn:errorkit:RATE_LIMITED",
        "title": "Rate limit exceeded",
        "status": 429,
        "detail": "Rate limit exceeded. Retry after 30 seconds.",
        "code": "RATE_LIMITED",
        "details": {"status_code": 429, "request_id": "req_1", "retry_after": 30.0},
    }


def test_region_probe_document_carries_attempts() -> None:
    """A region probe's ``attempts`` is an extension member too, and comes back."""
    error = ek.RegionProbeError("no region", attempts=[("us", 401, "no")])
    document = error.to_problem_details()
    assert document["attempts"] == [["us", 401, "no"]]
    rebuilt = ek.Error.from_problem_details(document)
    assert isinstance(rebuilt, ek.RegionProbeError)
    assert rebuilt.attempts == [("us", 401, "no")]


@pytest.mark.parametrize(
    "error",
    [
        ek.SessionReplayError("m", status_code=0),
        ek.APIError("m", status_code="teapot"),  # type: ignore[arg-type]
        ek.APIError("m", status_code=True),
        ek.APIConnectionError(),
    ],
    ids=["zero", "text", "bool", "none"],
)
def test_status_omitted_unless_an_http_status(error: ek.Error) -> None:
    """A status that is not an int from 100 to 599 is left out of the document."""
    assert "status" not in error.to_problem_details()


def test_custom_code_survives_in_type_and_back() -> None:
    """A caller's own code is kept exactly in ``type`` and ``code`` and comes back."""
    error = ek.Error("boom", "my.custom-code")
    document = error.to_problem_details()
    assert document["type"] == "urn:errorkit:my.custom-code"
    rebuilt = ek.Error.from_problem_details(document)
    assert (type(rebuilt), rebuilt.code) == (ek.Error, "my.custom-code")


# --- documents from elsewhere ---------------------------------------------------------------


def test_type_urn_without_code_member() -> None:
    """A document whose ``type`` is an errorkit URN but has no ``code`` is read by that URN."""
    rebuilt = ek.Error.from_problem_details(
        {"type": "urn:errorkit:NOT_FOUND", "status": 404, "detail": "no such user"}
    )
    assert isinstance(rebuilt, ek.NotFoundError)
    assert (rebuilt.message, rebuilt.code, rebuilt.status_code) == (
        "no such user",
        "NOT_FOUND",
        404,
    )


def test_code_member_wins_over_status() -> None:
    """A known ``code`` decides the class even when ``status`` points elsewhere."""
    rebuilt = ek.Error.from_problem_details({"code": "RATE_LIMITED", "status": 503, "detail": "x"})
    assert type(rebuilt) is ek.RateLimitError
    assert rebuilt.status_code == 503


def test_code_without_details_takes_status_from_document() -> None:
    """An HTTP error named by code alone takes its ``status_code`` from ``status``."""
    rebuilt = ek.Error.from_problem_details({"code": "SERVER_ERROR", "status": 502})
    assert type(rebuilt) is ek.ServerError
    assert (rebuilt.status_code, rebuilt.message) == (502, "Server error")
    assert rebuilt.retryable is True


def test_code_without_message_uses_class_title() -> None:
    """A document with a code but no ``detail`` or ``title`` gets the class's title as message."""
    rebuilt = ek.Error.from_problem_details(
        {"code": "PROVIDER_ERROR", "details": {"provider": "p"}}
    )
    assert type(rebuilt) is ek.ProviderError
    assert rebuilt.message == "Provider error"


def test_title_is_message_when_detail_missing() -> None:
    """Without ``detail`` the ``title`` becomes the message."""
    rebuilt = ek.Error.from_problem_details({"code": "NOT_FOUND", "title": "Gone fishing"})
    assert str(rebuilt) == "Gone fishing"


def test_unknown_code_with_status_gets_status_class() -> None:
    """An unknown code with an error status gives the class for the status, keeping the code."""
    rebuilt = ek.Error.from_problem_details(
        {"code": "USER_MISSING", "status": 404, "detail": "no user 7"}
    )
    assert type(rebuilt) is ek.NotFoundError
    assert (rebuilt.code, rebuilt.status_code, str(rebuilt)) == ("USER_MISSING", 404, "no user 7")


def test_unknown_code_without_status_is_base_error() -> None:
    """An unknown code and no status give a base ``Error`` keeping the code and details."""
    rebuilt = ek.Error.from_problem_details(
        {"code": "SOMETHING_ELSE", "detail": "odd", "details": {"k": 1}}
    )
    assert type(rebuilt) is ek.Error
    assert rebuilt.to_dict() == {"code": "SOMETHING_ELSE", "message": "odd", "details": {"k": 1}}


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ek.BadRequestError),
        (401, ek.AuthenticationError),
        (403, ek.PermissionDeniedError),
        (404, ek.NotFoundError),
        (418, ek.APIError),
        (422, ek.BadRequestError),
        (429, ek.RateLimitError),
        (500, ek.ServerError),
        (503, ek.ServerError),
    ],
)
def test_status_only_document(status: int, cls: type[ek.APIError]) -> None:
    """A document with only an error status gets that status's class, ``detail`` as message."""
    rebuilt = ek.Error.from_problem_details(
        {"type": "about:blank", "title": "t", "status": status, "detail": "went wrong"}
    )
    assert type(rebuilt) is cls
    assert isinstance(rebuilt, ek.APIError)
    assert (rebuilt.status_code, rebuilt.message, rebuilt.code) == (status, "went wrong", cls.code)
    assert rebuilt.details == {
        "status_code": status,
        "type": "about:blank",
        "title": "t",
    }


@pytest.mark.parametrize(
    ("status", "message"),
    [(404, "Resource not found"), (418, "HTTP 418 error"), (503, "Server error")],
)
def test_status_only_without_text_gets_default_message(status: int, message: str) -> None:
    """A status-only document with no ``detail`` or ``title`` gets the class's default message."""
    assert str(ek.Error.from_problem_details({"status": status})) == message


def test_rfc_example_keeps_its_members() -> None:
    """RFC 9457's own example becomes a PermissionDeniedError keeping every other member."""
    rebuilt = ek.Error.from_problem_details(RFC_EXAMPLE)
    assert type(rebuilt) is ek.PermissionDeniedError
    assert rebuilt.message == RFC_EXAMPLE["detail"]
    assert rebuilt.details == {
        "status_code": 403,
        "type": "https://example.com/probs/out-of-credit",
        "title": "You do not have enough credit.",
        "instance": "/account/12345/msgs/abc",
        "balance": 30,
        "accounts": ["/account/12345", "/account/67890"],
    }
    json.dumps(rebuilt.to_dict(), allow_nan=False)


def test_json_number_status_is_read() -> None:
    """A ``status`` sent as an integral JSON float (``404.0``) is the status 404."""
    assert type(ek.Error.from_problem_details({"status": 404.0})) is ek.NotFoundError


@pytest.mark.parametrize(
    "document",
    [
        {"type": "https://example.com/probs/odd", "title": "Odd", "detail": "d"},
        {"title": "Odd", "status": 200, "detail": "d"},
        {"title": "Odd", "status": 302, "detail": "d"},
        {"title": "Odd", "status": 700, "detail": "d"},
        {"title": "Odd", "status": "404", "detail": "d"},
        {"title": "Odd", "status": True, "detail": "d"},
        {"title": "Odd", "status": 404.5, "detail": "d"},
    ],
    ids=["no-status", "200", "302", "700", "string", "bool", "fraction"],
)
def test_no_code_no_error_status_is_base_error(document: dict[str, Any]) -> None:
    """No code and no usable error status give a base Error keeping the members in details."""
    rebuilt = ek.Error.from_problem_details(document)
    assert type(rebuilt) is ek.Error
    assert (rebuilt.code, rebuilt.message) == ("UNKNOWN_ERROR", "d")
    assert rebuilt.details == {key: value for key, value in document.items() if key != "detail"}


def test_wrong_typed_members_are_ignored() -> None:
    """Standard members of the wrong JSON type are ignored, as RFC 9457 section 3.1 requires."""
    rebuilt = ek.Error.from_problem_details(
        {"type": 7, "title": "Not allowed", "status": 403, "detail": ["not", "a", "string"]}
    )
    assert type(rebuilt) is ek.PermissionDeniedError
    assert str(rebuilt) == "Not allowed"


def test_base_error_without_text_is_named() -> None:
    """A document with neither text nor code still gives a non-empty message."""
    rebuilt = ek.Error.from_problem_details({"type": "about:blank"})
    assert (type(rebuilt), str(rebuilt)) == (ek.Error, "Error")


# --- called on a subclass -------------------------------------------------------------------


def test_subclass_accepts_its_own_and_its_subclasses() -> None:
    """``APIError.from_problem_details`` accepts documents of any APIError subclass."""
    rate = ek.RateLimitError(retry_after=5).to_problem_details()
    assert type(ek.RateLimitError.from_problem_details(rate)) is ek.RateLimitError
    assert type(ek.APIError.from_problem_details(rate)) is ek.RateLimitError
    assert type(ek.APIError.from_problem_details({"status": 429})) is ek.RateLimitError
    connector = ek.ConnectorRateLimitError("fred", 5).to_problem_details()
    assert type(ek.RateLimitError.from_problem_details(connector)) is ek.ConnectorRateLimitError


@pytest.mark.parametrize(
    "document",
    [
        ek.NotFoundError().to_problem_details(),
        {"code": "NOT_FOUND"},
        {"type": "urn:errorkit:NOT_FOUND"},
        {"status": 404, "detail": "gone"},
        {"title": "Odd", "detail": "no code, no status"},
    ],
    ids=["document", "code", "urn", "status", "nothing"],
)
def test_subclass_rejects_foreign_documents(document: dict[str, Any]) -> None:
    """On a subclass, a document of a foreign class (or of no class) is a ValueError."""
    with pytest.raises(ValueError, match="RateLimitError"):
        ek.RateLimitError.from_problem_details(document)


def test_subclass_with_unknown_code_keeps_the_code() -> None:
    """On a subclass, an unknown code gives that subclass keeping the code, as ``from_dict``."""
    rebuilt = ek.RateLimitError.from_problem_details({"code": "SLOW_DOWN", "status": 404})
    assert (type(rebuilt), rebuilt.code) == (ek.RateLimitError, "SLOW_DOWN")


# --- malformed documents --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "match"),
    [
        (None, "must be a mapping, not NoneType"),
        ('{"status": 404}', "must be a mapping, not str"),
        ([("status", 404)], "must be a mapping, not list"),
        ({}, "none of the members"),
        ({"error": "nope"}, "none of the members"),
        ({"code": 42, "detail": "d"}, "'code' must be a non-empty str"),
        ({"code": "", "detail": "d"}, "'code' must be a non-empty str"),
        ({"code": None, "detail": "d"}, "'code' must be a non-empty str"),
        ({"code": "NOT_FOUND", "details": ["x"]}, "'details' must be a mapping, not list"),
        ({"status": 404, "details": "x"}, "'details' must be a mapping, not str"),
    ],
    ids=[
        "none",
        "json-text",
        "list",
        "empty",
        "no-members",
        "int-code",
        "empty-code",
        "null-code",
        "list-details",
        "text-details",
    ],
)
def test_malformed_documents(document: Any, match: str) -> None:
    """A document that is not a problem details object raises ValueError naming the problem."""
    with pytest.raises(ValueError, match=match):
        ek.Error.from_problem_details(document)


# --- property -------------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(
    message=st.text(max_size=50),
    code=st.text(min_size=1, max_size=20).filter(lambda c: ek.Error.class_for_code(c) is None),
    details=st.dictionaries(st.text(max_size=10), _JSON, max_size=4),
)
def test_any_base_error_round_trips(message: str, code: str, details: dict[str, Any]) -> None:
    """Any base error, whatever its message, custom code and JSON details, round-trips."""
    error = ek.Error(message, code, details)
    document = json.loads(json.dumps(error.to_problem_details()))
    rebuilt = ek.Error.from_problem_details(document)
    assert type(rebuilt) is ek.Error
    assert rebuilt.to_dict() == error.to_dict()
