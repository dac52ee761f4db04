"""Celery: errors raised in a real ``celery worker`` process reach ``result.get()`` whole.

No server is needed: kombu's ``filesystem://`` transport and Celery's ``file://`` result
backend live in a temporary folder. Three workers start once for the module, side by
side: one storing results with ``pickle``, one with ``json`` and ``install(app)``, one with
plain ``json``. Every case of ``tests.samples`` goes through each of them; every
wait has a timeout, and each worker is stopped at the end of the module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import celery
import pytest

from errorkit import exceptions as ek
from errorkit.integrations.celery import KEY, install
from tests.engine_checks import check_from_json, check_whole
from tests.samples import CASES, build, raise_case

if TYPE_CHECKING:
    from collections.abc import Iterator

TIMEOUT = 60.0
"""Seconds any one wait may take; a healthy worker answers in well under a second."""

ROOT = Path(__file__).resolve().parents[2]
FOLDER_VARIABLE = "ERRORKIT_CELERY_FOLDER"
SERIALIZER_VARIABLE = "ERRORKIT_CELERY_SERIALIZER"
INSTALL_VARIABLE = "ERRORKIT_CELERY_INSTALL"


def raise_builtin() -> None:
    """Raise a builtin exception (run in the worker)."""
    raise KeyError("not an errorkit error")


LEAKY = "sk-proj-Q2w3E4r5T6y7U8i9O0pA"
"""A credential planted in a failing task's error, its cause and its ``args``."""


def raise_leaky() -> None:
    """Raise an error whose ``args`` were reassigned raw, from a cause holding a secret."""
    try:
        raise ValueError(f"request failed: api_key={LEAKY}")
    except ValueError as exc:
        error = ek.ServerError("upstream failed")
        error.args = (f"token={LEAKY}",)
        raise error from exc


def make_app(folder: Path, serializer: str, *, installed: bool) -> celery.Celery:
    """Return a Celery app whose broker and result backend live in ``folder``."""
    broker = folder / "broker"
    app = celery.Celery("errorkit-tests", set_as_current=False)
    app.conf.update(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(broker),
            "data_folder_out": str(broker),
            "control_folder": str(folder / "control"),
            "polling_interval": 0.05,
        },
        result_backend=f"file://{folder / 'results'}",
        task_serializer="json",  # a worker running as root refuses pickled task messages
        accept_content=["json"],
        result_serializer=serializer,
        result_accept_content=[serializer],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name="raise_case")(raise_case)
    app.task(name="raise_builtin")(raise_builtin)
    app.task(name="raise_leaky")(raise_leaky)
    if installed:
        install(app)
    return app


def _worker_app() -> celery.Celery | None:
    """Return the app a worker started by this module serves (None under pytest)."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if folder is None:
        return None
    installed = os.environ[INSTALL_VARIABLE] == "1"
    return make_app(Path(folder), os.environ[SERIALIZER_VARIABLE], installed=installed)


worker_app = _worker_app()


@dataclass
class Worker:
    """A running ``celery worker`` process and the folder its queue and results live in."""

    folder: Path
    serializer: str
    installed: bool
    process: subprocess.Popen[bytes]

    def client(self, *, installed: bool) -> celery.Celery:
        """Return an app that sends tasks to this worker and reads its results."""
        return make_app(self.folder, self.serializer, installed=installed)

    def check_alive(self) -> None:
        """Fail at once, with the worker's log, when the worker has exited."""
        if self.process.poll() is not None:
            log = (self.folder / "worker.log").read_text(errors="replace")
            raise RuntimeError(f"the celery worker exited:\n{log[-2000:]}")

    def get(self, result: Any) -> Any:
        """Wait for ``result`` and return its value, or the exception the task raised."""
        return result.get(
            timeout=TIMEOUT, interval=0.05, propagate=False, on_interval=self.check_alive
        )

    def stop(self) -> None:
        """Stop the worker (a warm shutdown), killing it if it does not stop in time."""
        if self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        """Wait for the worker to exit after ``stop``, killing it if it does not."""
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung worker
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)


