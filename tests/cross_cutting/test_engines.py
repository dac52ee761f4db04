"""Errors raised in worker processes reach the caller whole: process pools and Dask.

Each engine starts once per module (a module-scoped fixture) and runs every case of
``tests.samples`` (every errorkit class, and the causes set) as one task each; the
tests then judge what came back. Workers run on this machine, Dask binds 127.0.0.1, and
every wait has a timeout. Celery runs in ``tests/integrations/test_celery.py``.
"""

from __future__ import annotations

import concurrent.futures
import copyreg
import logging
import multiprocessing

import pytest

from errorkit import exceptions as ek
from tests.engine_checks import check_whole
from tests.samples import CASES, UNPICKLABLE, build, raise_case

TIMEOUT = 60.0
"""Seconds any one wait may take; a healthy run needs a fraction of a second per case."""

Caught = dict[str, BaseException | None]


def _run_in_executor(method: str) -> Caught:
    """Raise every case in a ``ProcessPoolExecutor`` using the ``method`` start method."""
    context = multiprocessing.get_context(method)
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        futures = {name: pool.submit(raise_case, name) for name in CASES}
        return {name: future.exception(timeout=TIMEOUT) for name, future in futures.items()}


def _run_in_multiprocessing_pool(method: str) -> Caught:
    """Raise every case in a ``multiprocessing.Pool`` using the ``method`` start method."""
    caught: Caught = {}
    with multiprocessing.get_context(method).Pool(1) as pool:
        results = {name: pool.apply_async(raise_case, (name,)) for name in CASES}
        for name, result in results.items():
            try:
                result.get(timeout=TIMEOUT)
            except Exception as exc:
                caught[name] = exc
            else:  # pragma: no cover - every case raises
                caught[name] = None
    return caught


def _run_in_dask() -> Caught:
    """Raise every case on a one-worker Dask ``LocalCluster`` of processes, on loopback.

    Importing ``distributed`` registers tblib's reducer for every exception class in
    ``copyreg``, which changes how exceptions pickle in this whole process; the table is
    put back afterwards so the tests after this one see plain pickle again.
    """
    saved = dict(copyreg.dispatch_table)
    try:
        return _submit_to_dask()
    finally:
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)


def _submit_to_dask() -> Caught:
    """Start the cluster, submit every case, collect the exceptions."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, timeout=TIMEOUT) as client,
    ):
        futures = {name: client.submit(raise_case, name, pure=False) for name in CASES}
        return {name: future.exception(timeout=TIMEOUT) for name, future in futures.items()}


ENGINES = {
    "process-pool-fork": lambda: _run_in_executor("fork"),
    "process-pool-spawn": lambda: _run_in_executor("spawn"),
    "multiprocessing-fork": lambda: _run_in_multiprocessing_pool("fork"),
    "multiprocessing-spawn": lambda: _run_in_multiprocessing_pool("spawn"),
    "dask": _run_in_dask,
}


@pytest.fixture(scope="module", params=list(ENGINES))
def engine(request: pytest.FixtureRequest) -> tuple[str, Caught]:
    """Start one engine, run every case through it, and hand back what the caller caught."""
    name: str = request.param
    return name, ENGINES[name]()


@pytest.mark.parametrize("case", CASES)
def test_error_reaches_the_caller_whole(engine: tuple[str, Caught], case: str) -> None:
    """The caller catches the worker's class, with its to_dict, attributes and cause."""
    name, caught = engine
    if name == "dask" and case.endswith(f"{UNPICKLABLE}]"):
        pytest.skip("pinned by test_dask_replaces_an_error_whose_raw_cause_cannot_pickle")
    check_whole(case, caught[case], carried_by_tblib=name == "dask")


def test_pool_traceback_is_not_the_cause(engine: tuple[str, Caught]) -> None:
    """An error without a cause has none in the caller, not the pool's remote traceback."""
    _, caught = engine
    for case in ("ParseError", "Error", "RateLimitError"):
        error = caught[case]
        assert isinstance(error, ek.Error)
        if case == "ParseError":
            continue  # its sample has a cause of its own
        assert error.original_exception is None


def test_parse_error_without_cause_sends_no_traceback_to_the_llm() -> None:
    """A cause-less ParseError's retry_message through a pool names no file or traceback."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        error = pool.submit(_raise_bare_parse_error).exception(timeout=TIMEOUT)
    assert isinstance(error, ek.ParseError)
    assert isinstance(error.__cause__, BaseException)  # the pool's remote traceback
    assert error.original_exception is None
    assert error.retry_message() == (
        f"Your response could not be parsed: {error.message}\n\n"
        "Please ensure your response matches the expected format."
    )


def _raise_bare_parse_error() -> None:
    """Raise a ParseError that has no cause (run in a worker)."""
    raise ek.ParseError("acme")


def test_dask_replaces_an_error_whose_raw_cause_cannot_pickle(
    engine: tuple[str, Caught],
) -> None:
    """Dask pickles the raw cause itself; when it cannot, the caller gets Exception(repr)."""
    name, caught = engine
    if name != "dask":
        pytest.skip("Dask only: the other engines carry the stand-in")
    for case in (f"ParseError[{UNPICKLABLE}]", f"ServerError[from {UNPICKLABLE}]"):
        error = caught[case]
        assert type(error) is Exception
        assert str(error) == repr(build(case))
