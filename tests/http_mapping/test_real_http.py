"""Real HTTP end to end: a stdlib server on 127.0.0.1 answering real httpx and requests clients.

The server runs ``http.server`` in a daemon thread on an ephemeral port; every client ignores
proxy settings from the environment (``trust_env=False``), so nothing leaves the machine.
Each response and transport failure goes through the real client and then errorkit's mapping.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from urllib.parse import urlsplit

import httpx
import pytest
import requests

from errorkit import exceptions as ek
from errorkit.http_mapping import (
    connector_error_for_transport,
    connector_error_from_response,
    error_from_exception,
    error_from_response,
    raise_for_status,
)
from errorkit.problem import PROBLEM_JSON_CONTENT_TYPE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SECRET = "sk-live-http-0042"
SLOW_SECONDS = 1.0
CLIENT_TIMEOUT = 0.2


# --- the server -----------------------------------------------------------------------------


class Route(NamedTuple):
    """One canned answer: status, extra headers and a body (JSON for dicts and lists)."""

    status: int
    headers: dict[str, str]
    body: Any


def _routes(base: str, path_and_query: str) -> dict[str, Route]:
    """The server's endpoints; the 401 body echoes the request URL, as careless servers do."""
    retry_at = email.utils.formatdate(time.time() + 120, usegmt=True)
    problem = ek.RateLimitError(retry_after=7, request_id="req_p").to_problem_details()
    return {
        "/ok": Route(200, {}, {"ok": True}),
        "/400": Route(
            400,
            {"X-Request-ID": "req_400"},
            {"error": {"message": "Invalid 'limit': must be positive", "type": "invalid"}},
        ),
        "/401": Route(
            401,
            {"request-id": "req_401"},
            {"message": f"Invalid API key in {base}{path_and_query}"},
        ),
        "/402": Route(402, {}, {"error": "upgrade your plan"}),
        "/403": Route(403, {"X-Request-ID": "req_403"}, {"detail": "Not allowed"}),
        "/404": Route(404, {"X-Request-ID": "req_404"}, "No such item"),
        "/422": Route(
            422,
            {"X-Request-ID": "req_422"},
            {"detail": [{"loc": ["query", "limit"], "msg": "Input should be greater than 0"}]},
        ),
        "/429": Route(429, {"Retry-After": "7", "X-Request-ID": "req_429"}, {"error": "slow down"}),
        "/429-date": Route(429, {"Retry-After": retry_at}, {"error": "slow down"}),
        "/500": Route(500, {"X-Request-ID": "req_500"}, "Internal Server Error"),
        "/503": Route(
            503, {"X-Request-ID": "req_503", "Retry-After": "30"}, {"message": "maintenance"}
        ),
        "/problem": Route(429, {"Content-Type": PROBLEM_JSON_CONTENT_TYPE}, problem),
    }


