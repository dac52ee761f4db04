"""``to_json()`` and ``to_dict()``: always what the safe walker gives, byte for byte.

The fast path keeps code, message and details as they are (checked copies for
``to_dict()``, encoded in C for ``to_json()``); every reason it must not (a secret, a long
string, a value JSON cannot hold, a subclass, a non-str key, a cycle...) has a named row
below checking that the fast path declines and both outputs still equal the walker's, and
property tests draw random payloads mixing all of them.
"""

from __future__ import annotations

import collections
import datetime
import enum
import json
import threading
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import errorkit
from errorkit import exceptions as ek
from errorkit import safety
from tests.samples import SECRET, all_error_classes, sample

BASE_CONTEXT: dict[str, Any] = {
    "response_body": {"error": {"message": "Too many requests", "type": "rate_limit_error"}},
    "request_method": "POST",
    "request_url": "https://api.example.com/v1/chat/completions?model=gpt-4o&stream=false",
    "request_params": {"model": "gpt-4o", "stream": False},
    "request_body": {"messages": [{"role": "user", "content": "Summarise the report."}]},
    "request_id": "req_8d1f2a",
    "provider": "openai",
}


def walked(error: ek.Error) -> dict[str, Any]:
    """The reference dict: the safe walker's output, with no fast path."""
    if type(error).to_dict is not ek.Error.to_dict:
        return error.to_dict()  # type: ignore[return-value]
    return safety._walked(error)


def expected(error: ek.Error) -> str:
    """The reference text ``to_json()`` must equal; ``to_dict()`` is checked against it too."""
    text = json.dumps(walked(error), allow_nan=False)
    assert json.dumps(error.to_dict(), allow_nan=False) == text
    return text


def fast(error: ek.Error) -> bool:
    """Tell whether ``to_json()`` encodes ``error`` without going through ``to_dict()``."""
    if type(error).to_dict is not ek.Error.to_dict:
        return False
    try:
        safety._make_encoder()(safety._plain_payload(error))
    except Exception:
        return False
    return True


def with_details(details: Any) -> ek.Error:
    """A base error carrying ``details`` as given."""
    return ek.Error("request failed", "CUSTOM_CODE", details)


# --------------------------------------------------------------------------- every class


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda cls: cls.__name__)
def test_every_class_sample_is_identical(cls: type[ek.Error]) -> None:
    """The sample of every class (secrets planted in it) encodes exactly as ``to_dict()``."""
    error = sample(cls)
    assert error.to_json() == expected(error)
    assert SECRET not in error.to_json()


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda cls: cls.__name__)
def test_every_class_is_identical_after_a_round_trip(cls: type[ek.Error]) -> None:
    """An error rebuilt from its own ``to_dict()`` (masked, plain) encodes identically too."""
    error = ek.Error.from_dict(sample(cls).to_dict())
    assert error.to_json() == expected(error)


def test_a_loaded_429_takes_the_fast_path() -> None:
    """A 429 with its full request context (a URL with a query included) is encoded as is."""
    error = errorkit.RateLimitError("Rate limit exceeded", retry_after=30.0, **BASE_CONTEXT)
    assert fast(error)
    assert error.to_json() == expected(error)


def test_a_200_row_body_takes_the_fast_path() -> None:
    """A large plain response body (200 rows, tuples and nested lists) is encoded as is."""
    rows = [
        {"id": i, "name": f"user {i}", "score": i * 1.5, "tags": ("a", ["b", None])}
        for i in range(200)
    ]
    error = errorkit.ServerError(status_code=503, response_body={"data": rows})
    assert fast(error)
    assert error.to_json() == expected(error)


def test_non_ascii_plain_text_takes_the_fast_path() -> None:
    """Text and keys beyond ASCII are encoded as is (escaped exactly as ``json.dumps`` does)."""
    error = with_details({"café": "naïve — ünïcode ✓ \U0001f600", "ctrl": "a\x00b\n"})
    assert fast(error)
    assert error.to_json() == expected(error)


def test_region_probe_error_keeps_its_fourth_key() -> None:
    """``RegionProbeError`` overrides ``to_dict()``: its top-level ``attempts`` is kept."""
    error = ek.RegionProbeError("no region", attempts=[("us", 401, "denied")])
    assert not fast(error)
    assert error.to_json() == expected(error)
    assert json.loads(error.to_json())["attempts"] == [["us", 401, "denied"]]


