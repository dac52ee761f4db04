"""Tests for ``errorkit.integrations``: one file per integration module, named after it."""
