"""Optional integrations, one submodule per library, each loaded only when imported.

Nothing is imported here, so ``import errorkit`` stays light:

* ``errorkit.integrations.logging`` (stdlib ``logging``) and
  ``errorkit.integrations.structlog`` (a structlog processor; structlog itself is not
  imported) put ``to_dict()`` on log records;
* ``errorkit.integrations.pydantic`` (imports pydantic) models the payload;
* ``errorkit.integrations.opentelemetry`` and ``errorkit.integrations.sentry`` report
  errors to tracing and error tracking;
* ``errorkit.integrations.starlette`` serves them as problem documents;
* ``errorkit.integrations.mcp``, ``errorkit.integrations.langchain`` and
  ``errorkit.integrations.pydantic_ai`` hand them to agent frameworks;
* ``errorkit.integrations.tenacity`` and ``errorkit.integrations.stamina`` retry them;
* ``errorkit.integrations.celery`` (imports celery) carries them through Celery's JSON
  results.

Each of these imports its library at its top; install it with the extra of the same
name (``pip install errorkit[sentry]``).
"""
