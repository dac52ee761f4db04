"""Tests for ``errorkit.redaction``."""
