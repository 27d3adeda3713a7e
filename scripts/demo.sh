#!/usr/bin/env bash
# Set up (if needed) and scan the shipped sample agreement: prints the summary and writes report files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/tosscan scan samples/huajian-user-agreement.txt
.venv/bin/tosscan scan samples/huajian-user-agreement.txt --format json -o out/huajian.json
echo "wrote out/huajian.json"
