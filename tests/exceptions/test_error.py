"""The base class ``Error`` and the tree it roots: what every error does by inheritance.

The tree drawn in ``errorkit.exceptions``'s docstring is compared with the real classes;
then the behaviour the base gives every subclass: default and masked messages, copied
details, codes, causes, ``retryable``, strict keywords and tolerated odd input.
"""

from __future__ import annotations

import enum
import gc
import json
import re
from typing import Any

import pytest

import errorkit
from errorkit import _build
from errorkit import exceptions as ek
from tests.samples import SECRET

# --- the tree drawn in the module docstring ---------------------------------------------


_TREE_LINE = re.compile(
    r"^(?P<indent>(?:│   |    )*)(?:[├└]── )?(?P<name>\w+)"
    r"(?: \(\+ (?P<extra>\w+)\))?\s+(?P<code>[A-Z_]+)(?:\s+(?P<status>\d{3}))?"
)


def _docstring_tree() -> list[tuple[int, str, str | None, str, int | None]]:
    doc = ek.__doc__ or ""
    lines = doc[doc.index("\nError ") + 1 :].split("\n```", 1)[0].splitlines()
    rows = []
    for line in lines:
        match = _TREE_LINE.match(line)
        assert match, line
        depth = len(match["indent"]) // 4 + (0 if match["name"] == "Error" else 1)
        status = int(match["status"]) if match["status"] else None
        rows.append((depth, match["name"], match["extra"], match["code"], status))
    return rows


def _public_children(cls: type[ek.Error]) -> list[type[ek.Error]]:
    """The subclasses whose first base is ``cls``, looking through private bases."""
    found = []
    for child in cls.__subclasses__():
        if child.__bases__[0] is cls:
            private = child.__name__.startswith("_")
            found.extend(_public_children(child) if private else [child])
    return found


def _real_tree() -> list[tuple[int, str, str | None, str, int | None]]:
    rows = []

    def visit(cls: type[ek.Error], depth: int) -> None:
        extra = cls.__bases__[1].__name__ if len(cls.__bases__) > 1 else None
        status = getattr(cls, "status_code", None)
        rows.append((depth, cls.__name__, extra, cls.code, status))
        for child in _public_children(cls):
            visit(child, depth + 1)

    visit(ek.Error, 0)
    return rows


def test_docstring_tree_matches_classes() -> None:
    """The tree in the module docstring lists the real classes, bases, codes and statuses."""
    assert _docstring_tree() == _real_tree()


# --- behaviour shared by the base ---------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ek.Error(""), "Error"),
        (ek.Error(None), "Error"),
        (ek.ConfigError(""), "ConfigError"),
        (ek.ToolError(""), "ToolError"),
        (ek.OAuthError(""), "OAuthError"),
        (ek.ConnectorError("", provider="p"), "ConnectorError"),
        (ek.BadRequestError(""), "Bad request"),
        (ek.APIError("", status_code=502), "HTTP 502 error"),
        (ek.APITimeoutError(""), "Request timed out"),
        (ek.ToolExecutionError(TimeoutError()), "Tool raised TimeoutError"),
    ],
)
def test_empty_message_falls_back(error: ek.Error, expected: str) -> None:
    """An empty or None message gives the default message or the class name, never ''."""
    assert str(error) == expected


def test_details_are_copied_not_aliased() -> None:
    """The caller's details mapping is copied; changing it later changes nothing."""
    given = {"a": 1}
    error = ek.Error("m", details=given)
    given["a"] = 2
    assert error.details == {"a": 1}
    assert ek.Error("m").details == {} == ek.Error("m", details={}).details


