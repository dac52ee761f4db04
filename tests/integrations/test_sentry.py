"""``before_send`` and ``denylist`` on a real sentry-sdk client with a capturing transport."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, cast

import pytest
import sentry_sdk
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from sentry_sdk.transport import Transport

from errorkit import exceptions as ek
from errorkit.integrations.sentry import before_send, denylist
from errorkit.safety import sensitive_names

if TYPE_CHECKING:
    from collections.abc import Callable

    from sentry_sdk.envelope import Envelope
    from sentry_sdk.types import Event

if sys.version_info >= (3, 11):
    from builtins import ExceptionGroup

SECRET = "sk-proj-H4kL9pW2qX7zT1vB6nM3"
needs_groups = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="exception groups are builtin from Python 3.11"
)


class CapturingTransport(Transport):
    """A transport that keeps every envelope it is given, serialized, and sends nothing."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.sent: list[bytes] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        """Keep the envelope's bytes, exactly as they would go over the wire."""
        self.sent.append(envelope.serialize())


def _events(sent: list[bytes]) -> list[dict[str, Any]]:
    """Return the event items of the captured envelopes, parsed."""
    events = []
    for raw in sent:
        lines = raw.split(b"\n")
        for header, body in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(body))
    return events


def _client(transport: CapturingTransport, **options: Any) -> sentry_sdk.Client:
    """A client sending to ``transport`` through ``before_send``, with no integration."""
    return sentry_sdk.Client(
        dsn="https://public@127.0.0.1/1",
        transport=transport,
        before_send=before_send,
        default_integrations=False,
        auto_enabling_integrations=False,
        **options,
    )


def _capture(*errors: BaseException) -> tuple[list[dict[str, Any]], bytes]:
    """Capture each error with a fresh client (raised, so frames and locals are included)."""
    transport = CapturingTransport()
    client = _client(
        transport,
        event_scrubber=EventScrubber(denylist=denylist(), recursive=True),
        include_local_variables=True,
    )
    try:
        with sentry_sdk.isolation_scope() as scope:
            scope.set_client(client)
            for error in errors:
                api_key = f"api_key={SECRET}"  # a local variable Sentry reads from the frame
                try:
                    raise error
                except BaseException as caught:
                    scope.capture_exception(caught)
                del api_key
            client.flush(timeout=5)
    finally:
        client.close(timeout=5)
    return _events(transport.sent), b"".join(transport.sent)


def _leaky_rate_limit(call_site: str) -> ek.ConnectorRateLimitError:
    """A connector 429 carrying secrets in its context and in a chained cause."""
    cause = RuntimeError(f"{call_site}: GET https://x.test/?api_key={SECRET} -> 429")
    return ek.ConnectorRateLimitError(
        "acme",
        12,
        request_url=f"https://x.test/v1?api_key={SECRET}",
        request_params={"token": SECRET},
        response_body={"message": f"Authorization: Bearer {SECRET}"},
        request_id=f"req_{call_site}",
        original_exception=cause,
    )


def test_two_rate_limits_group_together_and_a_401_apart() -> None:
    """Two 429s from different places share a fingerprint; a 401 gets its own."""
    events, _ = _capture(
        _leaky_rate_limit("search"),
        _leaky_rate_limit("download"),
        ek.UnauthorizedError("acme", env_var="ACME_API_KEY"),
    )
    first, second, unauthorized = events
    assert first["fingerprint"] == ["errorkit", "PROVIDER_RATE_LIMITED", "acme"]
    assert second["fingerprint"] == first["fingerprint"]
    assert unauthorized["fingerprint"] == ["errorkit", "PROVIDER_UNAUTHORIZED", "acme"]


def test_tags_and_context() -> None:
    """The event is tagged with the code and retryable, and carries the safe ``to_dict()``."""
    error = _leaky_rate_limit("search")
    (event,), _ = _capture(error)
    assert event["tags"]["errorkit.code"] == "PROVIDER_RATE_LIMITED"
    assert event["tags"]["errorkit.retryable"] == "true"
    context = event["contexts"]["errorkit"]
    assert context["code"] == "PROVIDER_RATE_LIMITED"
    assert context["details"]["request_id"] == "req_search"
    assert context["details"]["retry_after"] == 12.0
    assert context == json.loads(json.dumps(error.to_dict()))


def test_no_secret_in_the_captured_envelope() -> None:
    """No planted secret reaches the bytes sent: not the values, causes, details nor locals."""
    unauthorized = ek.UnauthorizedError(
        "acme",
        f"key rejected: api_key={SECRET}",
        original_exception=ValueError(f"Authorization: Bearer {SECRET}"),
    )
    plain = ek.Error(f"boom password={SECRET}", details={"secret": SECRET, "note": "ok"})
    events, sent = _capture(_leaky_rate_limit("search"), unauthorized, plain)
    assert len(events) == 3
    assert SECRET not in sent.decode("utf-8")
    values = [value["value"] for value in events[1]["exception"]["values"]]
    assert values == ["Authorization: ***", "key rejected: api_key=***"]


