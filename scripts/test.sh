#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: lint, rule examples, unit and corpus tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check tosscan tests benchmarks
.venv/bin/tosscan rules validate
.venv/bin/python -m pytest "$@"
