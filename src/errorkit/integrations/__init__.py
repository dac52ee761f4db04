"""Optional integrations with logging, structlog and pydantic, one submodule each.

Nothing is imported here: ``errorkit.integrations.logging`` (stdlib ``logging``),
``errorkit.integrations.structlog`` (a structlog processor; structlog itself is not
imported) and ``errorkit.integrations.pydantic`` (imports pydantic) are loaded only
when a program imports them, so ``import errorkit`` stays light.
"""
