"""``errorkit.integrations.stamina`` on real stamina, against a real HTTP server on 127.0.0.1.

Every run drives real httpx (sync and async) or requests through ``stamina.retry`` with
``on=retry_on``. The waits stamina chose are read from its own instrumentation hook
(``RetryDetails.wait_for``); the clock is never waited on: the ``time.sleep`` and
``asyncio.sleep`` that stamina calls are replaced by recorders for the test's duration.
The server counts the attempts that reached it.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
import stamina
import stamina.instrumentation

import errorkit
from errorkit.integrations.stamina import retry_on
from tests.retry_server import (
    ASYNC_CLIENTS,
    CLIENT_NAMES,
    SYNC_CLIENTS,
    TRANSPORT_FAILURES,
    ScriptedServer,
    httpx_async_get,
    serve,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator

    from stamina.instrumentation import RetryDetails

BACKOFF = 0.25  # stamina's first backoff in these runs (no jitter), doubling after
ATTEMPTS = 3


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    """A scripted server for this module."""
    yield from serve()


class Clock(NamedTuple):
    """The waits stamina reported choosing, and the sleeps it asked for."""

    waits: list[float]
    slept: list[float]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Record stamina's chosen waits through its hook; turn its sleeps into records."""
    record = Clock([], [])

    def on_retry(details: RetryDetails) -> None:
        record.waits.append(details.wait_for)

    real_sleep = asyncio.sleep

    async def fake_async_sleep(delay: float) -> None:
        record.slept.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(time, "sleep", record.slept.append)
    monkeypatch.setattr(asyncio, "sleep", fake_async_sleep)
    stamina.instrumentation.set_on_retry_hooks([on_retry])
    try:
        yield record
    finally:
        stamina.instrumentation.set_on_retry_hooks(None)


def run(
    client: str,
    url: str,
    *,
    fetch: Callable[[str], Any] | None = None,
    afetch: Callable[[str], Awaitable[Any]] | None = None,
) -> Any:
    """Call ``client`` on ``url`` under ``stamina.retry``; return the result or the exception."""
    policy = stamina.retry(
        on=retry_on, attempts=ATTEMPTS, timeout=None, wait_initial=BACKOFF, wait_jitter=0.0
    )
    if client in SYNC_CLIENTS:
        call = fetch or SYNC_CLIENTS[client]

        @policy
        def attempt() -> Any:
            return call(url)

        try:
            return attempt()
        except Exception as exc:
            return exc
    acall = afetch or ASYNC_CLIENTS[client]

    @policy
    async def aattempt() -> Any:
        return await acall(url)

    async def main() -> Any:
        return await asyncio.wait_for(aattempt(), 30)

    try:
        return asyncio.run(main())
    except Exception as exc:
        return exc


# --- real clients, real server ------------------------------------------------------------


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_429_waits_the_retry_after(client: str, server: ScriptedServer, clock: Clock) -> None:
    """A 429 with ``Retry-After: 1`` makes stamina wait exactly 1 s, until the attempts run out."""
    url = server.url("429-retry-after-1")
    outcome = run(client, url)
    assert isinstance(outcome, errorkit.RateLimitError)
    assert server.hits(url) == ATTEMPTS
    assert clock.waits == [1.0] * (ATTEMPTS - 1)
    assert clock.slept == clock.waits


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_503_waits_the_retry_after(client: str, server: ScriptedServer, clock: Clock) -> None:
    """A 503 with ``Retry-After: 2`` makes stamina wait exactly 2 s."""
    url = server.url("503-retry-after-2")
    outcome = run(client, url)
    assert isinstance(outcome, errorkit.ServerError)
    assert server.hits(url) == ATTEMPTS
    assert clock.waits == [2.0] * (ATTEMPTS - 1)
    assert clock.slept == clock.waits


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_500_then_200_backs_off_and_succeeds(
    client: str, server: ScriptedServer, clock: Clock
) -> None:
    """A 500 without a delay gets stamina's own backoff, and the 200 is returned."""
    url = server.url("500-then-200")
    assert run(client, url) == {"ok": True}
    assert server.hits(url) == 2
    assert clock.waits == [BACKOFF]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_401_is_not_retried(client: str, server: ScriptedServer, clock: Clock) -> None:
    """A 401 is raised after one attempt, with no wait."""
    url = server.url("401")
    assert isinstance(run(client, url), errorkit.AuthenticationError)
    assert server.hits(url) == 1
    assert clock == Clock([], [])


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_501_is_not_retried(client: str, server: ScriptedServer, clock: Clock) -> None:
    """501 Not Implemented is not retried."""
    url = server.url("501")
    assert isinstance(run(client, url), errorkit.ServerError)
    assert server.hits(url) == 1
    assert clock.waits == []


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_dropped_connection_is_retried(client: str, server: ScriptedServer, clock: Clock) -> None:
    """A connection dropped without a response is retried with backoff, and the 200 returned."""
    url = server.url("drop-then-200")
    assert run(client, url) == {"ok": True}
    assert server.hits(url) == 2
    assert clock.waits == [BACKOFF]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_dropped_connection_every_time_raises_the_client_error(
    client: str, server: ScriptedServer, clock: Clock
) -> None:
    """When every attempt is dropped, stamina backs off exponentially, then re-raises."""
    url = server.url("drop")
    assert isinstance(run(client, url), TRANSPORT_FAILURES)
    assert server.hits(url) == ATTEMPTS
    assert clock.waits == [BACKOFF, 2 * BACKOFF]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_server_hint_false_stops_a_retryable_status(
    client: str, server: ScriptedServer, clock: Clock
) -> None:
    """A 503 with ``x-should-retry: false`` is not retried."""
    url = server.url("503-should-not-retry")
    assert isinstance(run(client, url), errorkit.ServerError)
    assert server.hits(url) == 1
    assert clock.waits == []


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_server_hint_true_retries_any_status(
    client: str, server: ScriptedServer, clock: Clock
) -> None:
    """A 409 with ``X-Should-Retry: True`` is retried, and the 200 that follows returned."""
    url = server.url("409-should-retry-then-200")
    assert run(client, url) == {"ok": True}
    assert server.hits(url) == 2
    assert clock.waits == [BACKOFF]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_success_is_returned_at_once(client: str, server: ScriptedServer, clock: Clock) -> None:
    """A 200 is returned after one attempt."""
    url = server.url("ok")
    assert run(client, url) == {"ok": True}
    assert server.hits(url) == 1
    assert clock == Clock([], [])


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup is Python 3.11+")
def test_task_group_wrapping_a_rate_limit_is_retried(server: ScriptedServer, clock: Clock) -> None:
    """A task group's ExceptionGroup holding a RateLimitError waits the server's delay."""

    async def in_task_group(url: str) -> Any:
        async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined,unused-ignore]
            task = group.create_task(httpx_async_get(url))
        return task.result()

    url = server.url("429-retry-after-1")
    outcome = run("httpx-async", url, afetch=in_task_group)
    assert errorkit.find_error(outcome, errorkit.RateLimitError) is not None
    assert server.hits(url) == ATTEMPTS
    assert clock.waits == [1.0] * (ATTEMPTS - 1)


