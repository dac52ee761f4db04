"""Pin every family of the exception tree: messages, details layouts, codes, statuses, signatures.

Expected strings are written out literally (never built from the library's constants), so a
reword of any agent-facing text shows up here as a deliberate diff.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import pytest

from errorkit.exceptions import (
    BUSINESS_CONTEXT_MAX_CHARS,
    AccountExistsError,
    AccountInUseError,
    AccountNotFoundError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BusinessContextValidationError,
    CatalogNotFoundError,
    ConfigError,
    ConflictError,
    ConnectorError,
    ConnectorRateLimitError,
    EmptyDataError,
    Error,
    FeatureNotSupportedError,
    InvalidArgumentError,
    InvalidParameterError,
    JQLSyntaxError,
    MissingAPIKeyError,
    NoRegisteredProviderError,
    NotFoundError,
    OAuthError,
    ParseError,
    PaymentRequiredError,
    PermissionDeniedError,
    ProjectNotFoundError,
    ProviderError,
    QueryError,
    RateLimitError,
    RegionProbeError,
    RegionProbeNetworkError,
    ReplayNotFoundError,
    ServerError,
    SessionReplayAccessError,
    SessionReplayError,
    SignedURLExpiredError,
    ToolError,
    ToolExecutionError,
    ToolNotFoundError,
    UnauthorizedError,
    WorkspaceScopeError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

FORM_URL = "https://forms.gle/7Y9UcUHe69bh8EgC7"
PREFILL_URL = (
    "https://docs.google.com/forms/d/e/"
    "1FAIpQLSe8h0ZpB-V3zoK9qeUnUeh7vCs2lvP1IJ6IYMAiayHJ4g5LQA/viewform?"
)


def _items(error: Error) -> list[tuple[Any, Any]]:
    """Return the details of ``error`` as an ordered list of pairs."""
    return list(error.details.items())


def _raise_from(error: Error, cause: BaseException) -> None:
    """Raise ``error`` from ``cause`` inside the handler that caught ``cause``."""
    try:
        raise cause
    except BaseException as exc:
        raise error from exc


# ---------------------------------------------------------------------------
# ConfigError family
# ---------------------------------------------------------------------------


class TestConfigErrors:
    """ConfigError and its leaves: messages, details, properties and signatures."""

    @pytest.mark.parametrize(
        ("factory", "code"),
        [
            pytest.param(lambda: ConfigError("bad config"), "CONFIG_ERROR", id="ConfigError"),
            pytest.param(lambda: AccountNotFoundError("a"), "ACCOUNT_NOT_FOUND", id="NotFound"),
            pytest.param(lambda: AccountExistsError("a"), "ACCOUNT_EXISTS", id="Exists"),
            pytest.param(lambda: AccountInUseError("a"), "ACCOUNT_IN_USE", id="InUse"),
            pytest.param(
                lambda: InvalidArgumentError("m", violation="mutually_exclusive"),
                "INVALID_ARGUMENT",
                id="InvalidArgument",
            ),
            pytest.param(lambda: ProjectNotFoundError("1"), "PROJECT_NOT_FOUND", id="Project"),
            pytest.param(lambda: MissingAPIKeyError("openai", "K"), "MISSING_API_KEY", id="Key"),
            pytest.param(
                lambda: NoRegisteredProviderError("x/y"), "NO_REGISTERED_PROVIDER", id="NoProvider"
            ),
        ],
    )
    def test_code_class_and_not_retryable(self, factory: Callable[[], Error], code: str) -> None:
        """Every config error has its documented code, is a ConfigError and is not retryable."""
        error = factory()
        assert error.code == code
        assert isinstance(error, ConfigError)
        assert error.retryable is False

    def test_config_error_details_copied(self) -> None:
        """ConfigError(message, details) keeps the message and copies, not aliases, details."""
        given = {"path": "~/.config/app.toml", "line": 3}
        error = ConfigError("Config file is not valid TOML", given)
        given["line"] = 99
        assert error.message == "Config file is not valid TOML"
        assert _items(error) == [("path", "~/.config/app.toml"), ("line", 3)]
        assert ConfigError("m").details == {}
        assert ConfigError("m", details=None).details == {}

    def test_account_not_found_with_accounts(self) -> None:
        """AccountNotFoundError lists the quoted available accounts, with no trailing period."""
        error = AccountNotFoundError("prod", ["dev", "staging"])
        assert error.message == "Account 'prod' not found. Available accounts: 'dev', 'staging'"
        assert error.account_name == "prod"
        assert error.available_accounts == ["dev", "staging"]
        assert _items(error) == [
            ("account_name", "prod"),
            ("available_accounts", ["dev", "staging"]),
        ]

    def test_account_not_found_without_accounts(self) -> None:
        """AccountNotFoundError with no accounts says none are configured; the list is []."""
        error = AccountNotFoundError("prod")
        assert error.message == "Account 'prod' not found. No accounts configured."
        assert error.available_accounts == []
        assert _items(error) == [("account_name", "prod"), ("available_accounts", [])]
        assert AccountNotFoundError("prod", []).message == error.message

    def test_account_exists(self) -> None:
        """AccountExistsError names the taken account and lists only account_name."""
        error = AccountExistsError("prod")
        assert error.message == "Account 'prod' already exists."
        assert error.account_name == "prod"
        assert _items(error) == [("account_name", "prod")]

    def test_account_in_use_with_targets(self) -> None:
        """AccountInUseError names the referencing targets and the literal `force=True` hint."""
        error = AccountInUseError("prod", ["ci", "nightly"])
        assert error.message == (
            "Account 'prod' is referenced by target(s): 'ci', 'nightly'. "
            "Pass `force=True` to remove anyway."
        )
        assert error.referenced_by == ["ci", "nightly"]
        assert _items(error) == [("account_name", "prod"), ("referenced_by", ["ci", "nightly"])]

    def test_account_in_use_without_targets(self) -> None:
        """AccountInUseError without targets says the account is in use; referenced_by is []."""
        error = AccountInUseError("prod")
        assert error.message == "Account 'prod' is in use. Pass `force=True` to remove."
        assert error.referenced_by == []
        assert _items(error) == [("account_name", "prod"), ("referenced_by", [])]

    @pytest.mark.parametrize(
        "violation", ["mutually_exclusive", "no_browser_misuse", "secret_stdin_misuse"]
    )
    def test_invalid_argument_violations(self, violation: Any) -> None:
        """InvalidArgumentError accepts each documented violation and lists it in details."""
        error = InvalidArgumentError("--no-browser needs --token", violation=violation)
        assert error.message == "--no-browser needs --token"
        assert error.violation == violation
        assert error.detected_auth_type is None
        assert _items(error) == [("violation", violation)]

    def test_invalid_argument_detected_auth_type(self) -> None:
        """InvalidArgumentError lists detected_auth_type after violation when it is given."""
        error = InvalidArgumentError(
            "pick one", violation="mutually_exclusive", detected_auth_type="oauth"
        )
        assert error.detected_auth_type == "oauth"
        assert _items(error) == [
            ("violation", "mutually_exclusive"),
            ("detected_auth_type", "oauth"),
        ]

    def test_invalid_argument_bad_violation(self) -> None:
        """An unknown violation raises ValueError with the exact documented message."""
        with pytest.raises(ValueError, match=r"^Invalid violation") as info:
            InvalidArgumentError("m", violation="typo")  # type: ignore[arg-type]
        assert str(info.value) == (
            "Invalid violation 'typo'; must be one of "
            "('mutually_exclusive', 'no_browser_misuse', 'secret_stdin_misuse')."
        )

    def test_invalid_argument_keyword_only(self) -> None:
        """InvalidArgumentError's violation is keyword-only and required."""
        with pytest.raises(TypeError):
            InvalidArgumentError("m", "mutually_exclusive")  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            InvalidArgumentError("m")  # type: ignore[call-arg]

    def test_project_not_found_with_projects(self) -> None:
        """ProjectNotFoundError lists the quoted accessible projects, with no trailing period."""
        error = ProjectNotFoundError("1", ["2", "3"])
        assert error.message == "Project '1' not found. Available projects: '2', '3'"
        assert error.project_id == "1"
        assert error.available_projects == ["2", "3"]
        assert _items(error) == [("project_id", "1"), ("available_projects", ["2", "3"])]

    def test_project_not_found_without_projects(self) -> None:
        """ProjectNotFoundError without projects says none were discovered."""
        error = ProjectNotFoundError("1")
        assert error.message == "Project '1' not found. No accessible projects discovered."
        assert error.available_projects == []
        assert _items(error) == [("project_id", "1"), ("available_projects", [])]

    def test_missing_api_key(self) -> None:
        """MissingAPIKeyError names the provider and the environment variable to set."""
        error = MissingAPIKeyError("anthropic", "ANTHROPIC_API_KEY")
        assert error.message == (
            "No API key found for anthropic. Set the ANTHROPIC_API_KEY environment variable."
        )
        assert (error.provider_id, error.env_var) == ("anthropic", "ANTHROPIC_API_KEY")
        assert _items(error) == [("provider_id", "anthropic"), ("env_var", "ANTHROPIC_API_KEY")]

    def test_no_registered_provider(self) -> None:
        """NoRegisteredProviderError opens with the contract sentence and adds exactly one more."""
        error = NoRegisteredProviderError("acme/gpt-9")
        prefix = "No provider registered for model 'acme/gpt-9'."
        assert error.message.startswith(prefix)
        rest = error.message[len(prefix) :]
        assert rest.startswith(" ")
        sentence = rest[1:]
        assert sentence[:1].isupper()
        assert sentence.endswith((".", "!"))
        assert ". " not in sentence
        assert "\n" not in sentence
        assert error.model_id == "acme/gpt-9"
        assert _items(error) == [("model_id", "acme/gpt-9")]