def test_code_defaults_to_class_code() -> None:
    """``code`` defaults to the class code and accepts the documented alternatives."""
    assert ek.Error("m").code == "UNKNOWN_ERROR"
    assert ek.OAuthError("m").code == "OAUTH_TOKEN_ERROR"
    assert ek.OAuthError("m", "OAUTH_TIMEOUT").code == "OAUTH_TIMEOUT"
    assert ek.WorkspaceScopeError("m", code="ORGANIZATION_AMBIGUOUS").code == (
        "ORGANIZATION_AMBIGUOUS"
    )


class _StrCode(str, enum.Enum):
    REVOKED = "OAUTH_REFRESH_REVOKED"


class _PlainCode(enum.Enum):
    TIMEOUT = "OAUTH_TIMEOUT"


@pytest.mark.parametrize("code", [_StrCode.REVOKED, _PlainCode.TIMEOUT], ids=["str Enum", "Enum"])
def test_attack8_an_enum_code_serializes_as_its_value(code: enum.Enum) -> None:
    """An Enum member as ``code`` is kept as given, and its value is the code in ``to_dict()``.

    Its ``str()`` (``_StrCode.REVOKED``) stood there before, so ``from_dict`` lost the class.
    """
    error = ek.OAuthError("m", code=code)  # type: ignore[arg-type]
    kept: object = error.code
    assert kept is code
    payload = error.to_dict()
    assert payload["code"] == code.value
    assert error.to_json() == json.dumps(payload, allow_nan=False)
    rebuilt = ek.Error.from_dict(payload)
    assert type(rebuilt) is ek.OAuthError
    assert rebuilt.to_dict() == payload


@pytest.mark.parametrize("text", ["", None], ids=["empty", "None"])
def test_attack8_a_message_set_empty_reads_as_the_default(text: Any) -> None:
    """Setting ``message`` to nothing gives the default message, as the constructor does."""
    error = ek.ToolNotFoundError("search")
    error.message = text
    assert error.message == "Tool 'search' not found in registered tools"
    assert error.args == (error.message,)
    assert error.to_dict()["message"] == error.message


def test_attack8_a_subclass_reading_its_message_its_own_way_serializes_it() -> None:
    """``to_dict()`` and ``to_json()`` take the message a subclass's ``message`` gives.

    They read ``args`` directly when nothing needed masking, whatever the class's property.
    """

    class Tagged(ek.ToolError):
        @property
        def message(self) -> str:  # type: ignore[override]  # read-only: the test only reads it
            return f"[tool] {self.args[0]}"

    try:
        for details in (None, {"raw": b"bytes"}):  # the plain path, then the safe walker
            error = Tagged("boom")
            if details:
                error.details.update(details)
            assert error.to_dict()["message"] == "[tool] boom" == str(error)
            assert json.loads(error.to_json())["message"] == "[tool] boom"
    finally:  # other tests walk ``Error.__subclasses__()``: leave the tree as it was
        del Tagged
        gc.collect()


def test_message_is_masked_at_construction() -> None:
    """A caller's message is masked once, so ``str()``, ``args`` and ``to_dict()`` agree."""
    error = ek.Error(f"login failed: password={SECRET}")
    assert str(error) == "login failed: password=***"
    assert error.args == ("login failed: password=***",)
    assert error.to_dict()["message"] == str(error)


def test_long_strings_are_cut_in_to_dict() -> None:
    """A 100,000-character value is cut to 8192 characters with a marker; the attribute keeps it."""
    body = "x" * 100_000
    error = ek.ServerError(response_body=body)
    shown = error.to_dict()["details"]["response_body"]
    assert len(shown) == 8192
    assert shown.endswith(f"...[truncated {100_000 - shown.index('...')} chars]")
    assert error.response_body == body


