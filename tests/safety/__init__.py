"""Tests for ``errorkit.safety``."""
