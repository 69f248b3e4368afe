"""Integration modules the runtime imports once per process, each only if its library is
installed (the runtime itself imports no third-party library)."""

from __future__ import annotations

import importlib
import importlib.util
import threading


class Integrations:
    """``(library, integration module)`` pairs: :meth:`load` imports each integration whose
    library can be found (an integration registers itself when imported), once."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = pairs
        self.loaded = False
        self._lock = threading.Lock()

    def load(self) -> None:
        """Import the integrations whose library is installed (the first call only)."""
        if self.loaded:
            return
        with self._lock:
            if self.loaded:
                return
            for library, integration in self.pairs:
                try:
                    found = importlib.util.find_spec(library) is not None
                except (ImportError, ValueError):
                    found = False
                if found:
                    importlib.import_module(integration)
            self.loaded = True
