"""``python -m flowc.cli``: the ``flowc`` command."""

from __future__ import annotations

import sys

from flowc.cli import main

if __name__ == "__main__":
    sys.exit(main())
