"""Problem responses from Starlette and FastAPI apps served by a real uvicorn on 127.0.0.1.

Each app runs in a uvicorn server on an ephemeral loopback port, in a thread started
for the module and always shut down; a real httpx client calls it, and
``errorkit.error_from_response`` reads the answers back.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import errorkit
from errorkit import exceptions as ek
from errorkit.integrations.starlette import add_problem_handlers, problem_response

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from starlette.requests import Request

if sys.version_info >= (3, 11):
    from builtins import ExceptionGroup

SECRET = "sk-proj-W3nB8vC1xZ6qL9tR2mK5"
START_TIMEOUT = 10.0
needs_groups = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="exception groups are builtin from Python 3.11"
)


def _leaky_context() -> dict[str, Any]:
    """Request context with a secret in every field that can hold one."""
    return {
        "request_url": f"https://upstream.test/v1?api_key={SECRET}",
        "request_params": {"token": SECRET},
        "response_body": {"message": f"Authorization: Bearer {SECRET}"},
        "original_exception": RuntimeError(f"api_key={SECRET}"),
    }


def _make_group() -> BaseException:
    """A task group's exception wrapping one rate limit."""
    return ExceptionGroup("task group", [ek.RateLimitError(retry_after=2)])


# Each route raises the error its name says; every error carries planted secrets.
ERRORS: dict[str, Callable[[], BaseException]] = {
    "connector-rate-limit": lambda: ek.ConnectorRateLimitError(
        "acme", 12.5, request_id="req_1", **_leaky_context()
    ),
    "rate-limit": lambda: ek.RateLimitError(
        f"slow down, api_key={SECRET}", retry_after=0.2, **_leaky_context()
    ),
    "unauthorized": lambda: ek.UnauthorizedError(
        "acme", f"bad key api_key={SECRET}", env_var="ACME_API_KEY", **_leaky_context()
    ),
    "not-found": lambda: ek.NotFoundError(f"no row; password={SECRET}", **_leaky_context()),
    "provider-503": lambda: ek.ProviderError("acme", 503, **_leaky_context()),
    "bad-request": lambda: ek.BadRequestError(status_code=422),
    "config": lambda: ek.MissingAPIKeyError("openai", "OPENAI_API_KEY"),
    "timeout": lambda: ek.APITimeoutError(request_url=f"https://u.test/?api_key={SECRET}"),
    "connection": lambda: ConnectionRefusedError(f"refused: api_key={SECRET}"),
    "httpx-timeout": lambda: httpx.ReadTimeout(f"timed out api_key={SECRET}"),
    "bug": lambda: KeyError(f"api_key={SECRET}"),
    "group": _make_group,
}


async def _raise(request: Request) -> Response:
    """Raise the error named by the path."""
    raise ERRORS[request.path_params["name"]]()


async def _ok(request: Request) -> Response:
    """Answer normally."""
    return JSONResponse({"ok": True})


def _starlette_app() -> Starlette:
    """A Starlette app with problem handlers."""
    app = Starlette(
        routes=[Route("/ok", _ok), Route("/raise/{name}", _raise)],
    )
    add_problem_handlers(app)
    return app


def _fastapi_app() -> FastAPI:
    """A FastAPI app with problem handlers."""
    app = FastAPI()

    @app.get("/ok")
    async def ok() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/raise/{name}")
    async def raise_named(name: str) -> dict[str, bool]:
        raise ERRORS[name]()

    add_problem_handlers(app)
    return app


class _Server:
    """A uvicorn server on 127.0.0.1 and an ephemeral port, run in a thread."""

    def __init__(self, app: Starlette) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="critical", lifespan="off", ws="none"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                self.server.should_exit = True
                raise RuntimeError("uvicorn did not start in time")
            time.sleep(0.01)
        (listener,) = self.server.servers
        port = listener.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=START_TIMEOUT)


