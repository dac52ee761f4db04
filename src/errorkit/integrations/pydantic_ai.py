"""Ask a pydantic-ai model to retry a tool call with errorkit's safe, directive-bearing text.

A pydantic-ai tool that raises ``ModelRetry`` sends its message back to the model,
which then calls the tool again (up to the tool's ``retries``). ``model_retry(exc)``
builds that ``ModelRetry`` from an errorkit error: a ``ParseError`` gives its
``retry_message()`` (the corrections the model needs), any other error its masked
message with its directive, any other exception its masked text::

    @agent.tool_plain
    def quote(symbol: str) -> str:
        try:
            return client.quote(symbol)
        except errorkit.Error as exc:
            raise model_retry(exc) from exc

Requires ``pydantic-ai-slim`` (``pip install errorkit[pydantic_ai]``).
"""

from __future__ import annotations

from pydantic_ai import ModelRetry

from errorkit.integrations._facts import agent_text

__all__ = ["model_retry"]


def model_retry(exc: BaseException) -> ModelRetry:
    """Return the ``ModelRetry`` whose message the model reads about ``exc``, secrets masked."""
    return ModelRetry(agent_text(exc))
