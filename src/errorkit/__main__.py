"""Entry point for ``python -m errorkit``."""

from __future__ import annotations

import sys

from errorkit._cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
