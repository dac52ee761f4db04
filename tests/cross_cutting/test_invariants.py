"""Invariants every errorkit class keeps, checked over every class found by walking the tree."""

from __future__ import annotations

import copy
import json
import pickle
import re
import subprocess
import sys
import threading
from typing import Any

import pytest

import errorkit
from errorkit import exceptions as ek
from errorkit import http_mapping, safety
from tests.samples import SAMPLES, SECRET, all_error_classes, sample

CLASSES = all_error_classes()
CLASS_IDS = [cls.__name__ for cls in CLASSES]


def _state(error: ek.Error) -> Any:
    """Return an error's attributes, its cause aside, in a comparable (JSON) form."""
    attributes = {k: v for k, v in vars(error).items() if k != "_original_exception"}
    return safety.json_safe(attributes, redact=False)


def test_every_class_has_a_sample() -> None:
    """Every class in the tree has a sample, so the parametrized invariants cover it."""
    assert set(CLASSES) == set(SAMPLES)
    assert len(CLASSES) == 43


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
class TestEveryClass:
    """Behaviour the base class guarantees for every subclass."""

    def test_sample_has_its_class(self, cls: type[ek.Error]) -> None:
        """The sample factory builds an instance of exactly that class."""
        assert type(sample(cls)) is cls

    def test_str_is_message_and_args(self, cls: type[ek.Error]) -> None:
        """``str(e) == e.message``, never empty, and ``e.args == (e.message,)``."""
        error = sample(cls)
        assert str(error) == error.message
        assert error.message
        assert error.args == (error.message,)

    def test_repr_names_class_message_and_code(self, cls: type[ek.Error]) -> None:
        """``repr`` is ``Class(message=..., code=...)``."""
        error = sample(cls)
        assert repr(error) == f"{cls.__name__}(message={error.message!r}, code={error.code!r})"

    def test_to_dict_has_exactly_its_keys(self, cls: type[ek.Error]) -> None:
        """``to_dict()`` has the keys code, message, details (plus attempts on region probes)."""
        keys = list(sample(cls).to_dict())
        expected = ["code", "message", "details"]
        if issubclass(cls, ek.RegionProbeError):
            expected.append("attempts")
        assert keys == expected

    def test_to_dict_is_json(self, cls: type[ek.Error]) -> None:
        """``json.dumps(to_dict(), allow_nan=False)`` works and round-trips unchanged."""
        payload = sample(cls).to_dict()
        assert json.loads(json.dumps(payload, allow_nan=False)) == payload

    def test_to_dict_is_a_new_dict(self, cls: type[ek.Error]) -> None:
        """Mutating a ``to_dict()`` result leaves the error unchanged."""
        error = sample(cls)
        payload = error.to_dict()
        payload["details"]["injected"] = True
        payload["code"] = "CHANGED"
        assert error.to_dict() != payload
        assert "injected" not in error.details

    def test_no_secret_in_serialized_forms(self, cls: type[ek.Error]) -> None:
        """A secret planted in the context never shows in to_dict, str or repr."""
        error = sample(cls)
        assert SECRET not in json.dumps(error.to_dict())
        assert SECRET not in str(error)
        assert SECRET not in repr(error)

    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_pickle_round_trip(self, cls: type[ek.Error], protocol: int) -> None:
        """Pickling keeps the type, ``str``, ``to_dict()`` and every attribute."""
        error = sample(cls)
        clone = pickle.loads(pickle.dumps(error, protocol))
        assert type(clone) is cls
        assert str(clone) == str(error)
        assert clone.args == error.args
        assert clone.to_dict() == error.to_dict()
        assert _state(clone) == _state(error)
        assert str(clone.original_exception) == str(error.original_exception)

    def test_copy_and_deepcopy(self, cls: type[ek.Error]) -> None:
        """``copy.copy`` and ``copy.deepcopy`` keep the type, ``to_dict()`` and attributes."""
        error = sample(cls)
        for clone in (copy.copy(error), copy.deepcopy(error)):
            assert type(clone) is cls
            assert clone.to_dict() == error.to_dict()
            assert _state(clone) == _state(error)

    def test_pickle_keeps_cause_of_raised_error(self, cls: type[ek.Error]) -> None:
        """An error raised ``from`` a cause, with a traceback, pickles with its cause."""
        error = sample(cls)
        try:
            try:
                raise KeyError("inner")
            except KeyError as inner:
                raise error from inner
        except ek.Error as caught:
            clone = pickle.loads(pickle.dumps(caught))
        assert type(clone.__cause__) is KeyError
        assert str(clone.__cause__) == str(KeyError("inner"))
        if error.__dict__.get("_original_exception") is None:  # no cause of its own
            assert clone.original_exception is clone.__cause__
        else:  # the constructor's cause is kept, as a process pool needs
            assert repr(clone.original_exception) == repr(error.original_exception)
        assert clone.to_dict() == error.to_dict()

    def test_retryable_is_a_bool(self, cls: type[ek.Error]) -> None:
        """``retryable`` is a bool on every instance."""
        assert isinstance(sample(cls).retryable, bool)

    def test_code_is_upper_snake(self, cls: type[ek.Error]) -> None:
        """Every class code is UPPER_SNAKE."""
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", cls.code)

    def test_exported_from_package(self, cls: type[ek.Error]) -> None:
        """Every class is importable from ``errorkit`` and listed in its ``__all__``."""
        assert getattr(errorkit, cls.__name__) is cls
        assert cls.__name__ in errorkit.__all__
        assert cls.__name__ in ek.__all__


