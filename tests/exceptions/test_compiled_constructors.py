"""The compiled constructors' inline message and verdict agree with the general methods.

A compiled constructor decides the default message's template and ``retryable`` itself, from
the class's declarations (``_message_switch``, ``_status_messages``, ``_unretryable_when``),
and fills the template with an f-string. A subclass whose own ``__init__`` runs the base's
constructor takes the general path (``_default_message``, ``_retryable_by_rule``), so the
two are compared here on random and odd arguments, and the message is also compared with
the templates as the classes chose them before they were declared as data.

The classes outside ``APIError`` compile a plain constructor from their declared signature:
each argument stored through the class's ``_converters`` reader, then ``Error.__init__``;
the last tests pin it, and what a subclass inheriting it gets.
"""

from __future__ import annotations

import gc
import sys
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import errorkit as ek
from errorkit._build import _filled
from errorkit._coerce import bool_of
from errorkit.safety import safe_text
from tests.strategies import _settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType


class _Text(str):
    """A str subclass: not a plain value, so the general filler reads it."""

    __slots__ = ()


class _HostileFormat(float):
    """A float whose ``__format__`` raises."""

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")


class _NoTruth:
    """A value whose truth cannot be read."""

    def __bool__(self) -> bool:
        raise RuntimeError("no truth")


class _NoText:
    """A value whose ``str()`` raises."""

    def __str__(self) -> str:
        raise RuntimeError("no text")


class _OddStatus(int):
    """An int status whose own comparisons raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no ==")

    __hash__ = int.__hash__


ODD: list[Any] = [
    Decimal("503"),
    Fraction(7, 2),
    _Text("acme"),
    _HostileFormat(1.5),
    _NoTruth(),
    _NoText(),
    _OddStatus(503),
    _OddStatus(408),
    ["a", "b"],
    {"k": "v"},
    "sk-live-7f3a9c2e1b4d5e6f7a8b",  # a credential shape: masked in the message
    "token=abc123",
    10**5000,
    -0.0,
    0.0,
    True,
    False,
    "",
    "429",
]

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 700),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(ODD),
)
STATUSES = st.one_of(st.none(), st.sampled_from([408, 429, 500, 501, 503, 599, 400, 402]), VALUES)
MESSAGES = st.one_of(st.none(), st.just(""), st.text(max_size=12), st.sampled_from(ODD))
CONTEXT_KEYS = ("response_body", "request_method", "request_url", "request_id")


def _arguments(
    cls: type[ek.Error], data: st.DataObject, messages: st.SearchStrategy[Any] = MESSAGES
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Draw the arguments of ``cls``'s constructor, odd values included."""
    draw = data.draw
    context: dict[str, Any] = {key: draw(VALUES) for key in CONTEXT_KEYS if draw(st.booleans())}
    message = draw(messages)
    status = draw(STATUSES)
    if cls is ek.ConnectorRateLimitError:
        retry_after = draw(st.one_of(VALUES, st.floats(-10, 90000)))
        context.update(quota_exhausted=draw(VALUES), message=message, status_code=status)
        return (draw(VALUES), retry_after), context
    if cls is ek.UnauthorizedError:
        context.update(env_var=draw(VALUES), message=message)
        if status is not None:
            context["status_code"] = status
        return (draw(VALUES),), context
    if cls is ek.PaymentRequiredError:
        return (draw(VALUES), message), {**context, "status_code": status}
    if cls is ek.ProviderError:
        return (draw(VALUES), status, message), context
    if cls is ek.RateLimitError:
        context.update(retry_after=draw(VALUES), project_id=draw(VALUES))
    elif issubclass(cls, ek.SessionReplayError):
        context["code"] = draw(st.one_of(st.none(), st.text(max_size=8)))
    if cls is ek.APIError and status is None:
        status = 418
    return (message,), {**context, "status_code": status}


COMPILED = [
    ek.APIError,
    ek.BadRequestError,
    ek.QueryError,
    ek.AuthenticationError,
    ek.PermissionDeniedError,
    ek.NotFoundError,
    ek.ConflictError,
    ek.RateLimitError,
    ek.ServerError,
    ek.SessionReplayError,
    ek.SessionReplayAccessError,
    ek.SignedURLExpiredError,
    ek.ReplayNotFoundError,
    ek.UnauthorizedError,
    ek.PaymentRequiredError,
    ek.ConnectorRateLimitError,
    ek.ProviderError,
]


def _old_template(error: Any) -> str | None:
    """The default message's template as each class chose it with its own method."""
    cls = type(error)
    if cls is ek.ConnectorRateLimitError:
        return error.quota_message if bool_of(error.quota_exhausted) else error.default_message  # type: ignore[no-any-return]
    if cls is ek.UnauthorizedError:
        return error.env_var_message if bool_of(error.env_var) else error.default_message  # type: ignore[no-any-return]
    if cls is ek.ProviderError:
        status = error.status_code
        status = int.__int__(status) if isinstance(status, int) else None
        if status == 408:
            return error.timeout_message  # type: ignore[no-any-return]
        if status is not None and 500 <= status < 600:
            return error.server_message  # type: ignore[no-any-return]
    return error.default_message  # type: ignore[no-any-return]


