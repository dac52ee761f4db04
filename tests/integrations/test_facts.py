"""The directive table on the Agents page is the one rendered from the classes.

Each row of the table is an expression building an error; the text an agent reads
and ``retryable`` are computed from the error it builds, through the same function
the MCP, LangChain and pydantic-ai integrations use. After changing a class or a
directive, print the table with ``python -m tests.integrations.test_facts`` and
paste it between the markers of ``docs/integrations/agents.md``.
"""

from __future__ import annotations

from pathlib import Path

import errorkit
from errorkit.integrations._facts import agent_text

PAGE = Path(__file__).resolve().parents[2] / "docs" / "integrations" / "agents.md"
START, END = "<!-- directives:start -->", "<!-- directives:end -->"

# Each is evaluated with the names of ``errorkit`` in scope.
ROWS = (
    'UnauthorizedError("fred")',
    'UnauthorizedError("fred", env_var="FRED_API_KEY")',
    'PaymentRequiredError("fred")',
    'ConnectorRateLimitError("fred", 30)',
    'ConnectorRateLimitError("fred", 0, quota_exhausted=True)',
    'ProviderError("fred", 408)',
    'ProviderError("fred", 503)',
    'ProviderError("fred", 400)',
    'connector_error_for_transport("fred", ConnectionRefusedError())',
    'EmptyDataError("fred")',
    'ParseError("fred")',
    'InvalidParameterError("fred", "start must be before end")',
    'CatalogNotFoundError("no bundle at s3://catalogs/fred")',
    "RateLimitError(retry_after=30)",
    "ServerError(status_code=503)",
    "APITimeoutError()",
    "APIConnectionError()",
)


def _build(expression: str) -> errorkit.Error:
    """Evaluate a row's expression among errorkit's names."""
    names = {name: getattr(errorkit, name) for name in errorkit.__all__}
    error = eval(expression, {"__builtins__": __builtins__}, names)
    assert isinstance(error, errorkit.Error), expression
    return error


def directive_table() -> str:
    """Render the Markdown table: error, code, what the agent reads, retryable."""
    lines = [
        "| Error | Code | What the agent reads | `retryable` |",
        "|---|---|---|---|",
    ]
    for expression in ROWS:
        error = _build(expression)
        text = errorkit.safety.safe_text(error.message)
        lines.append(
            f"| `{expression}` | `{error.code}` | {text} | {'yes' if error.retryable else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def _page_table() -> str:
    """Return the text between the two markers of the Agents page."""
    page = PAGE.read_text(encoding="utf-8")
    assert page.count(START) == 1
    assert page.count(END) == 1
    return page[page.index(START) + len(START) : page.index(END)].strip("\n") + "\n"


def test_agents_page_holds_the_rendered_table() -> None:
    """The table between the markers of docs/integrations/agents.md is ``directive_table()``."""
    assert _page_table() == directive_table(), (
        "docs/integrations/agents.md is out of date: paste the output of "
        "`python -m tests.integrations.test_facts` between its markers"
    )


def test_table_shows_what_the_integrations_send() -> None:
    """Every row's text is what MCP sends, and (but for ParseError) what the others send."""
    for expression in ROWS:
        error = _build(expression)
        shown = errorkit.safety.safe_text(error.message)
        assert shown == error.to_dict()["message"]
        if not isinstance(error, errorkit.ParseError):
            assert agent_text(error) == shown
        else:
            assert agent_text(error) == error.retry_message()


def test_every_connector_class_has_a_row() -> None:
    """Each connector class and both transport classes appear in the table."""
    shown = {type(_build(expression)) for expression in ROWS}
    connectors = set(errorkit.ConnectorError.__subclasses__())
    assert connectors <= shown
    assert {errorkit.APITimeoutError, errorkit.APIConnectionError} <= shown


if __name__ == "__main__":
    print(directive_table(), end="")