def test_codes_are_unique() -> None:
    """No two classes share a code."""
    codes = [cls.code for cls in CLASSES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("module", [errorkit, ek, http_mapping, safety], ids=lambda m: m.__name__)
def test_all_is_sorted_and_resolves(module: Any) -> None:
    """Every module's ``__all__`` is sorted and every listed name exists."""
    assert module.__all__ == sorted(module.__all__)
    assert len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name


def test_package_reexports_every_public_name() -> None:
    """``errorkit.__all__`` holds every public name of its modules plus ``__version__``."""
    expected = {
        *ek.__all__,
        *http_mapping.__all__,
        "redact_text",
        "redact_url",
        "add_sensitive_keys",
    }
    expected.add("__version__")
    assert set(errorkit.__all__) == expected


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


def test_import_loads_no_third_party_module() -> None:
    """``import errorkit`` imports only the standard library and errorkit itself."""
    code = (
        "import sys; before = set(sys.modules); import errorkit; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    top_level = {name.partition(".")[0] for name in out.split()}
    foreign = top_level - set(sys.stdlib_module_names) - {"errorkit", "__main__"}
    assert not foreign


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


class _Opaque:
    """An object whose repr holds its address, so it changes across processes."""


class _NeedsTwoArgs(Exception):
    """An exception that pickles but cannot be unpickled (its __init__ wants two args)."""

    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a}/{b}")


def test_unpicklable_values_travel_in_json_form() -> None:
    """Locks, lambdas and address-bearing objects pickle as their JSON-safe form."""
    error = ek.Error(
        "m",
        details={"lock": threading.Lock(), "fn": lambda: 1, "obj": _Opaque(), "n": 1},
    )
    clone = pickle.loads(pickle.dumps(error))
    assert clone.to_dict() == error.to_dict()
    assert clone.details["n"] == 1
    assert isinstance(clone.details["lock"], str)


def test_unpicklable_cause_becomes_exception() -> None:
    """A cause that cannot round-trip becomes ``Exception("{Type}: {message}")``."""
    error = ek.ServerError(original_exception=_NeedsTwoArgs("a", "b"))
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone.original_exception) is Exception
    assert str(clone.original_exception) == "_NeedsTwoArgs: a/b"


def test_unpicklable_tool_exception_is_described() -> None:
    """A ToolExecutionError whose tool exception cannot round-trip still pickles faithfully."""
    error = ek.ToolExecutionError(_NeedsTwoArgs("a", "b"))
    clone = pickle.loads(pickle.dumps(error))
    assert clone.to_dict() == error.to_dict()
    assert clone.tool_exception_type == "_NeedsTwoArgs"
    assert str(clone.tool_exception) == "_NeedsTwoArgs: a/b"


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


def test_runtime_constants_match_the_typing_declarations() -> None:
    """The literal keyword and violation sets used at run time match the typed declarations."""
    from typing import get_args

    assert get_args(errorkit.Violation) == ek._VIOLATIONS
    assert set(errorkit.HTTPContext.__annotations__) == ek._HTTP_KEYWORDS


def test_typing_names_resolve_lazily() -> None:
    """The TypedDicts and ``Violation`` load on first access, from the package and the module."""
    assert errorkit.ErrorDict is ek.ErrorDict
    assert list(errorkit.ErrorDict.__annotations__) == ["code", "message", "details"]
    assert "attempts" in ek.RegionProbeErrorDict.__annotations__
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = errorkit.Nope
