"""What the integrations read from an exception: its errorkit error and its safe text.

Shared by the integration modules, and importing nothing but errorkit. Every text
returned here has been through errorkit's redactor: an errorkit error speaks through
``to_dict()``, any other exception through ``safe_text(str(exc))``.
"""

from __future__ import annotations

from errorkit.exceptions import Error, ParseError
from errorkit.http_mapping import error_from_exception, find_error
from errorkit.safety import safe_text

__all__ = ["agent_error", "agent_text", "qualified_name", "safe_message"]


def _is_group(exc: BaseException) -> bool:
    """Tell whether ``exc`` is an exception group (builtin or backport)."""
    return any(klass.__name__ == "BaseExceptionGroup" for klass in type(exc).__mro__)


def agent_error(exc: BaseException) -> Error | None:
    """Return the errorkit error a tool call failed with, or None.

    That is ``exc`` itself, the first errorkit error among the members of an exception
    group (a task group around a tool call), or the ``APIConnectionError`` /
    ``APITimeoutError`` a transport failure stands for. The ``__cause__`` /
    ``__context__`` chain is not searched: an exception raised while handling an
    errorkit error is a different failure.
    """
    if isinstance(exc, Error):
        return exc
    if _is_group(exc):
        return find_error(exc)
    converted = error_from_exception(exc)
    return converted if isinstance(converted, Error) else None


def qualified_name(cls: type[BaseException]) -> str:
    """Return a class's qualified name, with its module unless it is a builtin."""
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module in (None, "builtins", "__main__") else f"{module}.{name}"


def safe_message(exc: BaseException) -> str:
    """Return the text of ``exc`` with secrets masked and its length bounded."""
    if isinstance(exc, Error):
        return exc.to_dict()["message"]
    try:
        text = str(exc)
    except Exception:  # a broken __str__ must not hide the failure being reported
        text = ""
    return safe_text(text) or type(exc).__name__


def agent_text(exc: BaseException) -> str:
    """Return what a model should read about a failed tool call.

    A ``ParseError`` gives its ``retry_message()`` (the corrections the model needs),
    masked; any other errorkit error (or transport failure) its safe message, directive
    included; any other exception its masked text.
    """
    error = agent_error(exc)
    if isinstance(error, ParseError):
        return safe_text(error.retry_message())
    return safe_message(exc if error is None else error)
