#!/usr/bin/env bash
# Rollout generation tokens/s on the R1 recipe's settings (4 prompts x 8 completions, temperature 1, 512 new tokens):
# the static batches GRPO generated with before the one decoding engine, against continuous batching, in one run.
# MODEL is a run folder or checkpoint (the R1 recipe's cold-start model, e.g. scripts/grpo-options.sh's OUT/sft),
# PROMPTS a dataset JSONL (e.g. OUT/data/prompts.jsonl).
# Usage: scripts/bench-rollouts.sh MODEL PROMPTS [STEPS] [MAX_NEW_TOKENS]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Reasoner.Bench -- rollouts "${1:?run folder or checkpoint}" "${2:?prompts JSONL}" --steps "${3:-4}" --max-new-tokens "${4:-512}"
