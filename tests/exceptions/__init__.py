"""Tests for ``errorkit.exceptions``: the tree, its families and the base class."""
