"""``original_exception`` is stored in its own right and survives process pools."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import pickle

import pytest

import errorkit


def raise_parse_error() -> None:
    """Raise a ParseError caused by a JSON decoding failure (run in a worker)."""
    raise errorkit.ParseError("acme", original_exception=json.JSONDecodeError("bad", "{", 0))


def raise_from() -> None:
    """Raise a ServerError ``from`` a ValueError, without the keyword (run in a worker)."""
    try:
        raise ValueError("inner cause")
    except ValueError as exc:
        raise errorkit.ServerError() from exc


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_cause_survives_a_process_pool(method: str) -> None:
    """The parent sees the worker's cause, not the pool's remote traceback, fork or spawn."""
    context = multiprocessing.get_context(method)
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        with pytest.raises(errorkit.ParseError) as parse:
            pool.submit(raise_parse_error).result(timeout=60)
        with pytest.raises(errorkit.ServerError) as server:
            pool.submit(raise_from).result(timeout=60)
    assert type(parse.value.original_exception) is json.JSONDecodeError
    assert parse.value.retry_message().startswith("Your response could not be parsed because")
    assert repr(server.value.original_exception) == "ValueError('inner cause')"


def test_a_later_cause_does_not_replace_the_stored_one() -> None:
    """Overwriting ``__cause__`` (as a pool does) leaves ``original_exception`` alone."""
    cause = OSError("disk")
    error = errorkit.APIConnectionError(original_exception=cause)
    assert error.__cause__ is cause
    error.__cause__ = RuntimeError("remote traceback")
    assert error.original_exception is cause
    assert pickle.loads(pickle.dumps(error)).original_exception.args == ("disk",)
