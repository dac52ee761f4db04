"""errorkit test suite."""
