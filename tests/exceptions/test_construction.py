"""How an error is built: the status registry, ``details`` on first read, slots."""

from __future__ import annotations

import gc
import inspect
import json
import pickle
import threading
import traceback
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

import errorkit as ek
from errorkit import APIError, Error, RateLimitError
from errorkit._build import _declared
from tests.samples import sample

if TYPE_CHECKING:
    from collections.abc import Iterator

    from typing_extensions import Unpack

    from errorkit import HTTPContext

T = TypeVar("T")

STATUS_TABLE = [
    (400, ek.BadRequestError),
    (422, ek.BadRequestError),
    (401, ek.AuthenticationError),
    (403, ek.PermissionDeniedError),
    (404, ek.NotFoundError),
    (409, ek.ConflictError),
    (429, ek.RateLimitError),
    (500, ek.ServerError),
    (501, ek.ServerError),
    (599, ek.ServerError),
    (402, APIError),
    (412, APIError),
    (418, APIError),
    (600, APIError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
def test_class_for_status(status: int, cls: type[APIError]) -> None:
    """The registry answers the exact status, then the 5xx range, then ``APIError``."""
    assert Error.class_for_status(status) is cls


@pytest.mark.parametrize("status", ["429", 429.0, Decimal("429"), Fraction(429)])
def test_class_for_status_reads_integral_numbers(status: object) -> None:
    """A numeric string or any integral real number is read as the status."""
    assert Error.class_for_status(status) is RateLimitError  # type: ignore[arg-type]
    assert type(ek.error_for_status(status)) is RateLimitError  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [399, 200, "abc", 429.5, True, None, Decimal("NaN")])
def test_class_for_status_rejects_non_error_statuses(status: object) -> None:
    """A status below 400 or one that is not an integral number is a ValueError."""
    with pytest.raises(ValueError, match="status"):
        Error.class_for_status(status)  # type: ignore[arg-type]


def test_a_subclass_registers_its_statuses() -> None:
    """``statuses=`` on a class statement adds the class to the registry."""

    class TeapotError(APIError, statuses=(418,)):
        code = "TEAPOT_FOR_TEST"
        status_code = 418

    try:
        assert Error.class_for_status(418) is TeapotError
        assert type(ek.error_for_status(418)) is TeapotError
    finally:  # leave the tree as it was: other tests walk APIError.__subclasses__()
        del Error._by_status[418]
        del Error._by_code["TEAPOT_FOR_TEST"]
        del TeapotError
        gc.collect()
    assert Error.class_for_status(418) is APIError
    assert all(cls.__name__ != "TeapotError" for cls in APIError.__subclasses__())


def test_mapping_and_problem_read_the_registry() -> None:
    """``http_mapping`` and ``problem`` ask the base class, so their answers agree with it."""
    for status, cls in STATUS_TABLE:
        assert ek.error_class_for_status(status) is cls
        problem = Error.from_problem_details({"status": status}) if status < 600 else None
        if problem is not None:
            assert type(problem) is cls


def test_details_is_a_snapshot_taken_on_first_read() -> None:
    """An attribute changed before ``details`` is first read shows in it; one after does not."""
    error = ek.NotFoundError(request_id="a")
    error.request_id = "b"
    assert error.details["request_id"] == "b"
    error.request_id = "c"
    assert error.details["request_id"] == "b"
    assert error.to_dict()["details"]["request_id"] == "b"


def test_details_copies_the_callers_mapping_at_construction() -> None:
    """The caller's details are copied when the error is built, not when they are read."""
    given = {"a": 1}
    error = Error("m", details=given)
    given["a"] = 2
    assert error.details == {"a": 1}


def test_details_can_be_replaced() -> None:
    """Assigning ``details`` replaces the snapshot with a copy of the new mapping."""
    error = ek.NotFoundError()
    error.details = {"x": 1}
    assert error.to_dict()["details"] == {"x": 1}


def test_status_and_retryable_differing_from_the_class_are_kept_per_instance() -> None:
    """A status other than the class's, or a hint, is stored on the instance itself."""
    error = ek.ServerError(status_code=501)
    assert (error.status_code, error.retryable) == (501, False)
    assert (ek.ServerError.status_code, ek.ServerError.retryable) == (500, True)
    hinted = ek.ServerError(retryable=False)
    assert (hinted.status_code, hinted.retryable) == (500, False)
    assert hinted.details["retryable"] is False


def test_connector_rate_limit_reads_its_quota_rule() -> None:
    """A connector 429 with an exhausted quota is not retryable though its class says 429."""
    assert ek.ConnectorRateLimitError("acme", 5).retryable is True
    assert ek.ConnectorRateLimitError("acme", 5, quota_exhausted=True).retryable is False


@pytest.mark.parametrize(
    ("given", "exhausted"),
    [
        *[("false", False), (" No ", False), ("off", False), ("0", False), ("", False)],
        *[(None, False), ("true", True), ("yes", True), ("1", True), (1, True), (0, False)],
    ],
)
def test_a_quota_flag_given_as_text_says_what_it_reads(given: Any, exhausted: bool) -> None:
    """``quota_exhausted="false"`` is False (it counted as true): a bool, message and verdict."""
    error = ek.ConnectorRateLimitError("acme", 5, quota_exhausted=given)
    assert error.quota_exhausted is exhausted
    assert error.retryable is not exhausted
    assert error.details["quota_exhausted"] is exhausted
    assert ("quota exhausted" in error.message) is exhausted


def test_a_repeated_rate_limit_message_is_the_same_text() -> None:
    """The delay sentence is appended the same way whether or not the text was seen before."""
    first = RateLimitError("Slow down.", retry_after=2.0)
    second = RateLimitError("Slow down.", retry_after=2.0)
    assert first.message == second.message == "Slow down. Retry after 2 seconds."
    assert RateLimitError("Slow down", retry_after=1.5).message == (
        "Slow down. Retry after 1.5 seconds."
    )
    assert RateLimitError("x", retry_after=float("nan")).message == "x"


def test_a_subclass_with_a_fixed_code_rejects_code_through_context() -> None:
    """``code=`` reaches none of the classes that fix their code, whichever path it takes."""
    for build in (
        lambda: ek.NotFoundError(code="X"),  # type: ignore[call-arg]
        lambda: RateLimitError(code="X"),  # type: ignore[call-arg]
        lambda: ek.ProviderError("p", 500, code="X"),  # type: ignore[call-arg]
    ):
        with pytest.raises(TypeError, match="'code'"):
            build()


# --- rows found by an independent attack on the rebuilt constructor ---------------------------


@pytest.mark.parametrize(
    "bases",
    [
        (ek.ServerError, TimeoutError),
        (ek.NotFoundError, FileNotFoundError),
        (APIError, ConnectionError),
        (ek.ServerError, ImportError),
        (RateLimitError, ek.UnauthorizedError),
    ],
    ids=lambda bases: "+".join(cls.__name__ for cls in bases),
)
def test_attack_subclass_with_a_builtin_or_second_error_base(bases: tuple[type, ...]) -> None:
    """A user class may add a builtin exception (or another errorkit class) as a second base."""
    combined = type("Combined", bases, {})
    assert issubclass(combined, bases[1])
    del combined
    gc.collect()


@contextmanager
def module_level(cls: type[T]) -> Iterator[type[T]]:
    """Make a class defined in a test importable by pickle, then forget it entirely.

    Other tests walk ``Error.__subclasses__()`` and the code registry, so the class is
    removed from both afterwards.
    """
    cls.__qualname__ = cls.__name__
    globals()[cls.__name__] = cls
    try:
        yield cls
    finally:
        del globals()[cls.__name__]
        code = vars(cls).get("code")
        if code is not None and Error._by_code.get(code) is cls:
            del Error._by_code[code]
        del cls
        gc.collect()


def test_attack_a_504_that_is_a_timeout_travels() -> None:
    """A user subclass with a builtin second base is caught by it and pickles whole."""

    class GatewayTimeoutError(ek.ServerError, TimeoutError):
        code = "GATEWAY_TIMEOUT_FOR_TEST"
        status_code = 504

    with module_level(GatewayTimeoutError) as cls:
        error = cls(request_id="r")
        with pytest.raises(TimeoutError):
            raise error
        copied = pickle.loads(pickle.dumps(error))
        assert type(copied) is cls
        assert copied.to_dict() == error.to_dict()
        del error, copied
    del GatewayTimeoutError, cls
    gc.collect()


@pytest.mark.parametrize(
    "build",
    [
        lambda: APIError("m", status_code=None),  # type: ignore[arg-type]
        lambda: APIError(None, status_code=None),  # type: ignore[arg-type]
        lambda: ek.ProviderError("p", None),  # type: ignore[arg-type]
        lambda: type("Mine", (APIError,), {})("m", status_code=None),
    ],
    ids=["APIError", "APIError-no-message", "ProviderError", "subclass"],
)
def test_attack_status_none_is_kept_as_none(build: Any) -> None:
    """``status_code=None`` gives an error whose ``status_code`` is None, not a crash."""
    error = build()
    assert error.status_code is None
    assert error.to_dict()["details"]["status_code"] is None
    assert "{" not in error.message


def test_attack_code_that_is_secret_or_unprintable() -> None:
    """A code from a payload is masked; one whose repr raises still gives a repr."""

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError

        def __repr__(self) -> str:
            raise RuntimeError

    payload = {"code": "password=hunter2", "message": "x", "details": {}}
    rebuilt = Error.from_dict(payload)
    assert "hunter2" not in repr(rebuilt)
    assert "hunter2" not in json.dumps(rebuilt.to_dict())
    later = Error("m")
    later.code = "api_key=sk-abcdefabcdef1234"
    assert "sk-abcdef" not in later.to_json()
    odd: Any = Unprintable()
    assert repr(Error("m", code=odd)).startswith("Error(message='m', code=")


def test_attack_connector_rate_limit_rebuilt_without_details() -> None:
    """A connector 429 rebuilt from a bare payload reads 0 seconds and fills its template."""
    error = Error.from_dict({"code": "PROVIDER_RATE_LIMITED", "message": "", "details": {}})
    assert isinstance(error, ek.ConnectorRateLimitError)
    assert error.retry_after == 0.0
    assert "{" not in error.message


@pytest.mark.parametrize(
    ("statuses", "problem"),
    [((419,), TypeError), ((399,), ValueError), (("433",), ValueError)],
    ids=["not-an-APIError", "below-400", "a-string"],
)
def test_attack_statuses_are_checked(statuses: Any, problem: type[Exception]) -> None:
    """``statuses=`` takes ints of at least 400 on APIError classes, and says so otherwise."""
    base = ek.ToolError if problem is TypeError else APIError
    with pytest.raises(problem, match="statuses="):
        type("Registering", (base,), {}, statuses=statuses)
    gc.collect()


def test_attack_user_slots_as_a_string_or_private_name_travel() -> None:
    """A user subclass's ``__slots__`` given as one string or as a private name pickle too."""

    class BucketedError(ek.NotFoundError):
        __slots__ = "bucket"
        bucket: str

    class PrivateError(ek.NotFoundError):
        __slots__ = ("__secret",)

        def hide(self, value: str) -> None:
            self.__secret = value

        def reveal(self) -> str:
            return self.__secret

    with module_level(BucketedError) as bucketed_cls:
        bucketed = bucketed_cls()
        bucketed.bucket = "B"
        assert pickle.loads(pickle.dumps(bucketed)).bucket == "B"
        del bucketed
    with module_level(PrivateError) as private_cls:
        private = private_cls()
        private.hide("S")
        assert pickle.loads(pickle.dumps(private)).reveal() == "S"
        del private
    del BucketedError, bucketed_cls, PrivateError, private_cls
    gc.collect()


# --------------------------------------------------------------------------- compiled constructors

DECLARED = [
    ek.APIError,
    ek.BadRequestError,
    ek.RateLimitError,
    ek.ServerError,
    ek.SessionReplayError,
    ek.UnauthorizedError,
    ek.PaymentRequiredError,
    ek.ConnectorRateLimitError,
    ek.ProviderError,
]


@pytest.mark.parametrize("cls", DECLARED, ids=lambda cls: cls.__name__)
def test_each_http_class_has_its_own_constructor_named_after_it(cls: type[Error]) -> None:
    """Every HTTP class, inherited constructor or not, runs one compiled for it by name."""
    declared = inspect.unwrap(cls.__init__)
    assert str(inspect.signature(cls)) == str(
        inspect.signature(declared).replace(
            parameters=list(inspect.signature(declared).parameters.values())[1:]
        )
    )
    assert type(sample(cls)) is cls
    init = vars(cls)["__init__"]
    assert init.__qualname__ == f"{cls.__name__}.__init__"
    assert init.__wrapped__ is declared


def test_a_class_compiles_its_constructor_on_first_use() -> None:
    """A new class inherits its constructor until its first use compiles its own, once."""

    class LazyTeapotError(ek.BadRequestError):
        code = "LAZY_TEAPOT_FOR_TEST"

    with module_level(LazyTeapotError) as cls:
        assert "__init__" not in vars(cls)  # nothing built when the class is made
        first = cls("short", request_id="r1")
        compiled = vars(cls)["__init__"]
        assert compiled.__qualname__ == "LazyTeapotError.__init__"
        assert "request_id" in compiled.__code__.co_varnames  # explicit, not **context
        second = cls("short", request_id="r2")
        assert vars(cls)["__init__"] is compiled
        assert (first.request_id, second.request_id) == ("r1", "r2")
        del first, second, compiled
    del LazyTeapotError, cls
    gc.collect()


@pytest.mark.parametrize("parent_first", [True, False], ids=["parent-first", "child-first"])
def test_each_class_of_a_chain_compiles_its_own_whichever_is_built_first(
    parent_first: bool,
) -> None:
    """A subclass built before or after its parent (still a stand-in) gets its own, as does it."""

    class ChainParentError(ek.RateLimitError):
        code = "CHAIN_PARENT_FOR_TEST"

        @_declared
        def __init__(
            self,
            message: str | None = None,
            *,
            project_id: str | None = None,
            status_code: int | None = None,
            **context: Unpack[HTTPContext],
        ) -> None:
            """Start as a stand-in, as every class declaring its constructor does."""

    class ChainChildError(ChainParentError):
        code = "CHAIN_CHILD_FOR_TEST"
        _says_retry_after = False

    with module_level(ChainParentError) as parent, module_level(ChainChildError) as child:
        order = [parent, child] if parent_first else [child, parent]
        built = {cls: cls("m", retry_after=2.0, project_id="p") for cls in order}
        for cls, error in built.items():
            assert vars(cls)["__init__"].__qualname__ == f"{cls.__name__}.__init__"
            assert (error.retry_after, error.project_id, error.code) == (2.0, "p", cls.code)
        assert built[parent].message == "m. Retry after 2 seconds."
        assert built[child].message == "m"  # the child's own setting, read from its class
        with pytest.raises(TypeError, match="reqest_id"):
            child(reqest_id="r")  # type: ignore[call-arg]
        del built, order, cls, error
    del ChainParentError, ChainChildError, parent, child
    gc.collect()


def test_first_construction_from_many_threads_at_once() -> None:
    """Threads racing to build a class's first instance all get correct errors."""

    class RacingError(ek.RateLimitError):
        code = "RACING_FOR_TEST"

    with module_level(RacingError) as cls:
        start = threading.Barrier(8, timeout=10)
        built: list[Error] = []

        def build(klass: type[ek.RateLimitError], index: int) -> None:
            start.wait()
            built.append(klass(f"call {index}", retry_after=float(index), request_id=str(index)))

        threads = [threading.Thread(target=build, args=(cls, i)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert sorted(e.request_id for e in built) == [str(i) for i in range(8)]  # type: ignore[attr-defined]
        for error in built:
            index = int(error.request_id)  # type: ignore[attr-defined]
            assert error.retry_after == float(index)  # type: ignore[attr-defined]
            assert error.message.startswith(f"call {index}.")
        built.clear()
        del error
    del RacingError, cls, build
    gc.collect()


def test_a_user_constructor_is_kept_and_can_call_the_compiled_one() -> None:
    """A subclass's own ``__init__`` is kept; ``super().__init__`` reaches the parent's."""

    class QuotaError(ek.RateLimitError):
        code = "QUOTA_FOR_TEST"

        def __init__(self, quota: str, **kwargs: Any) -> None:
            self.quota = quota
            super().__init__(f"quota {quota} used up", **kwargs)

    with module_level(QuotaError) as cls:
        init = vars(cls)["__init__"]
        error = cls("daily", retry_after=60.0, request_url="https://x/?token=S3CRET")
        assert vars(cls)["__init__"] is init
        assert (error.quota, error.retry_after, error.status_code) == ("daily", 60.0, 429)
        assert error.message == "quota daily used up. Retry after 60 seconds."
        assert "S3CRET" not in json.dumps(error.to_dict())
        with pytest.raises(TypeError, match="reqest_id"):
            cls("daily", reqest_id="r")
        del error, init
    del QuotaError, cls
    gc.collect()


def test_request_fields_share_one_tuple_and_stay_plain_attributes() -> None:
    """The HTTP context reads, assigns, rebuilds and pickles like ordinary attributes."""
    error = ek.RateLimitError(
        response_body={"e": 1}, request_method="GET", request_url="https://h/", request_id="r"
    )
    error.request_id = "r2"
    error.request_params = {"q": "1"}
    copy = pickle.loads(pickle.dumps(error))
    for built in (error, copy):
        assert (built.request_method, built.request_url) == ("GET", "https://h/")
        assert (built.request_id, built.request_params) == ("r2", {"q": "1"})
        assert built.response_body == {"e": 1}
    bare = ek.RateLimitError.__new__(ek.RateLimitError)
    assert bare.request_url is None  # made without its constructor


# --------------------------------------------------------------------------- attack rows (core)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("password=hunter2",), "password=***"),
        ((), "Error"),
        ((None,), "Error"),
        (("",), "Error"),
    ],
    ids=["secret", "empty", "none", "empty-text"],
)
def test_attack_text_written_into_args(args: tuple[Any, ...], shown: str) -> None:
    """``args`` written by a caller reads masked, and never empty, in every text surface."""
    error = ek.Error("boom")
    error.args = args
    assert str(error) == error.message == shown
    assert repr(error) == f"Error(message={shown!r}, code='UNKNOWN_ERROR')"
    assert "hunter2" not in "".join(traceback.format_exception(error))
    assert b"hunter2" not in pickle.dumps(error)


def test_attack_class_value_for_a_request_field_is_a_default() -> None:
    """A subclass's class value for a kept field is its default, and a passed value wins."""

    class AcmeError(ek.ServerError):
        code = "ACME_FOR_TEST"
        provider = "acme"
        request_method = "GET"

    with module_level(AcmeError) as cls:
        given = cls(provider="other", request_method="POST")
        assert (given.provider, given.request_method) == ("other", "POST")
        assert given.details["provider"] == "other"
        default = cls()
        assert (default.provider, default.request_method) == ("acme", "GET")
        assert default.details == {"status_code": 500, "request_method": "GET", "provider": "acme"}
        del given, default
    del AcmeError, cls
    gc.collect()


def test_attack_patching_a_constructor_before_first_use_sticks() -> None:
    """A wrapper put on a class's constructor before its first use sees every call."""
    from unittest import mock

    class PatchedError(ek.NotFoundError):
        code = "PATCHED_FOR_TEST"

    with module_level(PatchedError) as cls:
        original = cls.__init__
        with mock.patch.object(cls, "__init__", autospec=True, side_effect=original) as spy:
            cls()
            cls()
        assert spy.call_count == 2
        assert cls().status_code == 404
        del original, spy
    del PatchedError, cls
    gc.collect()


def test_attack_a_wrapped_user_constructor_runs() -> None:
    """A user ``__init__`` decorated with ``functools.wraps`` of a compiled one is kept."""
    import functools

    class TaggedError(ek.ServerError):
        code = "TAGGED_FOR_TEST"

        @functools.wraps(ek.ServerError.__init__)  # type: ignore[misc]
        def __init__(self, message: str | None = None, **context: Any) -> None:
            self.tag = "x"
            super().__init__(message, **context)

    with module_level(TaggedError) as cls:
        assert cls("m").tag == "x"
    del TaggedError, cls
    gc.collect()


def test_attack_a_text_cause_is_masked() -> None:
    """A cause given as text becomes an exception whose text shows no secret."""
    error = APIError("upstream failed", status_code=502, original_exception="password=hunter2")  # type: ignore[arg-type]
    assert str(error.original_exception) == "password=***"
    assert "hunter2" not in "".join(traceback.format_exception(error))


def test_attack_negative_zero_wait_is_zero() -> None:
    """``-0.0`` seconds reads as ``0.0`` and does not leak ``-0`` into remembered messages."""
    assert "retry after 0s" in ek.ConnectorRateLimitError("acme", -0.0).message
    assert "retry after 0s" in ek.ConnectorRateLimitError("acme", 0.0).message
    assert str(RateLimitError(retry_after=-0.0).retry_after) == "0.0"


def test_attack_secret_code_is_masked_in_repr() -> None:
    """A code holding a secret, given or assigned, shows masked in ``repr``."""
    error = ek.Error("m", code=("password=hunter2",))  # type: ignore[arg-type]
    assert "hunter2" not in repr(error)
    error.code = "token=abc123XYZ"
    assert repr(error) == "Error(message='m', code='token=***')"


def test_attack_unauthorized_status_none_is_its_class_status() -> None:
    """``status_code=None`` means the class status for a connector's 401 too."""
    assert ek.UnauthorizedError("acme", status_code=None).status_code == 401  # type: ignore[arg-type]


def test_attack_region_probe_attempts_are_not_shared() -> None:
    """The top-level ``attempts`` of ``to_dict()`` is not the list inside ``details``."""
    payload = ek.RegionProbeError("m", attempts=[("us", 0, "x")]).to_dict()
    payload["attempts"][0].append("changed")
    assert payload["details"]["attempts"] == [["us", 0, "x"]]


def test_attack_a_rate_limit_subclass_with_another_status_is_retryable() -> None:
    """A rate limit clears by itself whatever status its class carries (the class's rule)."""

    class SlowDownError(RateLimitError):
        code = "SLOW_DOWN_FOR_TEST"
        status_code = 400

    with module_level(SlowDownError) as cls:
        assert cls.retryable is True
        assert cls().retryable is True
        assert cls(status_code=503).retryable is True
    del SlowDownError, cls
    gc.collect()


def test_attack8_a_subclass_status_is_the_default_of_a_status_keyword_with_one() -> None:
    """A subclass's own status is the default where the signature names one (``status_code=401``).

    ``UnauthorizedError``'s signature defaults to 401; a subclass declaring 403 got 401.
    """

    class ForbiddenError(ek.UnauthorizedError):
        code = "FORBIDDEN_FOR_TEST"
        status_code = 403

    with module_level(ForbiddenError) as cls:
        assert cls("acme").status_code == 403
        assert cls("acme", status_code=401).status_code == 401
        assert cls("acme").to_dict()["details"]["status_code"] == 403
        assert ek.UnauthorizedError("acme").status_code == 401
    del ForbiddenError, cls
    gc.collect()


def test_attack10_a_status_none_on_a_direct_apierror_subclass_is_its_own_status() -> None:
    """``status_code=None`` to an ``APIError`` subclass declaring a status gives that status."""

    class SlowError(ek.APIError):
        code = "SLOW_FOR_TEST"
        status_code = 408

    with module_level(SlowError) as cls:
        error = cls("m", status_code=None)  # type: ignore[arg-type]
        assert error.status_code == 408
        assert error.retryable is True
        assert error.to_dict()["details"]["status_code"] == 408
        unset = ek.APIError("m", status_code=None)  # type: ignore[arg-type]
        status: object = unset.status_code
        assert status is None  # APIError has no status of its own
    del SlowError, cls, error, unset, status
    gc.collect()


def test_attack10_a_subclass_skipping_the_constructor_still_has_a_message() -> None:
    """A subclass whose ``__init__`` never calls its base's still has a message and a dict."""

    class SilentAccountError(ek.AccountNotFoundError):
        code = "SILENT_ACCOUNT_FOR_TEST"

        def __init__(self) -> None:
            pass

    class SilentRateError(ek.ConnectorRateLimitError):
        code = "SILENT_RATE_FOR_TEST"

        def __init__(self) -> None:
            pass

    class SilentFeatureError(ek.FeatureNotSupportedError):
        code = "SILENT_FEATURE_FOR_TEST"

        def __init__(self) -> None:
            pass

    classes = (SilentAccountError, SilentRateError, SilentFeatureError)
    try:
        for cls in classes:
            error = cls()
            assert str(error)
            assert repr(error).startswith(f"{cls.__name__}(message=")
            assert error.to_dict()["code"] == cls.code
            assert json.loads(error.to_json())["message"] == str(error)
    finally:  # other tests walk ``Error.__subclasses__()``: leave the tree as it was
        for cls in classes:
            ek.Error._by_code.pop(cls.code, None)
        del SilentAccountError, SilentRateError, SilentFeatureError, classes, cls, error
        gc.collect()


class _Holder:
    """Attributes for template rows: plain, odd, and one whose read fails."""

    code = "HOLDER"
    text = "acme"
    number = 7
    ratio = 2.5
    flag = True
    nothing = None
    names = ["a", "b"]  # noqa: RUF012 - read only
    huge = 10**5000

    @property
    def broken(self) -> str:
        """A field whose read fails."""
        raise RuntimeError("unreadable")


TEMPLATE_ROWS = [
    ("plain", "{text}: {number} and {ratio}", "acme: 7 and 2.5"),
    ("spec", "{ratio:.0f}s, {number:03d}, {text:>6}", "2s, 007,   acme"),
    ("conversion", "{text!r} {number!s} {text!a}", "'acme' 7 'acme'"),
    ("escaped braces", "{{literal}} {text}", "{literal} acme"),
    ("bool renders as text", "{flag} {nothing}", "True None"),
    ("list renders quoted", "{names}", "'a', 'b'"),
    ("missing field keeps the template", "{absent} {text}", "{absent} {text}"),
    ("failing read keeps the template", "{broken} {text}", "{broken} {text}"),
    ("spec a value refuses: its text", "{text:.0f}", "acme"),
    ("index reads the quoted text", "{names[1]}", "a"),
    ("positional field keeps the template", "{} {text}", "{} {text}"),
    ("nested spec", "{ratio:{number}}", "    2.5"),
    ("no field", "nothing to fill", "nothing to fill"),
    ("a field named like a keyword keeps the template", "{class} {text}", "{class} {text}"),
    (
        "attack: int too long for str() fills as its text",
        "{huge} {text}",
        "<int with 5001 digits> acme",
    ),
    ("attack: and with a spec it refuses", "{huge:d}", "<int with 5001 digits>"),
]


@pytest.mark.parametrize(
    ("template", "expected"), [row[1:] for row in TEMPLATE_ROWS], ids=[r[0] for r in TEMPLATE_ROWS]
)
def test_compiled_template_fill_matches_str_format(template: str, expected: str) -> None:
    """A compiled template fills as ``str.format`` over the error's fields would, twice."""
    from errorkit._build import _filled, filled

    holder: Any = _Holder()
    assert filled(template, holder) == _filled(template, holder) == expected
    assert filled(template, holder) == expected  # the compiled filler, now remembered


def test_numbers_of_equal_value_fill_by_their_own_type() -> None:
    """``1``, ``1.0`` and ``True`` compare equal but fill a template as their own text."""
    values: list[Any] = [1, 1.0, True]
    messages = [ek.MissingAPIKeyError(value, "K").message for value in values]
    assert [m.split()[5] for m in messages] == ["1.", "1.0.", "True."]


@pytest.mark.parametrize(
    "cls", [ek.UnauthorizedError, ek.PaymentRequiredError, ek.ConnectorRateLimitError]
)
def test_connector_http_classes_read_provider_and_delay_from_the_request_tuple(
    cls: type[Any],
) -> None:
    """A connector's HTTP class reads ``provider`` and ``retry_after`` as its request fields."""
    error = cls("acme", 5.0) if cls is ek.ConnectorRateLimitError else cls("acme")
    assert error.provider == "acme" == error.details["provider"]
    assert error._request[6] == "acme"
    bare = Error.__new__(cls)  # made without its constructor
    assert bare.provider is None
    assert bare.retry_after == (0.0 if cls is ek.ConnectorRateLimitError else None)
    with pytest.raises(AttributeError):
        error.provider = "other"


def test_attack_a_timeout_that_is_also_a_server_error() -> None:
    """A user class that is both a timeout and a 5xx builds, keeps its provider and pickles."""

    class GatewayTimeoutForTestError(ek.APITimeoutError, ek.ServerError):  # type: ignore[misc]
        code = "GATEWAY_TIMEOUT_FOR_TEST"

    with module_level(GatewayTimeoutForTestError) as cls:
        error = cls(provider="acme", request_url="https://h/p?token=abc123")
        assert isinstance(error, TimeoutError)
        assert isinstance(error, APIError)
        assert error.provider == "acme" == error.details["provider"]
        assert error.details["request_url"] == "https://h/p?token=abc123"
        assert "abc123" not in json.dumps(error.to_dict())
        copied = pickle.loads(pickle.dumps(error))
        assert (type(copied), copied.to_dict()) == (cls, error.to_dict())
        del error, copied
    del GatewayTimeoutForTestError, cls
    gc.collect()
