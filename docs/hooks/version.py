"""A build hook: every page's footer names the errorkit version the docs describe."""

from __future__ import annotations

from typing import Any

from errorkit import __version__


def on_config(config: Any) -> Any:
    """Put ``errorkit X.Y.Z`` into the footer, from the package itself."""
    config["copyright"] = f"errorkit {__version__} · MIT License"
    return config