def _old_verdict(error: Any) -> bool:
    """``retryable`` as the classes decided it before the quota rule was declared as data."""
    if isinstance(error, ek.ConnectorRateLimitError) and "retryable" not in error.details:
        return not bool_of(error.quota_exhausted)
    return error.retryable  # type: ignore[no-any-return]


def _general(cls: type[ek.Error]) -> type[ek.Error]:
    """A subclass whose own ``__init__`` runs ``cls``'s, which then takes the general path."""

    def __init__(self: ek.Error, *args: Any, **kwargs: Any) -> None:
        cls.__init__(self, *args, **kwargs)

    return type(f"General{cls.__name__}", (cls,), {"__init__": __init__})


def _outcome(build: Callable[[], ek.Error]) -> tuple[str, Any]:
    """What building an error gives: its observable state, or the exception type raised."""
    try:
        error = build()
    except Exception as exc:
        return "raised", type(exc)
    retryable = error.retryable
    return "built", (error.args, error.message, retryable, type(retryable), error.to_dict())


@pytest.fixture(scope="module")
def general() -> Iterator[dict[type[ek.Error], type[ek.Error]]]:
    """One general-path subclass per compiled class, forgotten after the module."""
    made = {cls: _general(cls) for cls in COMPILED}
    yield made
    made.clear()
    gc.collect()


@pytest.mark.parametrize("cls", COMPILED, ids=[cls.__name__ for cls in COMPILED])
@_settings(80)
@given(data=st.data())
def test_inline_message_and_verdict_equal_the_general_path(
    cls: type[ek.Error], general: dict[type[ek.Error], type[ek.Error]], data: st.DataObject
) -> None:
    """A compiled constructor gives the message, verdict and payload the general methods give."""
    args, kwargs = _arguments(cls, data)
    first = _outcome(lambda: cls(*args, **kwargs))
    again = _outcome(lambda: cls(*args, **kwargs))  # the remembered fill, if any
    slow = _outcome(lambda: general[cls](*args, **kwargs))
    assert first == again
    assert first[0] == slow[0]
    if first[0] == "built":
        assert first[1][:4] == slow[1][:4]
        assert first[1][4] == slow[1][4]


@pytest.mark.parametrize("cls", COMPILED, ids=[cls.__name__ for cls in COMPILED])
@_settings(60)
@given(data=st.data())
def test_default_messages_are_the_templates_the_classes_chose_before(
    cls: type[ek.Error], data: st.DataObject
) -> None:
    """With no message, the text is the old chooser's template filled, masked, byte for byte."""
    args, kwargs = _arguments(cls, data, st.none())
    try:
        error: Any = cls(*args, **kwargs)
    except ValueError:
        return  # a connector delay that reads as a timestamp
    template = _old_template(error)
    expected = type(error).__name__ if template is None else _filled(template, error)
    suffix = error.retry_after is not None and type(error)._says_retry_after
    if not suffix:
        assert error.message == safe_text(expected)
    assert error.retryable is _old_verdict(error)


@pytest.mark.parametrize(
    ("provider", "shown"),
    [(1, "1"), (1.0, "1.0"), (True, "True"), (0.0, "0.0"), (-0.0, "-0.0"), (0, "0")],
)
def test_remembered_fills_keep_each_values_own_text(provider: object, shown: str) -> None:
    """Equal values of other types, and both zeros, fill as their own text, in any order."""
    for value in (1, 1.0, True, 0.0, -0.0, 0, provider):
        ek.UnauthorizedError(value)  # type: ignore[arg-type]
    assert ek.UnauthorizedError(provider).message.split(":")[0] == shown  # type: ignore[arg-type]


def test_a_changed_class_template_is_read_at_construction() -> None:
    """A template set on the class after its constructor compiled is the one filled."""
    ek.PaymentRequiredError("acme")
    original = ek.PaymentRequiredError.default_message
    try:
        ek.PaymentRequiredError.default_message = "{provider} pays"
        assert ek.PaymentRequiredError("acme").message == "acme pays"
    finally:
        ek.PaymentRequiredError.default_message = original
    assert ek.PaymentRequiredError("acme").message.startswith("acme: this endpoint")


def test_a_subclass_overriding_the_template_chooser_is_honoured() -> None:
    """A subclass's own ``_message_template`` and ``_retryable_by_rule`` are called."""

    class QuietRateLimitError(ek.ConnectorRateLimitError):
        def _message_template(self) -> str:
            return "{provider} is quiet for {retry_after:.1f}s"

        def _retryable_by_rule(self) -> bool:
            return False

    error = QuietRateLimitError("acme", 2.0)
    assert (error.message, error.retryable) == ("acme is quiet for 2.0s", False)
    del QuietRateLimitError, error
    gc.collect()


