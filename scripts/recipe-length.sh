#!/usr/bin/env bash
# Length generalisation by self-improvement (issue 26), the addition variant: a nano model (0.8M parameters) with
# position coupling (configs/recipes/length/nano-coupled.json: each token's rotary position is its digit column, see
# src/Reasoner.Model/Generation/PositionCoupling.cs) is trained on the compiler's compact digit chain of thought for
# additions of 1 to 10 digits only, then extends itself in rounds: it solves longer problems (greedy), the verifier keeps
# only the completions whose answer and every `a+b+c=s` step are right (`reasoner distill --teacher CHECKPOINT`), and
# it trains on what it kept, with the compiler's <= 10-digit rows as replay. The compiler writes the longer problems'
# questions and gold answers (the verifier needs the gold), never a chain of thought the model trains on: the script
# counts the operand widths of every training row it wrote, by source, and fails if a compiler row is wider than 10.
# Held-out problems (100 each of 10, 20 and 30 digits + the same width after every round, and 5, 50 and 100 digits as
# well after the last; greedy, verified) are never trained on (a hash split, counted anyway).
# The schedule adapts (scripts/length_schedule.py): each round samples the widths just past the widest width the model
# solved at least half the time in the round before, growing the window when the whole round passed and shrinking it
# when nothing did. Rounds go on while the CPU minutes spent plus the last round's cost (times 1.2) plus the final
# scoring (1.5 minutes; about 1.2 measured) fit the budget.
# Every command runs on one thread (THREADS): at this size one thread does about 1.3 times the optimizer steps per CPU
# second that two do, and 1.2 times the sampled tokens, so the budget buys more; training is counted in optimizer steps,
# not seconds, so a run's result does not depend on how busy the machine was. Two runs (two seeds) fit side by side.
# CPU minutes: /usr/bin/time's user + sys of every command (generation, training, sampling, scoring), in cpu.tsv.
# Resumable: run the same command again after a kill. Finished steps are skipped (their files are there), training goes
# on from its last checkpoint, sampling from its journal; a killed command's CPU time is not in cpu.tsv.
# Writes OUT/report.md (per-round table, final table, width counts) and OUT/accuracy.svg (accuracy by size over rounds).
# Usage: scripts/recipe-length.sh [OUT_DIR] [SFT_STEPS] [SEED]   (defaults runs/length-TIME, 2700, 1)
# Environment: CPU_BUDGET (60) CPU minutes in all; MAX_ROUNDS (30); ROUND_PROBLEMS (400) problems per round;
# ROUND_STEPS (820) optimizer steps per round; THREADS (1) per command; REPLAY (0.5) the share of compiler rows
# (<= 10 digits) in each round's training; TRAIN_N (60000) supervised rows; FIRST_GROWTH (4) and THRESHOLD (0.5) for
# the schedule; ROUND_SIZES ("10 20 30") and FINAL_SIZES ("5 50 100") the held-out sizes scored after every round and
# after the last.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/length-$(date -u +%Y%m%d-%H%M%S)}
SFT_STEPS=${2:-2700}
SEED=${3:-1}
CPU_BUDGET=${CPU_BUDGET:-60}
MAX_ROUNDS=${MAX_ROUNDS:-30}
ROUND_PROBLEMS=${ROUND_PROBLEMS:-400}
ROUND_STEPS=${ROUND_STEPS:-820}
THREADS=${THREADS:-1}
REPLAY=${REPLAY:-0.5}
ROUND_SIZES=${ROUND_SIZES:-"10 20 30"}
FINAL_SIZES=${FINAL_SIZES:-"5 50 100"}
L="--style digit --compact"
mkdir -p "$OUT/data" "$OUT/presets"
touch "$OUT/cpu.tsv" "$OUT/schedule.tsv" # a second run of the same command appends: it resumes
# timed LABEL COMMAND...: runs the command, appends "LABEL user+sys seconds" to cpu.tsv
timed() {
  local label=$1; shift
  /usr/bin/time -f "%U %S" -o "$OUT/time.tmp" "$@"
  printf '%s\t%s\n' "$label" "$(awk '{print $1 + $2}' "$OUT/time.tmp")" >> "$OUT/cpu.tsv"
}
# preset NAME LO HI: one '+' of two numbers of LO to HI digits each, widths drawn independently
preset() {
  python3 -c "import json, sys; n, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); print(json.dumps({'name': n, 'family': 'arithmetic', 'description': f'{lo} to {hi} digits + {lo} to {hi} digits', 'operators': ['+'], 'operations': {'min': 1, 'max': 1}, 'digits': {'min': lo, 'max': hi}, 'max_result_digits': 400, 'max_depth': 1}))" "$1" "$2" "$3" > "$OUT/presets/$1.json"
}
# cpu_minutes [LABEL]: CPU minutes spent so far (by the commands with that label)
cpu_minutes() { awk -F '\t' -v p="${1:-}" 'p == "" || $1 == p { s += $2 } END { printf "%.2f", s / 60 }' "$OUT/cpu.tsv"; }
# score ROUND MODEL SIZE...: greedy held-out accuracy at each size
score() {
  local round=$1 model=$2; shift 2
  for size in "$@"; do
    [ -e "$OUT/eval/round-$round/$size.json" ] || timed "score-$round" $R eval --model "$model" --data "$OUT/data/test-$size.jsonl" \
      --max-new-tokens $((14 * size + 80)) --threads "$THREADS" --out "$OUT/eval/round-$round/$size.json" >/dev/null 2>&1
  done
  python3 -c "import json, sys; print('round $round: ' + ', '.join(f'{s}d {100 * json.load(open(f\"$OUT/eval/round-$round/{s}.json\"))[\"overall\"][\"accuracy\"]:.0f} %' for s in sys.argv[1:]))" "$@"
}
# train_stage LABEL DIR FLAGS...: trains into DIR; skipped once DIR.trained exists, continued from DIR's last checkpoint
# when there is one, started afresh otherwise
train_stage() {
  local label=$1 dir=$2; shift 2
  [ -e "$dir.trained" ] && return 0
  if compgen -G "$dir/checkpoints/checkpoint-*" >/dev/null; then
    timed "$label" $R train --resume "$dir" >>"$dir.log" 2>&1
  else
    rm -rf "$dir"
    timed "$label" $R train "$@" --out "$dir" >"$dir.log" 2>&1
  fi
  touch "$dir.trained"
}
mkdir -p "$OUT/eval"
[ -s "$OUT/data/train.jsonl" ] || timed generate $R generate -p add-upto-10d -n "${TRAIN_N:-60000}" $L --seed "$SEED" -o "$OUT/data/train.jsonl" >/dev/null
for size in $ROUND_SIZES $FINAL_SIZES; do
  preset "add-$size-only" "$size" "$size"
  [ -s "$OUT/data/test-$size.jsonl" ] || timed generate $R generate -p "$OUT/presets/add-$size-only.json" -n 100 $L --seed $((500 + size)) --split test -o "$OUT/data/test-$size.jsonl" >/dev/null 2>&1