@pytest.fixture(scope="module", params=["starlette", "fastapi"])
def client(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """A real httpx client talking to the app served by uvicorn."""
    app = _starlette_app() if request.param == "starlette" else _fastapi_app()
    # A fresh connection per request: a kept-alive one that the server closes after an
    # unexpected exception would make the next request fail by chance.
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with (
        _Server(app) as base_url,
        httpx.Client(base_url=base_url, timeout=10.0, limits=no_reuse) as http,
    ):
        yield http


def _assert_clean(response: httpx.Response) -> None:
    """Assert that the planted secret is in neither the body nor the headers."""
    assert SECRET not in response.text
    assert SECRET not in json.dumps(dict(response.headers))


def test_normal_routes_are_untouched(client: httpx.Client) -> None:
    """A route that does not fail answers as usual."""
    response = client.get("/ok")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


@pytest.mark.parametrize(
    ("name", "cls", "status"),
    [
        ("connector-rate-limit", ek.ConnectorRateLimitError, 429),
        ("rate-limit", ek.RateLimitError, 429),
        ("unauthorized", ek.UnauthorizedError, 401),
        ("not-found", ek.NotFoundError, 404),
        ("provider-503", ek.ProviderError, 503),
        ("bad-request", ek.BadRequestError, 422),
    ],
)
def test_round_trip_rebuilds_the_same_class_and_code(
    client: httpx.Client, name: str, cls: type[ek.APIError], status: int
) -> None:
    """The client's ``error_from_response`` rebuilds the server's class and code, no secret."""
    sent = ERRORS[name]()
    assert isinstance(sent, ek.Error)
    response = client.get(f"/raise/{name}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    _assert_clean(response)
    document = response.json()
    assert document["type"] == f"urn:errorkit:{cls.code}"
    assert document["status"] == status
    assert document["detail"] == sent.to_dict()["message"]
    rebuilt = errorkit.error_from_response(response)
    assert type(rebuilt) is cls
    assert rebuilt.code == cls.code
    assert rebuilt.status_code == status
    if name == "rate-limit":  # Retry-After holds whole seconds: the rebuilt error says its 1
        assert rebuilt.retry_after == 1.0
        assert rebuilt.message == "slow down, api_key=*** Retry after 1 seconds."
    else:
        assert rebuilt.message == sent.to_dict()["message"]
    assert rebuilt.request_method == "GET"
    assert str(rebuilt.request_url).endswith(f"/raise/{name}")
    assert SECRET not in json.dumps(rebuilt.to_dict())


def test_connector_rate_limit_round_trip_keeps_its_facts(client: httpx.Client) -> None:
    """A connector 429 comes back with its provider, Retry-After, retryable and request id."""
    response = client.get("/raise/connector-rate-limit")
    assert response.headers["retry-after"] == "13"  # 12.5 rounded up
    rebuilt = errorkit.error_from_response(response)
    assert isinstance(rebuilt, ek.ConnectorRateLimitError)
    assert rebuilt.provider == "acme"
    assert rebuilt.retry_after == 13.0
    assert rebuilt.retryable is True
    assert rebuilt.details["request_id"] == "req_1"


def test_retry_after_is_whole_seconds_rounded_up(client: httpx.Client) -> None:
    """A 0.2 s ``retry_after`` is sent as ``Retry-After: 1``; errors without one send none."""
    assert client.get("/raise/rate-limit").headers["retry-after"] == "1"
    assert "retry-after" not in client.get("/raise/not-found").headers


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("timeout", 504, "TIMEOUT"),
        ("httpx-timeout", 504, "TIMEOUT"),
        ("connection", 502, "CONNECTION_ERROR"),
        ("config", 500, "MISSING_API_KEY"),
    ],
)
def test_errors_without_a_status(client: httpx.Client, name: str, status: int, code: str) -> None:
    """Transport failures answer 504 or 502 as a gateway would; other errors 500; codes kept."""
    response = client.get(f"/raise/{name}")
    assert response.status_code == status
    _assert_clean(response)
    document = response.json()
    assert (document["code"], document["status"]) == (code, status)
    rebuilt = errorkit.error_from_response(response)
    assert type(rebuilt) is ek.ServerError  # not an APIError code: the class for the status
    assert rebuilt.status_code == status


def test_unexpected_exception_says_nothing(client: httpx.Client) -> None:
    """Any other exception gives a bare 500 problem document, its text withheld."""
    response = client.get("/raise/bug")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
    }


@needs_groups
def test_error_in_a_task_group(client: httpx.Client) -> None:
    """An errorkit error inside an exception group is answered as itself."""
    response = client.get("/raise/group")
    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMITED"
    assert response.headers["retry-after"] == "2"


def test_problem_response_without_a_server() -> None:
    """``problem_response`` alone builds the same response: media type, status, body, header."""
    response = problem_response(ek.ConnectorRateLimitError("acme", 3))
    assert response.status_code == 429
    assert response.media_type == "application/problem+json"
    assert response.headers["retry-after"] == "3"
    document = json.loads(bytes(response.body))
    assert document == ek.ConnectorRateLimitError("acme", 3).to_problem_details()


# ---------------------------------------------------------------------------------------------
# error_from_response reading problem documents (no server needed)
# ---------------------------------------------------------------------------------------------


def _response(status: int, body: object, content_type: str = "application/problem+json") -> Any:
    """An httpx response with a JSON body and a request, as a client receives it."""
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": content_type},
        request=httpx.Request("GET", "https://svc.test/items"),
    )


def test_errorkit_type_alone_marks_a_problem_document() -> None:
    """A plain JSON body with an ``urn:errorkit:`` type is read as a problem document."""
    document = ek.PaymentRequiredError("acme").to_problem_details()
    rebuilt = errorkit.error_from_response(_response(402, document, "application/json"))
    assert type(rebuilt) is ek.PaymentRequiredError
    assert rebuilt.provider == "acme"


def test_foreign_problem_document_gets_the_class_for_its_status() -> None:
    """A problem document without an errorkit code gives the class for the status, as before."""
    body = {"type": "https://example.com/out-of-stock", "title": "Out of stock", "status": 404}
    rebuilt = errorkit.error_from_response(_response(404, body))
    assert type(rebuilt) is ek.NotFoundError
    assert rebuilt.message == "Out of stock"


def test_response_status_and_callers_message_win() -> None:
    """The response's own status and the caller's message override the document's."""
    document = ek.ProviderError("acme", 503).to_problem_details()
    rebuilt = errorkit.error_from_response(_response(502, document), message="gateway said no")
    assert type(rebuilt) is ek.ProviderError
    assert rebuilt.status_code == 502
    assert rebuilt.message == "gateway said no"


def test_malformed_problem_document_falls_back() -> None:
    """A problem document with a malformed ``details`` member is read like any other body."""
    body = {"type": "urn:errorkit:NOT_FOUND", "code": "NOT_FOUND", "details": "oops"}
    rebuilt = errorkit.error_from_response(_response(404, body))
    assert type(rebuilt) is ek.NotFoundError