def test_original_exception_sets_and_reflects_cause() -> None:
    """``original_exception=`` sets ``__cause__``; otherwise the property reflects it."""
    cause = OSError("down")
    assert ek.ServerError(original_exception=cause).__cause__ is cause
    with pytest.raises(ek.ToolError) as caught:
        raise ek.ToolError("m") from cause
    assert caught.value.original_exception is cause
    assert ek.ToolError("m").original_exception is None


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (ek.RateLimitError(), True),
        (ek.ConnectorRateLimitError("p", 5), True),
        (ek.ConnectorRateLimitError("p", 5, quota_exhausted=True), False),
        (ek.ServerError(), True),
        (ek.APIConnectionError(), True),
        (ek.APITimeoutError(), True),
        (ek.ProviderError("p", 408), True),
        (ek.ProviderError("p", 429), True),
        (ek.ProviderError("p", 500), True),
        (ek.ProviderError("p", 599), True),
        (ek.ProviderError("p", 404), False),
        (ek.ProviderError("p", 400), False),
        (ek.APIError("m", status_code=503), True),
        (ek.APIError("m", status_code=501), False),
        (ek.BadRequestError(), False),
        (ek.AuthenticationError(), False),
        (ek.UnauthorizedError("p"), False),
        (ek.PaymentRequiredError("p"), False),
        (ek.Error("m"), False),
    ],
)
def test_retryable(error: ek.Error, retryable: bool) -> None:
    """``retryable`` is true for rate limits, transport failures and 408/425/429/5xx but 501."""
    assert error.retryable is retryable


@pytest.mark.parametrize(
    "build",
    [
        lambda: ek.APIError("m", status_code=500, reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.BadRequestError(reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.RateLimitError(reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.ServerError(reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.SessionReplayError("m", reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.UnauthorizedError("p", reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.ProviderError("p", 500, reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.ConnectorRateLimitError("p", 1, reqest_url="x"),  # type: ignore[call-arg]
        lambda: ek.PaymentRequiredError("p", reqest_url="x"),  # type: ignore[call-arg]
    ],
)
def test_misspelt_keyword_is_a_type_error(build: Any) -> None:
    """An unknown keyword collected by ``**context`` raises TypeError naming it."""
    with pytest.raises(TypeError, match="reqest_url"):
        build()


def test_odd_input_is_tolerated() -> None:
    """Numeric strings are converted and odd containers accepted, never raising."""
    assert ek.APIError("m", status_code="429").status_code == 429  # type: ignore[arg-type]
    assert ek.RateLimitError(retry_after="30").retry_after == 30.0  # type: ignore[arg-type]
    assert ek.ConnectorRateLimitError("p", "12").retry_after == 12.0  # type: ignore[arg-type]
    assert ek.AccountNotFoundError(None, ("a", "b")).available_accounts == ["a", "b"]  # type: ignore[arg-type]
    assert ek.Error("m", details=[("a", 1)]).details == {"a": 1}  # type: ignore[arg-type]
    assert ek.Error("m", details=["x", "y"]).details == {"value": ["x", "y"]}  # type: ignore[arg-type]
    for error in (
        ek.APIError("m", status_code="teapot"),  # type: ignore[arg-type]
        ek.RateLimitError(retry_after="soon"),  # type: ignore[arg-type]
        ek.ToolNotFoundError(None),  # type: ignore[arg-type]
        ek.FeatureNotSupportedError(None, None),  # type: ignore[arg-type]
        ek.ServerError(original_exception="not an exception"),  # type: ignore[arg-type]
    ):
        json.dumps(error.to_dict(), allow_nan=False)
        assert str(error)


def test_runtime_violations_match_the_typing_declaration() -> None:
    """The violation values checked at run time are those of the typed ``Violation``."""
    from typing import get_args

    assert get_args(errorkit.Violation) == _build._VIOLATIONS


def test_typing_names_resolve_lazily() -> None:
    """The TypedDicts and ``Violation`` load on first access, from the package and the module."""
    assert errorkit.ErrorDict is ek.ErrorDict
    assert list(errorkit.ErrorDict.__annotations__) == ["code", "message", "details"]
    assert "attempts" in ek.RegionProbeErrorDict.__annotations__
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = errorkit.Nope