done
echo "supervised: nano with position coupling, <= 10 digits, $SFT_STEPS steps on $THREADS thread(s)"
train_stage train-0 "$OUT/round-0" --data "$OUT/data/train.jsonl" --model configs/recipes/length/nano-coupled.json --seed "$SEED" --threads "$THREADS" \
  --max-steps "$SFT_STEPS" --batch-tokens 2048 --lr 1e-3 --warmup-steps 50 --min-lr-ratio 0.1 --checkpoint-every 500 --eval-every 100000
score 0 "$OUT/round-0" $ROUND_SIZES
round=0; kept=(); last_cost=0
# a round already in schedule.tsv was admitted by the budget before a kill: it is finished first
while [ "$round" -lt "$MAX_ROUNDS" ]; do
  if ! read -r lo hi growth < <(awk -F '\t' -v r=$((round + 1)) '$1 == r { print $2, $3, $4 }' "$OUT/schedule.tsv" | grep .); then
    awk -v s="$(cpu_minutes)" -v c="$last_cost" -v b="$CPU_BUDGET" 'BEGIN { exit !(s + 1.2 * c + 1.5 <= b) }' || break
    read -r lo hi growth < <(python3 scripts/length_schedule.py "$OUT" "$round")
    printf '%s\t%s\t%s\t%s\n' "$((round + 1))" "$lo" "$hi" "$growth" >> "$OUT/schedule.tsv"
  fi
  round=$((round + 1))
  preset "add-round-$round" "$lo" "$hi"
  # the compiler writes questions and gold answers; distill reads only those, and the model writes every kept row
  [ -s "$OUT/data/round-$round.problems.jsonl" ] || timed "sample-$round" $R generate -p "$OUT/presets/add-round-$round.json" -n "$ROUND_PROBLEMS" $L \
    --seed $((SEED * 100 + round)) -o "$OUT/data/round-$round.problems.jsonl" >/dev/null 2>&1
  # distill continues from its journal, and returns at once when it had finished
  timed "sample-$round" $R distill --teacher "$OUT/round-$((round - 1))" --data "$OUT/data/round-$round.problems.jsonl" -k 1 --temperature 0 \
    --max-tokens $((14 * hi + 80)) --max-batch 64 --threads "$THREADS" --seed "$SEED" -o "$OUT/data/round-$round.jsonl" >>"$OUT/round-$round.distill.log" 2>&1
  kept+=("$OUT/data/round-$round.jsonl")
  cat "${kept[@]}" > "$OUT/data/round-$round.train.jsonl"
  echo "round $round: widths $lo-$hi, kept $(wc -l < "$OUT/data/round-$round.jsonl") of $ROUND_PROBLEMS; training $ROUND_STEPS steps"
  if [ ! -s "$OUT/data/round-$round.train.jsonl" ]; then # nothing verified yet: the model stays as it was
    [ -e "$OUT/round-$round.trained" ] || { rm -rf "$OUT/round-$round"; cp -r "$OUT/round-$((round - 1))" "$OUT/round-$round"; touch "$OUT/round-$round.trained"; }
  else
    train_stage "train-$round" "$OUT/round-$round" --data "$OUT/data/round-$round.train.jsonl" --mix "$OUT/data/train.jsonl:$REPLAY" \
      --init-from "$OUT/round-$((round - 1))" --seed "$SEED" --threads "$THREADS" --max-steps "$ROUND_STEPS" --batch-tokens 2048 --max-seq-len 4096 \
      --lr 3e-4 --warmup-steps 20 --min-lr-ratio 0.1 --checkpoint-every 200 --eval-every 100000
  fi
  score "$round" "$OUT/round-$round" $ROUND_SIZES
  last_cost=$(awk -v a="$(cpu_minutes "sample-$round")" -v b="$(cpu_minutes "train-$round")" -v c="$(cpu_minutes "score-$round")" 'BEGIN { print a + b + c }')
done
score "$round" "$OUT/round-$round" $FINAL_SIZES
python3 scripts/length_report.py "$OUT" | tee "$OUT/report.md"
