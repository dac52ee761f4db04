"""``errorkit.integrations.tenacity`` on real tenacity, against a real HTTP server on 127.0.0.1.

Every run drives real httpx (sync and async) or requests through ``tenacity.Retrying`` /
``tenacity.AsyncRetrying`` with a recording ``sleep=``, so the waits tenacity chose are
checked exactly and no wall time passes; the server counts the attempts that reached it.
"""

from __future__ import annotations

import asyncio
import builtins
import math
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
import tenacity

import errorkit
from errorkit.integrations.tenacity import retry_if_retryable, wait_retry_after
from tests.retry_server import (
    ASYNC_CLIENTS,
    CLIENT_NAMES,
    SYNC_CLIENTS,
    TRANSPORT_FAILURES,
    ScriptedServer,
    httpx_async_get,
    httpx_get,
    serve,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator

FALLBACK = 0.25  # the fallback wait of most runs: a fixed wait, so it can be checked exactly
ATTEMPTS = 3


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    """A scripted server for this module."""
    yield from serve()


class Run(NamedTuple):
    """What a retried call ended with, and the waits tenacity slept in between."""

    outcome: Any
    sleeps: list[float]


def run(
    client: str,
    url: str,
    *,
    wait: tenacity.wait.wait_base | None = None,
    fetch: Callable[[str], Any] | None = None,
    afetch: Callable[[str], Awaitable[Any]] | None = None,
) -> Run:
    """Call ``client`` on ``url`` under tenacity; return the result or the exception raised."""
    sleeps: list[float] = []
    strategy = wait or wait_retry_after(tenacity.wait_fixed(FALLBACK))
    stop = tenacity.stop_after_attempt(ATTEMPTS)
    if client in SYNC_CLIENTS:
        retrying = tenacity.Retrying(
            retry=retry_if_retryable(), wait=strategy, stop=stop, sleep=sleeps.append, reraise=True
        )
        try:
            return Run(retrying(fetch or SYNC_CLIENTS[client], url), sleeps)
        except Exception as exc:
            return Run(exc, sleeps)

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def main() -> Any:
        retrying = tenacity.AsyncRetrying(
            retry=retry_if_retryable(), wait=strategy, stop=stop, sleep=fake_sleep, reraise=True
        )
        return await asyncio.wait_for(retrying(afetch or ASYNC_CLIENTS[client], url), 30)

    try:
        return Run(asyncio.run(main()), sleeps)
    except Exception as exc:
        return Run(exc, sleeps)


# --- real clients, real server ------------------------------------------------------------


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_429_waits_the_retry_after(client: str, server: ScriptedServer) -> None:
    """A 429 with ``Retry-After: 1`` is retried after exactly 1 s, until the attempts run out."""
    url = server.url("429-retry-after-1")
    outcome, sleeps = run(client, url)
    assert isinstance(outcome, errorkit.RateLimitError)
    assert outcome.retry_after == 1.0
    assert server.hits(url) == ATTEMPTS
    assert sleeps == [1.0] * (ATTEMPTS - 1)


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_503_waits_the_retry_after(client: str, server: ScriptedServer) -> None:
    """A 503 with ``Retry-After: 2`` is retried after exactly 2 s: any status carries a delay."""
    url = server.url("503-retry-after-2")
    outcome, sleeps = run(client, url)
    assert isinstance(outcome, errorkit.ServerError)
    assert server.hits(url) == ATTEMPTS
    assert sleeps == [2.0] * (ATTEMPTS - 1)


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_500_then_200_succeeds_on_the_second_attempt(client: str, server: ScriptedServer) -> None:
    """A 500 without a delay is retried after the fallback wait, and the 200 is returned."""
    url = server.url("500-then-200")
    outcome, sleeps = run(client, url)
    assert outcome == {"ok": True}
    assert server.hits(url) == 2
    assert sleeps == [FALLBACK]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_401_is_not_retried(client: str, server: ScriptedServer) -> None:
    """A 401 is raised after one attempt, with no wait."""
    url = server.url("401")
    outcome, sleeps = run(client, url)
    assert isinstance(outcome, errorkit.AuthenticationError)
    assert server.hits(url) == 1
    assert sleeps == []


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_501_is_not_retried(client: str, server: ScriptedServer) -> None:
    """501 Not Implemented is a 5xx that does not clear by itself: one attempt."""
    url = server.url("501")
    outcome, _ = run(client, url)
    assert isinstance(outcome, errorkit.ServerError)
    assert outcome.retryable is False
    assert server.hits(url) == 1


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_dropped_connection_is_retried(client: str, server: ScriptedServer) -> None:
    """A connection dropped without a response is retried, unmapped, and the 200 returned."""
    url = server.url("drop-then-200")
    outcome, sleeps = run(client, url)
    assert outcome == {"ok": True}
    assert server.hits(url) == 2
    assert sleeps == [FALLBACK]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_dropped_connection_every_time_raises_the_client_error(
    client: str, server: ScriptedServer
) -> None:
    """When every attempt is dropped, the client's own exception is raised after the last one."""
    url = server.url("drop")
    outcome, sleeps = run(client, url)
    assert isinstance(outcome, TRANSPORT_FAILURES)
    assert server.hits(url) == ATTEMPTS
    assert sleeps == [FALLBACK] * (ATTEMPTS - 1)


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_server_hint_false_stops_a_retryable_status(client: str, server: ScriptedServer) -> None:
    """A 503 with ``x-should-retry: false`` is not retried: the server's word wins."""
    url = server.url("503-should-not-retry")
    outcome, sleeps = run(client, url)
    assert isinstance(outcome, errorkit.ServerError)
    assert outcome.retryable is False
    assert server.hits(url) == 1
    assert sleeps == []


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_server_hint_true_retries_any_status(client: str, server: ScriptedServer) -> None:
    """A 409 with ``X-Should-Retry: True`` is retried, and the 200 that follows returned."""
    url = server.url("409-should-retry-then-200")
    outcome, sleeps = run(client, url)
    assert outcome == {"ok": True}
    assert server.hits(url) == 2
    assert sleeps == [FALLBACK]


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_long_retry_after_is_cut_to_max_wait(client: str, server: ScriptedServer) -> None:
    """A server asking for more than ``max_wait`` gets ``max_wait`` (300 s by default)."""
    url = server.url("429-retry-after-huge")
    _, sleeps = run(client, url, wait=wait_retry_after(max_wait=30))
    assert sleeps == [30.0] * (ATTEMPTS - 1)
    _, sleeps = run(client, server.url("429-retry-after-huge"), wait=wait_retry_after())
    assert sleeps == [300.0] * (ATTEMPTS - 1)


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_success_is_returned_at_once(client: str, server: ScriptedServer) -> None:
    """A 200 is returned after one attempt: a result is never retried."""
    url = server.url("ok")
    assert run(client, url) == Run({"ok": True}, [])
    assert server.hits(url) == 1


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_default_fallback_is_exponential_backoff_with_jitter(
    client: str, server: ScriptedServer
) -> None:
    """Without a server delay, the default fallback waits 1 s plus up to 1 s of jitter first."""
    url = server.url("500-then-200")
    outcome, sleeps = run(client, url, wait=wait_retry_after())
    assert outcome == {"ok": True}
    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 2.0
    assert isinstance(wait_retry_after().fallback, tenacity.wait_exponential_jitter)


def test_error_raised_from_a_rate_limit_is_retried(server: ScriptedServer) -> None:
    """An application error raised ``from`` a RateLimitError still waits the server's delay."""

    def report(url: str) -> Any:
        try:
            return httpx_get(url)
        except errorkit.RateLimitError as exc:
            raise RuntimeError("report failed") from exc

    url = server.url("429-retry-after-1")
    outcome, sleeps = run("httpx", url, fetch=report)
    assert type(outcome) is RuntimeError
    assert server.hits(url) == ATTEMPTS
    assert sleeps == [1.0] * (ATTEMPTS - 1)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup is Python 3.11+")
def test_task_group_wrapping_a_rate_limit_is_retried(server: ScriptedServer) -> None:
    """A task group's ExceptionGroup holding a RateLimitError is retried after its delay."""

    async def in_task_group(url: str) -> Any:
        async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined,unused-ignore]
            task = group.create_task(httpx_async_get(url))
        return task.result()

    url = server.url("429-retry-after-1")
    outcome, sleeps = run("httpx-async", url, afetch=in_task_group)
    assert errorkit.find_error(outcome, errorkit.RateLimitError) is not None
    assert server.hits(url) == ATTEMPTS
    assert sleeps == [1.0] * (ATTEMPTS - 1)
    url = server.url("500-then-200")
    assert run("httpx-async", url, afetch=in_task_group) == Run({"ok": True}, [FALLBACK])