def test_a_subclass_overriding_to_dict_gets_its_own_output() -> None:
    """A user subclass that overrides ``to_dict()`` is encoded from that override."""

    class Tagged(ek.Error):
        def to_dict(self) -> Any:
            return {**super().to_dict(), "tag": "mine"}

    error = Tagged("plain")
    assert json.loads(error.to_json())["tag"] == "mine"
    assert error.to_json() == expected(error)


def test_an_override_returning_a_cycle_fails_as_json_dumps_does() -> None:
    """An overriding ``to_dict()`` that returns a cycle raises what ``json.dumps`` raises."""

    class Looping(ek.Error):
        def to_dict(self) -> Any:
            payload: dict[str, Any] = dict(super().to_dict())
            payload["self"] = payload
            return payload

    with pytest.raises(ValueError, match="Circular reference"):
        Looping("plain").to_json()


# --------------------------------------------------------------------------- fallback reasons


class Color(enum.Enum):
    """An enum whose value ``to_dict()`` emits in place of the member."""

    RED = "red"


class Level(enum.IntEnum):
    """An int subclass that JSON encoders treat as an int."""

    HIGH = 3


class Text(str):
    """A str subclass with a ``__str__`` of its own."""

    __slots__ = ()

    def __str__(self) -> str:
        return "other"


class Count(int):
    """An int subclass."""


class Ratio(float):
    """A float subclass with a ``__repr__`` of its own."""

    def __repr__(self) -> str:
        return "ratio"


class Reversed(list[Any]):
    """A list subclass that iterates in reverse."""

    def __iter__(self) -> Any:
        return iter(list(list.__iter__(self))[::-1])


class Point(NamedTuple):
    """A tuple subclass."""

    x: int
    y: int


