"""errorkit: typed, picklable, log-safe exceptions for API clients and agent tools.

``import errorkit`` gives the whole hierarchy (see ``errorkit.exceptions``), the
HTTP mapping helpers (``errorkit.http_mapping``) and the redaction helpers.
"""

from __future__ import annotations

import sys

from errorkit._build import _TYPES, typing_names
from errorkit.exceptions import (
    BUSINESS_CONTEXT_MAX_CHARS,
    DIRECTIVE_BURST,
    DIRECTIVE_CATALOG,
    DIRECTIVE_CREDENTIALS,
    DIRECTIVE_PARSE,
    DIRECTIVE_PLAN,
    DIRECTIVE_QUOTA,
    DIRECTIVE_REJECTED,
    DIRECTIVE_TIMEOUT,
    DIRECTIVE_TRANSIENT,
    DIRECTIVE_UNREACHABLE,
    EXIT_AUTH,
    EXIT_FAILURE,
    EXIT_INVALID_ARGUMENTS,
    EXIT_NOT_FOUND,
    EXIT_RATE_LIMITED,
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from errorkit._types import (
        ErrorDict,
        HTTPContext,
        RegionProbeErrorDict,
        RequestContext,
        Violation,
    )
    from errorkit.http_mapping import (
        connector_error_for_status,
        connector_error_for_timeout,
        connector_error_for_transport,
        connector_error_from_response,
        error_class_for_status,
        error_for_status,
        error_from_exception,
        error_from_response,
        find_error,
        map_exceptions,
        parse_retry_after,
        raise_for_status,
        retry_after_from_headers,
    )
    from errorkit.redaction import add_sensitive_keys, redact_text, redact_url

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AccountExistsError",
    "AccountInUseError",
    "AccountNotFoundError",
    "AuthenticationError",
    "BUSINESS_CONTEXT_MAX_CHARS",
    "BadRequestError",
    "BusinessContextValidationError",
    "CatalogNotFoundError",
    "ConfigError",
    "ConflictError",
    "ConnectorError",
    "ConnectorRateLimitError",
    "DIRECTIVE_BURST",
    "DIRECTIVE_CATALOG",
    "DIRECTIVE_CREDENTIALS",
    "DIRECTIVE_PARSE",
    "DIRECTIVE_PLAN",
    "DIRECTIVE_QUOTA",
    "DIRECTIVE_REJECTED",
    "DIRECTIVE_TIMEOUT",
    "DIRECTIVE_TRANSIENT",
    "DIRECTIVE_UNREACHABLE",
    "EXIT_AUTH",
    "EXIT_FAILURE",
    "EXIT_INVALID_ARGUMENTS",
    "EXIT_NOT_FOUND",
    "EXIT_RATE_LIMITED",
    "EmptyDataError",
    "Error",
    "ErrorDict",
    "FeatureNotSupportedError",
    "HTTPContext",
    "InvalidArgumentError",
    "InvalidParameterError",
    "JQLSyntaxError",
    "MissingAPIKeyError",
    "NoRegisteredProviderError",
    "NotFoundError",
    "OAuthError",
    "ParseError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "ProjectNotFoundError",
    "ProviderError",
    "QueryError",
    "RateLimitError",
    "RegionProbeError",
    "RegionProbeErrorDict",
    "RegionProbeNetworkError",
    "ReplayNotFoundError",
    "RequestContext",
    "ServerError",
    "SessionReplayAccessError",
    "SessionReplayError",
    "SignedURLExpiredError",
    "ToolError",
    "ToolExecutionError",
    "ToolNotFoundError",
    "UnauthorizedError",
    "Violation",
    "WorkspaceScopeError",
    "__version__",
    "add_sensitive_keys",
    "connector_error_for_status",
    "connector_error_for_timeout",
    "connector_error_for_transport",
    "connector_error_from_response",
    "error_class_for_status",
    "error_for_status",
    "error_from_exception",
    "error_from_response",
    "find_error",
    "map_exceptions",
    "parse_retry_after",
    "raise_for_status",
    "redact_text",
    "redact_url",
    "retry_after_from_headers",
]

_typing_names = typing_names(__name__)


# Loaded on first access: ``import errorkit`` loads the classes and what building them needs.
_REDACTION = frozenset({"add_sensitive_keys", "redact_text", "redact_url"})
_MODULES = frozenset({"http_mapping", "problem", "redaction", "safety"})


def _submodule(name: str) -> object:
    """``errorkit.{name}``, imported now if it was not yet."""
    __import__(f"errorkit.{name}")
    return sys.modules[f"errorkit.{name}"]


def __getattr__(name: str) -> object:
    """Load a submodule, a mapping or redaction helper, or a typing-only name on first access."""
    if name in _MODULES:
        return _submodule(name)
    if name in _REDACTION:
        value = getattr(_submodule("redaction"), name)
    elif name in __all__ and name not in _TYPES:  # a mapping helper
        value = getattr(_submodule("http_mapping"), name)
    else:
        value = _typing_names(name)
    globals()[name] = value  # kept: later reads are plain attribute reads, not this call
    return value


def __dir__() -> list[str]:
    """Every public name, those loaded on first use included."""
    return sorted({*globals(), *__all__})
