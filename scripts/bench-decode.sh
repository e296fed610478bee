#!/usr/bin/env bash
# Decode speed, ours against llama.cpp (LLamaSharp) on the same exported GGUF (f32), one thread each: batch 1 for both,
# ours at 8 and 64; nano, micro, mini, and with --big a random checkpoint shaped like Qwen2.5-0.5B. Prints the ratios.
# Usage: scripts/bench-decode.sh [--big]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Reasoner.Bench -- decode "$@"
