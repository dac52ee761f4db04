"""``find_error``: the first errorkit error in an exception, its groups and its chain."""

from __future__ import annotations

import builtins
import sys

import pytest

import errorkit

if sys.version_info < (3, 11):  # pragma: no cover - the builtin groups arrived in 3.11
    pytest.skip("exception groups are builtin from Python 3.11", allow_module_level=True)

ExceptionGroup = builtins.ExceptionGroup


def _chained(outer: BaseException, inner: BaseException) -> BaseException:
    """Return ``outer`` raised ``from inner``, as a caught exception."""
    try:
        raise outer from inner
    except BaseException as caught:
        return caught


def test_the_exception_itself_comes_first() -> None:
    """An errorkit error is its own answer."""
    error = errorkit.RateLimitError()
    assert errorkit.find_error(error) is error


def test_none_and_unrelated_exceptions_give_none() -> None:
    """Nothing to find gives None."""
    assert errorkit.find_error(None) is None
    assert errorkit.find_error(ValueError("x")) is None


def test_a_single_error_in_a_task_group_is_found() -> None:
    """A group wrapping one error, as anyio and asyncio task groups do, is looked inside."""
    error = errorkit.RateLimitError(retry_after=3)
    group = ExceptionGroup("unhandled errors in a TaskGroup", [error])
    assert errorkit.find_error(group) is error


def test_nested_groups_are_searched_depth_first_in_order() -> None:
    """The first match in depth-first member order wins."""
    first = errorkit.ServerError()
    second = errorkit.NotFoundError()
    group = ExceptionGroup("outer", [ValueError("v"), ExceptionGroup("inner", [first]), second])
    assert errorkit.find_error(group) is first


def test_the_cause_and_context_chain_is_followed() -> None:
    """An error a caller re-raised ``from`` (or during) is found through the chain."""
    error = errorkit.APITimeoutError()
    assert errorkit.find_error(_chained(RuntimeError("wrapper"), error)) is error
    outer = RuntimeError("during handling")
    outer.__context__ = error
    assert errorkit.find_error(outer) is error


def test_a_cyclic_chain_ends() -> None:
    """Each exception is visited once, so a cycle in the chain stops the search."""
    first, second = ValueError("a"), KeyError("b")
    first.__cause__, second.__cause__ = second, first
    assert errorkit.find_error(first) is None


def test_cls_narrows_the_search() -> None:
    """``cls`` picks the first instance of that class, past other errorkit errors."""
    limited = errorkit.RateLimitError()
    group = ExceptionGroup("g", [errorkit.NotFoundError(), limited])
    assert errorkit.find_error(group, errorkit.RateLimitError) is limited
    assert errorkit.find_error(group, errorkit.ServerError) is None
