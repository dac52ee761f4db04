"""Integration user code that mypy --strict and pyright strict check and pytest never runs.

It pins the types the integrations hand to their libraries: the MCP decorator keeps a
tool's parameters and adds ``CallToolResult`` to its return type, and each helper returns
the library's own type.
"""

from __future__ import annotations

import stamina
import tenacity
from langchain_core.tools import ToolException
from mcp.types import CallToolResult
from pydantic_ai import ModelRetry
from typing_extensions import assert_type

import errorkit
from errorkit.integrations.langchain import handle_tool_error, to_tool_exception
from errorkit.integrations.mcp import to_tool_result, tool_errors
from errorkit.integrations.pydantic_ai import model_retry
from errorkit.integrations.stamina import retry_on
from errorkit.integrations.tenacity import retry_if_retryable, wait_retry_after


@tool_errors
def sync_tool(symbol: str, limit: int = 10) -> list[str]:
    """A sync tool."""
    return [symbol] * limit


@tool_errors
async def async_tool(symbol: str) -> float:
    """An async tool."""
    return 1.0


def check() -> None:
    """The decorated tools keep their parameters; the helpers return the libraries' types."""
    assert_type(sync_tool("A", limit=2), "list[str] | CallToolResult")
    sync_tool(symbol=3)  # type: ignore[arg-type]
    error = errorkit.ConnectorRateLimitError("acme", 30)
    assert_type(to_tool_result(error), CallToolResult)
    assert_type(handle_tool_error(error), str)
    assert_type(to_tool_exception(error), ToolException)
    assert_type(model_retry(error), ModelRetry)


async def check_async() -> None:
    """An async tool stays awaitable and gains ``CallToolResult`` in its result."""
    assert_type(await async_tool("A"), "float | CallToolResult")


def retrying() -> None:
    """The retry integrations plug into tenacity and stamina as their own hooks."""
    assert_type(retry_on(TimeoutError()), bool | float)
    tenacity.Retrying(retry=retry_if_retryable(), wait=wait_retry_after(max_wait=60))
    tenacity.Retrying(wait=wait_retry_after(tenacity.wait_fixed(1)) + tenacity.wait_fixed(1))
    stamina.retry(on=retry_on, attempts=3)
    wait_retry_after(5.0)  # type: ignore[arg-type]