def test_stamina_testing_mode_caps_attempts_and_waits(server: ScriptedServer, clock: Clock) -> None:
    """Under ``stamina.set_testing``, the hook still decides but stamina waits nothing."""
    url = server.url("429-retry-after-1")
    with stamina.set_testing(True, attempts=2):
        assert isinstance(run("httpx", url), errorkit.RateLimitError)
    assert server.hits(url) == 2
    assert clock.waits == [0.0]
    url = server.url("401")
    with stamina.set_testing(True, attempts=2):
        assert isinstance(run("httpx", url), errorkit.AuthenticationError)
    assert server.hits(url) == 1


# --- the hook on its own ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "answer"),
    [
        pytest.param(errorkit.error_for_status(429, headers={"Retry-After": "1"}), 1.0, id="429+1"),
        pytest.param(errorkit.error_for_status(503, headers={"Retry-After": "7"}), 7.0, id="503+7"),
        pytest.param(errorkit.RateLimitError(retry_after=0), 0.0, id="429+0"),
        pytest.param(errorkit.ConnectorRateLimitError("p", 12), 12.0, id="burst"),
        pytest.param(errorkit.error_for_status(429), True, id="429"),
        pytest.param(errorkit.error_for_status(500), True, id="500"),
        pytest.param(errorkit.error_for_status(408), True, id="408"),
        pytest.param(errorkit.APITimeoutError(), True, id="APITimeoutError"),
        pytest.param(ConnectionResetError(), True, id="ConnectionResetError"),
        pytest.param(TimeoutError(), True, id="TimeoutError"),
        pytest.param(errorkit.error_for_status(401), False, id="401"),
        pytest.param(errorkit.error_for_status(501), False, id="501"),
        pytest.param(
            errorkit.error_for_status(413, headers={"Retry-After": "5"}), False, id="413+5"
        ),
        pytest.param(
            errorkit.error_for_status(503, headers={"Retry-After": "5", "x-should-retry": "false"}),
            False,
            id="503+5+hint-false",
        ),
        pytest.param(
            errorkit.error_for_status(400, headers={"stripe-should-retry": "true"}),
            True,
            id="400+stripe-hint-true",
        ),
        pytest.param(
            errorkit.ConnectorRateLimitError("p", 12, quota_exhausted=True), False, id="quota"
        ),
        pytest.param(ValueError("bad"), False, id="ValueError"),
        pytest.param(FileNotFoundError(), False, id="FileNotFoundError"),
    ],
)
def test_retry_on_table(exc: Exception, answer: bool | float) -> None:
    """``retry_on`` gives the server's delay as a float, else True when retryable, else False."""
    result = retry_on(exc)
    assert result == answer
    assert type(result) is type(answer)  # a delay of 0.0 must not read as False


def test_retry_on_reads_groups_and_chains() -> None:
    """``retry_on`` finds the error in nested groups and cause chains, and ends on cycles."""
    limited = errorkit.RateLimitError(retry_after=3)
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = limited
    assert retry_on(wrapped) == 3.0
    first, second = KeyError("a"), KeyError("b")
    first.__cause__, second.__cause__ = second, first
    assert retry_on(first) is False
    if sys.version_info >= (3, 11):
        import builtins

        group_type: Any = getattr(builtins, "ExceptionGroup")  # noqa: B009 - Python 3.11+
        nested = group_type("outer", [ValueError(), group_type("inner", [limited])])
        assert retry_on(nested) == 3.0
        transport = group_type("outer", [group_type("inner", [ConnectionResetError()])])
        assert retry_on(transport) is True
