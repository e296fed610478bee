#!/usr/bin/env bash
# The demo's accuracy target, measured: runs `reasoner demo` with its defaults once per seed (about 10 minutes
# each, both cores) and checks each run against issue 3's target: chain of thought >= 95 % exact match on the
# held-out problems, answers only <= 30 %. Prints one line per run and a verdict; exits 1 if any run misses.
# Usage: scripts/demo-target.sh [OUT_DIR] [SEED ...]   (defaults: runs/demo-target-TIME, seed 1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/demo-target-$(date -u +%Y%m%d-%H%M%S)}
shift || true
SEEDS=("${@:-1}")
mkdir -p "$OUT"
missed=0
for seed in "${SEEDS[@]}"; do
  run="$OUT/seed-$seed"
  echo "seed $seed: reasoner demo --seed $seed --out $run (log: $run.log)"
  start=$(date +%s)
  $R demo --seed "$seed" --out "$run" >"$run.log" 2>&1
  seconds=$(( $(date +%s) - start ))
  python3 - "$run" "$seed" "$seconds" <<'PY' || missed=1
import json, sys
run, seed, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
cot = json.load(open(f"{run}/cot/eval.json"))
answer = json.load(open(f"{run}/answer-only/eval.json"))
def by(report):
    return "  ".join(f"{name} {group['accuracy']:.1%}" for name, group in sorted(report["by_difficulty"].items()))
c, a = cot["overall"]["accuracy"], answer["overall"]["accuracy"]
met = c >= 0.95 and a <= 0.30
print(f"seed {seed}: chain of thought {c:.1%} ({by(cot)}), answers only {a:.1%} ({by(answer)}), "
      f"n={cot['overall']['n']}, {seconds} s wall clock: {'target met' if met else 'TARGET MISSED'}")
sys.exit(0 if met else 1)
PY
done
if [ "$missed" -eq 0 ]; then
  echo "all ${#SEEDS[@]} run(s) met the target (CoT >= 95 %, answers only <= 30 %)"
else
  echo "at least one run missed the target (CoT >= 95 %, answers only <= 30 %)"
  exit 1
fi