class SameKey(str):
    """A str subclass whose instances never compare equal, so a dict can hold two ``"k"``."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


def _cyclic_list() -> list[Any]:
    items: list[Any] = ["a"]
    items.append(items)
    return items


def _cyclic_dict() -> dict[str, Any]:
    node: dict[str, Any] = {"name": "n"}
    node["self"] = node
    node["again"] = node
    return node


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


FALLBACKS: dict[str, Any] = {
    "sensitive key": {"password": "hunter2"},
    "sensitive camelCase key": {"apiKey": "abc"},
    "sensitive key written with a Kelvin sign": {"to\u212aen": "abc"},
    "secret in a value": {"note": "Authorization: Bearer abcdef0123456789"},
    "credential shape in a value": {"note": "key sk-proj0123456789abcdefghij"},
    "password in a URL": {"url": "https://bob:pw@example.com/"},
    "sensitive query parameter": {"url": "https://example.com/?api_key=abc"},
    "secret in a key's text": {"token=abc123": 1},
    "(name, value) pair under a sensitive name": {"params": [["token", "abc"], ["q", "x"]]},
    "(name, value) pair as a tuple": {"params": [("client_secret", "abc")]},
    "string longer than the limit": {"log": "x" * (safety.MAX_STRING_LENGTH + 1)},
    "key longer than the limit": {"k" * (safety.MAX_STRING_LENGTH + 1): 1},
    "bytes": {"raw": b"\xff\x00"},
    "datetime": {"when": datetime.datetime(2026, 11, 30, 9, 30)},
    "set": {"tags": {"b", "a"}},
    "arbitrary object": {"obj": object()},
    "exception": {"cause": ValueError("bad")},
    "enum": {"color": Color.RED},
    "int key": {1: "one"},
    "bool key": {True: "yes"},
    "None key": {None: "nothing"},
    "colliding keys": {1: "int", "1": "str"},
    "tuple key": {(1, 2): "pair"},
    "NaN": {"x": float("nan")},
    "infinity": {"x": float("inf")},
    "negative infinity": {"x": float("-inf")},
    "int too long for str()": {"n": 10**5000},
    "nesting deeper than the limit": {"deep": _deep(safety.MAX_DEPTH + 1)},
    "list cycle": {"items": _cyclic_list()},
    "dict cycle": {"node": _cyclic_dict()},
    "str subclass value": {"text": Text("shown")},
    "str subclass key": {Text("k"): 1},
    "str subclass keys that collide": {SameKey("k"): 1, SameKey("k"): 2},
    "int subclass": {"n": Count(7)},
    "IntEnum": {"level": Level.HIGH},
    "float subclass": {"r": Ratio(0.5)},
    "dict subclass": {"ordered": collections.OrderedDict(b=1, a=2)},
    "defaultdict": {"counts": collections.defaultdict(int, {"a": 1})},
    "list subclass with its own iteration": {"items": Reversed([1, 2, 3])},
    "tuple subclass": {"point": Point(1, 2)},
    "deque": {"queue": collections.deque([1, 2])},
}


@pytest.mark.parametrize("details", FALLBACKS.values(), ids=list(FALLBACKS))
def test_fallback_reason_is_detected_and_output_identical(details: Any) -> None:
    """Each payload the fast path cannot encode as is takes ``to_dict()``, identically."""
    error = with_details(details)
    assert not fast(error)
    assert error.to_json() == expected(error)


def test_fallback_reasons_hold_one_level_deep_in_a_list() -> None:
    """Every fallback reason is found inside a list inside a dict as well."""
    for name, details in FALLBACKS.items():
        error = with_details({"outer": [{"inner": details}]})
        assert not fast(error), name
        assert error.to_json() == expected(error), name


def test_plain_depth_at_the_limit_takes_the_fast_path() -> None:
    """Containers nested exactly as deep as ``to_dict()`` keeps them are encoded as is."""
    error = with_details({"deep": _deep(safety.MAX_DEPTH - 1)})
    assert fast(error)
    assert error.to_json() == expected(error)


def test_strings_at_the_length_limit_take_the_fast_path() -> None:
    """A value, key and message exactly ``MAX_STRING_LENGTH`` long are not cut: encoded as is."""
    limit = safety.MAX_STRING_LENGTH
    error = ek.Error("m" * limit, details={"k" * limit: "v" * limit})
    assert fast(error)
    assert error.to_json() == expected(error)


def test_shared_containers_take_the_fast_path() -> None:
    """The same plain list twice (not a cycle) is encoded as is, twice."""
    shared = [1, "two"]
    error = with_details({"a": shared, "b": shared})
    assert fast(error)
    assert error.to_json() == expected(error)


def test_secret_written_into_args_is_masked() -> None:
    """Text a caller writes into ``args`` reads masked as the message, in ``str`` and JSON."""
    error = ek.Error("plain")
    error.args = ("token=hunter2SECRET",)
    assert error.message == str(error) == "token=***"
    assert error.to_json() == expected(error)
    assert "hunter2SECRET" not in error.to_json()


def test_message_assigned_later_is_masked() -> None:
    """A message assigned after construction is masked then, in ``str``, ``args`` and JSON."""
    error = ek.Error("plain")
    error.message = "token=hunter2SECRET"
    assert str(error) == error.args[0] == "token=***"
    assert fast(error)
    assert error.to_json() == expected(error)


def test_long_message_is_cut() -> None:
    """A message longer than the limit takes ``to_dict()``, which cuts it."""
    error = ek.Error("m" * (safety.MAX_STRING_LENGTH + 10))
    assert error.to_json() == expected(error)
    assert len(json.loads(error.to_json())["message"]) == safety.MAX_STRING_LENGTH


def test_non_str_code_and_message() -> None:
    """A code of another type takes ``to_dict()``; a message is always read as a plain str."""
    error = ek.Error("plain")
    error.code = 42  # type: ignore[assignment]
    assert not fast(error)
    assert error.to_json() == expected(error)
    error = ek.Error("plain")
    error.args = (Text("shown"),)
    assert type(error.message) is str
    assert error.message == "other"  # its str()
    assert error.to_json() == expected(error)


def test_details_set_after_construction_is_a_dict() -> None:
    """Details assigned later are copied into a dict, as the constructor copies them."""
    error = ek.Error("plain")
    error.details = [("a", 1)]  # type: ignore[assignment]
    assert error.details == {"a": 1}
    assert error.to_json() == expected(error)


def test_code_that_looks_secret_is_left_to_to_dict() -> None:
    """A code the engine would change takes ``to_dict()``, whatever ``to_dict()`` does with it."""
    error = ek.Error("x")
    error.code = "token=hunter2SECRET"
    assert not fast(error)
    assert error.to_json() == expected(error)


def test_names_added_later_are_seen() -> None:
    """A key remembered as plain becomes sensitive once ``add_sensitive_keys`` names it."""
    error = with_details({"to_json_probe_tenant": "acme"})
    assert fast(error)
    assert "acme" in error.to_json()
    errorkit.add_sensitive_keys("to_json_probe_tenant")
    assert not fast(error)
    assert "acme" not in error.to_json()
    assert error.to_json() == expected(error)


def test_concurrent_mutation_never_leaks() -> None:
    """Another thread planting and removing a secret in details never gets it into the text."""
    inner: dict[str, Any] = {"plain": "value"}
    error = with_details({"inner": inner, "rows": [1, 2, 3]})
    stop = threading.Event()

    def mutate() -> None:
        i = 0
        while not stop.is_set() and i < 200_000:
            inner["password"] = "S3cr3tValue"
            inner.pop("password", None)
            inner[f"k{i % 50}"] = i
            inner.pop(f"k{(i + 25) % 50}", None)
            i += 1

    worker = threading.Thread(target=mutate)
    worker.start()
    try:
        for _ in range(2000):
            text = error.to_json()
            assert "S3cr3tValue" not in text
            assert type(json.loads(text)["details"]["inner"]) is dict
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()


# --------------------------------------------------------------------------- property


class Word(str):
    """A str subclass, drawn as a value or a key."""

    __slots__ = ()


_SECRETS = [
    SECRET,
    "Bearer abcdefghijklmnop0123",
    "token=hunter2",
    "https://bob:pw@example.com/x?sig=abc",
    "ghp_" + "a" * 36,
    "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----",
]
_KEYS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["id", "name", "token", "Password", "api-key", "max_tokens", "1", "(2) 1"]),
    st.integers(min_value=-3, max_value=3),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.builds(Word, st.sampled_from(["id", "x"])),
)
_LONG = st.builds(
    lambda length, char: char * length,
    st.integers(min_value=safety.MAX_STRING_LENGTH - 2, max_value=safety.MAX_STRING_LENGTH + 2),
    st.sampled_from(["a", "é", "="]),
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.builds(pow, st.just(10), st.just(5000)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(_SECRETS),
    _LONG,
    st.builds(Word, st.text(max_size=5)),
    st.builds(Count, st.integers()),
    st.builds(Ratio, st.floats(allow_nan=False)),
    st.sampled_from([b"\xff", Color.RED, Level.HIGH, datetime.date(2026, 1, 2), object]),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Dicts (with odd keys), lists, tuples, pairs and dict subclasses of ``children``."""
    return st.one_of(
        st.dictionaries(_KEYS, children, max_size=5),
        st.lists(children, max_size=5),
        st.lists(children, max_size=5).map(tuple),
        st.tuples(st.sampled_from(["token", "q", "sig"]), children).map(list),
        st.dictionaries(st.text(max_size=5), children, max_size=3).map(collections.OrderedDict),
    )


