#!/usr/bin/env bash
# Long multiplication on a laptop CPU (issue 15): a nano model (0.8M parameters) trained from scratch on the compiler's
# compact digit chain of thought for 2x2, 3x3, 4x4 and 5x5 multiplication (75,000 fresh problems, a third each of 3x3,
# 4x4 and 5x5, so that 1,500 s of training reads none of them twice, plus the 7,000 2x2 training problems there are, as a replay
# mix), 1,500 s of wall clock on two threads, then scored greedily by the verifier on held-out problems: 100 each of 2x2
# and 3x3, 500 each of 4x4 and 5x5 (the target: >= 99 % and >= 95 %), and 100 of 6x6 (length generalisation, no
# target). Held-out problems never appear in training: the split is decided by a hash of the expression (and the
# script counts the overlap). Prints one table (accuracy, tokens per problem, CPU minutes from /usr/bin/time,
# parameters) and writes it to OUT_DIR/report.md; the run folder holds loss.png, metrics.jsonl and TensorBoard events,
# eval-*.samples.jsonl every held-out completion with its verdict. The layout is the compact digit CoT with the
# multiplier cursor (each partial product starts with the multiplier digits left, 21486%10=6, and zero partial
# products are not added; docs/2026-12-02-multiply.md).
# Usage: scripts/recipe-multiply.sh [OUT_DIR] [SECONDS] [SEED] (defaults runs/multiply-TIME, 1500, 1); SEED draws the
# training problems and the initial weights; the held-out sets are the same for every seed.
# Environment, for the measurements in the doc: TRAIN_N (75000) the fresh problems; RESTATE_ADDITIONS=1 restates each
# column addition at its width (--pad-width 1; $M/nano-2k.json and --max-seq-len 2048 for the longer traces).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/multiply-$(date -u +%Y%m%d-%H%M%S)}
SECONDS_BUDGET=${2:-1500}
SEED=${3:-1}
M=configs/recipes/multiply
L="--style digit --compact --multiplier-cursor"
MODEL=nano
if [ "${RESTATE_ADDITIONS:-0}" = 1 ]; then # each column addition restated at its width: longer traces, 2,048 positions
  L="$L --pad-width 1"
  MODEL="$M/nano-2k.json --max-seq-len 2048"
fi
mkdir -p "$OUT/data"
# 2x2 has only about 7,300 distinct training problems, so it comes in as a replay mix of all it has; the other sizes are
# drawn fresh, TRAIN_N in all (a third each), more than 1,500 s of training reads.
$R generate -p mul-3x3,mul-4x4,mul-5x5 -n "${TRAIN_N:-75000}" $L --seed "$SEED" -o "$OUT/data/train.jsonl" >/dev/null
$R generate -p mul-2x2 -n 7000 $L --seed "$SEED" -o "$OUT/data/train-2x2.jsonl" >/dev/null
MIX_SHARE=$(python3 -c "print(round(7000 / (7000 + ${TRAIN_N:-75000}), 4))")
$R generate -p mul-2x2 -n 100 $L --seed 21 --split test -o "$OUT/data/test-2x2.jsonl" >/dev/null
$R generate -p mul-3x3 -n 100 $L --seed 22 --split test -o "$OUT/data/test-3x3.jsonl" >/dev/null
$R generate -p mul-4x4 -n 500 $L --seed 11 --split test -o "$OUT/data/test-4x4.jsonl" >/dev/null
$R generate -p mul-5x5 -n 500 $L --seed 12 --split test -o "$OUT/data/test-5x5.jsonl" >/dev/null
$R generate -p mul-6x6 -n 100 $L --seed 3 --split test -o "$OUT/data/test-6x6.jsonl" >/dev/null
echo "training nano for $SECONDS_BUDGET s on two threads"
/usr/bin/time -f "%U %S %e" -o "$OUT/time.txt" $R train --data "$OUT/data/train.jsonl" --mix "$OUT/data/train-2x2.jsonl:$MIX_SHARE" --model $MODEL --seed "$SEED" --threads 2 \
  --time-budget "$SECONDS_BUDGET" --max-steps 0 --batch-tokens 2048 --lr 1e-3 --warmup-steps 50 --min-lr-ratio 0.1 \
  --checkpoint-every 2000 --out "$OUT/run" >"$OUT/train.log" 2>&1
for size in 2x2 3x3 4x4 5x5 6x6; do
  $R eval --model "$OUT/run" --data "$OUT/data/test-$size.jsonl" --max-new-tokens 2000 --out "$OUT/eval-$size.json" >/dev/null 2>&1
done
python3 - "$OUT" <<'PY' | tee "$OUT/report.md"
import json, sys
out = sys.argv[1]
user, system, wall = (float(x) for x in open(f"{out}/time.txt").read().split())
train = {json.loads(l)["expression"] for f in ("train", "train-2x2") for l in open(f"{out}/data/{f}.jsonl")}
config = json.load(open(f"{out}/run/config.json"))
print(f"\nnano ({config['model']}), seed {config.get('seed')}, {wall/60:.1f} min wall, {(user+system)/60:.1f} CPU minutes (user + sys)")
print("| operands | held-out | overlap with training | greedy accuracy | target | tokens per problem |")
print("| --- | ---: | ---: | ---: | --- | ---: |")
for size, target in (("2x2", ""), ("3x3", ""), ("4x4", ">= 99 %"), ("5x5", ">= 95 %"), ("6x6", "(length generalisation)")):
    e = json.load(open(f"{out}/eval-{size}.json"))["overall"]
    tests = [json.loads(l)["expression"] for l in open(f"{out}/data/test-{size}.jsonl")]
    print(f"| {size} | {e['n']} | {sum(t in train for t in tests)} | {100*e['accuracy']:.1f} % | {target} | {e['mean_completion_tokens']:.0f} |")
PY
grep -m1 "parameters" "$OUT/run/report.md" | tee -a "$OUT/report.md" || true
printf '\nPlots: run/loss.png; per-problem verdicts: eval-*.samples.jsonl; held-out sets: data/test-*.jsonl.\n' >> "$OUT/report.md"
