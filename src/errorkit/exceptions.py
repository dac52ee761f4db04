"""The errorkit exception hierarchy: one tree for API clients, connectors and agent tools.

Every error carries a stable machine-readable ``code``, a human and agent readable
``message`` and a ``details`` dict, serializes to safe JSON with ``to_dict()``, and
survives pickle, ``copy`` and ``deepcopy``. HTTP failures carry their request and
response context; builtin second bases make ``except TimeoutError`` and friends work.

```text
Error                                             UNKNOWN_ERROR                 base of all
├── ConfigError                                   CONFIG_ERROR                  local setup
│   ├── AccountNotFoundError                      ACCOUNT_NOT_FOUND             no such account
│   ├── AccountExistsError                        ACCOUNT_EXISTS                name taken
│   ├── AccountInUseError                         ACCOUNT_IN_USE                still referenced
│   ├── InvalidArgumentError                      INVALID_ARGUMENT              bad combination
│   ├── ProjectNotFoundError                      PROJECT_NOT_FOUND             not accessible
│   ├── MissingAPIKeyError                        MISSING_API_KEY               env var unset
│   └── NoRegisteredProviderError                 NO_REGISTERED_PROVIDER        unknown model
├── APIError                                      API_ERROR                     HTTP failure
│   ├── BadRequestError                           BAD_REQUEST              400  also 422
│   │   └── QueryError                            QUERY_FAILED             400  query rejected
│   │       └── JQLSyntaxError                    JQL_SYNTAX_ERROR         412  script failed
│   ├── AuthenticationError                       AUTH_FAILED              401  bad credentials
│   ├── PermissionDeniedError                     PERMISSION_DENIED        403  not allowed
│   ├── NotFoundError                             NOT_FOUND                404  no such resource
│   ├── ConflictError                             CONFLICT                 409  state clash
│   ├── RateLimitError                            RATE_LIMITED             429  wait retry_after
│   ├── ServerError                               SERVER_ERROR             500  any 5xx
│   └── SessionReplayError                        SESSION_REPLAY_ERROR     500  replay failed
│       ├── SessionReplayAccessError              SESSION_REPLAY_ACCESS_ERROR 403
│       ├── SignedURLExpiredError                 SIGNED_URL_EXPIRED       403  re-sign URL
│       └── ReplayNotFoundError                   REPLAY_NOT_FOUND         404  aged out
├── APIConnectionError (+ ConnectionError)        CONNECTION_ERROR              no response
│   └── APITimeoutError (+ TimeoutError)          TIMEOUT                       timed out
├── OAuthError                                    OAUTH_TOKEN_ERROR             OAuth flow
│   └── RegionProbeError                          OAUTH_REGION_PROBE_FAILED     no region
│       └── RegionProbeNetworkError               OAUTH_NETWORK_UNREACHABLE     offline
├── WorkspaceScopeError                           NO_WORKSPACES                 scope unresolved
├── BusinessContextValidationError                BUSINESS_CONTEXT_TOO_LONG     over 50,000 chars
├── ConnectorError                                CONNECTOR_ERROR               carries .provider
│   ├── UnauthorizedError (+ AuthenticationError) PROVIDER_UNAUTHORIZED    401  also 403
│   ├── PaymentRequiredError (+ APIError)         PAYMENT_REQUIRED         402  plan limit
│   ├── ConnectorRateLimitError (+ RateLimitError) PROVIDER_RATE_LIMITED   429  burst or quota
│   ├── ProviderError (+ APIError)                PROVIDER_ERROR                status required
│   ├── EmptyDataError                            EMPTY_DATA                    no rows
│   ├── ParseError                                PARSE_ERROR                   unparseable
│   ├── InvalidParameterError (+ ValueError)      INVALID_PARAMETER             bad call argument
│   └── CatalogNotFoundError                      CATALOG_NOT_FOUND             bundle missing
├── ToolError                                     TOOL_ERROR                    agent tools
│   ├── ToolExecutionError                        TOOL_EXECUTION_ERROR          tool raised
│   └── ToolNotFoundError                         TOOL_NOT_FOUND                unknown tool
└── FeatureNotSupportedError                      FEATURE_NOT_SUPPORTED         provider lacks it
```

The contract, in short:

* ``code`` is UPPER_SNAKE and unique per class; ``details`` holds the structured
  context listed per class (keys in a fixed order), and ``to_dict()`` returns
  ``{"code", "message", "details"}`` made JSON-safe, with secrets masked and long
  strings cut, whatever the caller put in.
* Default messages are the canonical agent-facing text: connector messages end in a
  directive (``DO NOT retry ...``) an agent loop can act on. ``retryable`` is their
  machine-readable twin.
* Constructors never raise on odd input; they raise ``TypeError`` only for a missing
  argument or an unknown keyword, and ``ValueError`` where a class documents it.
* This module is for operational failures. Programmer errors (a wrong type, a bad
  call) stay the builtin ``TypeError`` and ``ValueError``.
"""

from __future__ import annotations

from errorkit import _build, _coerce
from errorkit._build import _declared, _store_args, typing_names
from errorkit._coerce import MASKED as _MASKED
from errorkit._coerce import bool_of, dict_of, list_of, safe_text, safety, text_or_none

# ``typing`` costs more than the rest of errorkit: the typing-only names load on first use.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any, ClassVar

    from typing_extensions import Self, Unpack

    from errorkit._types import (
        ErrorDict,
        HTTPContext,
        RegionProbeErrorDict,
        RequestContext,
        Violation,
    )

