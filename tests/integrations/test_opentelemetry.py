"""``record_error`` on real OpenTelemetry SDK spans, read back from the in-memory exporter."""

from __future__ import annotations

import json
import sys

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from errorkit import exceptions as ek
from errorkit.integrations.opentelemetry import record_error

if sys.version_info >= (3, 11):
    from builtins import ExceptionGroup

SECRET = "sk-proj-Q7mZ2xR9tV4wY8bN1cK6"
LEAKY_CAUSE = RuntimeError(
    f"GET https://api.example.com/v1/rows?api_key={SECRET} failed; Authorization: Bearer {SECRET}"
)


def _recorded(exc: BaseException) -> ReadableSpan:
    """Raise ``exc`` inside a span, record it with ``record_error`` and return the exported span."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("errorkit-tests")
    with tracer.start_as_current_span(
        "call", record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            raise exc
        except BaseException as caught:
            record_error(span, caught)
    (finished,) = exporter.get_finished_spans()
    provider.shutdown()
    return finished


def _unauthorized() -> ek.UnauthorizedError:
    """A connector 401 with a secret in its message, its cause, its details and its URL."""
    return ek.UnauthorizedError(
        "acme",
        f"acme rejected the key: api_key={SECRET}",
        env_var="ACME_API_KEY",
        request_method="GET",
        request_url=f"https://api.example.com/v1/rows?api_key={SECRET}",
        request_params={"token": SECRET},
        response_body={"error": f"Bearer {SECRET} is revoked", "password": SECRET},
        request_id="req_42",
        original_exception=LEAKY_CAUSE,
    )


def test_span_carries_the_errorkit_attributes() -> None:
    """The span gets error.type = code, the errorkit attributes, the HTTP status, status ERROR."""
    span = _recorded(_unauthorized())
    attributes = dict(span.attributes or {})
    assert attributes == {
        "error.type": "PROVIDER_UNAUTHORIZED",
        "errorkit.code": "PROVIDER_UNAUTHORIZED",
        "errorkit.retryable": False,
        "http.response.status_code": 401,
        "errorkit.provider": "acme",
        "errorkit.request_id": "req_42",
    }
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "acme rejected the key: api_key=***"


def test_exception_event_is_masked() -> None:
    """The exception event names the class and holds the masked message and the frames."""
    span = _recorded(_unauthorized())
    (event,) = span.events
    assert event.name == "exception"
    attributes = dict(event.attributes or {})
    assert attributes["exception.type"] == "errorkit.exceptions.UnauthorizedError"
    assert attributes["exception.message"] == "acme rejected the key: api_key=***"
    stacktrace = str(attributes["exception.stacktrace"])
    assert stacktrace.startswith("Traceback (most recent call last):\n")
    assert "_recorded" in stacktrace
    assert stacktrace.endswith(
        "errorkit.exceptions.UnauthorizedError: acme rejected the key: api_key=***\n"
    )


@pytest.mark.parametrize(
    "exc",
    [
        pytest.param(_unauthorized(), id="errorkit"),
        pytest.param(ValueError(f"bad input, api_key={SECRET}"), id="plain"),
        pytest.param(ek.ServerError(f"token: {SECRET}", status_code=503), id="server"),
    ],
)
def test_no_secret_anywhere_in_the_exported_span(exc: BaseException) -> None:
    """Neither the attributes, the events nor the status of the exported span hold the secret."""
    span = _recorded(exc)
    exported = span.to_json()
    assert SECRET not in exported
    assert json.loads(exported)["status"]["status_code"] == "ERROR"


def test_retryable_rate_limit_keeps_its_status_and_provider() -> None:
    """A connector 429 reports retryable true, status 429 and its provider; no request id."""
    span = _recorded(ek.ConnectorRateLimitError("acme", 30))
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "PROVIDER_RATE_LIMITED"
    assert attributes["errorkit.retryable"] is True
    assert attributes["http.response.status_code"] == 429
    assert attributes["errorkit.provider"] == "acme"
    assert "errorkit.request_id" not in attributes


def test_error_without_status_has_no_http_attribute() -> None:
    """An error with no HTTP status (a config error) sets no ``http.response.status_code``."""
    span = _recorded(ek.MissingAPIKeyError("openai", "OPENAI_API_KEY"))
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "MISSING_API_KEY"
    assert "http.response.status_code" not in attributes
    assert "errorkit.provider" not in attributes


def test_other_exceptions_use_the_qualified_class_name() -> None:
    """A non-errorkit exception sets error.type to its class name and no errorkit attributes."""
    span = _recorded(KeyError("missing"))
    assert dict(span.attributes or {}) == {"error.type": "KeyError"}
    assert span.status.status_code is StatusCode.ERROR
    json_span = _recorded(json.JSONDecodeError("bad", "{", 0))
    assert dict(json_span.attributes or {}) == {"error.type": "json.decoder.JSONDecodeError"}


needs_groups = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="exception groups are builtin from Python 3.11"
)


@needs_groups
def test_errorkit_error_behind_a_wrapper_is_found() -> None:
    """An error re-raised ``from`` a rate limit, or inside a group, reports the inner code."""

    def wrapped() -> RuntimeError:
        try:
            raise ek.RateLimitError(retry_after=5)
        except ek.RateLimitError as cause:
            wrapper = RuntimeError("upstream call failed")
            wrapper.__cause__ = cause
            return wrapper

    chained = _recorded(wrapped())
    assert dict(chained.attributes or {})["error.type"] == "RATE_LIMITED"
    assert dict(chained.events[0].attributes or {})["exception.type"] == "RuntimeError"
    grouped = _recorded(ExceptionGroup("task group", [ek.NotFoundError()]))
    assert dict(grouped.attributes or {})["error.type"] == "NOT_FOUND"


def test_transport_failure_is_reported_as_connection_error() -> None:
    """A builtin ``TimeoutError`` is described as errorkit's ``TIMEOUT``, retryable."""
    span = _recorded(TimeoutError("read timed out"))
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "TIMEOUT"
    assert attributes["errorkit.retryable"] is True
