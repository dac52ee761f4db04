"""User code checked by mypy and pyright, never run by pytest."""