# fmt: off
__all__ = [
    "APIConnectionError", "APIError", "APITimeoutError", "AccountExistsError", "AccountInUseError",
    "AccountNotFoundError", "AuthenticationError", "BUSINESS_CONTEXT_MAX_CHARS", "BadRequestError",
    "BusinessContextValidationError", "CatalogNotFoundError", "ConfigError", "ConflictError",
    "ConnectorError", "ConnectorRateLimitError", "DIRECTIVE_BURST", "DIRECTIVE_CATALOG",
    "DIRECTIVE_CREDENTIALS", "DIRECTIVE_PARSE", "DIRECTIVE_PLAN", "DIRECTIVE_QUOTA",
    "DIRECTIVE_REJECTED", "DIRECTIVE_TIMEOUT", "DIRECTIVE_TRANSIENT", "DIRECTIVE_UNREACHABLE",
    "EXIT_AUTH", "EXIT_FAILURE", "EXIT_INVALID_ARGUMENTS", "EXIT_NOT_FOUND", "EXIT_RATE_LIMITED",
    "EmptyDataError", "Error", "ErrorDict", "FeatureNotSupportedError", "HTTPContext",
    "InvalidArgumentError", "InvalidParameterError", "JQLSyntaxError", "MissingAPIKeyError",
    "NoRegisteredProviderError", "NotFoundError", "OAuthError", "ParseError",
    "PaymentRequiredError", "PermissionDeniedError", "ProjectNotFoundError", "ProviderError",
    "QueryError", "RateLimitError", "RegionProbeError", "RegionProbeErrorDict",
    "RegionProbeNetworkError", "ReplayNotFoundError", "RequestContext", "ServerError",
    "SessionReplayAccessError", "SessionReplayError", "SignedURLExpiredError", "ToolError",
    "ToolExecutionError", "ToolNotFoundError", "UnauthorizedError", "Violation",
    "WorkspaceScopeError",
]
# fmt: on

# --- Support types and constants -----------------------------------------------------------------

BUSINESS_CONTEXT_MAX_CHARS = 50_000
"""Largest business-context text accepted, in characters."""

DIRECTIVE_CREDENTIALS = "DO NOT retry with different arguments."
"""Ends credential messages: fix the credentials, not the arguments."""
DIRECTIVE_PLAN = "DO NOT retry; try a different connector or inform the user."
"""Ends plan-restriction messages."""
DIRECTIVE_BURST = (
    "DO NOT retry this tool immediately; pick a different connector, ask the user, or stop."
)
"""Ends burst rate-limit messages."""
DIRECTIVE_QUOTA = "DO NOT retry; use a different connector or wait for the next billing cycle."
"""Ends exhausted-quota messages."""
DIRECTIVE_TIMEOUT = (
    "DO NOT immediately retry; pick a different connector or inform the user the upstream is slow."
)
"""Ends upstream-timeout (408) messages."""
DIRECTIVE_UNREACHABLE = (
    "DO NOT immediately retry; pick a different connector or inform the user the upstream "
    "is unreachable."
)
"""Ends unreachable-upstream messages (``connector_error_for_transport``)."""
DIRECTIVE_TRANSIENT = "Pick a different connector or inform the user; do not loop."
"""Ends upstream 5xx messages."""
DIRECTIVE_REJECTED = "DO NOT retry with the same parameters."
"""Ends messages for other rejected requests (4xx)."""
DIRECTIVE_PARSE = "DO NOT retry; pick a different connector or report."
"""Ends unparseable-response messages."""
DIRECTIVE_CATALOG = "DO NOT retry."
"""Appended to catalog-not-found messages that lack a directive."""

EXIT_FAILURE = 1
"""Exit status for any other failure."""
EXIT_AUTH = 2
"""Exit status for authentication and permission failures."""
EXIT_INVALID_ARGUMENTS = 3
"""Exit status for invalid queries, arguments or business context."""
EXIT_NOT_FOUND = 4
"""Exit status for something that does not exist."""
EXIT_RATE_LIMITED = 5
"""Exit status for rate limits."""

__getattr__ = typing_names(__name__)  # ``ErrorDict`` and the other typing-only names

# --- Base class ----------------------------------------------------------------------------------


