"""Tests for ``errorkit.problem``: RFC 9457 problem details."""
