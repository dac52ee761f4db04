"""Return errorkit errors from MCP tools as tool results a model can act on.

The MCP specification wants a tool's own failures reported *inside* the result, with
``isError`` set, so the model sees them and can correct course. ``to_tool_result(exc)``
builds that result from errorkit's safe facts:

* ``isError=True``;
* one text content: the error's masked message, whose directive (``DO NOT retry
  ...``) tells the model what to do next;
* ``structuredContent``: the safe ``to_dict()`` (``code``, ``message``, ``details``),
  for a client that acts on the code rather than the prose.

``@tool_errors`` applies it to a tool function, sync or async (register it with the
server after wrapping, so the server still reads the original signature): an errorkit
error, an exception group holding one, or a transport failure that
``errorkit.error_from_exception`` recognises becomes that result; any other exception
propagates and the SDK reports it as it always does. Requires the ``mcp`` SDK
(``pip install errorkit[mcp]``).
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, overload

from mcp.types import CallToolResult

from errorkit.exceptions import Error
from errorkit.integrations._facts import agent_error, safe_message

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["to_tool_result", "tool_errors"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def to_tool_result(exc: BaseException) -> CallToolResult:
    """Return the ``isError`` tool result describing ``exc``, with no secret in it.

    An errorkit error (or one in an exception group, or the error a transport failure
    stands for) speaks through its ``to_dict()``; any other exception is described as
    an ``UNKNOWN_ERROR`` carrying its masked text.
    """
    error = agent_error(exc) or Error(safe_message(exc))
    payload = error.to_dict()
    # Validated from the wire names, which every version of the SDK accepts.
    return CallToolResult.model_validate(
        {
            "content": [{"type": "text", "text": payload["message"]}],
            "isError": True,
            "structuredContent": dict(payload),
        }
    )


@overload
def tool_errors(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[_R | CallToolResult]]: ...
@overload
def tool_errors(func: Callable[_P, _R]) -> Callable[_P, _R | CallToolResult]: ...
def tool_errors(func: Callable[_P, Any]) -> Callable[_P, Any]:
    """Decorate a tool function so its errorkit errors come back as ``to_tool_result``.

    The wrapper keeps the function's name, docstring and signature
    (``functools.wraps``), so a server builds the same input schema from it. Only
    errorkit errors, exception groups holding one, and recognised transport failures
    are turned into results; anything else propagates unchanged.
    """
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args: _P.args, **kwargs: _P.kwargs) -> Any:
            try:
                return await func(*args, **kwargs)
            except Exception as exc:
                if agent_error(exc) is None:
                    raise
                return to_tool_result(exc)

        return run_async

    @functools.wraps(func)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if agent_error(exc) is None:
                raise
            return to_tool_result(exc)

    return run
