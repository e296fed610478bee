#!/usr/bin/env bash
# R1-Zero versus R1 reward curves on problems the base can already solve now and then (so both get signal):
# GRPO on PRESET prompts straight from the base (R1-Zero), and after a cold-start SFT on 1,000 terse CoT
# examples of the same preset (R1), same settings and budget; both scored on the same held-out set.
# Prints held-out accuracy and each run's reward by fifth of its steps.
# Usage: scripts/grpo-zero-vs-r1.sh [OUT_DIR] [BASE_RUN] [PRESET] [SFT_SECONDS] [RL_SECONDS]
#   (defaults: a new 240 s base, level-1, 300, 600; about 25 minutes, 20 with a base given)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/grpo-zero-vs-r1-$(date -u +%Y%m%d-%H%M%S)}
BASE=${2:-}
PRESET=${3:-level-1}
SFT=${4:-300}
RL=${5:-600}
mkdir -p "$OUT/data"
$R generate -p "$PRESET" -n 5000 --style digit --pad-width 2 --terse --seed 1 -o "$OUT/data/prompts.jsonl" >/dev/null
$R generate -p "$PRESET" -n 300 --style digit --pad-width 2 --terse --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
$R generate -p "$PRESET" -n 1000 --style digit --pad-width 2 --terse --seed 3 -o "$OUT/data/cold.jsonl" >/dev/null
if [ -z "$BASE" ]; then
  echo "base: pretraining for 240 s"
  $R pretrain --time-budget 240 --out "$OUT/base" >"$OUT/base.log" 2>&1
  BASE="$OUT/base"
fi

grpo() { grpo_run "$1" "$OUT/data/prompts.jsonl" "$RL" 256 "$OUT/$2"; }          # INIT NAME
score() { score_run "$1" "$OUT/data/test.jsonl" 256 "$OUT/eval-$2.json"; }        # MODEL NAME
echo "R1-Zero GRPO ($RL s) beside the cold-start SFT ($SFT s), then R1 GRPO ($RL s)"
grpo "$BASE" r1-zero & zero=$!
cold_start "$OUT/data/cold.jsonl" "$BASE" "$SFT" "$OUT/sft"
grpo "$OUT/sft" r1 & r1=$!
wait $zero || { echo "R1-Zero run failed: $OUT/r1-zero.log"; exit 1; }
wait $r1 || { echo "R1 run failed: $OUT/r1.log"; exit 1; }
echo "evaluating (after the timed runs, so they do not share the cores)"
score "$BASE" base & score "$OUT/sft" sft & wait
score "$OUT/r1-zero" r1-zero & score "$OUT/r1" r1 & wait

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
print("| model | held-out accuracy | format errors | mean tokens |")
print("| --- | ---: | ---: | ---: |")
for name, key in [("base", "base"), ("R1-Zero (GRPO from base)", "r1-zero"), ("cold-start SFT", "sft"), ("cold-start SFT + GRPO (R1)", "r1")]:
    o = json.load(open(os.path.join(out, f"eval-{key}.json")))["overall"]
    print(f'| {name} | {o["accuracy"] * 100:.1f} % | {o["format_error_rate"] * 100:.1f} % | {o["mean_completion_tokens"]:.0f} |')
print()
print("| GRPO run | steps | reward by fifth of the run | accuracy reward, first -> last fifth | groups with no spread, first -> last fifth |")
print("| --- | ---: | --- | ---: | ---: |")
for name, d in [("R1-Zero", "r1-zero"), ("R1", "r1")]:
    rows = [json.loads(l) for l in open(os.path.join(out, d, "metrics.jsonl")) if '"kind":"train"' in l]
    k = max(1, len(rows) // 5)
    fifths = [rows[i * k:(i + 1) * k] if i < 4 else rows[4 * k:] for i in range(5)]
    mean = lambda part, name: sum(r[name] for r in part) / len(part)
    curve = " / ".join(f"{mean(f, 'reward_mean'):.3f}" for f in fifths)
    print(f"| {name} | {len(rows)} | {curve} | {mean(fifths[0], 'accuracy'):.3f} -> {mean(fifths[4], 'accuracy'):.3f} | "
          f"{mean(fifths[0], 'zero_std_fraction') * 100:.0f} -> {mean(fifths[4], 'zero_std_fraction') * 100:.0f} % |")
PY
echo "runs: $OUT"
