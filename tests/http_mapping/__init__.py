"""Tests for ``errorkit.http_mapping``."""
