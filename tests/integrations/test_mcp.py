"""``tool_errors`` and ``to_tool_result`` on a real MCP server and client session.

The server is the SDK's ``MCPServer`` (formerly FastMCP); the client is the SDK's
``Client`` in legacy mode, which speaks JSON-RPC to it over the in-memory streams of
``mcp.shared.memory``, so every result crosses the protocol as it would over stdio.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent

from errorkit import exceptions as ek
from errorkit.integrations.mcp import to_tool_result, tool_errors

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

if sys.version_info >= (3, 11):
    from builtins import ExceptionGroup

SECRET = "sk-proj-T8dF3gH6jK1lZ4xC7vB2"
CALL_TIMEOUT = 10.0
needs_groups = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="exception groups are builtin from Python 3.11"
)

server = MCPServer("errorkit-tests")


@server.tool()
@tool_errors
async def quote(symbol: str, exchange: str = "XNYS") -> dict[str, float]:
    """Return the last price of a symbol."""
    if symbol == "OK":
        return {"price": 1.5}
    raise ek.ConnectorRateLimitError(
        "acme",
        30,
        request_url=f"https://acme.test/q?symbol={symbol}&api_key={SECRET}",
        request_params={"token": SECRET},
    )


@server.tool()
@tool_errors
def account(name: str) -> str:
    """Return an account's owner."""
    cause = RuntimeError(f"401 from https://acme.test/me: Authorization: Bearer {SECRET}")
    raise ek.UnauthorizedError(
        "acme",
        env_var="ACME_API_KEY",
        response_body={"error": f"api_key={SECRET} revoked"},
        original_exception=cause,
    )


@server.tool()
@tool_errors
def divide(a: int, b: int) -> float:
    """Divide two numbers."""
    raise ValueError(f"cannot divide; api_key={SECRET}")


@server.tool()
@tool_errors
async def download(url: str) -> str:
    """Download a page."""
    raise httpx.ConnectTimeout(f"timed out fetching {url}?api_key={SECRET}")


@server.tool()
@tool_errors
async def gather(n: int) -> str:
    """Run n lookups in a task group."""
    raise ExceptionGroup("task group", [ek.NotFoundError(f"row {n} gone; password={SECRET}")])


def _call(name: str, arguments: dict[str, Any]) -> CallToolResult:
    """Call a tool through a real client session and return the result it receives."""
    received: list[CallToolResult] = []

    async def main() -> None:
        with anyio.fail_after(CALL_TIMEOUT):
            async with Client(server, mode="legacy") as client:
                received.append(await client.call_tool(name, arguments))

    anyio.run(main)
    return received[0]


def _text(result: CallToolResult) -> str:
    """Return the single text content of a result."""
    (content,) = result.content
    assert isinstance(content, TextContent)
    return content.text


def _wire(result: CallToolResult) -> str:
    """Return the result as the JSON the client received."""
    return json.dumps(result.model_dump(mode="json", by_alias=True))


def test_rate_limit_becomes_an_error_result_with_its_directive() -> None:
    """A connector 429 reaches the client as isError, the directive text and ``to_dict()``."""
    result = _call("quote", {"symbol": "ACME"})
    assert result.is_error is True
    expected = ek.ConnectorRateLimitError("acme", 30)
    assert _text(result) == expected.message
    assert "DO NOT retry this tool immediately" in _text(result)
    payload = result.structured_content
    assert isinstance(payload, dict)
    assert payload["code"] == "PROVIDER_RATE_LIMITED"
    assert payload["message"] == expected.message
    assert payload["details"]["retry_after"] == 30.0
    assert payload["details"]["request_params"] == {"token": "***"}
    assert SECRET not in _wire(result)


def test_unauthorized_with_a_secret_in_its_cause_leaks_nothing() -> None:
    """A 401 whose cause and body hold a key gives the credentials directive and no secret."""
    result = _call("account", {"name": "alice"})
    assert result.is_error is True
    assert _text(result) == (
        "acme: API credentials missing or invalid — set the ACME_API_KEY env var "
        "(and ensure it is exported). DO NOT retry with different arguments."
    )
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["code"] == "PROVIDER_UNAUTHORIZED"
    assert SECRET not in _wire(result)


def test_other_exceptions_are_left_to_the_sdk() -> None:
    """A ``ValueError`` propagates: the SDK reports it its own way, without our payload."""
    result = _call("divide", {"a": 1, "b": 0})
    assert result.is_error is True
    assert result.structured_content is None
    assert _text(result) == "Error executing tool divide"
    assert SECRET not in _wire(result)


def test_transport_failure_becomes_a_timeout_result() -> None:
    """An httpx timeout is reported as errorkit's retryable ``TIMEOUT``, its URL withheld."""
    result = _call("download", {"url": "https://example.test/page"})
    assert result.is_error is True
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["code"] == "TIMEOUT"
    assert _text(result) == ek.APITimeoutError().message
    assert SECRET not in _wire(result)


@needs_groups
def test_error_in_a_task_group_becomes_a_result() -> None:
    """An errorkit error inside an exception group is reported as itself."""
    result = _call("gather", {"n": 3})
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["code"] == "NOT_FOUND"
    assert _text(result) == "row 3 gone; password=***"
    assert SECRET not in _wire(result)


def test_successful_calls_and_schemas_are_unchanged() -> None:
    """A tool that succeeds returns its value, and the server still sees the signature."""
    result = _call("quote", {"symbol": "OK"})
    assert result.is_error is False
    assert result.structured_content == {"price": 1.5}

    tools: dict[str, Any] = {}

    async def main() -> None:
        with anyio.fail_after(CALL_TIMEOUT):
            async with Client(server, mode="legacy") as client:
                listed = await client.list_tools()
                tools.update({tool.name: tool for tool in listed.tools})

    anyio.run(main)
    schema = tools["quote"].input_schema
    assert set(schema["properties"]) == {"symbol", "exchange"}
    assert schema["required"] == ["symbol"]
    assert tools["quote"].description == "Return the last price of a symbol."
    assert tools["quote"].output_schema is not None


def test_decorator_keeps_the_function_kind() -> None:
    """Sync tools stay sync and async tools stay async, with their names and docstrings."""
    import inspect

    assert inspect.iscoroutinefunction(quote)
    assert not inspect.iscoroutinefunction(account)
    assert account.__name__ == "account"
    assert account.__doc__ == "Return an account's owner."
    direct = account("alice")
    assert isinstance(direct, CallToolResult)
    assert direct.is_error is True


def test_to_tool_result_on_its_own() -> None:
    """``to_tool_result`` serializes to the wire names MCP clients read."""
    wire = to_tool_result(ek.ParseError("acme")).model_dump(mode="json", by_alias=True)
    assert wire["isError"] is True
    assert wire["content"][0]["type"] == "text"
    assert wire["structuredContent"]["code"] == "PARSE_ERROR"
    other = to_tool_result(KeyError(f"api_key={SECRET}"))
    assert isinstance(other.structured_content, dict)
    assert other.structured_content["code"] == "UNKNOWN_ERROR"
    assert SECRET not in _wire(other)


def test_async_wrapper_passes_cancellation_through() -> None:
    """Only ``Exception``s are caught: a cancelled call is still cancelled."""
    cancelled: list[bool] = []
    slow: Callable[[], Awaitable[CallToolResult | None]] = tool_errors(anyio.sleep_forever)

    async def main() -> None:
        with anyio.move_on_after(0.05) as scope:
            await slow()
        cancelled.append(scope.cancelled_caught)

    anyio.run(main)
    assert cancelled == [True]
