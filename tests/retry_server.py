"""A scripted HTTP server on 127.0.0.1 and real clients, for the retry integration tests.

Each script is a list of steps the server plays in order, one per request, repeating the
last one: an HTTP reply, or ``DROP`` (the connection is closed without a response). A
test asks for a fresh URL per script (``/<token>/<script>``), so its request count starts
at zero: ``server.hits(url)`` is the number of attempts that reached the server.

The clients are real httpx (sync and async) and requests, with proxies from the
environment ignored and a timeout on every call; a failing status is turned into the
errorkit error by ``errorkit.raise_for_status``, as an application would.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import ssl
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from urllib.parse import urlsplit

import httpx
import requests

import errorkit

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator

CLIENT_TIMEOUT = 5.0
TLS = ssl.create_default_context()  # built once: httpx builds one per client otherwise (slow)


class Reply(NamedTuple):
    """One HTTP answer: status, extra headers, JSON body."""

    status: int
    headers: dict[str, str]
    body: Any = None


DROP = Reply(0, {})
"""Close the connection without sending a response."""

OK = Reply(200, {}, {"ok": True})

SCRIPTS: dict[str, list[Reply]] = {
    "429-retry-after-1": [Reply(429, {"Retry-After": "1"}, {"error": "slow down"})],
    "503-retry-after-2": [Reply(503, {"Retry-After": "2"}, {"message": "maintenance"})],
    "500-then-200": [Reply(500, {}, {"error": "boom"}), OK],
    "401": [Reply(401, {}, {"error": "invalid api key"})],
    "drop": [DROP],
    "drop-then-200": [DROP, OK],
    "503-should-not-retry": [Reply(503, {"x-should-retry": "false"}, {"error": "fatal"})],
    "409-should-retry-then-200": [Reply(409, {"X-Should-Retry": "True"}, {"error": "lock"}), OK],
    "429-retry-after-huge": [Reply(429, {"Retry-After": "100000"}, {"error": "come back later"})],
    "501": [Reply(501, {}, {"error": "not implemented"})],
    "ok": [OK],
}


class ScriptedServer(ThreadingHTTPServer):
    """Plays ``SCRIPTS``; counts the requests per path."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._tokens = itertools.count()

    def url(self, script: str) -> str:
        """Return a fresh URL playing ``script`` from its first step."""
        assert script in SCRIPTS, script
        return f"http://127.0.0.1:{self.server_address[1]}/{next(self._tokens)}/{script}"

    def hits(self, url: str) -> int:
        """Return how many requests reached ``url``."""
        with self._lock:
            return self._counts[urlsplit(url).path]

    def next_step(self, path: str) -> Reply:
        """Count a request to ``path`` and return the step it gets."""
        with self._lock:
            number = self._counts[path]
            self._counts[path] += 1
        steps = SCRIPTS.get(path.rsplit("/", 1)[-1], [Reply(404, {}, {"error": "no script"})])
        return steps[min(number, len(steps) - 1)]


class _Handler(BaseHTTPRequestHandler):
    """Answers every GET with the next step of its path's script."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """Serve one request."""
        step = cast("ScriptedServer", self.server).next_step(urlsplit(self.path).path)
        if step is DROP:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        body = json.dumps(step.body).encode()
        self.send_response(step.status)
        for name, value in {
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            **step.headers,
        }.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


def serve() -> Iterator[ScriptedServer]:
    """Run a scripted server in a daemon thread until the generator is closed."""
    server = ScriptedServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the clients: each GETs a URL and raises errorkit's error for a failing status ----------


def httpx_get(url: str) -> Any:
    """GET with a real ``httpx.Client``."""
    with httpx.Client(trust_env=False, timeout=CLIENT_TIMEOUT, verify=TLS) as client:
        response = client.get(url)
    errorkit.raise_for_status(response)
    return response.json()


def requests_get(url: str) -> Any:
    """GET with a real ``requests.Session``."""
    with requests.Session() as session:
        session.trust_env = False
        response = session.get(url, timeout=CLIENT_TIMEOUT)
    errorkit.raise_for_status(response)
    return response.json()


async def httpx_async_get(url: str) -> Any:
    """GET with a real ``httpx.AsyncClient``."""
    async with httpx.AsyncClient(trust_env=False, timeout=CLIENT_TIMEOUT, verify=TLS) as client:
        response = await client.get(url)
    errorkit.raise_for_status(response)
    return response.json()


SYNC_CLIENTS: dict[str, Callable[[str], Any]] = {"httpx": httpx_get, "requests": requests_get}
ASYNC_CLIENTS: dict[str, Callable[[str], Awaitable[Any]]] = {"httpx-async": httpx_async_get}
CLIENT_NAMES = [*SYNC_CLIENTS, *ASYNC_CLIENTS]

TRANSPORT_FAILURES: tuple[type[Exception], ...] = (
    httpx.TransportError,
    requests.ConnectionError,
)
"""What the clients raise for a dropped connection."""
