"""Hand errorkit errors to LangChain tools as text the model can act on, secrets masked.

LangChain routes a ``ToolException`` raised by a tool to the tool's
``handle_tool_error``, whose return value the model reads instead of a crash:

* ``handle_tool_error(exc) -> str`` is such a handler: the safe message of the
  errorkit error behind the exception (its directive included) or, for a
  ``ParseError``, its ``retry_message()`` so the model can correct its output;
  any other exception gives its masked text;
* ``to_tool_exception(exc)`` turns an errorkit error (or any exception) into the
  ``ToolException`` carrying that same text, chained to it, for the tool to raise::

      def fetch(symbol: str) -> str:
          try:
              return client.quote(symbol)
          except errorkit.Error as exc:
              raise to_tool_exception(exc) from exc

      tool = StructuredTool.from_function(fetch, handle_tool_error=handle_tool_error)

Requires ``langchain-core`` (``pip install errorkit[langchain]``).
"""

from __future__ import annotations

from langchain_core.tools import ToolException

from errorkit.integrations._facts import agent_error, agent_text

__all__ = ["handle_tool_error", "to_tool_exception"]


def handle_tool_error(exc: BaseException) -> str:
    """Return what the model reads about a failed tool call (for ``handle_tool_error=``).

    For a ``ToolException``, the errorkit error it was raised ``from`` speaks (as
    ``to_tool_exception`` chains it); otherwise ``exc`` itself.
    """
    if isinstance(exc, ToolException) and agent_error(exc) is None:
        cause = exc.__cause__
        if cause is not None and agent_error(cause) is not None:
            return agent_text(cause)
    return agent_text(exc)


def to_tool_exception(exc: BaseException) -> ToolException:
    """Return a ``ToolException`` with the safe text of ``exc``, its ``__cause__`` set to ``exc``.

    Raise it from the tool; the model reads the same text with ``handle_tool_error``
    or with ``handle_tool_error=True``.
    """
    tool_exception = ToolException(agent_text(exc))
    tool_exception.__cause__ = exc
    return tool_exception