# ---------------------------------------------------------------------------
# APIError family
# ---------------------------------------------------------------------------

SUBCLASS_TABLE = [
    pytest.param(BadRequestError, "Bad request", 400, "BAD_REQUEST", id="BadRequest"),
    pytest.param(QueryError, "Query execution failed", 400, "QUERY_FAILED", id="Query"),
    pytest.param(AuthenticationError, "Authentication failed", 401, "AUTH_FAILED", id="Auth"),
    pytest.param(PermissionDeniedError, "Permission denied", 403, "PERMISSION_DENIED", id="Perm"),
    pytest.param(NotFoundError, "Resource not found", 404, "NOT_FOUND", id="NotFound"),
    pytest.param(ConflictError, "Conflict", 409, "CONFLICT", id="Conflict"),
    pytest.param(RateLimitError, "Rate limit exceeded", 429, "RATE_LIMITED", id="RateLimit"),
    pytest.param(ServerError, "Server error", 500, "SERVER_ERROR", id="Server"),
]

JQL_WRAPPED_TYPE_ERROR = (
    "UserVisiblePreconditionFailedError: Uncaught exception TypeError: "
    "Cannot read property 'name' of undefined"
)
JQL_LATER_LINE = (
    "Failed to compile the JQL script\n"
    "SyntaxError: Unexpected token )\n"
    "Please check the script and try again."
)
JQL_NO_TYPE = "Script execution exceeded the 60 second limit\nTry a smaller date range."
JQL_CODE_LINE = "function main() { return Events({from_date: '2024-01-01' to_date: '2024-01-31'}) }"
JQL_CARET_LINE = "                                                         ^^^^^^^"
JQL_CARET = (
    "UserVisiblePreconditionFailedError: SyntaxError: Unexpected identifier\n"
    f"{JQL_CODE_LINE}\n"
    f"{JQL_CARET_LINE}\n"
)
JQL_STACK = (
    "Uncaught exception ReferenceError: usr is not defined\n"
    "Stack trace:\n"
    "ReferenceError: usr is not defined\n"
    "    at main (<anonymous>:2:10)\n"
    "    at <anonymous>:5:1\n"
)
JQL_FRAME_ONLY = (
    "UserVisiblePreconditionFailedError: Uncaught exception RangeError: Invalid array length\n"
    "    at buildBuckets (<anonymous>:3:5)\n"
    "    at main (<anonymous>:12:9)\n"
)
JQL_LONG_MESSAGE = "Cannot convert value " + "x" * 250
JQL_EMPTY = (
    "UserVisiblePreconditionFailedError: Uncaught exception TypeError:\n"
    + "    at reducer (<anonymous>:7:13)\n" * 4
)


