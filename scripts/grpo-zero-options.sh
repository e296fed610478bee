#!/usr/bin/env bash
# Issue 25's R1-Zero measurement: GRPO straight from the pretrained base on level 1 (no cold start), with and without
# the new options, for the same CPU time, side by side on one core each:
#   today    the trainer's defaults (dapo loss, token-level ratio; rows with advantage 0 skipped);
#   options  + --filter-groups --max-num-gen-batches 8 (DAPO's dynamic sampling: only groups whose rewards differ train)
#            and --entropy-coef 0.001 (against entropy collapse).
# Prompts and held-out problems as scripts/grpo-zero-vs-r1.sh (level 1, terse digit CoT, 256 new tokens). Each arm's
# CPU seconds are its GRPO run's user + sys (bash's times). Prints held-out accuracy, the reward curve and the response
# length curve by fifth of each run, and the share of groups with equal rewards.
# Usage: scripts/grpo-zero-options.sh [OUT_DIR] [RL_SECONDS] [BASE_SECONDS] [SEED]   (defaults: 1800 240 1; about 36 minutes)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/grpo-zero-options-$(date -u +%Y%m%d-%H%M%S)}
RL=${2:-1800}; BASE=${3:-240}; SEED=${4:-1}
mkdir -p "$OUT/data"
$R generate -p level-1 -n 5000 --style digit --pad-width 2 --terse --seed 1 -o "$OUT/data/prompts.jsonl" >/dev/null
$R generate -p level-1 -n 300 --style digit --pad-width 2 --terse --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
echo "base: pretraining for $BASE s"
[ -d "$OUT/base" ] || $R pretrain --time-budget "$BASE" --out "$OUT/base" >"$OUT/base.log" 2>&1
score_run "$OUT/base" "$OUT/data/test.jsonl" 256 "$OUT/base/eval.json"

arm() { # NAME FLAGS...: R1-Zero GRPO from the base for RL seconds, its CPU seconds, then its held-out score
  local name=$1; shift
  ( grpo_run "$OUT/base" "$OUT/data/prompts.jsonl" "$RL" 256 "$OUT/$name" --seed "$SEED" "$@"; times >"$OUT/$name.times" )
  score_run "$OUT/$name" "$OUT/data/test.jsonl" 256 "$OUT/$name/eval.json"
}
echo "R1-Zero GRPO for $RL s each: today's defaults beside filter_groups + entropy bonus"
arm today & arm options --filter-groups --max-num-gen-batches 8 --entropy-coef 0.001 & wait -n; wait -n

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def cpu(d):  # the children's line of bash's `times`: "1m2.500s 0m0.300s"
    line = open(os.path.join(out, d + ".times")).read().splitlines()[-1]
    return sum(float(m) * 60 + float(s.rstrip("s")) for m, s in (t.split("m") for t in line.split()))
acc = lambda d: json.load(open(os.path.join(out, d, "eval.json")))["overall"]
print("| model | held-out accuracy | format errors | mean tokens | GRPO CPU min | steps |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
b = acc("base")
print(f"| base | {100 * b['accuracy']:.1f} % | {100 * b['format_error_rate']:.1f} % | {b['mean_completion_tokens']:.0f} | - | - |")
for name in ("today", "options"):
    o = acc(name)
    steps = sum(1 for l in open(os.path.join(out, name, "metrics.jsonl")) if '"kind":"train"' in l)
    print(f"| R1-Zero, {name} | {100 * o['accuracy']:.1f} % | {100 * o['format_error_rate']:.1f} % | {o['mean_completion_tokens']:.0f} | {cpu(name) / 60:.1f} | {steps} |")
print("\n| run | reward by fifth | accuracy (rollouts) by fifth | response length by fifth | groups with equal rewards by fifth |")
print("| --- | --- | --- | --- | --- |")
for name in ("today", "options"):
    rows = [json.loads(l) for l in open(os.path.join(out, name, "metrics.jsonl")) if '"kind":"train"' in l]
    rows = [r for r in rows if "reward_mean" in r] or rows  # a filtered step that found no group logs no reward
    k = max(1, len(rows) // 5)
    fifths = [rows[i * k:(i + 1) * k] if i < 4 else rows[4 * k:] for i in range(5)]
    mean = lambda part, key: sum(r.get(key, 0) for r in part) / max(1, len(part))
    curve = lambda key, f: " / ".join(f.format(mean(p, key)) for p in fifths)
    print(f"| {name} | {curve('reward_mean', '{:.3f}')} | {curve('accuracy', '{:.3f}')} | {curve('completion_length_mean', '{:.0f}')} | {curve('zero_std_fraction', '{:.2f}')} |")
PY
echo "runs: $OUT"