class _Server(ThreadingHTTPServer):
    """The test server; ``stopping`` wakes the slow endpoint at shutdown."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()

    @property
    def base_url(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    """Answers GET from the route table, plus the slow endpoint and a redirect."""

    def do_GET(self) -> None:
        """Serve one request."""
        server = cast("_Server", self.server)
        path = urlsplit(self.path).path
        if path == "/slow":
            if server.stopping.wait(SLOW_SECONDS):
                return
            self._send(Route(200, {}, {"slow": True}))
        elif path == "/redirect":
            self._send(Route(302, {"Location": "/404"}, ""))
        else:
            route = _routes(server.base_url, self.path).get(path)
            self._send(route or Route(404, {}, "no route"))

    def _send(self, route: Route) -> None:
        """Write a response; a client that already gave up is not an error."""
        is_text = isinstance(route.body, str)
        body = (route.body if is_text else json.dumps(route.body)).encode()
        headers = {
            "Content-Type": "text/plain" if is_text else "application/json",
            "Content-Length": str(len(body)),
            **route.headers,
        }
        try:
            self.send_response(route.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client timed out and closed the connection
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """Run the server in a daemon thread for this module; shut it down afterwards."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server.base_url
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _refused_url() -> str:
    """A URL on a local port nothing listens on: bind a free port, then close it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/refused?token={SECRET}"


# --- the clients ----------------------------------------------------------------------------

Response = httpx.Response | requests.Response


def _httpx_get(url: str, timeout: float, follow: bool) -> Response:
    with httpx.Client(trust_env=False, timeout=timeout, follow_redirects=follow) as client:
        return client.get(url)


async def _httpx_async_get(url: str, timeout: float, follow: bool) -> httpx.Response:
    async with httpx.AsyncClient(
        trust_env=False, timeout=timeout, follow_redirects=follow
    ) as client:
        return await client.get(url)


def _httpx_async(url: str, timeout: float, follow: bool) -> Response:
    return asyncio.run(_httpx_async_get(url, timeout, follow))


def _requests_get(url: str, timeout: float, follow: bool) -> Response:
    with requests.Session() as session:
        session.trust_env = False
        response = session.get(url, timeout=timeout, allow_redirects=follow)
        response.close()
        return response


CLIENTS: dict[str, Callable[[str, float, bool], Response]] = {
    "httpx": _httpx_get,
    "httpx-async": _httpx_async,
    "requests": _requests_get,
}


@pytest.fixture(params=list(CLIENTS))
def get(request: pytest.FixtureRequest) -> Callable[..., Response]:
    """A real client's GET: ``get(url, timeout=2.0, follow=True)`` returns the response."""
    fetch = CLIENTS[request.param]

    def call(url: str, *, timeout: float = 2.0, follow: bool = True) -> Response:
        return fetch(url, timeout, follow)

    return call


def _failure(get: Callable[..., Response], url: str) -> Exception:
    """Return the exception a real client raises for ``url`` with a short timeout."""
    with pytest.raises(Exception) as caught:  # noqa: PT011 - each client raises its own type
        get(url, timeout=CLIENT_TIMEOUT)
    return caught.value


def _assert_no_secret(error: ek.Error) -> None:
    """The secret appears in none of the error's serialized forms."""
    assert SECRET not in json.dumps(error.to_dict())
    assert SECRET not in json.dumps(error.to_problem_details())
    assert SECRET not in str(error)
    assert SECRET not in repr(error)


# --- responses ------------------------------------------------------------------------------


class Expected(NamedTuple):
    """What ``error_from_response`` gives for an endpoint."""

    cls: type[ek.APIError]
    status: int
    message: str
    request_id: str | None


RESPONSES = {
    "/400": Expected(ek.BadRequestError, 400, "Invalid 'limit': must be positive", "req_400"),
    "/403": Expected(ek.PermissionDeniedError, 403, "Not allowed", "req_403"),
    "/404": Expected(ek.NotFoundError, 404, "No such item", "req_404"),
    "/422": Expected(ek.BadRequestError, 422, "Input should be greater than 0", "req_422"),
    "/429": Expected(ek.RateLimitError, 429, "slow down. Retry after 7 seconds.", "req_429"),
    "/500": Expected(ek.ServerError, 500, "Internal Server Error", "req_500"),
    "/503": Expected(ek.ServerError, 503, "maintenance", "req_503"),
}


@pytest.mark.parametrize("path", list(RESPONSES))
def test_error_from_response(get: Callable[..., Response], base_url: str, path: str) -> None:
    """A real error response maps to its class with status, body message and request id."""
    expected = RESPONSES[path]
    response = get(base_url + path)
    error = error_from_response(response, provider="local")
    assert type(error) is expected.cls
    assert error.status_code == expected.status
    assert str(error) == expected.message
    assert error.request_id == expected.request_id
    assert (error.request_method, error.request_url) == ("GET", base_url + path)
    assert error.provider == "local"
    assert error.to_dict()["details"]["status_code"] == expected.status