class TestAPIErrors:
    """APIError and its HTTP subclasses, RateLimitError and JQLSyntaxError."""

    def test_status_required(self) -> None:
        """APIError without status_code raises TypeError at runtime, as mypy also reports."""
        with pytest.raises(TypeError):
            APIError("m")  # type: ignore[call-arg]

    def test_status_keyword_only(self) -> None:
        """APIError's status_code and context are keyword-only."""
        with pytest.raises(TypeError):
            APIError("m", 500)  # type: ignore[call-arg]

    def test_minimal(self) -> None:
        """A bare APIError has code API_ERROR, the given status, and only status_code in details."""
        error = APIError("Teapot refused", status_code=418)
        assert (error.message, error.code, error.status_code) == (
            "Teapot refused",
            "API_ERROR",
            418,
        )
        assert _items(error) == [("status_code", 418)]
        assert error.response_body is None
        assert error.request_method is None
        assert error.request_url is None
        assert error.request_params is None
        assert error.request_body is None
        assert error.request_id is None
        assert error.provider is None
        assert error.original_exception is None
        assert error.retryable is False

    def test_full_context_details_order(self) -> None:
        """Every context keyword becomes a property and a details key, in the documented order."""
        cause = OSError("reset")
        error = APIError(
            "boom",
            status_code=502,
            response_body={"error": "bad gateway"},
            request_method="POST",
            request_url="https://api.example.com/v1/items",
            request_params={"page": 2},
            request_body={"name": "x"},
            request_id="req_123",
            provider="example",
            original_exception=cause,
            code="UPSTREAM_BROKEN",
        )
        assert error.code == "UPSTREAM_BROKEN"
        assert error.response_body == {"error": "bad gateway"}
        assert error.request_method == "POST"
        assert error.request_url == "https://api.example.com/v1/items"
        assert error.request_params == {"page": 2}
        assert error.request_body == {"name": "x"}
        assert error.request_id == "req_123"
        assert error.provider == "example"
        assert error.original_exception is cause
        assert error.__cause__ is cause
        assert _items(error) == [
            ("status_code", 502),
            ("response_body", {"error": "bad gateway"}),
            ("request_method", "POST"),
            ("request_url", "https://api.example.com/v1/items"),
            ("request_params", {"page": 2}),
            ("request_body", {"name": "x"}),
            ("request_id", "req_123"),
            ("provider", "example"),
        ]

    def test_details_order_independent_of_keyword_order(self) -> None:
        """The details order is fixed by the contract, not by the order keywords were passed."""
        error = APIError("m", provider="p", request_id="r", request_method="GET", status_code=500)
        assert _items(error) == [
            ("status_code", 500),
            ("request_method", "GET"),
            ("request_id", "r"),
            ("provider", "p"),
        ]

    def test_falsy_but_not_none_context_included(self) -> None:
        """Falsy-but-not-None context values such as {} and "" are listed in details."""
        error = APIError(
            "m", status_code=400, response_body={}, request_params={}, request_body="", provider=""
        )
        assert _items(error) == [
            ("status_code", 400),
            ("response_body", {}),
            ("request_params", {}),
            ("request_body", ""),
            ("provider", ""),
        ]

    @pytest.mark.parametrize(("cls", "message", "status", "code"), SUBCLASS_TABLE)
    def test_subclass_defaults(
        self, cls: type[BadRequestError], message: str, status: int, code: str
    ) -> None:
        """Each HTTP subclass defaults its message and status, and fixes its code."""
        error = cls()
        assert (error.message, error.status_code, error.code) == (message, status, code)
        assert _items(error) == [("status_code", status)]
        assert isinstance(error, APIError)

    @pytest.mark.parametrize(("cls", "message", "status", "code"), SUBCLASS_TABLE)
    def test_subclass_status_none_and_empty_message(
        self, cls: type[BadRequestError], message: str, status: int, code: str
    ) -> None:
        """status_code=None gives the class status and an empty message gives the default."""
        error = cls("", status_code=None)
        assert (error.message, error.status_code, error.code) == (message, status, code)
        assert cls(None).message == message

    @pytest.mark.parametrize(("cls", "message", "status", "code"), SUBCLASS_TABLE)
    def test_subclass_message_and_status_override(
        self, cls: type[BadRequestError], message: str, status: int, code: str
    ) -> None:
        """A subclass keeps a given message verbatim and an explicit status_code."""
        error = cls("Custom text", status_code=599, request_id="abc")
        assert error.message == "Custom text"
        assert error.status_code == 599
        assert error.code == code
        assert _items(error) == [("status_code", 599), ("request_id", "abc")]

    @pytest.mark.parametrize(("cls", "message", "status", "code"), SUBCLASS_TABLE)
    def test_subclass_rejects_code(
        self, cls: type[BadRequestError], message: str, status: int, code: str
    ) -> None:
        """HTTP subclasses fix their code: a code= keyword is a TypeError naming it."""
        with pytest.raises(TypeError, match="'code'"):
            cls("m", code="OTHER")  # type: ignore[call-arg]

    def test_bad_request_accepts_422(self) -> None:
        """BadRequestError also represents 422."""
        error = BadRequestError("Unprocessable", status_code=422)
        assert (error.status_code, error.code) == (422, "BAD_REQUEST")

    def test_subclass_context_keyword_only(self) -> None:
        """A subclass takes only its message positionally."""
        with pytest.raises(TypeError):
            NotFoundError("m", 404)  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("factory", "retryable"),
        [
            pytest.param(lambda: APIError("m", status_code=503), True, id="APIError503"),
            pytest.param(lambda: APIError("m", status_code=418), False, id="APIError418"),
            pytest.param(lambda: BadRequestError(), False, id="BadRequest"),
            pytest.param(lambda: QueryError(), False, id="Query"),
            pytest.param(lambda: JQLSyntaxError("TypeError: x"), False, id="JQL"),
            pytest.param(lambda: AuthenticationError(), False, id="Auth"),
            pytest.param(lambda: PermissionDeniedError(), False, id="Perm"),
            pytest.param(lambda: NotFoundError(), False, id="NotFound"),
            pytest.param(lambda: RateLimitError(), True, id="RateLimit"),
            pytest.param(lambda: RateLimitError(retry_after=5), True, id="RateLimitAfter"),
            pytest.param(lambda: ServerError(), True, id="Server"),
            pytest.param(lambda: ServerError(status_code=503), True, id="Server503"),
            pytest.param(lambda: ServerError(status_code=501), False, id="Server501"),
            pytest.param(lambda: ConflictError(), False, id="Conflict"),
        ],
    )
    def test_retryable(self, factory: Callable[[], Error], retryable: bool) -> None:
        """Rate limits and transient statuses are retryable in the APIError family, no others."""
        assert factory().retryable is retryable

    def test_hierarchy(self) -> None:
        """QueryError is a BadRequestError and JQLSyntaxError a QueryError."""
        assert issubclass(QueryError, BadRequestError)
        assert issubclass(JQLSyntaxError, QueryError)
        for cls in (BadRequestError, AuthenticationError, RateLimitError, SessionReplayError):
            assert issubclass(cls, APIError)

    def test_original_exception_from_raise_from(self) -> None:
        """Without original_exception=, original_exception reflects __cause__ after raise-from."""
        cause = KeyError("item")
        error = NotFoundError("Item 7 not found")
        with pytest.raises(NotFoundError) as info:
            _raise_from(error, cause)
        assert info.value is error
        assert error.original_exception is cause

    # -- retry hints and the caller's details (every APIError) --------------------

    def test_retry_after_on_every_api_error(self) -> None:
        """Every APIError takes ``retry_after`` and lists it after the HTTP keys and provider."""
        error = ServerError(status_code=503, retry_after=7, provider="acme", request_id="r1")
        assert error.retry_after == 7.0
        assert _items(error) == [
            ("status_code", 503),
            ("request_id", "r1"),
            ("provider", "acme"),
            ("retry_after", 7.0),
        ]
        assert APIError("m", status_code=413, retry_after="2.5").retry_after == 2.5  # type: ignore[arg-type]
        assert NotFoundError().retry_after is None

    @pytest.mark.parametrize("value", [-1, math.nan, math.inf, -math.inf, "soon", None])
    def test_retry_after_unusable_is_unknown(self, value: object) -> None:
        """A negative, NaN, infinite or non-numeric ``retry_after`` is None and not listed."""
        error = ServerError(retry_after=value)  # type: ignore[arg-type]
        assert error.retry_after is None
        assert "retry_after" not in error.details

    @pytest.mark.parametrize(
        ("status", "hint"), [(400, True), (503, False), (429, False), (501, True)]
    )
    def test_retryable_hint_wins_and_is_kept(self, status: int, hint: bool) -> None:
        """An explicit ``retryable=`` wins over the status rule and is listed in details."""
        error = APIError("m", status_code=status, retryable=hint)
        assert error.retryable is hint
        assert _items(error) == [("status_code", status), ("retryable", hint)]
        assert ConflictError(retryable=hint).retryable is hint
        assert RateLimitError(retryable=False).retryable is False

    @pytest.mark.parametrize(("value", "read"), [("TRUE", True), (" false ", False)])
    def test_retryable_hint_as_text(self, value: str, read: bool) -> None:
        """A ``"true"``/``"false"`` hint in any case is read as the bool it spells."""
        error = APIError("m", status_code=400, retryable=value)  # type: ignore[arg-type]
        assert (error.retryable, error.details["retryable"]) == (read, read)

    @pytest.mark.parametrize("value", ["maybe", 1, 0.0, [True]])
    def test_retryable_hint_odd_value_leaves_the_rule(self, value: object) -> None:
        """Any other hint value is no hint: the status decides and nothing is listed."""
        error = APIError("m", status_code=503, retryable=value)  # type: ignore[arg-type]
        assert error.retryable is True
        assert "retryable" not in error.details

    def test_callers_details_follow_errorkits_keys(self) -> None:
        """The caller's details come after errorkit's keys, and errorkit's keys win a clash."""
        own = {"status_code": 999, "retryable": "no", "trace": "t-1", "retry_after": -1}
        error = ConflictError(
            status_code=409, retry_after=3, retryable=False, request_id="r9", details=own
        )
        assert _items(error) == [
            ("status_code", 409),
            ("request_id", "r9"),
            ("retry_after", 3.0),
            ("retryable", False),
            ("trace", "t-1"),
        ]
        own["trace"] = "changed"
        assert error.details["trace"] == "t-1"  # copied, not aliased

    def test_callers_retry_keys_do_not_become_hints(self) -> None:
        """A caller's own ``retry_after`` detail that is not a delay is no delay once rebuilt."""
        error = ServerError(details={"retry_after": "soon"})
        assert error.retry_after is None
        clone = Error.from_dict(error.to_dict())
        assert isinstance(clone, ServerError)
        assert (clone.retry_after, clone.retryable) == (None, True)
        assert clone.to_dict() == error.to_dict()

    def test_callers_details_any_container(self) -> None:
        """Details given as pairs are read as a mapping; any other value is kept under 'value'."""
        pairs = BadRequestError(details=[("field", "limit")])  # type: ignore[arg-type]
        assert pairs.details["field"] == "limit"
        odd = BadRequestError(details="free text")  # type: ignore[arg-type]
        assert odd.details["value"] == "free text"

    def test_conflict_error(self) -> None:
        """ConflictError is the 409 APIError: not retryable, caught as APIError, code CONFLICT."""
        error = ConflictError("Version 3 was replaced by version 4", request_id="r1")
        assert (error.status_code, error.code, error.retryable) == (409, "CONFLICT", False)
        assert error.message == "Version 3 was replaced by version 4"
        assert ConflictError().message == "Conflict"
        with pytest.raises(APIError):
            raise error
        assert Error.class_for_code("CONFLICT") is ConflictError

    def test_context_keywords_match_the_typed_declarations(self) -> None:
        """The keywords checked at run time are those of ``RequestContext`` and ``HTTPContext``."""
        from errorkit import _build, _types

        assert tuple(_types.RequestContext.__annotations__) == _build._REQUEST_KEYWORDS
        assert tuple(_types.HTTPContext.__annotations__) == _build._HTTP_KEYWORDS
        assert {"retry_after", "retryable", "details"} <= set(_build._HTTP_KEYWORDS)

    def test_connector_errors_take_no_retry_hint(self) -> None:
        """Connector classes keep their own retry rules: ``retryable=`` is an unknown keyword."""
        with pytest.raises(TypeError, match="'retryable'"):
            ProviderError("p", 503, retryable=False)  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="'details'"):
            PaymentRequiredError("p", details={})  # type: ignore[call-arg]

    # -- RateLimitError -----------------------------------------------------

    @pytest.mark.parametrize(
        ("kwargs", "message", "retry_after"),
        [
            pytest.param({}, "Rate limit exceeded", None, id="none"),
            pytest.param(
                {"retry_after": 30.0}, "Rate limit exceeded. Retry after 30 seconds.", 30.0, id="30"
            ),
            pytest.param(
                {"retry_after": 30}, "Rate limit exceeded. Retry after 30 seconds.", 30.0, id="int"
            ),
            pytest.param(
                {"retry_after": 1.5}, "Rate limit exceeded. Retry after 1.5 seconds.", 1.5, id="1.5"
            ),
            pytest.param(
                {"retry_after": 0}, "Rate limit exceeded. Retry after 0 seconds.", 0.0, id="zero"
            ),
            pytest.param(
                {"retry_after": 1}, "Rate limit exceeded. Retry after 1 seconds.", 1.0, id="one"
            ),
            pytest.param(
                {"retry_after": "1.0"}, "Rate limit exceeded. Retry after 1 seconds.", 1.0, id="1.0"
            ),
            pytest.param(
                {"message": "Too many requests.", "retry_after": 60},
                "Too many requests. Retry after 60 seconds.",
                60.0,
                id="custom-trailing-dot",
            ),
            pytest.param(
                {"message": "Slow down", "retry_after": 2.25},
                "Slow down. Retry after 2.25 seconds.",
                2.25,
                id="custom",
            ),
            pytest.param({"message": "Slow down"}, "Slow down", None, id="custom-no-retry"),
            pytest.param({"retry_after": -1}, "Rate limit exceeded", None, id="negative"),
            pytest.param({"retry_after": math.nan}, "Rate limit exceeded", None, id="nan"),
            pytest.param({"retry_after": math.inf}, "Rate limit exceeded", None, id="inf"),
            pytest.param({"retry_after": -math.inf}, "Rate limit exceeded", None, id="-inf"),
        ],
    )
    def test_rate_limit_message(
        self, kwargs: dict[str, Any], message: str, retry_after: float | None
    ) -> None:
        """RateLimitError appends the retry delay by the documented rendering rules."""
        error = RateLimitError(**kwargs)
        assert error.message == message
        assert str(error) == message
        assert ".." not in error.message
        if retry_after is None:
            assert error.retry_after is None
        else:
            assert error.retry_after == retry_after

    @pytest.mark.parametrize(
        ("value", "seconds", "shown"),
        [("30", 30.0, "30"), ("1.5", 1.5, "1.5"), ("0", 0.0, "0")],
    )
    def test_rate_limit_numeric_string(self, value: str, seconds: float, shown: str) -> None:
        """A numeric-string retry_after is converted to a float."""
        error = RateLimitError(retry_after=value)  # type: ignore[arg-type]
        assert error.retry_after == seconds
        assert isinstance(error.retry_after, float)
        assert error.message == f"Rate limit exceeded. Retry after {shown} seconds."

    def test_rate_limit_details_order(self) -> None:
        """RateLimitError lists retry_after and project_id after the HTTP keys."""
        error = RateLimitError(
            retry_after=30.0,
            project_id="12345",
            request_url="https://mixpanel.com/api/query/insights",
            provider="mixpanel",
        )
        assert error.project_id == "12345"
        assert _items(error) == [
            ("status_code", 429),
            ("request_url", "https://mixpanel.com/api/query/insights"),
            ("provider", "mixpanel"),
            ("retry_after", 30.0),
            ("project_id", "12345"),
        ]
        assert _items(RateLimitError()) == [("status_code", 429)]

    @pytest.mark.parametrize(
        ("project_id", "url"),
        [
            pytest.param(None, FORM_URL, id="none"),
            pytest.param("", FORM_URL, id="empty"),
            pytest.param(
                "12345",
                PREFILL_URL + "usp=pp_url&entry.1636741534=12345",
                id="id",
            ),
            pytest.param(
                "a b&c",
                PREFILL_URL + "usp=pp_url&entry.1636741534=a+b%26c",
                id="escaped",
            ),
        ],
    )
    def test_rate_limit_form_url(self, project_id: str | None, url: str) -> None:
        """rate_limit_form_url is the short form without a project, else the prefilled form."""
        assert RateLimitError(project_id=project_id).rate_limit_form_url == url

    # -- JQLSyntaxError -----------------------------------------------------

    @pytest.mark.parametrize(
        ("raw", "error_type", "error_message", "line_info", "stack_trace"),
        [
            pytest.param(
                JQL_WRAPPED_TYPE_ERROR,
                "TypeError",
                "Cannot read property 'name' of undefined",
                None,
                None,
                id="wrapper-uncaught",
            ),
            pytest.param(
                JQL_LATER_LINE, "SyntaxError", "Unexpected token )", None, None, id="later-line"
            ),
            pytest.param(
                JQL_NO_TYPE,
                "Error",
                "Script execution exceeded the 60 second limit",
                None,
                None,
                id="no-type",
            ),
            pytest.param(
                JQL_CARET,
                "SyntaxError",
                "Unexpected identifier",
                f"{JQL_CODE_LINE}\n{JQL_CARET_LINE}",
                None,
                id="caret",
            ),
            pytest.param(
                JQL_STACK,
                "ReferenceError",
                "usr is not defined",
                None,
                "ReferenceError: usr is not defined\n"
                "    at main (<anonymous>:2:10)\n"
                "    at <anonymous>:5:1",
                id="stack-trace-block",
            ),
            pytest.param(
                JQL_FRAME_ONLY,
                "RangeError",
                "Invalid array length",
                None,
                "at buildBuckets (<anonymous>:3:5)",
                id="frame-only",
            ),
            pytest.param(
                "TypeError: " + JQL_LONG_MESSAGE,
                "TypeError",
                JQL_LONG_MESSAGE[:197] + "...",
                None,
                None,
                id="long",
            ),
            pytest.param(
                "TypeError: " + "y" * 200, "TypeError", "y" * 200, None, None, id="exactly-200"
            ),
            pytest.param(
                JQL_EMPTY,
                "TypeError",
                JQL_EMPTY[:100],
                None,
                "at reducer (<anonymous>:7:13)",
                id="empty-message",
            ),
        ],
    )
    def test_jql_parsing(
        self,
        raw: str,
        error_type: str,
        error_message: str,
        line_info: str | None,
        stack_trace: str | None,
    ) -> None:
        """JQLSyntaxError parses type, message, line info and stack trace from Mixpanel text."""
        error = JQLSyntaxError(raw)
        assert error.error_type == error_type
        assert error.error_message == error_message
        assert len(error.error_message) <= 200
        assert error.line_info == line_info
        assert error.stack_trace == stack_trace
        assert error.raw_error == raw
        expected = f"JQL {error_type}: {error_message}"
        if line_info is not None:
            expected += f"\n{line_info}"
        assert error.message == expected
        assert (error.status_code, error.code) == (412, "JQL_SYNTAX_ERROR")

    def test_jql_caret_message(self) -> None:
        """The JQL message carries the code line and caret line after a newline."""
        error = JQLSyntaxError(JQL_CARET)
        assert error.message == (
            "JQL SyntaxError: Unexpected identifier\n"
            "function main() { return Events({from_date: '2024-01-01' to_date: '2024-01-31'}) }\n"
            "                                                         ^^^^^^^"
        )

    def test_jql_with_script_and_path(self) -> None:
        """With script and request_path, the bodies and details follow the documented layout."""
        script = "function main() { return Events({}).groupBy(['name'], mixpanel.reducer.count()) }"
        error = JQLSyntaxError(JQL_WRAPPED_TYPE_ERROR, script, "/api/2.0/jql")
        assert error.script == script
        assert error.request_path == "/api/2.0/jql"
        assert error.response_body == {"error": JQL_WRAPPED_TYPE_ERROR, "request": "/api/2.0/jql"}
        assert error.request_body == {"script": script}
        assert _items(error) == [
            ("status_code", 412),
            ("response_body", {"error": JQL_WRAPPED_TYPE_ERROR, "request": "/api/2.0/jql"}),
            ("request_body", {"script": script}),
            ("error_type", "TypeError"),
            ("error_message", "Cannot read property 'name' of undefined"),
            ("line_info", None),
            ("stack_trace", None),
            ("script", script),
            ("request_path", "/api/2.0/jql"),
            ("raw_error", JQL_WRAPPED_TYPE_ERROR),
        ]

    def test_jql_without_script(self) -> None:
        """Without script or path, request_body is None and the JQL keys are still all listed."""
        error = JQLSyntaxError(JQL_STACK)
        assert error.response_body == {"error": JQL_STACK}
        assert error.request_body is None
        assert error.script is None
        assert error.request_path is None
        assert _items(error) == [
            ("status_code", 412),
            ("response_body", {"error": JQL_STACK}),
            ("error_type", "ReferenceError"),
            ("error_message", "usr is not defined"),
            ("line_info", None),
            (
                "stack_trace",
                "ReferenceError: usr is not defined\n"
                "    at main (<anonymous>:2:10)\n"
                "    at <anonymous>:5:1",
            ),
            ("script", None),
            ("request_path", None),
            ("raw_error", JQL_STACK),
        ]

    def test_jql_message_redacts_body_text(self) -> None:
        """A composed JQL message masks credentials found in the response text."""
        error = JQLSyntaxError(
            "Uncaught exception Error: fetch https://api.example.com/x?api_key=sk-live-12345 failed"
        )
        assert "sk-live-12345" not in str(error)
        assert error.error_type == "Error"