class Error(Exception):
    """Base class of every errorkit error: catch it to handle them all.

    Subclasses declare their defaults as class attributes: ``code``, ``default_message`` (a
    template filled from the error's own attributes), ``status_code`` for HTTP, ``retryable``.

    ``details`` is built on first read, as a snapshot of the error's fields (each class puts its
    own keys in a fixed order, before the caller's; an optional key is left out when its value
    is None); it is then kept, so later changes to the attributes do not show in it. A key of
    the caller's details that names an optional field left out (``retry_after``, ``retryable``,
    ``provider``...) stands for that field, as ``from_dict`` reads it back.

    Args:
        message: Human-readable text; empty or None means the default message.
        code: Machine-readable code; None keeps the class's code.
        details: Extra structured context, copied; errorkit's own keys win over these.
    """

    code: str = "UNKNOWN_ERROR"
    default_message: ClassVar[str | None] = None
    retryable: bool = False
    exit_code: ClassVar[int] = EXIT_FAILURE
    _details: dict[str, Any]
    _extra: dict[Any, Any]
    _original_exception: BaseException | None

    # What a class declares for the machinery; ``errorkit._build`` documents each.
    _fields: ClassVar[tuple[str, ...]] = ()
    _other_codes: ClassVar[tuple[str, ...]] = ()
    _exception_attributes: ClassVar[tuple[str, ...]] = ()
    _by_code: ClassVar[dict[str, type[Error]]] = {}
    _by_status: ClassVar[dict[int, type[APIError]]] = {}
    _by_range: ClassVar[list[tuple[range, type[APIError]]]] = []
    _message_switch: ClassVar[tuple[str, ...] | None] = None
    _status_messages: ClassVar[tuple[tuple[range, str], ...]] = ()
    _converters: ClassVar[tuple[tuple[str, Callable[[Any], Any]], ...]] = ()
    _fast_reads: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, *, statuses: Iterable[int] = (), **kwargs: Any) -> None:
        """Register the class's codes, and its HTTP ``statuses`` (a range last) for an APIError."""
        super().__init_subclass__(**kwargs)
        _build._subclassed(cls, statuses)

    def __init__(
        self, message: str | None, code: str | None = None, details: Mapping[Any, Any] | None = None
    ) -> None:
        if type(message) is not str or not message:
            message = text_or_none(message) or self._default_message()
        _store_args(self, (_MASKED.get(message) or safe_text(message),))  # memo: seen before
        if code is not None and bool_of(code):
            self.code = safe_text(code) if type(code) is str else code
        if details is not None:
            self._extra = dict_of(details)
            _build._fields_from_details(self)  # a caller's key may stand for a field

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> Self:
        """Rebuild an error from a ``to_dict()`` payload, e.g. one received as JSON.

        The class is ``class_for_code(payload["code"])`` (``cls`` itself when it subclasses it),
        else ``RegionProbeError`` for a payload with ``attempts``, else ``cls`` keeping that
        code. Message, details and the fields held in them are restored, so
        ``Error.from_dict(e.to_dict()).to_dict() == e.to_dict()``.

        Args:
            payload: A mapping with ``code`` (a non-empty str), ``message`` (a str) and
                ``details`` (a mapping); other keys are ignored.

        Raises:
            ValueError: When the payload is malformed, or its code's class is not a ``cls``.
        """
        return _build._rebuilt(cls, payload)  # type: ignore[return-value]

    @staticmethod
    def class_for_code(code: str) -> type[Error] | None:
        """Return the class registered for an error code (alternative codes included), or None."""
        return Error._by_code.get(code)

    @staticmethod
    def class_for_status(status_code: int) -> type[APIError]:
        """Return the ``APIError`` class for an HTTP error status.

        The exact status first (400 and 422 give ``BadRequestError``), then a range (5xx
        gives ``ServerError``), then ``APIError``; a numeric string is converted.

        Raises:
            ValueError: When the status is below 400 (not an error) or not a number.
        """
        return _build._class_for_status(status_code)

    def to_problem_details(self) -> dict[str, Any]:
        """Return this error as an RFC 9457 ``application/problem+json`` document."""
        from errorkit.problem import to_problem_details

        return to_problem_details(self)

    @classmethod
    def from_problem_details(cls, document: Mapping[str, Any]) -> Self:
        """Turn a server's problem details document into an error, by ``code`` else ``status``.

        Raises:
            ValueError: When the document is not a problem details object.
        """
        from errorkit.problem import from_problem_details

        return from_problem_details(document, cls)

    @property
    def details(self) -> dict[str, Any]:
        """The structured context: this error's fields, then the caller's own keys."""
        try:
            return self._details
        except AttributeError:
            details = self._details = self._snapshot()
            return details

    @details.setter
    def details(self, value: Mapping[Any, Any]) -> None:
        self._details = dict_of(value)

    # Plumbing, in ``errorkit._build``.
    _snapshot = _build._snapshot
    _restore_fields = _build._restore_fields
    _message_template = _build._message_template
    __deepcopy__ = _build._deepcopied
    _default_message = _build._default_message
    _chain = _build._chained

    @property
    def original_exception(self) -> BaseException | None:
        """The exception that caused this one (``raise error from exc`` too), or None.

        Kept apart from ``__cause__``, which a process pool replaces with the worker's
        traceback text: an unpickled or copied error keeps the cause it had.
        """
        return _build._cause_of(self)

    def to_dict(self) -> ErrorDict:
        """Return a new JSON-safe dict with the keys ``code``, ``message``, ``details``.

        Secrets are masked, long strings cut and other values converted, so
        ``json.dumps(error.to_dict(), allow_nan=False)`` always works.
        """
        return safety.error_dict(self)  # type: ignore[return-value]

    def to_json(self) -> str:
        """Return ``json.dumps(self.to_dict(), allow_nan=False)``, byte for byte, but faster.

        Plain values with nothing to mask or cut are encoded in C; the rest takes ``to_dict()``.
        """
        return safety.error_json(self, Error.to_dict)

    message: str = _build._message
    """The message, its secrets masked: also ``str(error)`` and ``error.args[0]``.

    Read from ``args`` and masked on the way out, so text written into ``args`` never
    shows raw; empty or missing text reads as the default message.
    """
    __str__ = _build._str
    __repr__ = _build._repr
    args: tuple[Any, ...] = _build._args  # written after construction, masked too
    add_note = _build._noted  # a traceback prints notes: each is masked as a message is

    # Pickling, in ``errorkit._pickling`` (loaded on first use, through ``errorkit._build``).
    __reduce_ex__ = _build._reduced
    __reduce__ = _build._reduced_v2
    __setstate__ = _build._state_set