PAYLOADS = st.recursive(_SCALARS, _containers, max_leaves=25)


@given(
    details=st.dictionaries(_KEYS, PAYLOADS, max_size=6),
    message=st.one_of(st.text(max_size=60), st.sampled_from(_SECRETS), _LONG),
)
@settings(max_examples=300)
def test_any_payload_encodes_exactly_as_to_dict(details: dict[Any, Any], message: str) -> None:
    """For random details and messages, ``to_json()`` equals ``json.dumps(to_dict())``."""
    error = ek.Error(message, "CUSTOM_CODE", details)
    assert error.to_json() == expected(error)


@given(body=PAYLOADS, url=st.one_of(st.none(), st.sampled_from(_SECRETS), st.text(max_size=30)))
@settings(max_examples=100)
def test_any_http_context_encodes_exactly_as_to_dict(body: Any, url: str | None) -> None:
    """For random bodies and URLs on an HTTP error, ``to_json()`` equals the reference text."""
    error = errorkit.RateLimitError(response_body=body, request_url=url, provider="acme")
    assert error.to_json() == expected(error)


def test_to_dict_shares_no_container_with_the_error() -> None:
    """Changing what ``to_dict()`` returned, at any depth, leaves the error's details alone."""
    error = ek.Error("plain", "CUSTOM_CODE", {"rows": [{"id": 1, "tags": ["a"]}], "meta": {"n": 1}})
    assert fast(error)
    payload = error.to_dict()
    payload["details"]["rows"][0]["tags"].append("b")
    payload["details"]["rows"].append({"id": 2})
    payload["details"]["meta"]["n"] = 2
    assert error.details == {"rows": [{"id": 1, "tags": ["a"]}], "meta": {"n": 1}}