# ---------------------------------------------------------------------------
# Session replay family
# ---------------------------------------------------------------------------


class TestSessionReplayErrors:
    """SessionReplayError, its three subclasses and their canonical classmethods."""

    @pytest.mark.parametrize(
        ("cls", "status", "code"),
        [
            (SessionReplayError, 500, "SESSION_REPLAY_ERROR"),
            (SessionReplayAccessError, 403, "SESSION_REPLAY_ACCESS_ERROR"),
            (SignedURLExpiredError, 403, "SIGNED_URL_EXPIRED"),
            (ReplayNotFoundError, 404, "REPLAY_NOT_FOUND"),
        ],
    )
    def test_defaults(self, cls: type[SessionReplayError], status: int, code: str) -> None:
        """Each replay class defaults its status and code; the message is kept verbatim."""
        error = cls("replay failed")
        assert (error.message, error.status_code, error.code) == ("replay failed", status, code)
        assert _items(error) == [("status_code", status)]
        assert isinstance(error, SessionReplayError)
        assert isinstance(error, APIError)
        assert error.retryable is (status == 500)  # the status rule: any 5xx but 501
        assert cls("replay failed", status_code=None).status_code == status

    def test_explicit_status_zero_kept(self) -> None:
        """An explicit status_code=0 is kept, not replaced by the class default."""
        error = SessionReplayError("network", status_code=0)
        assert error.status_code == 0
        assert _items(error) == [("status_code", 0)]

    def test_code_override(self) -> None:
        """SessionReplayError accepts a code override; None keeps the class code."""
        assert SessionReplayError("m", code="REPLAY_DECODE_FAILED").code == "REPLAY_DECODE_FAILED"
        assert SessionReplayError("m", code=None).code == "SESSION_REPLAY_ERROR"

    def test_details_merged_after_http_keys(self) -> None:
        """Given details follow the HTTP keys, and an HTTP key already set wins a clash."""
        error = SessionReplayError(
            "m",
            details={"replay_id": "r1", "status_code": 999, "request_url": "x"},
            status_code=502,
            request_url="https://cdn.example.com/r1/0.json",
        )
        assert _items(error) == [
            ("status_code", 502),
            ("request_url", "https://cdn.example.com/r1/0.json"),
            ("replay_id", "r1"),
        ]
        assert error.details["status_code"] == error.status_code

    def test_keyword_only_and_message_required(self) -> None:
        """The details and status are keyword-only, and the message is required."""
        with pytest.raises(TypeError):
            SessionReplayError("m", {"a": 1})  # type: ignore[call-arg,arg-type]
        with pytest.raises(TypeError):
            SessionReplayError()  # type: ignore[call-arg]

    def test_for_project(self) -> None:
        """SessionReplayAccessError.for_project builds the canonical message and details."""
        error = SessionReplayAccessError.for_project(12345)
        assert type(error) is SessionReplayAccessError
        assert error.message == (
            "Project 12345 has SESSION_RECORDING_SENSITIVE_DATA enabled. Your account lacks "
            "sensitive-data access. Contact the project owner to grant the "
            "'sensitive_data_replay' permission, or use a service account that has it."
        )
        assert (error.status_code, error.code) == (403, "SESSION_REPLAY_ACCESS_ERROR")
        assert _items(error) == [
            ("status_code", 403),
            ("project_id", 12345),
            ("flag", "SESSION_RECORDING_SENSITIVE_DATA"),
            ("permission_required", "sensitive_data_replay"),
        ]

    def test_signed_url_for_replay(self) -> None:
        """SignedURLExpiredError.for_replay builds the canonical message with a repr'd id."""
        error = SignedURLExpiredError.for_replay("abc-123", 1700000000.0, 1700000300.0)
        assert type(error) is SignedURLExpiredError
        assert error.message == (
            "Signed URL for replay abc-123 expired (5-minute TTL). Re-sign with "
            "sign_replay('abc-123') or use the default re_sign_on_expiry=True on stream_replay."
        )
        assert (error.status_code, error.code) == (403, "SIGNED_URL_EXPIRED")
        assert _items(error) == [
            ("status_code", 403),
            ("replay_id", "abc-123"),
            ("signed_at", 1700000000.0),
            ("expired_at", 1700000300.0),
        ]

    def test_replay_not_found_for_replay(self) -> None:
        """ReplayNotFoundError.for_replay builds the canonical message and details."""
        error = ReplayNotFoundError.for_replay("abc-123", 30, "https://cdn.example.com/replays/")
        assert type(error) is ReplayNotFoundError
        assert error.message == (
            "Replay abc-123 not found on CDN. The replay may have aged out of its retention "
            "window (30 days), never been recorded, or been deleted."
        )
        assert (error.status_code, error.code) == (404, "REPLAY_NOT_FOUND")
        assert _items(error) == [
            ("status_code", 404),
            ("replay_id", "abc-123"),
            ("retention_days", 30),
            ("cdn_url_prefix", "https://cdn.example.com/replays/"),
        ]


