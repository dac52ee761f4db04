"""Tests for the command line, ``python -m errorkit``."""
