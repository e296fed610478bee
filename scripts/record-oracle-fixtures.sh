#!/usr/bin/env bash
# Re-records the oracle fixtures under tests/fixtures/ from the live, independent oracles: Python's parser + sympy
# (scripts/sympy_oracle.py) for the evaluator, Debian's python3-torch (scripts/torch_forward_oracle.py) for the
# forward pass. Each fixture records this script, the oracle script, the module's version and the date.
# Needs python3 with sympy, and /usr/bin/python3 with torch (apt-get install python3-sympy python3-torch
# libopenblas0-pthread). The README's test command then compares with the fixtures; .ci/run also runs the oracles live.
# usage: scripts/record-oracle-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REASONER_LIVE_ORACLES=1 REASONER_RECORD_ORACLES=1 dotnet test Reasoner.slnx -c Release --filter "Category=Oracle"
git status --short tests/fixtures