# ---------------------------------------------------------------------------
# Transport errors
# ---------------------------------------------------------------------------


class TestTransportErrors:
    """APIConnectionError and APITimeoutError: no response, builtin second bases."""

    @pytest.mark.parametrize(
        ("cls", "message", "code"),
        [
            (APIConnectionError, "Connection failed", "CONNECTION_ERROR"),
            (APITimeoutError, "Request timed out", "TIMEOUT"),
        ],
    )
    def test_defaults(self, cls: type[APIConnectionError], message: str, code: str) -> None:
        """Both default their message, have no status, and are retryable."""
        for error in (cls(), cls(""), cls(None)):
            assert (error.message, error.code) == (message, code)
            assert str(error) == message
            assert error.status_code is None
            assert error.retryable is True
            assert error.details == {}
            assert error.original_exception is None

    def test_context(self) -> None:
        """The request context is kept as attributes and listed in details."""
        cause = ConnectionRefusedError(111, "Connection refused")
        error = APIConnectionError(
            "Could not connect",
            request_method="GET",
            request_url="https://api.example.com/v1/items",
            provider="example",
            original_exception=cause,
        )
        assert error.message == "Could not connect"
        assert error.request_method == "GET"
        assert error.request_url == "https://api.example.com/v1/items"
        assert error.provider == "example"
        assert error.original_exception is cause
        assert error.__cause__ is cause
        assert _items(error) == [
            ("request_method", "GET"),
            ("request_url", "https://api.example.com/v1/items"),
            ("provider", "example"),
        ]

    def test_keyword_only(self) -> None:
        """Only the message is positional."""
        with pytest.raises(TypeError):
            APIConnectionError("m", "GET")  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            APITimeoutError("m", "GET")  # type: ignore[call-arg]

    def test_catch_builtins(self) -> None:
        """The ConnectionError clause catches both; the TimeoutError clause catches the timeout."""
        with pytest.raises(ConnectionError):
            raise APIConnectionError()
        with pytest.raises(ConnectionError):
            raise APITimeoutError()
        with pytest.raises(TimeoutError):
            raise APITimeoutError()
        with pytest.raises(APIConnectionError):
            raise APITimeoutError()
        assert not isinstance(APIConnectionError(), TimeoutError)

    def test_original_exception_from_raise_from(self) -> None:
        """Without original_exception=, it reflects __cause__ after raise-from."""
        cause = TimeoutError("read timed out")
        error = APITimeoutError()
        with pytest.raises(APITimeoutError):
            _raise_from(error, cause)
        assert error.original_exception is cause


# ---------------------------------------------------------------------------
# OAuth, workspace scope and business context
# ---------------------------------------------------------------------------

ATTEMPTS = [
    ("us", 401, '{"error": "invalid_token"}'),
    ("eu", 0, "Connection refused"),
    ("in", 403, "forbidden"),
]


class TestOAuthAndScopeErrors:
    """OAuthError, RegionProbeError, WorkspaceScopeError and BusinessContextValidationError."""

    @pytest.mark.parametrize(
        "code",
        [
            "OAUTH_TOKEN_ERROR",
            "OAUTH_REFRESH_ERROR",
            "OAUTH_REFRESH_REVOKED",
            "OAUTH_REGISTRATION_ERROR",
            "OAUTH_TIMEOUT",
            "OAUTH_PORT_ERROR",
            "OAUTH_BROWSER_ERROR",
            "OAUTH_REGION_PROBE_FAILED",
            "OAUTH_NETWORK_UNREACHABLE",
            "OAUTH_SOMETHING_NEW",
        ],
    )
    def test_oauth_codes(self, code: str) -> None:
        """OAuthError accepts each documented code, and others, positionally."""
        error = OAuthError("Token exchange failed", code, {"status": 400})
        assert (error.message, error.code) == ("Token exchange failed", code)
        assert _items(error) == [("status", 400)]

    @pytest.mark.parametrize(
        "factory",
        [
            pytest.param(lambda: OAuthError("m"), id="OAuth"),
            pytest.param(lambda: RegionProbeError("m", attempts=ATTEMPTS), id="RegionProbe"),
            pytest.param(lambda: RegionProbeNetworkError("m", attempts=[]), id="Network"),
            pytest.param(lambda: WorkspaceScopeError("m"), id="WorkspaceScope"),
            pytest.param(lambda: BusinessContextValidationError("m"), id="BusinessContext"),
            pytest.param(lambda: BusinessContextValidationError.for_length(60_001), id="ForLength"),
        ],
    )
    def test_not_retryable(self, factory: Callable[[], Error]) -> None:
        """No OAuth, scope or business-context error is retryable."""
        assert factory().retryable is False

    def test_oauth_default(self) -> None:
        """OAuthError defaults to OAUTH_TOKEN_ERROR, empty details and not retryable."""
        error = OAuthError("m")
        assert (error.code, error.details, error.retryable) == ("OAUTH_TOKEN_ERROR", {}, False)

    def test_region_probe(self) -> None:
        """RegionProbeError keeps attempts as tuples and lists them as lists in details."""
        error = RegionProbeError("No region accepted the token", attempts=ATTEMPTS)
        assert error.code == "OAUTH_REGION_PROBE_FAILED"
        assert isinstance(error, OAuthError)
        assert error.attempts == ATTEMPTS
        as_lists = [[region, status, body] for region, status, body in ATTEMPTS]
        assert _items(error) == [("attempts", as_lists)]
        payload = error.to_dict()
        assert list(payload) == ["code", "message", "details", "attempts"]
        assert payload["attempts"] == as_lists
        assert payload["details"]["attempts"] == as_lists
        assert payload["code"] == "OAUTH_REGION_PROBE_FAILED"
        assert payload["message"] == "No region accepted the token"

    def test_region_probe_attempts_copy(self) -> None:
        """The attempts property returns a copy; the caller's list is not aliased either."""
        given = list(ATTEMPTS)
        error = RegionProbeError("m", attempts=given)
        given.append(("au", 500, "x"))
        first = error.attempts
        first.clear()
        assert error.attempts == ATTEMPTS
        assert error.attempts is not error.attempts

    def test_region_probe_code_override_and_keyword_only(self) -> None:
        """RegionProbeError accepts a code override; attempts is keyword-only and required."""
        assert RegionProbeError("m", attempts=[], code="OAUTH_X").code == "OAUTH_X"
        with pytest.raises(TypeError):
            RegionProbeError("m", ATTEMPTS)  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            RegionProbeError("m")  # type: ignore[call-arg]

    def test_region_probe_network(self) -> None:
        """RegionProbeNetworkError has code OAUTH_NETWORK_UNREACHABLE and is a RegionProbeError."""
        attempts = [("us", 0, "unreachable"), ("eu", 0, "unreachable")]
        error = RegionProbeNetworkError("Looks offline", attempts=attempts)
        assert error.code == "OAUTH_NETWORK_UNREACHABLE"
        assert isinstance(error, RegionProbeError)
        assert error.attempts == attempts
        assert error.to_dict()["attempts"] == [["us", 0, "unreachable"], ["eu", 0, "unreachable"]]

    def test_region_probe_network_signature(self) -> None:
        """RegionProbeNetworkError's signature is exactly (message, *, attempts): no code."""
        with pytest.raises(TypeError, match="'code'"):
            cast("Any", RegionProbeNetworkError)("m", attempts=[], code="OAUTH_X")

    @pytest.mark.parametrize(
        "code",
        ["NO_WORKSPACES", "AMBIGUOUS_WORKSPACE", "WORKSPACE_NOT_FOUND", "ORGANIZATION_AMBIGUOUS"],
    )
    def test_workspace_scope_codes(self, code: str) -> None:
        """WorkspaceScopeError accepts each documented code positionally, with details."""
        error = WorkspaceScopeError("Pick a workspace", code, {"workspaces": [1, 2]})
        assert (error.message, error.code) == ("Pick a workspace", code)
        assert _items(error) == [("workspaces", [1, 2])]

    def test_workspace_scope_default(self) -> None:
        """WorkspaceScopeError defaults to NO_WORKSPACES."""
        assert WorkspaceScopeError("none").code == "NO_WORKSPACES"

    def test_business_context_default(self) -> None:
        """BusinessContextValidationError has code BUSINESS_CONTEXT_TOO_LONG and copies details."""
        error = BusinessContextValidationError("too long", {"length": 1})
        assert (error.message, error.code) == ("too long", "BUSINESS_CONTEXT_TOO_LONG")
        assert _items(error) == [("length", 1)]
        assert BUSINESS_CONTEXT_MAX_CHARS == 50_000

    def test_business_context_for_length(self) -> None:
        """for_length builds the canonical message and the length/max details."""
        error = BusinessContextValidationError.for_length(60_123)
        assert type(error) is BusinessContextValidationError
        assert error.message == "content exceeds maximum length of 50000 characters (got 60123)"
        assert _items(error) == [("length", 60123), ("max", 50000)]
        assert error.code == "BUSINESS_CONTEXT_TOO_LONG"