Error._by_code[Error.code] = Error

# --- Configuration errors ------------------------------------------------------------------------


class ConfigError(Error):
    """Configuration files, environment variables or credentials are not usable."""

    code = "CONFIG_ERROR"

    @_declared
    def __init__(self, message: str, details: Mapping[Any, Any] | None = None) -> None: ...


class AccountNotFoundError(ConfigError):
    """The named account is not configured; ``available_accounts`` lists those that are.

    Args:
        account_name: The account that was asked for.
        available_accounts: The accounts that are configured; None means none.
    """

    code = "ACCOUNT_NOT_FOUND"
    exit_code = EXIT_NOT_FOUND
    account_name: str
    available_accounts: list[str]
    default_message = "Account '{account_name}' not found. Available accounts: {available_accounts}"
    empty_message: ClassVar[str] = "Account '{account_name}' not found. No accounts configured."
    _fields = ("account_name", "available_accounts")
    _message_switch = ("available_accounts", "default_message", "empty_message")
    _converters = (("available_accounts", list_of),)

    @_declared
    def __init__(
        self, account_name: str, available_accounts: Iterable[str] | None = None
    ) -> None: ...


class AccountExistsError(ConfigError):
    """An account with this name already exists.

    Args:
        account_name: The account that already exists.
    """

    code = "ACCOUNT_EXISTS"
    default_message = "Account '{account_name}' already exists."
    account_name: str
    _fields = ("account_name",)

    @_declared
    def __init__(self, account_name: str) -> None: ...


class AccountInUseError(ConfigError):
    """The account is referenced by targets; pass ``force=True`` to remove it anyway.

    Args:
        account_name: The account that was to be removed.
        referenced_by: The targets that reference it; None means none are known.
    """

    code = "ACCOUNT_IN_USE"
    default_message = (
        "Account '{account_name}' is referenced by target(s): {referenced_by}. "
        "Pass `force=True` to remove anyway."
    )
    empty_message: ClassVar[str] = (
        "Account '{account_name}' is in use. Pass `force=True` to remove."
    )
    account_name: str
    referenced_by: list[str]
    _fields = ("account_name", "referenced_by")
    _message_switch = ("referenced_by", "default_message", "empty_message")
    _converters = (("referenced_by", list_of),)

    @_declared
    def __init__(self, account_name: str, referenced_by: Iterable[str] | None = None) -> None: ...


class InvalidArgumentError(ConfigError):
    """A call combined arguments that cannot be used together; see ``violation``.

    Args:
        violation: The rule broken: one of the values of ``Violation``.
        detected_auth_type: The kind of credential that was detected, when known.
    """

    code = "INVALID_ARGUMENT"
    exit_code = EXIT_INVALID_ARGUMENTS
    violation: Violation
    detected_auth_type: str | None
    _fields = ("violation", "detected_auth_type?")
    _converters = (("violation", _build._violation),)

    @_declared
    def __init__(
        self, message: str, *, violation: Violation, detected_auth_type: str | None = None
    ) -> None: ...


class ProjectNotFoundError(ConfigError):
    """The project is not accessible; ``available_projects`` lists those that are.

    Args:
        project_id: The project that was asked for.
        available_projects: The projects that are accessible; None means none.
    """

    code = "PROJECT_NOT_FOUND"
    exit_code = EXIT_NOT_FOUND
    default_message = "Project '{project_id}' not found. Available projects: {available_projects}"
    empty_message: ClassVar[str] = (
        "Project '{project_id}' not found. No accessible projects discovered."
    )
    project_id: str
    available_projects: list[str]
    _fields = ("project_id", "available_projects")
    _message_switch = ("available_projects", "default_message", "empty_message")
    _converters = (("available_projects", list_of),)

    @_declared
    def __init__(
        self, project_id: str, available_projects: Iterable[str] | None = None
    ) -> None: ...


class MissingAPIKeyError(ConfigError):
    """No API key is available for a provider: set the named environment variable.

    Args:
        provider_id: The provider that needs the key.
        env_var: The environment variable that should hold it.
    """

    code = "MISSING_API_KEY"
    exit_code = EXIT_AUTH
    default_message = "No API key found for {provider_id}. Set the {env_var} environment variable."
    provider_id: str
    env_var: str
    _fields = ("provider_id", "env_var")

    @_declared
    def __init__(self, provider_id: str, env_var: str) -> None: ...


class NoRegisteredProviderError(ConfigError):
    """No provider is registered for the requested model id.

    Args:
        model_id: The model id that was asked for.
    """

    code = "NO_REGISTERED_PROVIDER"
    default_message = (
        "No provider registered for model '{model_id}'. "
        "Register a provider for this model's prefix, or check the model id for a typo."
    )
    model_id: str
    _fields = ("model_id",)

    @_declared
    def __init__(self, model_id: str) -> None: ...


# --- HTTP errors: a response came back with a failing status -------------------------------------