def test_a_secret_in_a_filled_template_is_masked_every_time() -> None:
    """A provider holding a credential shape is masked on a fill and on a remembered one."""
    secret = "sk-proj-" + "a1B2" * 8
    for _ in range(2):
        error = ek.ConnectorRateLimitError(secret, 30.0)
        assert secret not in error.message
        assert error.message.startswith("***: rate limit hit")


def _python_calls(build: Callable[[], object]) -> list[str]:
    """The Python functions entered while ``build()`` runs (C functions are not counted)."""
    calls: list[str] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        build()
    finally:
        sys.setprofile(None)
    return [name for name in calls if name != "<lambda>"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: ek.ConnectorRateLimitError("openai", 30.0),
        lambda: ek.ConnectorRateLimitError("openai", 30.0, quota_exhausted=True),
        lambda: ek.UnauthorizedError("openai", env_var="OPENAI_API_KEY"),
        lambda: ek.PaymentRequiredError("openai"),
        lambda: ek.RateLimitError(),
        lambda: ek.NotFoundError(request_id="req_1"),
    ],
    ids=["burst", "quota", "env-var", "plan", "rate-limit", "not-found"],
)
def test_a_repeated_default_error_runs_only_its_constructor(build: Callable[[], object]) -> None:
    """Built again, a compiled class's default error enters no Python function but its own."""
    build()
    assert _python_calls(build) == ["__init__"]


def test_the_inline_writer_loads_with_the_first_compiled_constructor() -> None:
    """``import errorkit`` does not load ``errorkit._inline``; the first HTTP error built does."""
    import subprocess

    code = (
        "import sys, errorkit; before = 'errorkit._inline' in sys.modules; "
        "errorkit.ServerError(); print(before, 'errorkit._inline' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True"]


# ---------------------------------------------------------------------------------------------
# Plain declared constructors: the classes outside APIError
# ---------------------------------------------------------------------------------------------


def test_a_plain_constructor_reads_each_argument_through_its_declared_reader() -> None:
    """A declared ``_converters`` reader runs on its argument; other arguments are kept as given."""
    accounts = ["dev"]
    error = ek.AccountNotFoundError("prod", accounts)
    assert error.available_accounts == ["dev"]
    assert error.available_accounts is not accounts  # ``list_of`` copies
    assert ek.ProjectNotFoundError("1", ("2", "3")).available_projects == ["2", "3"]
    assert ek.AccountInUseError("prod", "t1").referenced_by == ["t1"]
    pairs: Any = [("q", 1)]  # odd input, read as ``dict_of`` reads it
    assert ek.EmptyDataError("acme", query_params=pairs).query_params == {"q": 1}
    name = _Text("prod")
    assert ek.AccountExistsError(name).account_name is name


def test_a_plain_constructor_keeps_its_signature_and_chains_the_cause() -> None:
    """Missing and unknown arguments raise TypeError naming the class; a cause is chained."""
    with pytest.raises(TypeError, match=r"MissingAPIKeyError\.__init__\(\) missing"):
        ek.MissingAPIKeyError("openai")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'code'"):
        ek.ConfigError("m", code="X")  # type: ignore[call-arg]
    cause = OSError("refused")
    error = ek.APITimeoutError(provider="acme", original_exception=cause)
    assert (error.provider, error.original_exception, error.__cause__) == ("acme", cause, cause)
    assert error.message == "Request timed out"
    assert ek.ConnectorError("m", provider="acme").original_exception is None


def test_a_subclass_inheriting_a_plain_constructor_compiles_its_own() -> None:
    """A subclass's own readers and read-only properties are used by the constructor it inherits."""

    class ShoutingToolNotFoundError(ek.ToolNotFoundError):
        _converters = (("tool_name", str.upper),)

    class TaggedToolNotFoundError(ek.ToolNotFoundError):
        _tool_name: str

        @property
        def tool_name(self) -> str:  # type: ignore[override]
            return f"tool:{self._tool_name}"

    assert ek.ToolNotFoundError("lookup").tool_name == "lookup"  # the base's, compiled first
    assert ShoutingToolNotFoundError("lookup").tool_name == "LOOKUP"
    assert "__init__" in vars(ShoutingToolNotFoundError)
    assert ek.ToolNotFoundError("lookup").tool_name == "lookup"
    tagged = TaggedToolNotFoundError("lookup")
    assert (tagged.tool_name, tagged.message) == (
        "tool:lookup",
        "Tool 'tool:lookup' not found in registered tools",
    )
    del ShoutingToolNotFoundError, TaggedToolNotFoundError, tagged
    gc.collect()


def test_a_subclass_with_its_own_constructor_runs_the_plain_one_through_super() -> None:
    """A user's ``__init__`` calling ``super().__init__`` gets the base's fields and message."""

    class CountedToolError(ek.ToolError):
        def __init__(self, message: str, count: int) -> None:
            self.count = count
            super().__init__(message)

    error = CountedToolError("broke", 3)
    assert (error.count, error.message, error.code) == (3, "broke", "TOOL_ERROR")
    del CountedToolError, error
    gc.collect()
