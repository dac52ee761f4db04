"""Serve errors from Starlette and FastAPI apps as RFC 9457 ``application/problem+json``.

``add_problem_handlers(app)`` registers one handler for errorkit errors and one for
every other exception; both answer with ``problem_response(exc)``:

* the body is ``errorkit.problem``'s document for the error (``type``
  ``urn:errorkit:{CODE}``, ``title``, ``status``, the masked ``detail``, ``code`` and
  the safe ``details``), so an errorkit client rebuilds the same class with
  ``errorkit.error_from_response``;
* the status is the error's HTTP status; 500 for an error without one;
* a transport failure (``APIConnectionError``, or an exception
  ``errorkit.error_from_exception`` recognises, such as ``httpx.ConnectError``) is
  answered as a gateway would: ``APITimeoutError`` 504 Gateway Timeout, any other
  connection failure 502 Bad Gateway;
* ``Retry-After`` (whole seconds, rounded up) when the error carries ``retry_after``;
* any other exception gives a bare 500 document that says nothing about it.

An errorkit error nested in an exception group (a task group) or chained behind
another exception is found with ``errorkit.find_error``. As with any Starlette
handler for ``Exception``, an unexpected exception is still raised to the server
after the response is sent, so it is logged. Requires ``starlette``
(``pip install errorkit[starlette]``; FastAPI includes it).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

from starlette.responses import JSONResponse, Response

from errorkit.exceptions import APIConnectionError, APITimeoutError, Error
from errorkit.http_mapping import find_error
from errorkit.integrations._facts import agent_error
from errorkit.problem import PROBLEM_JSON_CONTENT_TYPE

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

__all__ = ["add_problem_handlers", "problem_response"]

_GATEWAY_TIMEOUT: Final = 504
_BAD_GATEWAY: Final = 502
_INTERNAL: Final = 500


class _ProblemResponse(JSONResponse):
    """A JSON response served as ``application/problem+json``."""

    media_type = PROBLEM_JSON_CONTENT_TYPE


def _status(error: Error) -> int:
    """Return the HTTP status to answer ``error`` with."""
    if isinstance(error, APITimeoutError):
        return _GATEWAY_TIMEOUT
    if isinstance(error, APIConnectionError):
        return _BAD_GATEWAY
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and not isinstance(status, bool) and 400 <= status <= 599:
        return status
    return _INTERNAL


def _retry_after(error: Error) -> str | None:
    """Return the ``Retry-After`` header value (whole seconds, rounded up), or None."""
    seconds = getattr(error, "retry_after", None)
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        return None
    return str(math.ceil(seconds)) if math.isfinite(seconds) and seconds >= 0 else None


def problem_response(exc: BaseException) -> Response:
    """Return the ``application/problem+json`` response for ``exc`` (see the module docstring).

    Args:
        exc: An errorkit error, an exception holding one, a transport failure, or any
            other exception (answered with a bare 500 document).
    """
    error = find_error(exc) or agent_error(exc)
    if error is None:
        document = {"type": "about:blank", "title": "Internal Server Error", "status": _INTERNAL}
        return _ProblemResponse(document, status_code=_INTERNAL)
    status = _status(error)
    document = error.to_problem_details()
    document["status"] = status
    headers = {}
    retry_after = _retry_after(error)
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return _ProblemResponse(document, status_code=status, headers=headers)


async def _handle(request: Request, exc: Exception) -> Response:
    """Starlette exception handler answering with ``problem_response(exc)``."""
    return problem_response(exc)


def add_problem_handlers(app: Starlette) -> None:
    """Answer errorkit errors and unexpected exceptions of ``app`` with problem documents.

    Works for ``Starlette`` and ``FastAPI`` apps (FastAPI's own handlers for
    ``HTTPException`` and request validation are left as they are).
    """
    app.add_exception_handler(Error, _handle)
    app.add_exception_handler(Exception, _handle)
