#!/usr/bin/env bash
# Runs lint (unless LINT=false) and the whole test suite against the real PostgreSQL and Redis on this machine.
# pytest's exit code is passed through unchanged, so "no tests collected" (5) fails too.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/amt}"
# A Redis database of its own, so tests never touch a developer's demo data.
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/14}"
export DEBUG=true

if [ "${LINT:-true}" != false ]; then
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  .venv/bin/mypy .
fi
exec .venv/bin/pytest "$@"
