#!/usr/bin/env bash
# What skipping the rows with advantage 0 saves (skip_zero_advantage_rows, on by default), on the R1 recipe's settings:
# one base and one 1,000-example cold start (as scripts/grpo-options.sh), then the same GRPO run twice from it, for the
# same number of steps and the same seed, side by side on one core each: the reference with
# --skip-zero-advantage-rows false (every row trained, as TRL does), and the default. The update is the same (the
# trainer's test pins it), so both runs should sample the same rollouts and end at the same held-out accuracy; the
# script prints each run's seconds generating and training, its CPU seconds, the share of rows skipped, and the ratios.
# Usage: scripts/bench-grpo-skip.sh [OUT_DIR] [STEPS] [SFT_SECONDS] [BASE_SECONDS] [SEED]
#   (defaults: 60 steps, 300, 240, seed 1; about 20 minutes)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/bench-grpo-skip-$(date -u +%Y%m%d-%H%M%S)}
STEPS=${2:-60}; SFT=${3:-300}; BASE=${4:-240}; SEED=${5:-1}
r1_start "$OUT" "$BASE" "$SFT"

arm() { # NAME FLAGS...: STEPS GRPO steps from the cold start (no time limit), its CPU seconds, then its held-out score
  local name=$1; shift
  ( $R grpo --init-from "$OUT/sft" --data "$OUT/data/prompts.jsonl" --max-steps "$STEPS" --time-budget 0 --max-new-tokens 512 --prompts 4 -G 8 \
      --seed "$SEED" --out "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1; times >"$OUT/$name.times" )
  score_run "$OUT/$name" "$OUT/data/test.jsonl" 512 "$OUT/$name/eval.json"
}
echo "GRPO, $STEPS steps each: every row trained beside the default (rows with advantage 0 skipped)"
arm reference --skip-zero-advantage-rows false & arm skip & wait -n; wait -n

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def cpu(d):  # the children's line of bash's `times`: "1m2.500s 0m0.300s"
    line = open(os.path.join(out, d + ".times")).read().splitlines()[-1]
    return sum(float(m) * 60 + float(s.rstrip("s")) for m, s in (t.split("m") for t in line.split()))
def run(d):
    rows = [json.loads(l) for l in open(os.path.join(out, d, "metrics.jsonl")) if '"kind":"train"' in l]
    total = lambda k: sum(r[k] for r in rows)
    return {"steps": len(rows), "gen": total("seconds_generation"), "train": total("seconds_training"), "cpu": cpu(d),
            "skipped": sum(r.get("skipped_row_fraction", 0) for r in rows) / len(rows), "flat": sum(r["zero_std_fraction"] for r in rows) / len(rows),
            "reward": [round(r["reward_mean"], 4) for r in rows], "acc": json.load(open(os.path.join(out, d, "eval.json")))["overall"]["accuracy"]}
ref, skip = run("reference"), run("skip")
print("| run | steps | groups with equal rewards | rows skipped | s generating | s training | CPU s (GRPO) | held-out accuracy |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, r in [("every row trained (reference)", ref), ("advantage-0 rows skipped (default)", skip)]:
    print(f"| {name} | {r['steps']} | {100 * r['flat']:.0f} % | {100 * r['skipped']:.0f} % | {r['gen']:.0f} | {r['train']:.0f} | {r['cpu']:.0f} | {100 * r['acc']:.1f} % |")
same = sum(a == b for a, b in zip(ref["reward"], skip["reward"]))
print(f"\ntraining seconds: reference / skip = {ref['train'] / max(1e-9, skip['train']):.2f}x; GRPO CPU seconds: {ref['cpu'] / max(1e-9, skip['cpu']):.2f}x")
print(f"steps whose mean reward is identical in both runs (same rollouts): {same} of {min(len(ref['reward']), len(skip['reward']))}")
PY
echo "runs: $OUT"
