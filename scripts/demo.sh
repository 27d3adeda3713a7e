#!/usr/bin/env bash
# Set up (if needed) and scan the shipped sample agreement: prints the terminal summary and writes
# out/huajian.html (the report to open in a browser), out/huajian.json, out/huajian.md and out/huajian.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/tosscan scan samples/huajian-user-agreement.txt
for fmt in html json md csv; do
  .venv/bin/tosscan scan samples/huajian-user-agreement.txt --format "$fmt" -o "out/huajian.$fmt"
done
echo "wrote out/huajian.html (open it in a browser), out/huajian.json, out/huajian.md, out/huajian.csv"