# ---------------------------------------------------------------------------
# Connector family
# ---------------------------------------------------------------------------

UNAUTHORIZED = "fred: API credentials missing or invalid. DO NOT retry with different arguments."
UNAUTHORIZED_ENV = (
    "fred: API credentials missing or invalid — set the FRED_API_KEY env var "
    "(and ensure it is exported). DO NOT retry with different arguments."
)
PAYMENT = (
    "fred: this endpoint or parameter set is not included in your plan. "
    "DO NOT retry; try a different connector or inform the user."
)
BURST_30 = (
    "fred: rate limit hit, retry after 30s. "
    "DO NOT retry this tool immediately; pick a different connector, ask the user, or stop."
)
QUOTA = (
    "fred: API quota exhausted for the current billing period. "
    "DO NOT retry; use a different connector or wait for the next billing cycle."
)
TIMEOUT_408 = (
    "fred: upstream timed out. "
    "DO NOT immediately retry; pick a different connector or inform the user the upstream is slow."
)
EMPTY = (
    "fred: no data returned for the given parameters. "
    "Adjust parameters or try a different connector."
)
PARSE = (
    "fred: response could not be parsed — likely a connector-side schema drift, "
    "retrying will not help. DO NOT retry; pick a different connector or report."
)


def _server(status: int) -> str:
    """Return the pinned 5xx ProviderError message for ``status``."""
    return (
        f"fred: server error (HTTP {status}); likely transient. "
        "Pick a different connector or inform the user; do not loop."
    )


def _rejected(status: int) -> str:
    """Return the pinned other-status ProviderError message for ``status``."""
    return f"fred: request rejected (HTTP {status}). DO NOT retry with the same parameters."


