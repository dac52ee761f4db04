"""Which exceptions survive which engine: errorkit next to the SDKs users pick instead.

    python bench/peers_engines.py            # throwaway venv, installs everything, prints the table
    python bench/peers_engines.py --ray      # the same, with a Ray column (a large install)
    python bench/peers_engines.py --here     # run in the current environment instead

Without ``--here`` the script creates a virtual environment in a temporary folder,
installs openai, httpx, google-api-core, stripe, botocore, Dask (``distributed``), Celery
and errorkit (from this checkout) into it, runs itself there, prints a markdown table and
deletes the folder. Every check raises a realistic exception of each library in a worker
process of each engine and compares what the caller catches with what was raised: the
class, ``str()`` and every attribute (objects by ``repr``, exceptions by type and text,
errorkit errors by ``to_dict()`` and ``original_exception`` too).

Engines: plain ``pickle`` (the floor every engine builds on), ``ProcessPoolExecutor`` and
``multiprocessing.Pool`` (fork), a one-worker Dask ``LocalCluster`` of processes, a real
``celery worker`` (filesystem broker, file result backend) storing results with
``pickle``, with ``json`` (Celery's default), and with ``json`` after
``errorkit.integrations.celery.install(app)``; and Ray (``ray.init`` on this machine)
with ``--ray``. Everything binds 127.0.0.1 and every wait has a timeout.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copyreg
import json
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = ["openai", "httpx", "google-api-core", "stripe", "botocore"]
ENGINE_PACKAGES = ["distributed", "celery"]
TIMEOUT = 30.0  # seconds for one result
HANG = 5.0  # seconds a multiprocessing.Pool gets before its result thread is taken for dead

# ---------------------------------------------------------------------------
# The exceptions (built the same way in the worker and in the caller)
# ---------------------------------------------------------------------------


def _openai_rate_limit() -> BaseException:
    import httpx
    import openai

    request = httpx.Request("POST", "https://api.openai.com/v1/chat/completions")
    response = httpx.Response(
        429, request=request, headers={"retry-after": "20", "x-request-id": "req_1"}
    )
    body = {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}
    return openai.RateLimitError("Rate limit reached", response=response, body=body)


def _openai_timeout() -> BaseException:
    import httpx
    import openai

    request = httpx.Request("POST", "https://api.openai.com/v1/chat/completions")
    return openai.APITimeoutError(request=request)


def _httpx_status() -> BaseException:
    import httpx

    request = httpx.Request("GET", "https://api.example.com/v1/items")
    response = httpx.Response(503, request=request)
    return httpx.HTTPStatusError("Server error '503'", request=request, response=response)


def _httpx_timeout() -> BaseException:
    import httpx

    request = httpx.Request("GET", "https://api.example.com/v1/items")
    return httpx.ReadTimeout("timed out", request=request)


def _google_quota() -> BaseException:
    from google.api_core import exceptions

    return exceptions.TooManyRequests("Quota exceeded", errors=[{"reason": "rateLimitExceeded"}])


def _google_unavailable() -> BaseException:
    from google.api_core import exceptions

    return exceptions.from_http_status(503, "Service unavailable")


def _stripe_rate_limit() -> BaseException:
    import stripe

    return stripe.RateLimitError(
        "Too many requests",
        http_body='{"error": {"message": "Too many requests"}}',
        http_status=429,
        json_body={"error": {"message": "Too many requests"}},
        headers={"request-id": "req_1"},
        code="rate_limit",
    )


def _stripe_card() -> BaseException:
    import stripe

    return stripe.CardError("Your card was declined.", "number", "card_declined", http_status=402)


def _botocore_client() -> BaseException:
    from botocore.exceptions import ClientError

    response = {
        "Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
        "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": "req_1"},
    }
    return ClientError(response, "InvokeModel")  # type: ignore[arg-type]


def _botocore_timeout() -> BaseException:
    from botocore.exceptions import ReadTimeoutError

    return ReadTimeoutError(endpoint_url="https://bedrock-runtime.us-east-1.amazonaws.com")


def _errorkit_rate_limit() -> BaseException:
    import errorkit

    return errorkit.error_for_status(
        429,
        headers={"Retry-After": "20", "x-request-id": "req_1"},
        response_body={"error": "Rate limit reached"},
        request_method="POST",
        request_url="https://api.example.com/v1/chat",
        provider="acme",
    )


def _errorkit_parse() -> BaseException:
    import errorkit

    cause = json.JSONDecodeError("Expecting value", "not json", 0)
    return errorkit.ParseError("acme", original_exception=cause)


class LockedError(Exception):
    """An SDK exception holding a lock: nothing can pickle it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lock = threading.Lock()


