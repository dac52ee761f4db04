"""Optional integrations with logging, structlog, pydantic and Celery, one submodule each.

Nothing is imported here: ``errorkit.integrations.logging`` (stdlib ``logging``),
``errorkit.integrations.structlog`` (a structlog processor; structlog itself is not
imported), ``errorkit.integrations.pydantic`` (imports pydantic) and
``errorkit.integrations.celery`` (imports celery) are loaded only when a program imports
them, so ``import errorkit`` stays light.
"""
