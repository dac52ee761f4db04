"""Test-wide settings.

Hypothesis draws the same examples on every `make test` run (``derandomize``), so a run on a
fresh clone or in CI is reproducible and a red run can be replayed as is. `make fuzz` sets
``ERRORKIT_FUZZ`` to draw fresh random examples instead (more of them for the property
suites: the ``test_*properties.py`` files and ``test_pickling.py``), to look for what the
fixed set does not reach.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "errorkit", derandomize=not os.environ.get("ERRORKIT_FUZZ"), database=None, deadline=None
)
settings.load_profile("errorkit")