def _errorkit_unpicklable_cause() -> BaseException:
    import errorkit

    try:
        raise LockedError("upstream failed")
    except LockedError as exc:
        return errorkit.ProviderError("acme", 502, original_exception=exc)


def _errorkit_timeout() -> BaseException:
    import errorkit

    return errorkit.error_from_exception(_httpx_timeout(), provider="acme")


CASES = {
    "openai `RateLimitError`": ("openai", _openai_rate_limit),
    "openai `APITimeoutError`": ("openai", _openai_timeout),
    "httpx `HTTPStatusError`": ("httpx", _httpx_status),
    "httpx `ReadTimeout`": ("httpx", _httpx_timeout),
    "google-api-core `TooManyRequests`": ("google-api-core", _google_quota),
    "google-api-core `ServiceUnavailable`": ("google-api-core", _google_unavailable),
    "stripe `RateLimitError`": ("stripe", _stripe_rate_limit),
    "stripe `CardError`": ("stripe", _stripe_card),
    "botocore `ClientError`": ("botocore", _botocore_client),
    "botocore `ReadTimeoutError`": ("botocore", _botocore_timeout),
    "errorkit `RateLimitError`": ("errorkit", _errorkit_rate_limit),
    "errorkit `ParseError` (JSON cause)": ("errorkit", _errorkit_parse),
    "errorkit `APITimeoutError` (httpx cause)": ("errorkit", _errorkit_timeout),
    "errorkit `ProviderError` (unpicklable cause)": ("errorkit", _errorkit_unpicklable_cause),
}


def raise_case(name: str) -> None:
    """Raise the exception of case ``name`` (this runs in the worker)."""
    raise CASES[name][1]()


# ---------------------------------------------------------------------------
# Comparing what was raised with what was caught
# ---------------------------------------------------------------------------

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _form(value: Any, depth: int = 0) -> Any:
    """Return a comparable form of an attribute value."""
    if depth > 6:
        return "<deep>"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {str(k): _form(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_form(v, depth + 1) for v in value]
    if isinstance(value, BaseException):
        return {"type": type(value).__qualname__, "str": str(value)}
    return _ADDRESS.sub("", repr(value))


_MISSING = object()
_CAUSE_KEYS = {"original_exception", "._original_exception", ".__cause__"}


def fingerprint(exc: BaseException, names: set[str]) -> dict[str, Any]:
    """Return what a caller reads off an exception: class, text, the attributes ``names``."""
    facts: dict[str, Any] = {
        "class": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "str": str(exc),
    }
    for name in sorted(names):
        facts[f".{name}"] = _form(getattr(exc, name, None))
    to_dict = getattr(exc, "to_dict", None)
    if callable(to_dict):
        facts["to_dict()"] = to_dict()
        facts["original_exception"] = _form(getattr(exc, "original_exception", None))
    return facts


def _is_stand_in(caught: BaseException, expected: BaseException) -> bool:
    """Tell whether ``caught``'s cause is errorkit's stand-in for ``expected``'s."""
    cause = getattr(caught, "original_exception", None)
    sent = getattr(expected, "original_exception", None)
    return (
        type(cause) is Exception
        and sent is not None
        and str(cause).startswith(f"{type(sent).__name__}: ")
    )


def verdict(name: str, caught: BaseException | str) -> str:
    """Return the table cell for what the caller caught for case ``name``."""
    if isinstance(caught, str):
        return f"❌ {caught}"
    if type(caught).__name__.startswith("RayTaskError(") and hasattr(caught, "cause"):
        caught = caught.cause  # Ray raises a subclass of both; the original is ``.cause``
    sent = CASES[name][1]()
    if type(caught) is not type(sent):
        return f"❌ arrives as `{type(caught).__name__}`"
    names = set(vars(sent)) | set(vars(caught))
    expected, got = fingerprint(sent, names), fingerprint(caught, names)
    lost = sorted(key for key in expected if got[key] != expected[key])
    if lost and set(lost) <= _CAUSE_KEYS and _is_stand_in(caught, sent):
        return "✅ (cause as stand-in)"
    if not lost:
        return "✅"
    return "⚠️ differs: " + ", ".join(f"`{key}`" for key in lost[:4])


# ---------------------------------------------------------------------------
# Engines: each returns {case name: the exception caught, or a str saying what went wrong}
# ---------------------------------------------------------------------------

Results = dict[str, "BaseException | str"]


def run_pickle() -> Results:
    """Plain ``pickle.dumps`` / ``pickle.loads``: the floor every engine builds on."""
    results: Results = {}
    for name, (_, build) in CASES.items():
        try:
            results[name] = pickle.loads(pickle.dumps(build()))
        except Exception as exc:
            results[name] = f"`{type(exc).__name__}` on load"
    return results


def run_process_pool() -> Results:
    """``concurrent.futures.ProcessPoolExecutor`` (fork); a broken pool is replaced."""
    results: Results = {}
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=context)
    try:
        for name in CASES:
            try:
                caught = pool.submit(raise_case, name).exception(timeout=TIMEOUT)
            except concurrent.futures.process.BrokenProcessPool as exc:
                caught = exc
            if isinstance(caught, concurrent.futures.process.BrokenProcessPool):
                results[name] = "the pool breaks (`BrokenProcessPool`)"
                pool.shutdown(wait=True, cancel_futures=True)
                pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=context)
            else:
                results[name] = caught or "nothing raised"
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def run_multiprocessing_pool() -> Results:
    """``multiprocessing.Pool`` (fork), a new pool per case: one bad result kills a pool."""
    results: Results = {}
    context = multiprocessing.get_context("fork")
    default_hook = threading.excepthook
    threading.excepthook = lambda args: None  # the dying result thread's traceback is expected
    try:
        for name in CASES:
            pool = context.Pool(1)
            try:
                pool.apply_async(raise_case, (name,)).get(timeout=HANG)
            except multiprocessing.TimeoutError:
                results[name] = "the caller hangs (the pool's result thread dies)"
            except Exception as exc:
                results[name] = exc
            finally:
                _stop_pool(pool)
    finally:
        threading.excepthook = default_hook
    return results


