"""``exit_code``: the process exit status a command-line tool built on errorkit should use."""

from __future__ import annotations

import pytest

import errorkit
from errorkit import exceptions as ek
from tests.samples import all_error_classes, sample

# Conventions of the mixpanel_headless CLI: authentication 2, query / invalid argument /
# business context 3, not found 4, rate limit 5, anything else 1.
EXPECTED = {
    ek.Error: 1,
    ek.ConfigError: 1,
    ek.AccountNotFoundError: 4,
    ek.AccountExistsError: 1,
    ek.AccountInUseError: 1,
    ek.InvalidArgumentError: 3,
    ek.ProjectNotFoundError: 4,
    ek.MissingAPIKeyError: 2,
    ek.NoRegisteredProviderError: 1,
    ek.APIError: 1,
    ek.BadRequestError: 3,
    ek.QueryError: 3,
    ek.JQLSyntaxError: 3,
    ek.AuthenticationError: 2,
    ek.PermissionDeniedError: 2,
    ek.NotFoundError: 4,
    ek.ConflictError: 1,
    ek.RateLimitError: 5,
    ek.ServerError: 1,
    ek.SessionReplayError: 1,
    ek.SessionReplayAccessError: 2,
    ek.SignedURLExpiredError: 1,
    ek.ReplayNotFoundError: 4,
    ek.APIConnectionError: 1,
    ek.APITimeoutError: 1,
    ek.OAuthError: 2,
    ek.RegionProbeError: 2,
    ek.RegionProbeNetworkError: 1,
    ek.WorkspaceScopeError: 3,
    ek.BusinessContextValidationError: 3,
    ek.ConnectorError: 1,
    ek.UnauthorizedError: 2,
    ek.PaymentRequiredError: 1,
    ek.ConnectorRateLimitError: 5,
    ek.ProviderError: 1,
    ek.EmptyDataError: 1,
    ek.ParseError: 1,
    ek.InvalidParameterError: 3,
    ek.CatalogNotFoundError: 4,
    ek.ToolError: 1,
    ek.ToolExecutionError: 1,
    ek.ToolNotFoundError: 4,
    ek.FeatureNotSupportedError: 1,
}


def test_every_class_is_listed() -> None:
    """The table covers every class in the tree."""
    assert set(EXPECTED) == set(all_error_classes())


@pytest.mark.parametrize(
    ("cls", "code"), EXPECTED.items(), ids=lambda v: getattr(v, "__name__", "")
)
def test_exit_code(cls: type[ek.Error], code: int) -> None:
    """Each class and its instances carry the conventional exit code."""
    assert cls.exit_code == code
    assert sample(cls).exit_code == code


def test_exit_code_constants() -> None:
    """The named constants hold the conventional numbers."""
    assert (
        errorkit.EXIT_FAILURE,
        errorkit.EXIT_AUTH,
        errorkit.EXIT_INVALID_ARGUMENTS,
        errorkit.EXIT_NOT_FOUND,
        errorkit.EXIT_RATE_LIMITED,
    ) == (1, 2, 3, 4, 5)
