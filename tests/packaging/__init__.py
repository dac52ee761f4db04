"""Tests of the built wheel, installed the way a user installs it."""