# --- the strategies on their own ----------------------------------------------------------


def _state(exc: BaseException | None = None, result: object = None) -> tenacity.RetryCallState:
    """A real tenacity call state after one attempt that raised ``exc`` or returned ``result``."""
    state = tenacity.RetryCallState(tenacity.Retrying(), fn=None, args=(), kwargs={})
    if exc is None:
        state.set_result(result)
    else:
        state.set_exception((type(exc), exc, None))
    return state


@pytest.mark.parametrize(
    ("exc", "retried"),
    [
        pytest.param(errorkit.error_for_status(429), True, id="429"),
        pytest.param(errorkit.error_for_status(503), True, id="503"),
        pytest.param(errorkit.error_for_status(408), True, id="408"),
        pytest.param(errorkit.error_for_status(425), True, id="425"),
        pytest.param(errorkit.error_for_status(501), False, id="501"),
        pytest.param(errorkit.error_for_status(400), False, id="400"),
        pytest.param(errorkit.error_for_status(404), False, id="404"),
        pytest.param(errorkit.error_for_status(409), False, id="409"),
        pytest.param(
            errorkit.error_for_status(404, headers={"x-should-retry": "true"}), True, id="hint"
        ),
        pytest.param(errorkit.ConnectorRateLimitError("p", 5), True, id="burst"),
        pytest.param(
            errorkit.ConnectorRateLimitError("p", 5, quota_exhausted=True), False, id="quota"
        ),
        pytest.param(errorkit.APITimeoutError(), True, id="APITimeoutError"),
        pytest.param(TimeoutError(), True, id="TimeoutError"),
        pytest.param(ConnectionResetError(), True, id="ConnectionResetError"),
        pytest.param(FileNotFoundError(), False, id="FileNotFoundError"),
        pytest.param(ValueError("bad"), False, id="ValueError"),
        pytest.param(errorkit.ParseError("p"), False, id="ParseError"),
    ],
)
def test_retry_if_retryable_table(exc: BaseException, retried: bool) -> None:
    """``retry_if_retryable()`` retries exactly the retryable errors and transport failures."""
    assert retry_if_retryable()(_state(exc)) is retried


