#!/usr/bin/env bash
# Generates 1,000,000 items over every preset, trace style and option mix, and re-verifies every answer
# and every step from the text alone. Exits non-zero on any failure. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Reasoner.Cli -c Release -v quiet -nologo >/dev/null
dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll selfcheck --items "${1:-1000000}" --seed "${2:-2026}"