def test_other_events_pass_unchanged() -> None:
    """An event without an errorkit error keeps Sentry's own grouping and gets no errorkit tags."""
    event = cast("Event", {"message": "hello", "tags": {"a": "b"}})
    hint = {"exc_info": (ValueError, ValueError("x"), None)}
    assert before_send(event, hint) == {"message": "hello", "tags": {"a": "b"}}
    assert before_send(cast("Event", {"message": "no hint"}), {}) == {"message": "no hint"}
    (captured,), _ = _capture(KeyError("missing"))
    assert "fingerprint" not in captured
    assert "errorkit" not in captured.get("contexts", {})


@needs_groups
def test_error_inside_a_group_or_chain_is_found() -> None:
    """An errorkit error in an exception group or behind a wrapper decides the fingerprint."""
    group = ExceptionGroup("task group", [ek.RateLimitError(retry_after=3)])
    wrapper = RuntimeError("wrapped")
    wrapper.__cause__ = ek.NotFoundError()
    grouped, chained = _capture(group, wrapper)[0]
    assert grouped["fingerprint"] == ["errorkit", "RATE_LIMITED"]
    assert chained["fingerprint"] == ["errorkit", "NOT_FOUND"]
    assert chained["tags"]["errorkit.retryable"] == "false"


def test_denylist_extends_sentrys_default() -> None:
    """The denylist starts with Sentry's, adds every errorkit name (and its dashed form), once."""
    names = denylist()
    assert names[: len(DEFAULT_DENYLIST)] == DEFAULT_DENYLIST
    assert len(names) == len(set(names))
    assert set(sensitive_names()) <= set(names)
    assert {"x-api-key", "access_token", "client_secret"} <= set(names)
    assert denylist() == names


def test_scrubber_masks_errorkit_names_sentry_does_not_know() -> None:
    """With ``denylist()``, the scrubber masks ``access_token`` in extra data."""
    default: Callable[[], EventScrubber] = EventScrubber
    extended = EventScrubber(denylist=denylist())
    for scrubber, masked in ((default(), False), (extended, True)):
        event: Any = {"extra": {"access_token": SECRET, "x-api-key": SECRET}}
        scrubber.scrub_event(event)
        assert (SECRET not in json.dumps(event, default=str)) is masked


def test_attack15_breadcrumbs_extra_and_contexts_are_masked() -> None:
    """A secret in a breadcrumb, ``extra`` or a context never reaches the bytes sent."""
    transport = CapturingTransport()
    client = _client(transport)
    try:
        with sentry_sdk.isolation_scope() as scope:
            scope.set_client(client)
            scope.add_breadcrumb(message=f"calling with api_key={SECRET}", category="log")
            scope.add_breadcrumb(data={"token": SECRET, "step": "fetch"}, category="http")
            scope.set_extra("request_line", f"GET /v1?token={SECRET}")
            scope.set_context("upstream", {"authorization": f"Bearer {SECRET}", "region": "eu"})
            try:
                raise ek.ServerError("upstream failed")
            except ek.ServerError as caught:
                scope.capture_exception(caught)
            client.flush(timeout=5)
    finally:
        client.close(timeout=5)
    (event,) = _events(transport.sent)
    assert SECRET not in b"".join(transport.sent).decode("utf-8")
    crumbs = event["breadcrumbs"]["values"]
    assert crumbs[0]["message"] == "calling with api_key=***"
    assert crumbs[1]["data"] == {"token": "***", "step": "fetch"}
    assert event["extra"]["request_line"] == "GET /v1?token=***"
    assert event["contexts"]["upstream"] == {"authorization": "***", "region": "eu"}


def test_attack15_the_request_part_is_masked() -> None:
    """The request a web integration attaches is masked: query string, URL, headers, data."""
    event = cast(
        "Event",
        {
            "request": {
                "url": f"https://api.test/v1?api_key={SECRET}",
                "query_string": f"token={SECRET}&page=2",
                "headers": {"Authorization": f"Bearer {SECRET}", "Accept": "*/*"},
                "data": {"password": SECRET, "name": "ada"},
            },
            "logentry": {"message": "failed: %s", "params": [f"password={SECRET}"]},
        },
    )
    out = before_send(event, {"exc_info": (ek.Error, ek.Error("m"), None)})
    assert out is not None
    assert SECRET not in json.dumps(out)
    assert out["request"]["query_string"] == "token=***&page=2"
    assert out["request"]["headers"] == {"Authorization": "***", "Accept": "*/*"}
    assert out["request"]["data"] == {"password": "***", "name": "ada"}
    assert out["logentry"]["params"] == ["password=***"]
