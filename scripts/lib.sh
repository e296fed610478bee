# Shared by the measurement scripts (source it): repository root as working folder, a Release build of the
# CLI as $R, and as $PRESETS the 3-digit problem set the GRPO and bf16 measurements ran on (the demo's default until
# 2026-11-29; the demo now trains on add-upto-4d, sub-upto-4d, mul-upto-2x2 and sub-upto-2d, see scripts/demo-target.sh).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build -c Release src/Reasoner.Cli >/dev/null
R="dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll"
PRESETS=add-3d,sub-3d,mul-2x2

# The runs the GRPO scripts share, at one set of settings; each logs to OUT.log.
# cold_start DATA INIT SECONDS OUT: SFT from INIT (1,024-token batches, lr 1e-3 cosine), as the demo fine-tunes.
cold_start() {
  $R train --data "$1" --init-from "$2" --max-steps 0 --time-budget "$3" --lr 1e-3 --batch-tokens 1024 --checkpoint-every 500 \
    --out "$4" >"$4.log" 2>&1
}
# grpo_run INIT PROMPTS SECONDS MAX_NEW_TOKENS OUT [FLAGS...]: GRPO at 4 prompts x 8 completions, the trainer's other
# defaults, and any further flags.
grpo_run() {
  $R grpo --init-from "$1" --data "$2" --max-steps 0 --time-budget "$3" --max-new-tokens "$4" --prompts 4 -G 8 --out "$5" "${@:6}" >"$5.log" 2>&1
}
# score_run MODEL TEST MAX_NEW_TOKENS EVAL_JSON: greedy held-out accuracy.
score_run() {
  $R eval --model "$1" --data "$2" --max-new-tokens "$3" --out "$4" >/dev/null 2>&1
}
# r1_start OUT BASE_SECONDS SFT_SECONDS: the R1 recipe's data (5,000 prompts, 300 held-out, 1,000 cold-start examples
# of $PRESETS, terse digit CoT), its base (pretrain) and its cold start, each skipped when already there.
r1_start() {
  mkdir -p "$1/data"
  $R generate -p $PRESETS -n 5000 --style digit --pad-width 3 --terse --seed 1 -o "$1/data/prompts.jsonl" >/dev/null
  $R generate -p $PRESETS -n 300 --style digit --pad-width 3 --terse --seed 2 --split test -o "$1/data/test.jsonl" >/dev/null
  $R generate -p $PRESETS -n 1000 --style digit --pad-width 3 --terse --seed 3 -o "$1/data/cold-1000.jsonl" >/dev/null
  echo "base: pretraining for $2 s, then the cold start (1,000 examples, $3 s)"
  [ -d "$1/base" ] || $R pretrain --time-budget "$2" --out "$1/base" >"$1/base.log" 2>&1
  [ -d "$1/sft" ] || cold_start "$1/data/cold-1000.jsonl" "$1/base" "$3" "$1/sft"
}
