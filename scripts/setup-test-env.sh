#!/usr/bin/env bash
# Installs what the test suite needs into the project's virtual environment:
# flowc with its test, conformance (LangGraph), postgres and integration extras,
# Graphviz's `dot` for the drawing tests and Debian's PostgreSQL server for the
# Postgres saver's tests (tests/savers start it themselves, on a socket in a temp
# folder) when the machine lets us install them.
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
# the Postgres tests fail, not skip, without a server (FLOWC_NO_POSTGRES=1 leaves them out)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "setup-test-env: could not install postgresql; the Postgres saver tests will fail saying so" >&2
  else
    echo "setup-test-env: PostgreSQL (initdb, pg_ctl) is not installed; install it for the Postgres saver tests" >&2
  fi
fi