class APIError(Error):
    """An HTTP request failed with a status; carries the request and response context.

    ``status_code`` is required here; the subclasses default it (None means the class
    status). ``details`` lists ``status_code``, the context that is not None, the server's
    ``retry_after`` and ``retryable`` hints, then the caller's own ``details``.

    ``retryable`` follows the status: 408, 425, 429 and every 5xx but 501 are
    transient. A ``retryable=`` hint (a server's ``x-should-retry`` header) wins.

    Args:
        status_code: The HTTP status of the response.
        **context: The request context: the keywords of the TypedDict the signature unpacks
            (``HTTPContext``, or ``RequestContext`` for a connector's HTTP failures).
    """

    code = "API_ERROR"
    default_message = "HTTP {status_code} error"
    status_code: int
    response_body: Any
    request_method: str | None
    request_url: str | None
    request_params: Mapping[str, Any] | None
    request_body: Any
    request_id: str | None
    _provider: Any
    _retry_after: Any
    _request: tuple[Any, ...]
    _fields: ClassVar[tuple[str, ...]] = _build._HTTP_FIELDS

    @_declared
    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        **context: Unpack[HTTPContext],
    ) -> None: ...

    # What an HTTP class declares for the machinery, and its plumbing: see ``errorkit._build``.
    _class_status: ClassVar[object] = None
    _status_rule: ClassVar[bool] = True
    _status_verdict = staticmethod(_coerce.is_retryable_status)
    _unretryable_when: ClassVar[str | None] = None
    _says_retry_after: ClassVar[bool] = False
    _no_wait: ClassVar[float | None] = None
    _wait_ceiling: ClassVar[float] = float("inf")
    _read_wait = staticmethod(_coerce.wait_seconds)
    _fast_reads: ClassVar[tuple[str, ...]] = ("provider", "retry_after")
    _retryable_by_rule = _build._retryable_by_rule
    _restore_fields = _build._restore_http_fields

    @property
    def provider(self) -> str | None:
        """The provider that answered, when known."""
        return self._provider  # type: ignore[no-any-return]

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked to wait before retrying, or None when it did not say."""
        return self._retry_after  # type: ignore[no-any-return]


class _DefaultStatusError(APIError):
    """An ``APIError`` whose class fixes the status and the code: the message is optional."""

    @_declared
    def __init__(
        self,
        message: str | None = None,
        *,
        status_code: int | None = None,
        **context: Unpack[HTTPContext],
    ) -> None: ...


class BadRequestError(_DefaultStatusError, statuses=(400, 422)):
    """The request was malformed or semantically invalid (HTTP 400, also 422)."""

    code = "BAD_REQUEST"
    exit_code = EXIT_INVALID_ARGUMENTS
    default_message = "Bad request"
    status_code = 400


class QueryError(BadRequestError):
    """A query was rejected: invalid parameters or a query-specific failure."""

    code = "QUERY_FAILED"
    default_message = "Query execution failed"


class JQLSyntaxError(QueryError):
    """A JQL script failed with a syntax or runtime error (HTTP 412).

    The raw Mixpanel error text is parsed into ``error_type``, ``error_message``,
    ``line_info`` (the code line and its caret line) and ``stack_trace``.

    Args:
        raw_error: The error text Mixpanel returned.
        script: The JQL script that ran, when known.
        request_path: The API path that ran it, when known.
    """

    code = "JQL_SYNTAX_ERROR"
    status_code = 412
    _fields = (
        "error_type",
        "error_message",
        "line_info",
        "stack_trace",
        "script",
        "request_path",
        "raw_error",
    )
    error_type: str
    error_message: str
    line_info: str | None
    stack_trace: str | None
    script: str | None
    request_path: str | None
    raw_error: str

    def __init__(
        self, raw_error: str, script: str | None = None, request_path: str | None = None
    ) -> None:
        from errorkit import _jql

        _jql.build(self, raw_error, script, request_path)


class AuthenticationError(_DefaultStatusError, statuses=(401,)):
    """The credentials were missing, invalid or expired (HTTP 401)."""

    code = "AUTH_FAILED"
    exit_code = EXIT_AUTH
    default_message = "Authentication failed"
    status_code = 401


class PermissionDeniedError(_DefaultStatusError, statuses=(403,)):
    """The credentials are valid but not allowed to do this (HTTP 403)."""

    code = "PERMISSION_DENIED"
    exit_code = EXIT_AUTH
    default_message = "Permission denied"
    status_code = 403


class NotFoundError(_DefaultStatusError, statuses=(404,)):
    """The requested resource does not exist (HTTP 404)."""

    code = "NOT_FOUND"
    exit_code = EXIT_NOT_FOUND
    default_message = "Resource not found"
    status_code = 404


class ConflictError(_DefaultStatusError, statuses=(409,)):
    """The request conflicts with the resource's current state (HTTP 409)."""

    code = "CONFLICT"
    default_message = "Conflict"
    status_code = 409


class RateLimitError(_DefaultStatusError, statuses=(429,)):
    """Too many requests (HTTP 429): wait ``retry_after`` seconds when it is known.

    Args:
        message: What was limited; ``Retry after {n} seconds.`` is appended when the delay is known.
        project_id: The project whose limit was hit; it prefills ``rate_limit_form_url``.
    """

    code = "RATE_LIMITED"
    exit_code = EXIT_RATE_LIMITED
    default_message = "Rate limit exceeded"
    status_code = 429
    retryable = True
    project_id: str | None
    _fields: ClassVar[tuple[str, ...]] = ("project_id?",)
    _says_retry_after = True
    _status_verdict = staticmethod(_build._always)  # a rate limit clears by itself

    @_declared
    def __init__(
        self,
        message: str | None = None,
        *,
        project_id: str | None = None,
        status_code: int | None = None,
        **context: Unpack[HTTPContext],
    ) -> None: ...

    @property
    def rate_limit_form_url(self) -> str:
        """The form for requesting a higher rate limit, prefilled with the project id."""
        return _build._form_url(self.project_id)


