"""The stdlib logging integration: real loggers write JSON lines holding the error's dict."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from errorkit import exceptions as ek
from errorkit.integrations.logging import (
    DEFAULT_KEY,
    MAX_CHAIN_DEPTH,
    ErrorContextFilter,
    error_from_exc_info,
    find_error,
)
from tests.samples import SECRET, all_error_classes, sample

if TYPE_CHECKING:
    from collections.abc import Iterator

CLASSES = all_error_classes()

# Attributes every LogRecord has: the JSON formatter below emits everything else.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JSONLineFormatter(logging.Formatter):
    """A minimal JSON-lines formatter that, like python-json-logger, emits extra attributes."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one JSON object."""
        line: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        return json.dumps(line, default=str)


class Capture:
    """A real logger whose handler carries the filter and writes JSON lines to a buffer."""

    def __init__(self, name: str, log_filter: logging.Filter) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JSONLineFormatter())
        self.handler.addFilter(log_filter)
        self.logger = logging.getLogger(name)
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        self.logger.addHandler(self.handler)

    def lines(self) -> list[dict[str, Any]]:
        """Return the JSON lines written so far, parsed."""
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def close(self) -> None:
        """Detach the handler."""
        self.logger.removeHandler(self.handler)
        self.handler.close()


@pytest.fixture
def capture(request: pytest.FixtureRequest) -> Iterator[Capture]:
    """A fresh logger (named after the test) with the default filter on its handler."""
    captured = Capture(f"errorkit-test.{request.node.name}", ErrorContextFilter())
    yield captured
    captured.close()


def _raised(error: BaseException) -> BaseException:
    """Raise and catch ``error`` so it carries a traceback, as logged exceptions do."""
    try:
        raise error
    except BaseException as caught:
        return caught


# --- through a real logger ------------------------------------------------------------------


def test_logger_exception_attaches_to_dict(capture: Capture) -> None:
    """``logger.exception`` inside ``except`` writes the error's ``to_dict()`` under "error"."""
    error = ek.RateLimitError(retry_after=30, request_id="req_1")
    try:
        raise error
    except ek.RateLimitError:
        capture.logger.exception("call failed")
    (line,) = capture.lines()
    assert line["message"] == "call failed"
    assert line["exc_type"] == "RateLimitError"
    assert line["error"] == error.to_dict()
    assert DEFAULT_KEY == "error"


@pytest.mark.parametrize("cls", CLASSES, ids=[cls.__name__ for cls in CLASSES])
def test_every_class_logs_its_payload(capture: Capture, cls: type[ek.Error]) -> None:
    """Every class logged with ``exc_info=`` writes its ``to_dict()``, never the sample's secret."""
    error = sample(cls)
    capture.logger.error("failed", exc_info=_raised(error))
    (line,) = capture.lines()
    assert line["error"] == json.loads(json.dumps(error.to_dict()))
    assert SECRET not in capture.stream.getvalue()


def test_error_found_as_cause(capture: Capture) -> None:
    """An errorkit error that is the ``__cause__`` of the logged exception is attached."""
    error = ek.NotFoundError(request_id="req_9")
    try:
        try:
            raise error
        except ek.NotFoundError as exc:
            raise RuntimeError("lookup failed") from exc
    except RuntimeError:
        capture.logger.exception("outer")
    (line,) = capture.lines()
    assert line["exc_type"] == "RuntimeError"
    assert line["error"] == error.to_dict()


def test_error_found_as_context(capture: Capture) -> None:
    """An errorkit error being handled when another exception was raised is attached."""
    error = ek.ServerError()
    try:
        try:
            raise error
        except ek.ServerError:
            raise KeyError("cleanup failed")  # noqa: B904 - the implicit context is the point
    except KeyError:
        capture.logger.exception("outer")
    assert capture.lines()[0]["error"] == error.to_dict()


def test_suppressed_context_is_not_searched(capture: Capture) -> None:
    """``raise ... from None`` hides the context from the log as it does from the traceback."""
    try:
        try:
            raise ek.ServerError()
        except ek.ServerError:
            raise KeyError("replaced") from None
    except KeyError:
        capture.logger.exception("outer")
    assert "error" not in capture.lines()[0]


def test_records_without_errorkit_errors_pass_unchanged(capture: Capture) -> None:
    """Records without an exception or with a foreign one are logged, without the key."""
    capture.logger.info("plain")
    capture.logger.error("foreign", exc_info=_raised(ValueError("x")))
    capture.logger.error("no exception", exc_info=True)
    lines = capture.lines()
    assert [line["message"] for line in lines] == ["plain", "foreign", "no exception"]
    assert all("error" not in line for line in lines)


def test_custom_key() -> None:
    """The key is configurable."""
    captured = Capture("errorkit-test.custom-key", ErrorContextFilter("errorkit"))
    try:
        captured.logger.warning("w", exc_info=_raised(ek.ToolNotFoundError("search")))
        assert captured.lines()[0]["errorkit"]["code"] == "TOOL_NOT_FOUND"
    finally:
        captured.close()


