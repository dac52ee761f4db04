"""``model_retry`` in a real pydantic-ai agent run on its ``FunctionModel`` and ``TestModel``.

The function model plays the LLM: it calls the tool, and when the tool asks for a
retry it records the retry it received (a ``ToolReturnPart`` whose outcome is
``"retried"``; older releases sent a ``RetryPromptPart``), so the tests assert exactly
what the model read. No network is involved.
"""

from __future__ import annotations

import asyncio
import json
from typing import NamedTuple

import pydantic
from pydantic_ai import Agent, AgentRunResult, ModelRetry
from pydantic_ai.messages import (
    ModelMessage,
    ModelMessagesTypeAdapter,
    ModelRequest,
    ModelResponse,
    RetryPromptPart,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from errorkit import exceptions as ek
from errorkit.integrations.pydantic_ai import model_retry

SECRET = "sk-proj-P2oI5uY8tR3eW6qA9sD1"


class Order(pydantic.BaseModel):
    """An order the model must describe as JSON."""

    sku: str
    quantity: int


class Retry(NamedTuple):
    """A retry the model received: the tool it concerns and the text it read."""

    tool_name: str | None
    content: object


def _retries(messages: list[ModelMessage]) -> list[Retry]:
    """Return the retries sent to the model in a message history, in order."""
    return [
        Retry(part.tool_name, part.content)
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, RetryPromptPart)
        or (isinstance(part, ToolReturnPart) and part.outcome == "retried")
    ]


class ScriptedModel:
    """A model that calls one tool with scripted arguments, then answers after a retry."""

    def __init__(self, tool: str, attempts: list[dict[str, str]]) -> None:
        self.tool = tool
        self.attempts = attempts
        self.retries: list[Retry] = []

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        """Answer one model request: call the tool again, or finish with the tool's output."""
        self.retries += _retries(messages[-1:])
        calls = sum(
            isinstance(part, ToolCallPart)
            for message in messages
            if isinstance(message, ModelResponse)
            for part in message.parts
        )
        if calls < len(self.attempts):
            return ModelResponse(parts=[ToolCallPart(self.tool, self.attempts[calls])])
        return ModelResponse(parts=[TextPart("done")])


def _run(agent: Agent[None, str], prompt: str) -> AgentRunResult[str]:
    """Run the agent to completion in a fresh event loop that is closed afterwards.

    ``run_sync`` would leave an event loop set and open for the rest of the process.
    """
    return asyncio.run(agent.run(prompt))


def _agent(model: ScriptedModel) -> Agent[None, str]:
    """An agent whose tools raise errorkit errors through ``model_retry``."""
    agent = Agent(FunctionModel(model))

    @agent.tool_plain(retries=3)
    def quote(symbol: str) -> str:
        """Return the last price of a symbol."""
        if symbol != "ACME":
            cause = RuntimeError(f"GET https://q.test/?api_key={SECRET} -> 429")
            error = ek.ConnectorRateLimitError("acme", 20, original_exception=cause)
            raise model_retry(error) from error
        return "1.50"

    @agent.tool_plain(retries=3)
    def place_order(order_json: str) -> str:
        """Place an order given as JSON."""
        try:
            order = Order.model_validate_json(order_json)
        except pydantic.ValidationError as exc:
            raise model_retry(ek.ParseError.from_validation_error("llm", exc)) from exc
        return f"ordered {order.quantity} x {order.sku}"

    return agent


def test_tool_error_is_retried_with_the_directive_text() -> None:
    """The model receives the connector's safe message, directive included, and retries."""
    model = ScriptedModel("quote", [{"symbol": "XYZ"}, {"symbol": "ACME"}])
    result = _run(_agent(model), "price of ACME?")
    assert result.output == "done"
    (retry,) = model.retries
    assert retry == Retry("quote", ek.ConnectorRateLimitError("acme", 20).message)
    assert "DO NOT retry this tool immediately" in str(retry.content)
    history = ModelMessagesTypeAdapter.dump_json(result.all_messages()).decode()
    assert SECRET not in history


def test_parse_error_sends_the_validation_corrections() -> None:
    """A ``ParseError`` sends ``retry_message()``, the fields to fix, and no secret."""
    bad = json.dumps({"sku": "A1", "quantity": f"api_key={SECRET}"})  # the model's own input
    model = ScriptedModel(
        "place_order", [{"order_json": bad}, {"order_json": '{"sku": "A1", "quantity": 2}'}]
    )
    result = _run(_agent(model), "order two A1")
    (retry,) = model.retries
    assert isinstance(retry.content, str)
    assert retry.content.startswith("Your response failed schema validation:\n")
    assert "quantity" in retry.content
    assert retry.content.endswith("Please correct these issues and respond again.")
    assert "api_key=***" in retry.content  # pydantic quotes the input; errorkit masks it
    assert SECRET not in retry.content
    assert "ordered 2 x A1" in json.dumps(
        [str(part) for message in result.all_messages() for part in message.parts]
    )


def test_model_retry_text() -> None:
    """``model_retry`` returns a ``ModelRetry`` with the masked text of any exception."""
    retry = model_retry(ValueError(f"failed: api_key={SECRET}"))
    assert isinstance(retry, ModelRetry)
    assert retry.message == "failed: api_key=***"
    assert model_retry(ek.NotFoundError()).message == "Resource not found"


def test_built_in_test_model_sees_the_retry() -> None:
    """With ``TestModel``, which calls every tool, the retry prompt in the history is errorkit's."""
    agent = Agent(TestModel())
    calls: list[int] = []

    @agent.tool_plain(retries=2)
    def lookup(row: int) -> str:
        """Look up a row."""
        calls.append(row)
        if len(calls) == 1:
            raise model_retry(ek.EmptyDataError("acme", query_params={"token": SECRET}))
        return "found"

    result = _run(agent, "look it up")
    assert _retries(result.all_messages()) == [Retry("lookup", ek.EmptyDataError("acme").message)]
    assert len(calls) == 2
    assert SECRET not in ModelMessagesTypeAdapter.dump_json(result.all_messages()).decode()
