#!/usr/bin/env bash
# The GRPO measurements for the README: one base model, then
#   R1 (cold-start SFT on 100 / 300 / 1000 compiler-written CoT examples, then GRPO) and
#   R1-Zero (GRPO straight from the base),
# each scored on the same held-out set after every stage. Two runs at a time, one core each.
# Usage: scripts/grpo-recipes.sh [OUT_DIR] [SFT_SECONDS] [RL_SECONDS] [BASE_SECONDS]   (defaults: 300 600 240; about 42 minutes)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/grpo-recipes-$(date -u +%Y%m%d-%H%M%S)}
SFT=${2:-300}
RL=${3:-600}
BASE=${4:-240}
mkdir -p "$OUT/data"
$R generate -p $PRESETS -n 5000 --style digit --pad-width 3 --terse --seed 1 -o "$OUT/data/prompts.jsonl" >/dev/null
$R generate -p $PRESETS -n 300 --style digit --pad-width 3 --terse --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
for n in 100 300 1000; do
  $R generate -p $PRESETS -n $n --style digit --pad-width 3 --terse --seed 3 -o "$OUT/data/cold-$n.jsonl" >/dev/null
done

echo "base: pretraining for $BASE s"
$R pretrain --time-budget "$BASE" --out "$OUT/base" >"$OUT/base.log" 2>&1

sft() { cold_start "$OUT/data/cold-$1.jsonl" "$OUT/base" "$SFT" "$OUT/sft-$1"; }                     # N
grpo() { grpo_run "$1" "$OUT/data/prompts.jsonl" "$RL" 512 "$OUT/$2"; }                              # INIT NAME
score() { score_run "$OUT/$1" "$OUT/data/test.jsonl" 512 "$OUT/$1/eval.json"; }                      # RUN

echo "cold-start SFT (100, 300 side by side; then 1000 beside R1-Zero), $SFT s each"
sft 100 & sft 300 & wait -n; wait -n
sft 1000 & grpo "$OUT/base" r1-zero & wait -n; wait -n
echo "GRPO after each cold start, $RL s each"
grpo "$OUT/sft-100" r1-100 & grpo "$OUT/sft-300" r1-300 & wait -n; wait -n
grpo "$OUT/sft-1000" r1-1000 & score base & wait -n; wait -n
echo "evaluating"
score sft-100 & score sft-300 & wait -n; wait -n
score sft-1000 & score r1-100 & wait -n; wait -n
score r1-300 & score r1-1000 & wait -n; wait -n
score r1-zero

python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
runs = [("base", "base"), ("R1-Zero (GRPO from base)", "r1-zero")]
for n in (100, 300, 1000):
    runs += [(f"cold start {n} (SFT only)", f"sft-{n}"), (f"cold start {n} + GRPO (R1)", f"r1-{n}")]
reports = {name: json.load(open(os.path.join(out, d, "eval.json"))) for name, d in runs}
levels = sorted({k for r in reports.values() for k in r["by_difficulty"]})
print("| model | " + " | ".join(levels) + " | all | format errors | mean tokens |")
print("| --- |" + " ---: |" * (len(levels) + 3))
for name, r in reports.items():
    cells = [f'{r["by_difficulty"].get(l, {}).get("accuracy", 0) * 100:.1f} %' for l in levels]
    o = r["overall"]
    print(f'| {name} | ' + " | ".join(cells) + f' | **{o["accuracy"] * 100:.1f} %** | {o["format_error_rate"] * 100:.1f} % | {o["mean_completion_tokens"]:.0f} |')

def rewards(d):
    rows = [json.loads(l) for l in open(os.path.join(out, d, "metrics.jsonl")) if '"kind":"train"' in l]
    r = [x["reward_mean"] for x in rows]
    k = max(1, len(r) // 5)
    return len(r), sum(r[:k]) / k, sum(r[-k:]) / k
print()
print("| GRPO run | steps | reward, first fifth | reward, last fifth | rise |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, d in [("R1-Zero", "r1-zero"), ("R1, cold start 100", "r1-100"), ("R1, cold start 300", "r1-300"), ("R1, cold start 1000", "r1-1000")]:
    steps, first, last = rewards(d)
    print(f"| {name} | {steps} | {first:.3f} | {last:.3f} | {last - first:+.3f} |")
PY
echo "runs: $OUT"