def _start(folder: Path, serializer: str, *, installed: bool) -> Worker:
    """Start a solo-pool worker serving ``make_app(folder, serializer, installed=...)``."""
    for name in ("broker", "control", "results"):
        (folder / name).mkdir(parents=True)
    env = {
        **os.environ,
        FOLDER_VARIABLE: str(folder),
        SERIALIZER_VARIABLE: serializer,
        INSTALL_VARIABLE: "1" if installed else "0",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "--app",
        f"{__name__}:worker_app",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
    ]
    with (folder / "worker.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    return Worker(folder, serializer, installed, process)


@dataclass
class Outcome:
    """What the caller caught for every case, and the ids of the tasks that raised."""

    caught: dict[str, BaseException | None]
    task_ids: dict[str, str]


def _run(worker: Worker, *, installed: bool) -> Outcome:
    """Send every case to ``worker`` and collect the exceptions ``get()`` returns."""
    app = worker.client(installed=installed)
    results = {name: app.send_task("raise_case", args=[name]) for name in CASES}
    caught = {name: worker.get(result) for name, result in results.items()}
    return Outcome(caught, {name: result.id for name, result in results.items()})


@pytest.fixture(scope="module")
def workers() -> Iterator[dict[str, Worker]]:
    """Start the three workers at once, and stop them at the end of the module."""
    with tempfile.TemporaryDirectory(prefix="errorkit-celery-") as folder:
        yield from _workers(Path(folder))


def _workers(root: Path) -> Iterator[dict[str, Worker]]:
    """Start the three workers in folders under ``root``; stop them when resumed."""
    started = {
        "pickle": _start(root / "pickle", "pickle", installed=False),
        "json": _start(root / "json", "json", installed=True),
        "json-plain": _start(root / "json-plain", "json", installed=False),
    }
    try:
        yield started
    finally:
        for worker in started.values():
            worker.stop()
        for worker in started.values():
            worker.wait()


@pytest.fixture(scope="module")
def pickled(workers: dict[str, Worker]) -> Outcome:
    """Every case through the ``pickle`` worker, read without ``install``."""
    return _run(workers["pickle"], installed=False)


@pytest.fixture(scope="module")
def installed(workers: dict[str, Worker]) -> Outcome:
    """Every case through the ``json`` worker that ran ``install``, read with it."""
    return _run(workers["json"], installed=True)


@pytest.fixture(scope="module")
def plain(workers: dict[str, Worker]) -> Outcome:
    """Every case through the plain ``json`` worker, read without ``install``."""
    return _run(workers["json-plain"], installed=False)


def _reread(worker: Worker, outcome: Outcome, *, installed: bool) -> dict[str, Any]:
    """Read the stored results of ``outcome`` again with a new client."""
    app = worker.client(installed=installed)
    return {
        name: worker.get(app.AsyncResult(task_id)) for name, task_id in outcome.task_ids.items()
    }


def _as_celery_rebuilds(caught: Any) -> tuple[str, str, tuple[Any, ...]]:
    """Return what identifies an exception Celery rebuilt from JSON: class, module, args."""
    return type(caught).__name__, type(caught).__module__, caught.args


@pytest.mark.parametrize("case", CASES)
def test_pickle_serializer_carries_errors_whole(pickled: Outcome, case: str) -> None:
    """With ``pickle`` the caller gets the worker's class, to_dict, attributes and cause."""
    check_whole(case, pickled.caught[case], carried_by_tblib=False)


@pytest.mark.parametrize("case", CASES)
def test_json_serializer_with_install_keeps_class_and_to_dict(
    installed: Outcome, case: str
) -> None:
    """With ``json`` and ``install`` the caller gets the class, to_dict and a stand-in cause."""
    check_from_json(case, installed.caught[case])


def test_json_serializer_without_install_loses_the_fields(plain: Outcome) -> None:
    """Plain ``json`` rebuilds ``cls(*args)``: codes, details and fields are lost."""
    error = plain.caught["Error"]
    assert type(error) is ek.Error
    assert error.to_dict() == {"code": "UNKNOWN_ERROR", "message": "boom", "details": {}}
    parse = plain.caught["ParseError"]
    assert isinstance(parse, ek.ParseError)
    assert parse.provider == build("ParseError").message  # the message taken for a provider
    assert type(plain.caught["APIError"]) is Exception  # APIError(message) has no status


def test_results_stored_before_install_still_load(
    workers: dict[str, Worker], plain: Outcome
) -> None:
    """A result stored without ``install`` loads, with it, exactly as Celery loads it."""
    reread = _reread(workers["json-plain"], plain, installed=True)
    for name, caught in plain.caught.items():
        assert _as_celery_rebuilds(reread[name]) == _as_celery_rebuilds(caught)


def test_results_stored_with_install_load_without_it(
    workers: dict[str, Worker], installed: Outcome, plain: Outcome
) -> None:
    """A caller without ``install`` reads an installed worker's results as Celery always did."""
    reread = _reread(workers["json"], installed, installed=False)
    for name, caught in plain.caught.items():
        assert _as_celery_rebuilds(reread[name]) == _as_celery_rebuilds(caught)


def test_other_exceptions_are_stored_as_celery_stores_them(
    workers: dict[str, Worker],
) -> None:
    """A non-errorkit exception is stored with Celery's three keys only, and rebuilt as is."""
    app = workers["json"].client(installed=True)
    result = app.send_task("raise_builtin")
    caught = workers["json"].get(result)
    assert type(caught) is KeyError
    assert caught.args == ("not an errorkit error",)
    stored = json.loads(app.backend.get(app.backend.get_key_for_task(result.id)))
    assert set(stored["result"]) == {"exc_type", "exc_message", "exc_module"}


def test_installed_worker_stores_the_payload_beside_celerys_keys(
    workers: dict[str, Worker], installed: Outcome
) -> None:
    """The stored form is Celery's three keys plus ``errorkit``: to_dict and the cause."""
    app = workers["json"].client(installed=True)
    task_id = installed.task_ids["ParseError[json.JSONDecodeError]"]
    stored = json.loads(app.backend.get(app.backend.get_key_for_task(task_id)))["result"]
    sent = build("ParseError[json.JSONDecodeError]")
    assert stored["exc_type"] == "ParseError"
    assert stored["exc_module"] == "errorkit.exceptions"
    assert stored["exc_message"] == [sent.message]
    assert stored[KEY] == {
        **sent.to_dict(),
        "original_exception": {
            "type": "JSONDecodeError",
            "message": "Expecting value: line 1 column 1 (char 0)",
        },
    }


def test_install_is_idempotent_and_wants_an_app(tmp_path: Path) -> None:
    """Installing twice wraps once; anything but a Celery app is a TypeError."""
    app = make_app(tmp_path, "json", installed=True)
    wrapped = app._get_backend
    install(app)
    assert app._get_backend is wrapped
    with pytest.raises(TypeError, match="Celery application"):
        install(object())


def test_install_wraps_a_backend_made_before_it(tmp_path: Path) -> None:
    """A backend the app made before ``install`` is wrapped too, not only later ones."""
    (tmp_path / "results").mkdir()
    app = make_app(tmp_path, "json", installed=False)
    backend = app.backend
    install(app)
    assert app.backend is backend
    stored = backend.prepare_exception(ek.RateLimitError(retry_after=5))
    assert stored[KEY]["code"] == "RATE_LIMITED"
    rebuilt = backend.exception_to_python(json.loads(json.dumps(stored)))
    assert type(rebuilt) is ek.RateLimitError
    assert rebuilt.retry_after == 5.0


def test_attack15_a_stored_failure_holds_no_secret(workers: dict[str, Worker]) -> None:
    """With ``install``, the stored ``exc_message`` and traceback text are masked."""
    app = workers["json"].client(installed=True)
    result = app.send_task("raise_leaky")
    caught = workers["json"].get(result)
    assert type(caught) is ek.ServerError
    raw = app.backend.get(app.backend.get_key_for_task(result.id))
    assert LEAKY not in raw.decode("utf-8")
    stored = json.loads(raw)
    assert stored["result"]["exc_message"] == ["token=***"]
    assert "ValueError: request failed: api_key=***" in stored["traceback"]
    assert LEAKY not in str(result.traceback)