class ServerError(_DefaultStatusError, statuses=range(500, 600)):
    """The server failed (any HTTP 5xx); usually transient."""

    code = "SERVER_ERROR"
    default_message = "Server error"
    status_code = 500


class SessionReplayError(APIError):
    """A session-replay call failed; catch it to handle any replay failure."""

    code = "SESSION_REPLAY_ERROR"
    status_code = 500

    @_declared
    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        **context: Unpack[HTTPContext],
    ) -> None: ...


class SessionReplayAccessError(SessionReplayError):
    """The project has SESSION_RECORDING_SENSITIVE_DATA on and the caller lacks access."""

    code = "SESSION_REPLAY_ACCESS_ERROR"
    exit_code = EXIT_AUTH
    status_code = 403

    @classmethod
    def for_project(cls, project_id: int | str) -> Self:
        """Build the canonical error for a project whose replays need sensitive-data access."""
        return _build._replays_guarded(cls, project_id)


class SignedURLExpiredError(SessionReplayError):
    """A signed CDN URL expired mid-fetch (5-minute TTL); re-sign and retry."""

    code = "SIGNED_URL_EXPIRED"
    status_code = 403

    @classmethod
    def for_replay(cls, replay_id: str, signed_at: float, expired_at: float) -> Self:
        """Build the canonical error for a replay whose signed URL expired."""
        return _build._url_expired(cls, replay_id, signed_at, expired_at)


class ReplayNotFoundError(SessionReplayError):
    """The replay's first CDN file is missing: aged out, never recorded, or deleted."""

    code = "REPLAY_NOT_FOUND"
    exit_code = EXIT_NOT_FOUND
    status_code = 404

    @classmethod
    def for_replay(cls, replay_id: str, retention_days: int, cdn_url_prefix: str) -> Self:
        """Build the canonical error for a replay that is not on the CDN."""
        return _build._replay_missing(cls, replay_id, retention_days, cdn_url_prefix)


# --- Transport errors: no response came back -----------------------------------------------------