def test_extra_with_the_same_key_is_kept(capture: Capture) -> None:
    """A value the caller passed with ``extra=`` under the key is not overwritten."""
    capture.logger.error("e", exc_info=_raised(ek.ServerError()), extra={"error": "mine"})
    assert capture.lines()[0]["error"] == "mine"


@pytest.mark.parametrize("key", ["", "msg", "message", "exc_info", "args", "asctime"])
def test_reserved_key_is_rejected(key: str) -> None:
    """A key that is empty or a LogRecord attribute is a ValueError."""
    with pytest.raises(ValueError, match="LogRecord attribute"):
        ErrorContextFilter(key)


def test_filter_on_handler_sees_child_loggers(capture: Capture) -> None:
    """On the handler, the filter also enriches records propagated from child loggers."""
    child = logging.getLogger(capture.logger.name + ".child")
    child.error("from child", exc_info=_raised(ek.AuthenticationError()))
    assert capture.lines()[0]["error"]["code"] == "AUTH_FAILED"


def test_broken_to_dict_does_not_break_logging(
    capture: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error whose ``to_dict`` raises is still logged, just without the key."""
    error = ek.ServerError()

    def broken() -> Any:
        raise RuntimeError("broken override")

    monkeypatch.setattr(error, "to_dict", broken)
    capture.logger.error("still logged", exc_info=_raised(error))
    (line,) = capture.lines()
    assert line["message"] == "still logged"
    assert "error" not in line


_DICT_CONFIG_SCRIPT = """
import json, logging, logging.config
from errorkit import APITimeoutError
logging.config.dictConfig({
    "version": 1,
    "filters": {
        "errorkit": {"()": "errorkit.integrations.logging.ErrorContextFilter", "key": "err"},
    },
    "formatters": {"json": {"()": "tests.integrations.test_logging.JSONLineFormatter"}},
    "handlers": {
        "out": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["errorkit"],
            "formatter": "json",
        },
    },
    "root": {"handlers": ["out"], "level": "INFO"},
})
try:
    raise APITimeoutError()
except APITimeoutError:
    logging.getLogger("app").exception("x")
"""


def test_dict_config() -> None:
    """The filter is configurable from ``logging.config.dictConfig`` with a key option."""
    out = subprocess.run(
        [sys.executable, "-c", _DICT_CONFIG_SCRIPT],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
    ).stdout
    assert json.loads(out)["err"]["code"] == "TIMEOUT"


# --- the helpers ----------------------------------------------------------------------------


def _chain(error: BaseException, links: int) -> BaseException:
    """Return an exception with ``error`` ``links`` ``__cause__`` links below it."""
    top = error
    for index in range(links):
        outer = RuntimeError(f"wrapper {index}")
        outer.__cause__ = top
        top = outer
    return top


def test_find_error_depth() -> None:
    """``find_error`` follows up to ``max_depth`` links, and no further."""
    error = ek.ToolError("deep")
    assert find_error(_chain(error, MAX_CHAIN_DEPTH)) is error
    assert find_error(_chain(error, MAX_CHAIN_DEPTH + 1)) is None
    assert find_error(_chain(error, 1), max_depth=0) is None
    assert find_error(error, max_depth=0) is error


def test_find_error_survives_cycles() -> None:
    """A cause chain that loops back on itself ends the search."""
    first, second = ValueError("a"), KeyError("b")
    first.__cause__ = second
    second.__cause__ = first
    assert find_error(first, max_depth=50) is None


@pytest.mark.parametrize(
    "exc_info",
    [
        ek.ToolError("t"),
        (ek.ToolError, ek.ToolError("t"), None),
    ],
    ids=["exception", "tuple"],
)
def test_error_from_exc_info_shapes(exc_info: object) -> None:
    """``error_from_exc_info`` reads an exception or a ``(type, value, tb)`` tuple."""
    found = error_from_exc_info(exc_info)
    assert isinstance(found, ek.ToolError)


def test_error_from_exc_info_true_reads_handled_exception() -> None:
    """``exc_info=True`` means the exception being handled, as in logging and structlog."""
    error = ek.ToolError("t")
    try:
        raise error
    except ek.ToolError:
        assert error_from_exc_info(True) is error
    assert error_from_exc_info(True) is None


@pytest.mark.parametrize("exc_info", [None, False, (None, None, None), "text", (1, 2)])
def test_error_from_exc_info_nothing(exc_info: object) -> None:
    """Values that hold no exception give None."""
    assert error_from_exc_info(exc_info) is None


def test_module_imports_only_the_standard_library() -> None:
    """Importing the logging integration loads no third-party package."""
    code = (
        "import sys; before = set(sys.modules); import errorkit.integrations.logging; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    top_level = {name.partition(".")[0] for name in out.split()}
    assert not top_level - set(sys.stdlib_module_names) - {"errorkit"}


def test_all_is_sorted_and_resolves() -> None:
    """The module's ``__all__`` is sorted and every listed name exists."""
    from errorkit.integrations import logging as integration

    assert integration.__all__ == sorted(integration.__all__)
    assert all(hasattr(integration, name) for name in integration.__all__)