@pytest.mark.parametrize("path", list(RESPONSES))
def test_raise_for_status(get: Callable[..., Response], base_url: str, path: str) -> None:
    """``raise_for_status`` on a real error response raises its class, catchable as APIError."""
    expected = RESPONSES[path]
    with pytest.raises(ek.APIError) as caught:
        raise_for_status(get(base_url + path))
    assert type(caught.value) is expected.cls
    assert caught.value.status_code == expected.status


def test_success_does_not_raise(get: Callable[..., Response], base_url: str) -> None:
    """``raise_for_status`` on a 200 response returns None."""
    response = get(base_url + "/ok")
    raise_for_status(response)
    assert response.status_code == 200


def test_retry_after_in_seconds(get: Callable[..., Response], base_url: str) -> None:
    """A 429 with ``Retry-After: 7`` gives a retryable RateLimitError waiting 7 seconds."""
    error = error_from_response(get(base_url + "/429"))
    assert isinstance(error, ek.RateLimitError)
    assert error.retry_after == 7.0
    assert error.retryable is True
    assert error.to_dict()["details"]["retry_after"] == 7.0


def test_retry_after_as_http_date(get: Callable[..., Response], base_url: str) -> None:
    """A 429 whose ``Retry-After`` is an HTTP-date two minutes ahead waits about 120 seconds."""
    error = error_from_response(get(base_url + "/429-date"))
    assert isinstance(error, ek.RateLimitError)
    assert error.retry_after is not None
    assert 110.0 <= error.retry_after <= 120.0
    assert error.retry_after.is_integer()


def test_redirect_is_followed_to_the_error(get: Callable[..., Response], base_url: str) -> None:
    """A redirect to a 404 maps to NotFoundError carrying the final URL."""
    error = error_from_response(get(base_url + "/redirect"))
    assert type(error) is ek.NotFoundError
    assert error.request_url == base_url + "/404"


def test_unfollowed_redirect_is_not_an_error(get: Callable[..., Response], base_url: str) -> None:
    """A 302 that the client does not follow is not an error status: nothing is raised."""
    response = get(base_url + "/redirect", follow=False)
    assert response.status_code == 302
    raise_for_status(response)


def test_secret_in_url_never_serialized(get: Callable[..., Response], base_url: str) -> None:
    """A secret in the URL's query and userinfo, echoed in the body, reaches no serialized form."""
    host = base_url.removeprefix("http://")
    url = f"http://bob:{SECRET}@{host}/401?api_key={SECRET}&page=2"
    error = error_from_response(get(url))
    assert type(error) is ek.AuthenticationError
    assert error.request_id == "req_401"
    assert error.request_url is not None
    assert SECRET in error.request_url  # the raw attribute keeps what was sent
    assert str(error) == f"Invalid API key in {base_url}/401?api_key=***&page=2"
    assert "api_key=***" in error.to_dict()["details"]["request_url"]
    _assert_no_secret(error)


def test_problem_details_response(get: Callable[..., Response], base_url: str) -> None:
    """An ``application/problem+json`` body rebuilds the server's own error class."""
    response = get(base_url + "/problem")
    assert response.headers["content-type"] == PROBLEM_JSON_CONTENT_TYPE
    error = ek.Error.from_problem_details(response.json())
    assert type(error) is ek.RateLimitError
    assert (error.retry_after, error.request_id, error.status_code) == (7.0, "req_p", 429)


# --- connector responses --------------------------------------------------------------------

CONNECTOR = {
    "/401": (ek.UnauthorizedError, 401),
    "/403": (ek.UnauthorizedError, 403),
    "/402": (ek.PaymentRequiredError, 402),
    "/429": (ek.ConnectorRateLimitError, 429),
    "/404": (ek.ProviderError, 404),
    "/500": (ek.ProviderError, 500),
    "/503": (ek.ProviderError, 503),
}