class APIConnectionError(Error, ConnectionError):
    """The request never got a response: DNS, TLS, refused or dropped connection.

    Args:
        request_method: The HTTP method of the request, when known.
        request_url: The URL of the request, when known; ``to_dict()`` masks its secrets.
        provider: The provider that was called, when known.
        original_exception: The transport exception that caused this one.
    """

    code = "CONNECTION_ERROR"
    default_message = "Connection failed"
    retryable = True
    status_code: int | None = None
    request_method: str | None
    request_url: str | None
    _provider: Any
    _fields = ("request_method?", "request_url?", "provider?")
    _fast_reads = ("provider",)  # for a class that is also an APIError

    @_declared
    def __init__(
        self,
        message: str | None = None,
        *,
        request_method: str | None = None,
        request_url: str | None = None,
        provider: str | None = None,
        original_exception: BaseException | None = None,
    ) -> None: ...

    @property
    def provider(self) -> str | None:
        """The provider that was called, when known."""
        return self._provider  # type: ignore[no-any-return]


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request timed out before a response arrived."""

    code = "TIMEOUT"
    default_message = "Request timed out"


# --- OAuth, scope and business-context errors ----------------------------------------------------


class OAuthError(Error):
    """An OAuth flow step failed; ``code`` says which (``OAUTH_TOKEN_ERROR``, ...).

    Documented codes: OAUTH_TOKEN_ERROR, OAUTH_REFRESH_ERROR, OAUTH_REFRESH_REVOKED,
    OAUTH_REGISTRATION_ERROR, OAUTH_TIMEOUT, OAUTH_PORT_ERROR, OAUTH_BROWSER_ERROR,
    OAUTH_REGION_PROBE_FAILED, OAUTH_NETWORK_UNREACHABLE; others are accepted.
    """

    code = "OAUTH_TOKEN_ERROR"
    exit_code = EXIT_AUTH
    _other_codes = (
        "OAUTH_REFRESH_ERROR",
        "OAUTH_REFRESH_REVOKED",
        "OAUTH_REGISTRATION_ERROR",
        "OAUTH_TIMEOUT",
        "OAUTH_PORT_ERROR",
        "OAUTH_BROWSER_ERROR",
    )


class RegionProbeError(OAuthError):
    """No region accepted the credential; ``attempts`` lists each probe's outcome.

    Args:
        attempts: One ``(region, status_code, error_body)`` tuple per probe; status 0 means
            the request never reached the server.
    """

    code = "OAUTH_REGION_PROBE_FAILED"
    _attempts: list[Any]

    def __init__(
        self, message: str, *, attempts: Iterable[tuple[str, int, str]], code: str | None = None
    ) -> None:
        Error.__init__(self, message, code, {"attempts": _build._probes_kept(self, attempts)})

    _restore_fields = _build._restore_probes

    @property
    def attempts(self) -> list[tuple[str, int, str]]:
        """A copy of the probe attempts, in order."""
        return list(self._attempts)

    def to_dict(self) -> RegionProbeErrorDict:
        """Return the base dict plus ``attempts`` at the top level."""
        return _build._with_probes(super().to_dict())


class RegionProbeNetworkError(RegionProbeError):
    """Every region probe failed at the network layer: the machine looks offline."""

    code = "OAUTH_NETWORK_UNREACHABLE"
    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, attempts: Iterable[tuple[str, int, str]]) -> None:
        RegionProbeError.__init__(self, message, attempts=attempts)


class WorkspaceScopeError(Error):
    """A workspace or organization could not be resolved; ``code`` says why.

    Codes: NO_WORKSPACES, AMBIGUOUS_WORKSPACE, WORKSPACE_NOT_FOUND, ORGANIZATION_AMBIGUOUS.
    """

    code = "NO_WORKSPACES"
    exit_code = EXIT_INVALID_ARGUMENTS
    _other_codes = ("AMBIGUOUS_WORKSPACE", "WORKSPACE_NOT_FOUND", "ORGANIZATION_AMBIGUOUS")


class BusinessContextValidationError(Error):
    """Business-context text failed validation before it was sent (too long)."""

    code = "BUSINESS_CONTEXT_TOO_LONG"
    exit_code = EXIT_INVALID_ARGUMENTS

    @_declared
    def __init__(self, message: str, details: Mapping[Any, Any] | None = None) -> None: ...

    @classmethod
    def for_length(cls, length: int) -> Self:
        """Build the canonical error for text of ``length`` characters."""
        return _build._too_long(cls, length, BUSINESS_CONTEXT_MAX_CHARS)


# --- Connector errors: agent-facing messages ending in a directive -------------------------------


class ConnectorError(Error):
    """A data connector failed talking to its provider; ``provider`` names the source.

    Args:
        provider: The connector's provider.
        original_exception: The exception that caused this one.
    """

    code = "CONNECTOR_ERROR"
    _provider: Any
    _fields: ClassVar[tuple[str, ...]] = ("provider",)
    _fast_reads: ClassVar[tuple[str, ...]] = ("provider",)

    @_declared
    def __init__(
        self, message: str, *, provider: str, original_exception: BaseException | None = None
    ) -> None: ...

    @property
    def provider(self) -> str:
        """The provider (connector source) that failed."""
        return self._provider  # type: ignore[no-any-return]


class UnauthorizedError(ConnectorError, AuthenticationError):
    """The provider rejected or lacks credentials (401/403): set the env var, don't retry.

    Args:
        env_var: The environment variable that should hold the key, named by the message.
    """

    code = "PROVIDER_UNAUTHORIZED"
    default_message = "{provider}: API credentials missing or invalid. " + DIRECTIVE_CREDENTIALS
    env_var_message: ClassVar[str] = (
        "{provider}: API credentials missing or invalid — set the {env_var} env var "
        "(and ensure it is exported). " + DIRECTIVE_CREDENTIALS
    )
    env_var: str | None
    _fields = ("env_var",)
    _message_switch = ("env_var", "env_var_message")

    @_declared
    def __init__(
        self,
        provider: str,
        message: str | None = None,
        *,
        env_var: str | None = None,
        status_code: int = 401,
        **context: Unpack[RequestContext],
    ) -> None: ...


class PaymentRequiredError(ConnectorError, APIError):
    """The user's plan does not include this endpoint or parameter set (402)."""

    code = "PAYMENT_REQUIRED"
    default_message = (
        "{provider}: this endpoint or parameter set is not included in your plan. " + DIRECTIVE_PLAN
    )
    status_code = 402

    @_declared
    def __init__(
        self,
        provider: str,
        message: str | None = None,
        *,
        status_code: int | None = None,
        **context: Unpack[RequestContext],
    ) -> None: ...


class ConnectorRateLimitError(ConnectorError, RateLimitError):
    """The provider rate-limited the call (429): a short burst, or an exhausted quota.

    ``retry_after`` is a duration in seconds (0 to 86400), never None as the base's may be.

    Args:
        retry_after: Seconds to wait; negative, NaN or None means 0.0, above 86400 is an error.
        quota_exhausted: True when the quota is used up.
    """

    code = "PROVIDER_RATE_LIMITED"
    default_message = (
        "{provider}: rate limit hit, retry after {retry_after:.0f}s. " + DIRECTIVE_BURST
    )
    quota_message: ClassVar[str] = (
        "{provider}: API quota exhausted for the current billing period. " + DIRECTIVE_QUOTA
    )
    quota_exhausted: bool
    project_id = None
    _status_rule = False
    _unretryable_when = "quota_exhausted"  # a quota clears only next billing period
    _converters = (("quota_exhausted", _coerce.truth_of),)
    _message_switch = ("quota_exhausted", "quota_message")
    _says_retry_after = False
    _no_wait = 0.0
    _wait_ceiling = 86400.0
    _fields = ("retry_after", "quota_exhausted")
    _fast_reads = ("retry_after",)

    @_declared
    def __init__(
        self,
        provider: str,
        retry_after: float,
        *,
        quota_exhausted: bool = False,
        message: str | None = None,
        status_code: int | None = None,
        **context: Unpack[RequestContext],
    ) -> None: ...

    _read_wait = staticmethod(_build._duration)  # at most a day; 0.0 when not a usable number

    @property
    def retry_after(self) -> float:
        """Seconds to wait before retrying (0.0 when the provider gave none)."""
        seconds = self._retry_after
        return 0.0 if seconds is None else seconds


