#!/usr/bin/env bash
# Generator throughput: Reasoner (generate + trace + full verify) vs a plain Python generator, per preset.
# usage: scripts/bench-generate.sh [SECONDS_PER_CELL]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Reasoner.Bench -- --seconds "${1:-3}"
