#!/usr/bin/env bash
# moe-mini (8 experts, top 2) against a dense model of the same active size: total and active parameters, training
# and decode tokens/s on one thread, and the ratio. Run on an idle machine.
# Usage: scripts/bench-moe.sh [SECONDS_PER_CELL]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Reasoner.Bench -- moe --seconds "${1:-10}"