class ProviderError(ConnectorError, APIError):
    """Any other HTTP failure from the provider: 5xx, other 4xx, or a timeout (408).

    Args:
        status_code: The HTTP status (required); it picks the default message and ``retryable``.
    """

    code = "PROVIDER_ERROR"
    timeout_message: ClassVar[str] = "{provider}: upstream timed out. " + DIRECTIVE_TIMEOUT
    server_message: ClassVar[str] = (
        "{provider}: server error (HTTP {status_code}); likely transient. " + DIRECTIVE_TRANSIENT
    )
    default_message = "{provider}: request rejected (HTTP {status_code}). " + DIRECTIVE_REJECTED
    _status_messages = ((range(408, 409), "timeout_message"), (range(500, 600), "server_message"))

    @_declared
    def __init__(
        self,
        provider: str,
        status_code: int,
        message: str | None = None,
        **context: Unpack[RequestContext],
    ) -> None: ...


class EmptyDataError(ConnectorError):
    """The call succeeded but returned no rows: adjust the parameters.

    Args:
        query_params: The parameters of the call; None means ``{}``.
    """

    code = "EMPTY_DATA"
    default_message = (
        "{provider}: no data returned for the given parameters. "
        "Adjust parameters or try a different connector."
    )
    query_params: dict[Any, Any]
    _fields = ("query_params",)
    _converters = (("query_params", dict_of),)

    @_declared
    def __init__(
        self,
        provider: str,
        message: str | None = None,
        query_params: Mapping[str, Any] | None = None,
    ) -> None: ...


class ParseError(ConnectorError):
    """The response (or an LLM's output) could not be parsed into the expected shape."""

    code = "PARSE_ERROR"
    default_message = (
        "{provider}: response could not be parsed — likely a connector-side schema drift, "
        "retrying will not help. " + DIRECTIVE_PARSE
    )

    @_declared
    def __init__(
        self,
        provider: str,
        message: str | None = None,
        *,
        original_exception: BaseException | None = None,
    ) -> None: ...

    @classmethod
    def from_validation_error(cls, provider: str, exc: BaseException) -> Self:
        """Wrap a pydantic ``ValidationError`` so ``retry_message()`` carries its corrections."""
        return cls(provider, original_exception=exc)

    def retry_message(self) -> str:
        """Return text to send back to an LLM so it can correct its output.

        The text depends on ``original_exception``: a pydantic ``ValidationError`` (its
        corrections quoted), a ``json.JSONDecodeError``, or anything else (its text).
        """
        return _build._retry_message(self)


class InvalidParameterError(ConnectorError, ValueError):
    """A call-time argument is invalid; the message is used verbatim."""

    code = "INVALID_PARAMETER"
    exit_code = EXIT_INVALID_ARGUMENTS

    @_declared
    def __init__(self, provider: str, message: str) -> None: ...


class CatalogNotFoundError(ConnectorError):
    """A catalog bundle is missing or unreachable; the message always says not to retry."""

    code = "CATALOG_NOT_FOUND"
    exit_code = EXIT_NOT_FOUND
    default_message = "Catalog bundle not found"

    def __init__(self, message: str, *, provider: str = "catalog") -> None:
        super().__init__(_build._directed(self, message, DIRECTIVE_CATALOG), provider=provider)


# --- Tool and feature errors ---------------------------------------------------------------------


class ToolError(Error):
    """A tool an agent called failed."""

    code = "TOOL_ERROR"

    @_declared
    def __init__(self, message: str) -> None: ...


class ToolExecutionError(ToolError):
    """A tool raised while executing; ``tool_exception`` is what it raised.

    Args:
        tool_exception: What the tool raised; a string becomes a ``ValueError``.
    """

    code = "TOOL_EXECUTION_ERROR"
    default_message = "Tool raised {tool_exception_type}"
    tool_exception: BaseException
    tool_exception_type: str
    _exception_attributes = ("tool_exception",)
    _fields = ("tool_exception_type",)

    def __init__(self, tool_exception: BaseException | str) -> None:
        Error.__init__(self, _build._tool_failed(self, tool_exception))

    _restore_fields = _build._restore_tool


class ToolNotFoundError(ToolError):
    """A tool call named a tool that is not registered.

    Args:
        tool_name: The tool the call named.
    """

    code = "TOOL_NOT_FOUND"
    exit_code = EXIT_NOT_FOUND
    default_message = "Tool '{tool_name}' not found in registered tools"
    tool_name: str
    _fields = ("tool_name",)

    @_declared
    def __init__(self, tool_name: str) -> None: ...


class FeatureNotSupportedError(Error):
    """The provider (or one of its models) does not support a requested feature.

    Args:
        feature: The feature that was asked for.
        provider_id: The provider that lacks it.
        model_id: The model that lacks it, when it is model-specific.
    """

    code = "FEATURE_NOT_SUPPORTED"
    default_message = "Feature '{feature}' is not supported by provider '{provider_id}'"
    feature: str
    provider_id: str
    model_id: str | None
    _fields = ("feature", "provider_id", "model_id?")

    @_declared
    def __init__(
        self,
        feature: str,
        provider_id: str,
        model_id: str | None = None,
        message: str | None = None,
    ) -> None: ...

    _message_template = _build._for_model
