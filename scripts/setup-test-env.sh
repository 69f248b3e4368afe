#!/usr/bin/env bash
# Installs what the test suite needs into the project's virtual environment:
# flowc with its test, conformance (LangGraph) and integration extras, and
# Graphviz's `dot` for the drawing tests when the machine lets us install it.
set -euo pipefail
python="${1:-.venv/bin/python}"
"$python" -m pip install --quiet -e '.[dev]'
if ! command -v dot >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null) \
      || echo "setup-test-env: could not install graphviz; drawing tests will say so" >&2
  else
    echo "setup-test-env: graphviz (dot) is not installed; install it for the SVG/PNG tests" >&2
  fi
fi