class TestConnectorErrors:
    """ConnectorError and its typed subclasses: agent-facing messages and directives."""

    def test_connector_error(self) -> None:
        """ConnectorError takes the message first and provider keyword-only."""
        cause = RuntimeError("socket closed")
        error = ConnectorError("fetch failed", provider="fred", original_exception=cause)
        assert (error.message, error.code, error.provider) == (
            "fetch failed",
            "CONNECTOR_ERROR",
            "fred",
        )
        assert error.original_exception is cause
        assert error.__cause__ is cause
        assert _items(error) == [("provider", "fred")]
        assert error.retryable is False
        with pytest.raises(TypeError):
            ConnectorError("m", "fred")  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            ConnectorError("m")  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("factory", "message"),
        [
            pytest.param(lambda: UnauthorizedError("fred"), UNAUTHORIZED, id="unauthorized"),
            pytest.param(
                lambda: UnauthorizedError("fred", env_var="FRED_API_KEY"),
                UNAUTHORIZED_ENV,
                id="unauthorized-env",
            ),
            pytest.param(lambda: PaymentRequiredError("fred"), PAYMENT, id="payment"),
            pytest.param(lambda: ConnectorRateLimitError("fred", 30), BURST_30, id="burst"),
            pytest.param(
                lambda: ConnectorRateLimitError("fred", 30.0, quota_exhausted=True),
                QUOTA,
                id="quota",
            ),
            pytest.param(lambda: ProviderError("fred", 408), TIMEOUT_408, id="408"),
            pytest.param(lambda: ProviderError("fred", 500), _server(500), id="500"),
            pytest.param(lambda: ProviderError("fred", 503), _server(503), id="503"),
            pytest.param(lambda: ProviderError("fred", 599), _server(599), id="599"),
            pytest.param(lambda: ProviderError("fred", 400), _rejected(400), id="400"),
            pytest.param(lambda: ProviderError("fred", 404), _rejected(404), id="404"),
            pytest.param(lambda: ProviderError("fred", 418), _rejected(418), id="418"),
            pytest.param(lambda: EmptyDataError("fred"), EMPTY, id="empty"),
            pytest.param(lambda: ParseError("fred"), PARSE, id="parse"),
        ],
    )
    def test_default_messages(self, factory: Callable[[], ConnectorError], message: str) -> None:
        """Each typed connector error has its exact agent-facing default message."""
        error = factory()
        assert error.message == message
        assert str(error) == message
        assert error.provider == "fred"

    def test_burst_message_rounds(self) -> None:
        """The burst message renders retry_after with no decimals."""
        error = ConnectorRateLimitError("fred", 1.5)
        assert error.message.startswith("fred: rate limit hit, retry after 2s. ")
        assert error.retry_after == 1.5

    @pytest.mark.parametrize(
        ("factory", "code", "status"),
        [
            pytest.param(lambda: UnauthorizedError("f"), "PROVIDER_UNAUTHORIZED", 401, id="401"),
            pytest.param(lambda: PaymentRequiredError("f"), "PAYMENT_REQUIRED", 402, id="402"),
            pytest.param(
                lambda: ConnectorRateLimitError("f", 1), "PROVIDER_RATE_LIMITED", 429, id="429"
            ),
            pytest.param(lambda: ProviderError("f", 502), "PROVIDER_ERROR", 502, id="provider"),
        ],
    )
    def test_http_codes_and_statuses(
        self, factory: Callable[[], APIError], code: str, status: int
    ) -> None:
        """The HTTP-ish connector errors have their code and default status."""
        error = factory()
        assert (error.code, error.status_code) == (code, status)
        assert ConnectorError in type(error).__mro__

    @pytest.mark.parametrize(
        ("factory", "code"),
        [
            pytest.param(lambda: EmptyDataError("f"), "EMPTY_DATA", id="empty"),
            pytest.param(lambda: ParseError("f"), "PARSE_ERROR", id="parse"),
            pytest.param(lambda: InvalidParameterError("f", "m"), "INVALID_PARAMETER", id="param"),
            pytest.param(lambda: CatalogNotFoundError("m"), "CATALOG_NOT_FOUND", id="catalog"),
        ],
    )
    def test_other_codes(self, factory: Callable[[], ConnectorError], code: str) -> None:
        """The non-HTTP connector errors have their code."""
        assert factory().code == code

    def test_unauthorized(self) -> None:
        """UnauthorizedError accepts 403, lists provider and env_var, and is an auth error."""
        error = UnauthorizedError("fred", env_var="FRED_API_KEY", status_code=403, request_id="r")
        assert error.status_code == 403
        assert error.env_var == "FRED_API_KEY"
        assert _items(error) == [
            ("status_code", 403),
            ("request_id", "r"),
            ("provider", "fred"),
            ("env_var", "FRED_API_KEY"),
        ]
        assert _items(UnauthorizedError("fred")) == [
            ("status_code", 401),
            ("provider", "fred"),
            ("env_var", None),
        ]
        with pytest.raises(AuthenticationError):
            raise error

    def test_payment_required(self) -> None:
        """PaymentRequiredError lists status_code and provider and is caught as APIError."""
        error = PaymentRequiredError("fred", request_url="https://api.stlouisfed.org/x")
        assert _items(error) == [
            ("status_code", 402),
            ("request_url", "https://api.stlouisfed.org/x"),
            ("provider", "fred"),
        ]
        with pytest.raises(APIError):
            raise error

    def test_connector_rate_limit(self) -> None:
        """ConnectorRateLimitError is a RateLimitError, with retry_after read the same way."""
        error = ConnectorRateLimitError("fred", 30)
        assert error.retry_after == 30.0
        assert error.quota_exhausted is False
        assert _items(error) == [
            ("status_code", 429),
            ("provider", "fred"),
            ("retry_after", 30.0),
            ("quota_exhausted", False),
        ]
        with pytest.raises(RateLimitError) as info:
            raise error
        caught: RateLimitError = info.value
        assert caught.retry_after == 30.0

    def test_connector_rate_limit_is_full_rate_limit_error(self) -> None:
        """A connector 429 answers RateLimitError's own properties too (project_id, form URL)."""
        error: RateLimitError = ConnectorRateLimitError("fred", 30)
        assert error.project_id is None
        assert error.rate_limit_form_url == FORM_URL

    def test_connector_rate_limit_quota_details(self) -> None:
        """The quota flag is listed in details and makes the error not retryable."""
        error = ConnectorRateLimitError("fred", 0, quota_exhausted=True)
        assert _items(error) == [
            ("status_code", 429),
            ("provider", "fred"),
            ("retry_after", 0.0),
            ("quota_exhausted", True),
        ]
        assert error.retryable is False

    @pytest.mark.parametrize(
        "value",
        [86400.5, 86401, 1700000000, 1.7e9, math.inf, 10**400],
    )
    def test_connector_rate_limit_rejects_timestamps(self, value: float) -> None:
        """retry_after above 86400 or infinite is a ValueError naming the value."""
        with pytest.raises(ValueError, match="Unix epoch timestamp") as info:
            ConnectorRateLimitError("fred", value)
        assert repr(value) in str(info.value) or str(value) in str(info.value)

    def test_connector_rate_limit_accepts_one_day(self) -> None:
        """retry_after of exactly 86400 seconds is accepted."""
        assert ConnectorRateLimitError("fred", 86400).retry_after == 86400.0

    @pytest.mark.parametrize(
        "value",
        [-5, -0.5, math.nan, -math.inf, None, -(10**400), Decimal("-1e400")],
        ids=["-5", "-0.5", "nan", "-inf", "None", "attack13: -10**400", "Decimal -1e400"],
    )
    def test_connector_rate_limit_unknown_is_zero(self, value: float | None) -> None:
        """A negative, NaN, -inf or None retry_after is taken as 0.0."""
        error = ConnectorRateLimitError("fred", cast("float", value))
        assert error.retry_after == 0.0
        assert error.message.startswith("fred: rate limit hit, retry after 0s. ")

    def test_connector_rate_limit_numeric_string(self) -> None:
        """A numeric-string retry_after is converted to a float."""
        error = ConnectorRateLimitError("fred", "45")  # type: ignore[arg-type]
        assert error.retry_after == 45.0
        assert isinstance(error.retry_after, float)
        assert error.message.startswith("fred: rate limit hit, retry after 45s. ")
        with pytest.raises(ValueError, match="Unix epoch timestamp"):
            ConnectorRateLimitError("fred", "1700000000")  # type: ignore[arg-type]

    def test_connector_rate_limit_signature(self) -> None:
        """retry_after is required and quota_exhausted is keyword-only."""
        with pytest.raises(TypeError):
            ConnectorRateLimitError("fred")  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            ConnectorRateLimitError("fred", 30, True)  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("status", "retryable"),
        [
            (408, True),
            (429, True),
            (500, True),
            (503, True),
            (599, True),
            (400, False),
            (404, False),
        ],
    )
    def test_provider_error_retryable(self, status: int, retryable: bool) -> None:
        """ProviderError is retryable for 408, 429 and 5xx only."""
        assert ProviderError("fred", status).retryable is retryable

    def test_provider_error(self) -> None:
        """ProviderError requires a status, lists it and provider, and is caught as APIError."""
        error = ProviderError("fred", 503, request_method="GET")
        assert _items(error) == [
            ("status_code", 503),
            ("request_method", "GET"),
            ("provider", "fred"),
        ]
        with pytest.raises(APIError):
            raise error
        with pytest.raises(TypeError):
            ProviderError("fred")  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("factory", "retryable"),
        [
            pytest.param(lambda: ConnectorError("m", provider="f"), False, id="base"),
            pytest.param(lambda: UnauthorizedError("f"), False, id="unauthorized"),
            pytest.param(lambda: PaymentRequiredError("f"), False, id="payment"),
            pytest.param(lambda: ConnectorRateLimitError("f", 3), True, id="burst"),
            pytest.param(
                lambda: ConnectorRateLimitError("f", 3, quota_exhausted=True), False, id="quota"
            ),
            pytest.param(lambda: EmptyDataError("f"), False, id="empty"),
            pytest.param(lambda: ParseError("f"), False, id="parse"),
            pytest.param(lambda: InvalidParameterError("f", "m"), False, id="param"),
            pytest.param(lambda: CatalogNotFoundError("m"), False, id="catalog"),
        ],
    )
    def test_retryable(self, factory: Callable[[], Error], retryable: bool) -> None:
        """Only a burst rate limit (and ProviderError by status) is retryable among connectors."""
        assert factory().retryable is retryable

    @pytest.mark.parametrize(
        "factory",
        [
            pytest.param(lambda m: UnauthorizedError("fred", m), id="unauthorized"),
            pytest.param(
                lambda m: UnauthorizedError("fred", m, env_var="FRED_API_KEY"), id="unauth-env"
            ),
            pytest.param(lambda m: PaymentRequiredError("fred", m), id="payment"),
            pytest.param(lambda m: ConnectorRateLimitError("fred", 30, message=m), id="burst"),
            pytest.param(
                lambda m: ConnectorRateLimitError("fred", 30, quota_exhausted=True, message=m),
                id="quota",
            ),
            pytest.param(lambda m: ProviderError("fred", 503, m), id="provider"),
            pytest.param(lambda m: EmptyDataError("fred", m), id="empty"),
            pytest.param(lambda m: ParseError("fred", m), id="parse"),
        ],
    )
    def test_message_override(self, factory: Callable[[str], ConnectorError]) -> None:
        """A truthy message wins verbatim; an empty one falls back to the default."""
        custom = "FRED said no. Try again tomorrow..."
        assert factory(custom).message == custom
        default = factory("").message
        assert default.startswith("fred: ")
        assert default != custom

    def test_discriminating_attributes_kept_when_overridden(self) -> None:
        """Discriminating attributes are set even when the message is overridden."""
        unauthorized = UnauthorizedError("fred", "custom", env_var="FRED_API_KEY", status_code=403)
        assert (unauthorized.env_var, unauthorized.status_code) == ("FRED_API_KEY", 403)
        limited = ConnectorRateLimitError("fred", 12, quota_exhausted=True, message="custom")
        assert (limited.retry_after, limited.quota_exhausted) == (12.0, True)
        assert limited.retryable is False
        assert _items(limited) == [
            ("status_code", 429),
            ("provider", "fred"),
            ("retry_after", 12.0),
            ("quota_exhausted", True),
        ]
        provider = ProviderError("fred", 503, "custom")
        assert (provider.status_code, provider.retryable) == (503, True)
        empty = EmptyDataError("fred", "custom", {"series_id": "GDP"})
        assert empty.query_params == {"series_id": "GDP"}

    def test_empty_data(self) -> None:
        """EmptyDataError turns query_params None into {}, copies it, and has no directive."""
        error = EmptyDataError("fred")
        assert error.query_params == {}
        assert _items(error) == [("provider", "fred"), ("query_params", {})]
        assert "DO NOT" not in error.message
        params = {"series_id": "GDP", "start": "2020-01-01"}
        with_params = EmptyDataError("fred", query_params=params)
        params["start"] = "changed"
        assert with_params.query_params == {"series_id": "GDP", "start": "2020-01-01"}
        assert _items(with_params) == [
            ("provider", "fred"),
            ("query_params", {"series_id": "GDP", "start": "2020-01-01"}),
        ]

    def test_parse_error_original_exception(self) -> None:
        """ParseError's original_exception is keyword-only and sets __cause__."""
        cause = KeyError("observations")
        error = ParseError("fred", original_exception=cause)
        assert error.original_exception is cause
        assert error.__cause__ is cause
        assert _items(error) == [("provider", "fred")]
        with pytest.raises(TypeError):
            ParseError("fred", "m", cause)  # type: ignore[call-arg]

    def test_retry_message_pydantic(self) -> None:
        """retry_message for a pydantic ValidationError quotes it and asks for a correction."""
        import pydantic

        class Answer(pydantic.BaseModel):
            """A model the LLM output must match."""

            score: int

        try:
            Answer.model_validate({"score": "high"})
        except pydantic.ValidationError as exc:
            validation_error = exc
        else:  # pragma: no cover - the input is invalid
            pytest.fail("validation should have failed")
        error = ParseError("llm", original_exception=validation_error)
        assert error.retry_message() == (
            f"Your response failed schema validation:\n{validation_error}\n\n"
            "Please correct these issues and respond again."
        )

    def test_retry_message_json(self) -> None:
        """retry_message for a JSONDecodeError asks for a JSON object with braces."""
        with pytest.raises(json.JSONDecodeError) as info:
            json.loads("Sure! Here is the answer: score=3")
        error = ParseError("llm", original_exception=info.value)
        assert error.retry_message() == (
            "Your response could not be parsed because no valid JSON object was found. "
            "Please ensure your response contains a JSON object with opening '{' and "
            "closing '}' braces."
        )

    def test_retry_message_other(self) -> None:
        """retry_message for any other exception quotes it and asks for the expected format."""
        error = ParseError("llm", original_exception=ValueError("expected a list of tags"))
        assert error.retry_message() == (
            "Your response could not be parsed: expected a list of tags\n\n"
            "Please ensure your response matches the expected format."
        )

    def test_retry_message_does_not_import_pydantic(self) -> None:
        """retry_message detects pydantic without importing it when it was never imported."""
        code = textwrap.dedent(
            """
            import sys
            from errorkit.exceptions import ParseError
            error = ParseError("llm", original_exception=ValueError("bad"))
            text = error.retry_message()
            assert text.startswith("Your response could not be parsed: bad"), text
            assert "pydantic" not in sys.modules, "pydantic was imported"
            assert "pydantic_core" not in sys.modules, "pydantic_core was imported"
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr

    def test_invalid_parameter(self) -> None:
        """InvalidParameterError uses its required message verbatim and is a ValueError."""
        error = InvalidParameterError("fred", "start_date must be before end_date")
        assert error.message == "start_date must be before end_date"
        assert error.provider == "fred"
        assert _items(error) == [("provider", "fred")]
        with pytest.raises(ValueError, match="start_date must be before end_date"):
            raise error
        with pytest.raises(TypeError):
            InvalidParameterError("fred")  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            pytest.param(
                "Catalog 'macro' not found",
                "Catalog 'macro' not found. DO NOT retry.",
                id="appended",
            ),
            pytest.param(
                "Catalog 'macro' not found.",
                "Catalog 'macro' not found. DO NOT retry.",
                id="trailing-dot",
            ),
            pytest.param(
                "Catalog 'macro' not found. DO NOT retry.",
                "Catalog 'macro' not found. DO NOT retry.",
                id="already-present",
            ),
            pytest.param(
                "Catalog bundle unreachable; DO NOT retry until the index is rebuilt",
                "Catalog bundle unreachable; DO NOT retry until the index is rebuilt",
                id="present-mid-sentence",
            ),
        ],
    )
    def test_catalog_directive(self, given: str, expected: str) -> None:
        """CatalogNotFoundError appends the directive once, never producing '..'."""
        error = CatalogNotFoundError(given)
        assert error.message == expected
        assert error.message.count("DO NOT retry") == 1
        assert ".." not in error.message
        assert error.provider == "catalog"
        assert _items(error) == [("provider", "catalog")]

    def test_catalog_provider_keyword_only(self) -> None:
        """CatalogNotFoundError's provider is keyword-only."""
        assert CatalogNotFoundError("m", provider="fred").provider == "fred"
        with pytest.raises(TypeError):
            CatalogNotFoundError("m", "fred")  # type: ignore[call-arg]

    def test_except_clauses(self) -> None:
        """Second bases make the builtin and APIError-family except clauses catch connectors."""
        with pytest.raises(AuthenticationError):
            raise UnauthorizedError("fred")
        with pytest.raises(APIError):
            raise ProviderError("fred", 500)
        with pytest.raises(APIError):
            raise PaymentRequiredError("fred")
        with pytest.raises(RateLimitError):
            raise ConnectorRateLimitError("fred", 5)
        with pytest.raises(ValueError, match="bad"):
            raise InvalidParameterError("fred", "bad")
        with pytest.raises(ConnectorError):
            raise ConnectorRateLimitError("fred", 5)


# ---------------------------------------------------------------------------
# Tool and feature errors
# ---------------------------------------------------------------------------


class TestToolAndFeatureErrors:
    """ToolError, ToolExecutionError, ToolNotFoundError and FeatureNotSupportedError."""

    @pytest.mark.parametrize(
        "factory",
        [
            pytest.param(lambda: ToolError("m"), id="Tool"),
            pytest.param(lambda: ToolExecutionError(ValueError("x")), id="ToolExecution"),
            pytest.param(lambda: ToolExecutionError("x"), id="ToolExecutionStr"),
            pytest.param(lambda: ToolNotFoundError("x"), id="ToolNotFound"),
            pytest.param(lambda: FeatureNotSupportedError("f", "p"), id="Feature"),
        ],
    )
    def test_not_retryable(self, factory: Callable[[], Error]) -> None:
        """No tool or feature error is retryable."""
        assert factory().retryable is False

    def test_tool_error(self) -> None:
        """ToolError keeps its message and has code TOOL_ERROR."""
        error = ToolError("tool crashed")
        assert (error.message, error.code, error.details) == ("tool crashed", "TOOL_ERROR", {})
        assert error.retryable is False

    def test_tool_execution_with_exception(self) -> None:
        """ToolExecutionError keeps the tool's exception, uses its text and chains it."""
        raised = ZeroDivisionError("division by zero")
        error = ToolExecutionError(raised)
        assert error.message == "division by zero"
        assert error.code == "TOOL_EXECUTION_ERROR"
        assert error.tool_exception is raised
        assert error.__cause__ is raised
        assert error.original_exception is raised
        assert _items(error) == [("tool_exception_type", "ZeroDivisionError")]
        assert isinstance(error, ToolError)

    def test_tool_execution_with_str(self) -> None:
        """A str argument becomes the message and tool_exception is ValueError(message)."""
        error = ToolExecutionError("city must not be empty")
        assert error.message == "city must not be empty"
        assert type(error.tool_exception) is ValueError
        assert error.tool_exception.args == ("city must not be empty",)
        assert error.__cause__ is error.tool_exception
        assert _items(error) == [("tool_exception_type", "ValueError")]

    def test_tool_execution_empty_exception_text(self) -> None:
        """A tool exception with empty text still gives a non-empty message."""
        assert str(ToolExecutionError(RuntimeError()))

    def test_tool_not_found(self) -> None:
        """ToolNotFoundError names the missing tool."""
        error = ToolNotFoundError("get_weather")
        assert error.message == "Tool 'get_weather' not found in registered tools"
        assert error.tool_name == "get_weather"
        assert error.code == "TOOL_NOT_FOUND"
        assert isinstance(error, ToolError)

    def test_feature_not_supported(self) -> None:
        """FeatureNotSupportedError names feature and provider, and the model when given."""
        error = FeatureNotSupportedError("structured_output", "anthropic")
        assert error.message == (
            "Feature 'structured_output' is not supported by provider 'anthropic'"
        )
        assert (error.feature, error.provider_id, error.model_id) == (
            "structured_output",
            "anthropic",
            None,
        )
        assert error.code == "FEATURE_NOT_SUPPORTED"
        with_model = FeatureNotSupportedError("audio", "openai", "gpt-4o-mini")
        assert with_model.message == (
            "Feature 'audio' is not supported by provider 'openai' for model 'gpt-4o-mini'"
        )
        assert with_model.model_id == "gpt-4o-mini"

    def test_feature_not_supported_override(self) -> None:
        """A truthy message wins verbatim; the attributes are still set."""
        error = FeatureNotSupportedError("audio", "openai", None, "No audio here")
        assert error.message == "No audio here"
        assert (error.feature, error.provider_id) == ("audio", "openai")
        assert FeatureNotSupportedError("audio", "openai", message="").message == (
            "Feature 'audio' is not supported by provider 'openai'"
        )


# ---------------------------------------------------------------------------
# Keyword checking for classes collecting **context
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "args"),
    [
        pytest.param(APIError, ("m",), id="APIError"),
        pytest.param(BadRequestError, (), id="BadRequest"),
        pytest.param(QueryError, (), id="Query"),
        pytest.param(AuthenticationError, (), id="Auth"),
        pytest.param(PermissionDeniedError, (), id="Perm"),
        pytest.param(NotFoundError, (), id="NotFound"),
        pytest.param(RateLimitError, (), id="RateLimit"),
        pytest.param(ServerError, (), id="Server"),
        pytest.param(SessionReplayError, ("m",), id="Replay"),
        pytest.param(SessionReplayAccessError, ("m",), id="ReplayAccess"),
        pytest.param(SignedURLExpiredError, ("m",), id="SignedURL"),
        pytest.param(ReplayNotFoundError, ("m",), id="ReplayNotFound"),
        pytest.param(UnauthorizedError, ("f",), id="Unauthorized"),
        pytest.param(PaymentRequiredError, ("f",), id="Payment"),
        pytest.param(ConnectorRateLimitError, ("f", 1), id="ConnectorRateLimit"),
        pytest.param(ProviderError, ("f", 500), id="Provider"),
    ],
)
def test_misspelt_keyword_rejected(cls: type[Error], args: tuple[Any, ...]) -> None:
    """A misspelt keyword collected by **context raises TypeError naming that keyword."""
    factory = cast("Any", cls)
    kwargs: dict[str, Any] = {"reqest_url": "https://api.example.com/v1"}
    if cls is APIError:
        kwargs["status_code"] = 500
    with pytest.raises(TypeError, match="reqest_url"):
        factory(*args, **kwargs)