@pytest.mark.parametrize("path", list(CONNECTOR))
def test_connector_error_from_response(
    get: Callable[..., Response], base_url: str, path: str
) -> None:
    """A real response maps to the connector class with its agent-facing default message."""
    cls, status = CONNECTOR[path]
    error = connector_error_from_response(
        get(base_url + path), provider="fred", env_var="FRED_API_KEY"
    )
    assert type(error) is cls
    assert isinstance(error, ek.APIError)
    assert (error.provider, error.status_code) == ("fred", status)
    assert error.message.startswith("fred: ")
    assert "DO NOT" in error.message or "do not loop" in error.message


def test_connector_rate_limit_reads_retry_after(
    get: Callable[..., Response], base_url: str
) -> None:
    """A connector 429 takes ``retry_after`` and the request id from the real headers."""
    error = connector_error_from_response(get(base_url + "/429"), provider="fred")
    assert isinstance(error, ek.ConnectorRateLimitError)
    assert (error.retry_after, error.request_id) == (7.0, "req_429")
    assert error.message.startswith("fred: rate limit hit, retry after 7s.")


def test_connector_unauthorized_names_env_var(get: Callable[..., Response], base_url: str) -> None:
    """A connector 401 names the env var and keeps no secret from the URL or the body."""
    error = connector_error_from_response(
        get(f"{base_url}/401?api_key={SECRET}"), provider="fred", env_var="FRED_API_KEY"
    )
    assert isinstance(error, ek.UnauthorizedError)
    assert "set the FRED_API_KEY env var" in error.message
    _assert_no_secret(error)


# --- transport failures ---------------------------------------------------------------------


def test_timeout_becomes_api_timeout_error(get: Callable[..., Response], base_url: str) -> None:
    """A real client timeout becomes APITimeoutError with a message, the request and the cause."""
    url = f"{base_url}/slow?token={SECRET}"
    started = time.monotonic()
    exc = _failure(get, url)
    assert time.monotonic() - started < SLOW_SECONDS
    error = error_from_exception(exc, provider="local")
    assert type(error) is ek.APITimeoutError
    assert isinstance(error, TimeoutError)
    assert str(error) == "Request timed out"
    assert error.original_exception is exc
    assert error.__cause__ is exc
    assert error.retryable is True
    assert (error.request_method, error.request_url) == ("GET", url)
    _assert_no_secret(error)


def test_refused_connection_becomes_api_connection_error(get: Callable[..., Response]) -> None:
    """A refused connection becomes APIConnectionError (not a timeout) with the cause."""
    url = _refused_url()
    exc = _failure(get, url)
    error = error_from_exception(exc)
    assert type(error) is ek.APIConnectionError
    assert isinstance(error, ConnectionError)
    assert str(error) == "Connection failed"
    assert error.original_exception is exc
    assert error.__cause__ is exc
    assert error.request_url == url
    _assert_no_secret(error)


def test_refused_connection_for_a_connector(get: Callable[..., Response]) -> None:
    """For a connector, a refused connection is a 503 ProviderError naming only the class."""
    exc = _failure(get, _refused_url())
    error = connector_error_for_transport("fred", exc)
    assert (type(error), error.status_code) == (ek.ProviderError, 503)
    assert f"({type(exc).__name__})" in error.message
    assert error.original_exception is exc
    _assert_no_secret(error)


def _get_or_raise_errorkit(get: Callable[..., Response], url: str) -> Response:
    """Call a client the documented way: transport failures re-raised as errorkit errors."""
    try:
        return get(url, timeout=CLIENT_TIMEOUT)
    except Exception as exc:
        raise error_from_exception(exc) from exc


def test_raise_from_keeps_the_client_exception(get: Callable[..., Response]) -> None:
    """The documented pattern ``raise error_from_exception(exc) from exc`` chains the cause."""
    with pytest.raises(ek.APIConnectionError) as caught:
        _get_or_raise_errorkit(get, _refused_url())
    assert caught.value.__cause__ is not None
    assert not isinstance(caught.value.__cause__, ek.Error)