def _stop_pool(pool: Any) -> None:
    """Terminate a ``multiprocessing.Pool``, even one whose result thread died."""
    try:
        pool.terminate()
    except AssertionError:  # "Cannot have cache with result_handler not alive"
        for process in pool._pool:
            process.kill()
            process.join(TIMEOUT)


def run_dask() -> Results:
    """A one-worker Dask ``LocalCluster`` of processes on 127.0.0.1.

    Importing ``distributed`` registers tblib's reducer for every exception class in
    ``copyreg``; the table is put back afterwards, so the engines after Dask run as they
    would in a process that never imported it.
    """
    saved = dict(copyreg.dispatch_table)
    try:
        return _submit_to_dask()
    finally:
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)


def _submit_to_dask() -> Results:
    """Start the cluster, submit every case, collect the exceptions."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster, timeout=TIMEOUT) as client,
    ):
        futures = {name: client.submit(raise_case, name, pure=False) for name in CASES}
        return {name: future.exception(timeout=TIMEOUT) for name, future in futures.items()}


def run_ray() -> Results:
    """Ray, local: ``ray.init`` on this machine, one CPU."""
    import ray

    ray.init(
        num_cpus=1,
        include_dashboard=False,
        log_to_driver=False,
        _node_ip_address="127.0.0.1",
        runtime_env={"env_vars": {"PYTHONPATH": str(HERE)}},
    )
    try:
        remote = ray.remote(raise_case)
        results: Results = {}
        for name in CASES:
            try:
                ray.get(remote.remote(name), timeout=TIMEOUT)
            except Exception as exc:
                results[name] = exc
        return results
    finally:
        ray.shutdown()


# --- Celery: a worker subprocess per result serializer, all three at once ---------------


def celery_app(folder: Path, serializer: str, *, installed: bool) -> Any:
    """Return a Celery app whose broker and results live in ``folder``."""
    import celery

    app = celery.Celery("peers-engines", set_as_current=False)
    app.conf.update(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(folder / "broker"),
            "data_folder_out": str(folder / "broker"),
            "control_folder": str(folder / "control"),
            "polling_interval": 0.05,
        },
        result_backend=f"file://{folder / 'results'}",
        task_serializer="json",
        accept_content=["json"],
        result_serializer=serializer,
        result_accept_content=[serializer],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name="raise_case")(raise_case)
    if installed:
        from errorkit.integrations.celery import install

        install(app)
    return app


def _worker_app() -> Any:
    """Return the app of a Celery worker this script started, else None."""
    folder = os.environ.get("PEERS_CELERY_FOLDER")
    if folder is None:
        return None
    installed = os.environ["PEERS_CELERY_INSTALL"] == "1"
    return celery_app(Path(folder), os.environ["PEERS_CELERY_SERIALIZER"], installed=installed)


app = _worker_app()

CELERY_VARIANTS = {
    "Celery, `pickle` results": ("pickle", False),
    "Celery, `json` results": ("json", False),
    "Celery, `json` + `install(app)`": ("json", True),
}


def run_celery() -> dict[str, Results]:
    """Start one worker per variant, send every case to each, stop the workers."""
    root = Path(tempfile.mkdtemp(prefix="peers-celery-"))
    workers = {}
    try:
        for column, (serializer, installed) in CELERY_VARIANTS.items():
            folder = root / str(len(workers))
            for part in ("broker", "control", "results"):
                (folder / part).mkdir(parents=True)
            env = {
                **os.environ,
                "PEERS_CELERY_FOLDER": str(folder),
                "PEERS_CELERY_SERIALIZER": serializer,
                "PEERS_CELERY_INSTALL": "1" if installed else "0",
                "PYTHONPATH": str(HERE),
            }
            command = [sys.executable, "-m", "celery", "--app", "peers_engines:app", "worker"]
            command += ["--pool=solo", "--loglevel=ERROR", "--without-heartbeat"]
            command += ["--without-mingle", "--without-gossip"]
            with (folder / "worker.log").open("wb") as log:
                process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
            workers[column] = (process, celery_app(folder, serializer, installed=installed))
        results: dict[str, Results] = {}
        for column, (process, client) in workers.items():
            sent = {name: client.send_task("raise_case", args=[name]) for name in CASES}
            column_results: Results = {}
            for name, result in sent.items():
                if process.poll() is not None:
                    column_results[name] = "the worker exited"
                    continue
                column_results[name] = result.get(timeout=TIMEOUT, interval=0.05, propagate=False)
            results[column] = column_results
        return results
    finally:
        for process, _ in workers.values():
            process.terminate()
        for process, _ in workers.values():
            try:
                process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def inner(with_ray: bool) -> None:
    """Run every engine here and print the markdown table."""
    from importlib.metadata import version

    columns: dict[str, Results] = {}
    timings: dict[str, float] = {}
    engines = {
        "`pickle`": run_pickle,
        "`ProcessPoolExecutor`": run_process_pool,
        "`multiprocessing.Pool`": run_multiprocessing_pool,
        "Dask `LocalCluster`": run_dask,
    }
    if with_ray:
        engines["Ray (local)"] = run_ray
    for column, run in engines.items():
        started = time.perf_counter()
        columns[column] = run()
        timings[column] = time.perf_counter() - started
    started = time.perf_counter()
    columns.update(run_celery())
    timings["Celery (3 workers)"] = time.perf_counter() - started

    print("| exception | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, (library, _) in CASES.items():
        cells = []
        for column, results in columns.items():
            if column.endswith("`install(app)`") and library != "errorkit":
                cells.append("—")
            else:
                cells.append(verdict(name, results[name]))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    packages = ["errorkit", *PEERS, "dask", "distributed", "celery", "kombu"]
    if with_ray:
        packages.append("ray")
    print("Versions: " + ", ".join(f"{name} {version(name)}" for name in packages) + ".")
    print(f"Python {sys.version.split()[0]}.")
    print("Seconds per engine: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()) + ".")


def outer(with_ray: bool) -> int:
    """Create a throwaway venv, install everything, run ``inner`` there."""
    with tempfile.TemporaryDirectory(prefix="peers-engines-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        packages = [*PEERS, *ENGINE_PACKAGES, str(ROOT)] + (["ray"] if with_ray else [])
        print(f"installing {', '.join(packages)} into a throwaway venv ...", file=sys.stderr)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *packages], check=True)
        command = [python, str(Path(__file__).resolve()), "--here"]
        command += ["--ray"] if with_ray else []
        return subprocess.run(command, cwd=folder).returncode


def main() -> int:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--here", action="store_true", help="use the current environment")
    parser.add_argument("--ray", action="store_true", help="add a Ray column (installs ray)")
    options = parser.parse_args()
    if options.here:
        sys.path.insert(0, str(HERE))
        import peers_engines  # by module name, so workers import (not copy) the cases

        peers_engines.inner(options.ray)
        return 0
    return outer(options.ray)


if __name__ == "__main__":
    sys.exit(main())