def test_retry_if_retryable_never_retries_a_result() -> None:
    """A returned value, even None or False, is never retried."""
    for result in (None, False, 0, {"ok": True}):
        assert retry_if_retryable()(_state(result=result)) is False


def test_retry_if_retryable_composes_with_tenacity_conditions() -> None:
    """It combines with tenacity's own conditions through ``|`` and ``&``."""
    either = retry_if_retryable() | tenacity.retry_if_exception_type(KeyError)
    assert either(_state(KeyError("k"))) is True
    assert either(_state(errorkit.error_for_status(503))) is True
    both = retry_if_retryable() & tenacity.retry_if_exception_type(errorkit.RateLimitError)
    assert both(_state(errorkit.error_for_status(503))) is False
    assert both(_state(errorkit.error_for_status(429))) is True


def test_wait_retry_after_reads_groups_and_chains() -> None:
    """The delay is found inside nested exception groups and along a cause chain."""
    limited = errorkit.RateLimitError(retry_after=4)
    wait = wait_retry_after(tenacity.wait_fixed(FALLBACK))
    if sys.version_info >= (3, 11):
        group_type: Any = getattr(builtins, "ExceptionGroup")  # noqa: B009 - Python 3.11+
        group = group_type("outer", [ValueError(), group_type("inner", [limited])])
        assert wait(_state(group)) == 4.0
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = limited
    assert wait(_state(wrapped)) == 4.0


def test_wait_retry_after_ends_on_a_cyclic_chain() -> None:
    """A cause chain that loops back on itself ends the search: the fallback is used."""
    first, second = KeyError("a"), KeyError("b")
    first.__cause__, second.__cause__ = second, first
    assert wait_retry_after(tenacity.wait_fixed(FALLBACK))(_state(first)) == FALLBACK
    assert retry_if_retryable()(_state(first)) is False


def test_wait_retry_after_falls_back_without_a_delay() -> None:
    """No delay (a 500, a timeout, a result) means the fallback wait."""
    wait = wait_retry_after(tenacity.wait_fixed(FALLBACK))
    assert wait(_state(errorkit.error_for_status(500))) == FALLBACK
    assert wait(_state(TimeoutError())) == FALLBACK
    assert wait(_state(result="ok")) == FALLBACK


def test_wait_retry_after_takes_the_delay_of_any_status() -> None:
    """A delay on a 503, a 413 or a connector rate limit is waited as given, 0 included."""
    wait = wait_retry_after(tenacity.wait_fixed(FALLBACK))
    assert wait(_state(errorkit.error_for_status(503, headers={"Retry-After": "7"}))) == 7.0
    assert wait(_state(errorkit.error_for_status(413, headers={"retry-after-ms": "1500"}))) == 1.5
    assert wait(_state(errorkit.ConnectorRateLimitError("p", 12))) == 12.0
    assert wait(_state(errorkit.RateLimitError(retry_after=0))) == 0.0


def test_wait_retry_after_composes_with_tenacity_waits() -> None:
    """It is a tenacity wait: ``+`` adds another wait to it."""
    combined = wait_retry_after(tenacity.wait_fixed(FALLBACK)) + tenacity.wait_fixed(1)
    assert combined(_state(errorkit.RateLimitError(retry_after=2))) == 3.0


@pytest.mark.parametrize("max_wait", [-1.0, math.nan, math.inf])
def test_wait_retry_after_rejects_a_bad_max_wait(max_wait: float) -> None:
    """``max_wait`` must be a finite number of seconds, at least 0."""
    with pytest.raises(ValueError, match="max_wait"):
        wait_retry_after(max_wait=max_wait)
