"""The structlog processor, tested with real structlog rendering JSON."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from typing import Any

import pytest
import structlog

from errorkit import exceptions as ek
from errorkit.integrations.structlog import ErrorDictAdder, add_error_dict
from tests.samples import SECRET, all_error_classes, sample

CLASSES = all_error_classes()


class JSONLog:
    """A real structlog logger rendering JSON lines into a buffer (no global configuration)."""

    def __init__(self, adder: structlog.typing.Processor = add_error_dict) -> None:
        self.stream = io.StringIO()
        self.log = structlog.wrap_logger(
            structlog.PrintLogger(file=self.stream),
            processors=[
                adder,
                structlog.processors.add_log_level,
                structlog.processors.dict_tracebacks,
                structlog.processors.JSONRenderer(),
            ],
        )

    def lines(self) -> list[dict[str, Any]]:
        """Return the JSON lines written so far, parsed."""
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


def _raised(error: BaseException) -> BaseException:
    """Raise and catch ``error`` so it carries a traceback, as logged exceptions do."""
    try:
        raise error
    except BaseException as caught:
        return caught


def test_log_exception_adds_to_dict() -> None:
    """``log.exception`` inside ``except`` renders the error's ``to_dict()`` under "error"."""
    out = JSONLog()
    error = ek.RateLimitError(retry_after=30, request_id="req_1")
    try:
        raise error
    except ek.RateLimitError:
        out.log.exception("call failed", attempt=2)
    (line,) = out.lines()
    assert line["event"] == "call failed"
    assert line["attempt"] == 2
    assert line["error"] == error.to_dict()
    assert line["exception"][0]["exc_type"] == "RateLimitError"  # exc_info left for the rest


@pytest.mark.parametrize("cls", CLASSES, ids=[cls.__name__ for cls in CLASSES])
def test_every_class_renders_its_payload(cls: type[ek.Error]) -> None:
    """Every class passed as ``exc_info=`` renders its ``to_dict()``, never the sample's secret."""
    out = JSONLog()
    error = sample(cls)
    out.log.error("failed", exc_info=_raised(error))
    (line,) = out.lines()
    assert line["error"] == json.loads(json.dumps(error.to_dict()))
    assert SECRET not in out.stream.getvalue()


def test_exc_info_tuple() -> None:
    """An ``exc_info`` tuple from ``sys.exc_info()`` is read too."""
    out = JSONLog()
    try:
        raise ek.ToolNotFoundError("search")
    except ek.ToolNotFoundError:
        out.log.error("failed", exc_info=sys.exc_info())
    assert out.lines()[0]["error"]["code"] == "TOOL_NOT_FOUND"


def test_error_found_as_cause() -> None:
    """An errorkit error that caused the logged exception is rendered."""
    out = JSONLog()
    error = ek.NotFoundError(request_id="req_9")
    try:
        try:
            raise error
        except ek.NotFoundError as exc:
            raise RuntimeError("lookup failed") from exc
    except RuntimeError:
        out.log.exception("outer")
    assert out.lines()[0]["error"] == error.to_dict()


def test_events_without_errorkit_errors_pass_unchanged() -> None:
    """Events without an exception, or with a foreign one, get no "error" key."""
    out = JSONLog()
    out.log.info("plain")
    out.log.error("foreign", exc_info=_raised(ValueError("x")))
    out.log.error("nothing handled", exc_info=True)
    lines = out.lines()
    assert [line["event"] for line in lines] == ["plain", "foreign", "nothing handled"]
    assert all("error" not in line for line in lines)


def test_bound_value_is_kept() -> None:
    """A value already bound under the key wins over the processor."""
    out = JSONLog()
    out.log.bind(error="mine").error("e", exc_info=_raised(ek.ServerError()))
    assert out.lines()[0]["error"] == "mine"


def test_custom_key() -> None:
    """``ErrorDictAdder(key=...)`` renders under another key."""
    adder = ErrorDictAdder(key="errorkit", max_depth=0)
    assert repr(adder) == "ErrorDictAdder(key='errorkit', max_depth=0)"
    out = JSONLog(adder)
    out.log.error("e", exc_info=_raised(ek.ServerError()))
    wrapped = RuntimeError("outer")
    wrapped.__cause__ = ek.ServerError()
    out.log.error("depth 0 does not look behind", exc_info=_raised(wrapped))
    first, second = out.lines()
    assert first["errorkit"]["code"] == "SERVER_ERROR"
    assert "errorkit" not in second


def test_stdlib_records_through_processor_formatter() -> None:
    """In ``ProcessorFormatter``'s foreign chain, plain ``logging`` records get the key too."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[add_error_dict],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    logger = logging.getLogger("errorkit-test.structlog-stdlib")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.error("stdlib", exc_info=_raised(ek.PermissionDeniedError()))
    finally:
        logger.removeHandler(handler)
        handler.close()
    line = json.loads(stream.getvalue())
    assert line["event"] == "stdlib"
    assert line["error"]["code"] == "PERMISSION_DENIED"
    assert "PermissionDeniedError" in line["exception"]


def test_processor_does_not_import_structlog() -> None:
    """Importing and running the processor loads no third-party package."""
    code = (
        "import sys; before = set(sys.modules)\n"
        "from errorkit.integrations.structlog import add_error_dict\n"
        "from errorkit import ServerError\n"
        "event = add_error_dict(None, 'error', {'exc_info': ServerError()})\n"
        "assert event['error']['code'] == 'SERVER_ERROR'\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    top_level = {name.partition(".")[0] for name in out.split()}
    assert not top_level - set(sys.stdlib_module_names) - {"errorkit"}


def test_all_is_sorted_and_resolves() -> None:
    """The module's ``__all__`` is sorted and every listed name exists."""
    from errorkit.integrations import structlog as integration

    assert integration.__all__ == sorted(integration.__all__)
    assert all(hasattr(integration, name) for name in integration.__all__)
