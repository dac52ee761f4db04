"""``handle_tool_error`` and ``to_tool_exception`` on real langchain-core ``StructuredTool``s."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool, ToolException

from errorkit import exceptions as ek
from errorkit.integrations.langchain import handle_tool_error, to_tool_exception

if TYPE_CHECKING:
    from collections.abc import Callable

SECRET = "sk-proj-M6nB9vC2xZ5lK8jH1gF4"


def _leaky_rate_limit() -> ek.ConnectorRateLimitError:
    """A connector 429 with secrets in its cause and context."""
    cause = RuntimeError(f"GET https://q.test/?api_key={SECRET} -> 429")
    return ek.ConnectorRateLimitError(
        "acme", 45, request_params={"token": SECRET}, original_exception=cause
    )


def quote(symbol: str) -> str:
    """Return the last price of a symbol."""
    if symbol == "ACME":
        return "1.50"
    try:
        raise _leaky_rate_limit()
    except ek.Error as exc:
        raise to_tool_exception(exc) from exc


def parse_rows(payload: str) -> str:
    """Count the rows of a JSON array."""
    try:
        rows = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise to_tool_exception(ek.ParseError("llm", original_exception=exc)) from exc
    return str(len(rows))


def login(user: str) -> str:
    """Log a user in."""
    raise ToolException(f"login failed for {user}: password={SECRET}")


def _tool(func: Callable[..., str]) -> StructuredTool:
    """A structured tool from ``func`` with errorkit's error handler."""
    return StructuredTool.from_function(func, handle_tool_error=handle_tool_error)


def test_failing_tool_returns_the_directive() -> None:
    """A tool failing with a connector 429 returns its safe message, directive included."""
    output = _tool(quote).invoke({"symbol": "XYZ"})
    assert output == ek.ConnectorRateLimitError("acme", 45).message
    assert "DO NOT retry this tool immediately" in output
    assert SECRET not in output
    assert _tool(quote).invoke({"symbol": "ACME"}) == "1.50"


def test_tool_call_gives_an_error_tool_message() -> None:
    """Invoked with a tool call, the model receives an error ``ToolMessage`` without the secret."""
    call = {"name": "quote", "args": {"symbol": "XYZ"}, "id": "call_1", "type": "tool_call"}
    message = _tool(quote).invoke(call)
    assert isinstance(message, ToolMessage)
    assert message.status == "error"
    assert message.content == ek.ConnectorRateLimitError("acme", 45).message
    assert SECRET not in message.model_dump_json()


def test_parse_error_on_bad_input_returns_the_retry_message() -> None:
    """Invalid JSON input makes the tool answer with ``ParseError.retry_message()``."""
    output = _tool(parse_rows).invoke({"payload": "[1, 2"})
    assert output.startswith("Your response could not be parsed because no valid JSON object")
    assert _tool(parse_rows).invoke({"payload": "[1, 2]"}) == "2"


def test_plain_tool_exception_is_masked() -> None:
    """A ``ToolException`` that holds no errorkit error is passed on with its text masked."""
    output = _tool(login).invoke({"user": "alice"})
    assert output == "login failed for alice: password=***"


def test_handle_tool_error_true_reads_the_same_text() -> None:
    """The exception from ``to_tool_exception`` already carries the safe text, for ``True``."""
    tool = StructuredTool.from_function(quote, handle_tool_error=True)
    assert tool.invoke({"symbol": "XYZ"}) == ek.ConnectorRateLimitError("acme", 45).message


def test_to_tool_exception_chains_the_error() -> None:
    """``to_tool_exception`` gives a ``ToolException`` caused by the error, with its safe text."""
    error = ek.UnauthorizedError("acme", f"api_key={SECRET}")
    tool_exception = to_tool_exception(error)
    assert isinstance(tool_exception, ToolException)
    assert tool_exception.__cause__ is error
    assert tool_exception.args == ("api_key=***",)
    assert handle_tool_error(tool_exception) == "api_key=***"


def test_without_a_handler_the_error_propagates() -> None:
    """A tool without ``handle_tool_error`` raises the ``ToolException``, as langchain does."""
    tool = StructuredTool.from_function(quote)
    with pytest.raises(ToolException) as caught:
        tool.invoke({"symbol": "XYZ"})
    assert isinstance(caught.value.__cause__, ek.ConnectorRateLimitError)
