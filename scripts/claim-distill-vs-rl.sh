#!/usr/bin/env bash
# Claim 1: distilling a stronger teacher beats RL on the small student, at equal student compute. The teacher is any
# run given as TEACHER (with none given, `reasoner demo` makes one first: nano, 10 minutes); with TEACHER_GRPO_S > 0 it
# first gets that many seconds of GRPO (two threads) on TEACHER_GRPO_PRESETS, so the teacher is trained with SFT and RL.
# A fresh nano student then gets the same wall-clock budget on one thread, with the demo's SFT settings, in each arm:
#   (a) SFT on the teacher's samples that the verifier accepted (reasoner distill, the teacher run in process),
#   (b) SFT on the compiler's traces of the same problems,
#   (c) GRPO after a small cold start (200 compiler traces, a quarter of the budget),
#   (d) logit distillation: (b) plus KL to the teacher (train --teacher, alpha 0.5, T 1).
# All are scored greedily on the same held-out problems. Prints one table, by difficulty, with the teacher's accuracy
# and the acceptance rate. Usage: scripts/claim-distill-vs-rl.sh [OUT_DIR] [TEACHER_RUN] [STUDENT_SECONDS] (default 300)
# Environment (defaults: the demo's problems): PRESETS, LAYOUT (generate's layout flags), MAX_TOKENS (256), TEST_N (600),
# STUDENT_N (5000), SAMPLES (2), TEACHER_GRPO_S (0), TEACHER_GRPO_PRESETS. The multiplication setting of docs/2026-12-02-distill-claims.md:
#   PRESETS=mul-3x3,configs/recipes/multiply/mul-4x4.json LAYOUT="--style digit --compact --multiplier-cursor" \
#   MAX_TOKENS=1000 TEST_N=300 STUDENT_N=3000 SAMPLES=1 TEACHER_GRPO_S=300 TEACHER_GRPO_PRESETS=configs/recipes/multiply/mul-5x5.json \
#   scripts/claim-distill-vs-rl.sh runs/claim1-mul runs/multiply/run 300
set -euo pipefail
PROBLEMS_FROM_ENV=${PRESETS:-} # read before lib.sh, which sets PRESETS for the GRPO scripts
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/claim-distill-$(date -u +%Y%m%d-%H%M%S)}
TEACHER=${2:-}
STUDENT_S=${3:-300}
P=${PROBLEMS_FROM_ENV:-add-upto-4d,sub-upto-4d,mul-upto-2x2}
L=${LAYOUT:---style digit --compact --pad-width 4}
MAXTOK=${MAX_TOKENS:-256}
TEST_N=${TEST_N:-600}
STUDENT_N=${STUDENT_N:-5000}
SAMPLES=${SAMPLES:-2}
TEACHER_GRPO_S=${TEACHER_GRPO_S:-0}
mkdir -p "$OUT/data"
if [ -z "$TEACHER" ]; then
  echo "teacher: reasoner demo (about 10 minutes)"
  $R demo --out "$OUT/demo" >"$OUT/demo.log" 2>&1
  TEACHER="$OUT/demo/cot"
fi
$R generate -p $P -n "$STUDENT_N" $L --seed 3 -o "$OUT/data/student.jsonl" >/dev/null
head -n 200 "$OUT/data/student.jsonl" > "$OUT/data/cold.jsonl"
$R generate -p $P -n "$TEST_N" $L --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
score() { $R eval --model "$1" --data "$OUT/data/test.jsonl" --max-new-tokens "$MAXTOK" --out "$OUT/eval-$2.json" >/dev/null 2>&1; }
if [ "$TEACHER_GRPO_S" -gt 0 ]; then
  score "$TEACHER" teacher-sft
  echo "teacher: GRPO for $TEACHER_GRPO_S s on ${TEACHER_GRPO_PRESETS:-$P}"
  $R generate -p "${TEACHER_GRPO_PRESETS:-$P}" -n 2000 $L --seed 4 -o "$OUT/data/teacher-rl.jsonl" >/dev/null
  $R grpo --init-from "$TEACHER" --data "$OUT/data/teacher-rl.jsonl" --max-steps 0 --time-budget "$TEACHER_GRPO_S" --threads 2 \
    --max-new-tokens "$MAXTOK" --prompts 4 -G 8 --lr 3e-5 --out "$OUT/teacher-grpo" >"$OUT/teacher-grpo.log" 2>&1
  TEACHER="$OUT/teacher-grpo"
fi
score "$TEACHER" teacher
echo "distill: $SAMPLES samples per problem at temperature 0.6 on the student's $STUDENT_N problems, keep all accepted"
$R distill --teacher "$TEACHER" --data "$OUT/data/student.jsonl" --samples "$SAMPLES" --temperature 0.6 --max-tokens "$MAXTOK" --keep all \
  --out "$OUT/data/distilled.jsonl" >"$OUT/distill.log" 2>&1
sft() { # NAME DATA SECONDS INIT_OR_EMPTY EXTRA...
  local name=$1 data=$2 seconds=$3 init=$4; shift 4
  $R train --data "$data" ${init:+--init-from "$init"} --model nano --max-steps 0 --time-budget "$seconds" --checkpoint-every 1000 \
    --batch-tokens 1024 --lr 1e-3 --warmup-steps 50 --min-lr-ratio 0.1 "$@" \
    --out "$OUT/$name" >"$OUT/$name.log" 2>&1
}
echo "students: nano, $STUDENT_S s each, two at a time"
sft a-distilled "$OUT/data/distilled.jsonl" "$STUDENT_S" "" & p1=$!
sft b-compiler "$OUT/data/student.jsonl" "$STUDENT_S" "" & p2=$!
wait $p1 $p2
( sft c-cold "$OUT/data/cold.jsonl" $((STUDENT_S / 4)) "" &&
  $R grpo --init-from "$OUT/c-cold" --data "$OUT/data/student.jsonl" --max-steps 0 --time-budget $((STUDENT_S * 3 / 4)) \
    --max-new-tokens "$MAXTOK" --prompts 4 -G 8 --out "$OUT/c-grpo" >"$OUT/c-grpo.log" 2>&1 ) & p3=$!
sft d-logits "$OUT/data/student.jsonl" "$STUDENT_S" "" --teacher "$TEACHER" --kd-alpha 0.5 --kd-temperature 1 & p4=$!
wait $p3 $p4
for arm in a-distilled b-compiler c-grpo d-logits; do score "$OUT/$arm" "$arm"; done
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
card = json.load(open(f"{out}/data/distilled.card.json"))
def evaluation(name):
    return json.load(open(f"{out}/eval-{name}.json"))
levels = sorted(evaluation("teacher")["by_difficulty"])
def row(name, label):
    e = evaluation(name)
    cells = [f"{100 * e['by_difficulty'][level]['accuracy']:.1f} %" for level in levels]
    return f"| {label} | {100 * e['overall']['accuracy']:.1f} % | " + " | ".join(cells) + " |"
if os.path.exists(f"{out}/eval-teacher-sft.json"):
    print("\n" + row("teacher-sft", "teacher after SFT, before GRPO"))
print(f"\nteacher: {100 * evaluation('teacher')['overall']['accuracy']:.1f} % held-out; distill acceptance: "
      f"{100*card['acceptance_rate']:.1f} % of problems, {card['samples_accepted']} of {card['samples']} samples, {card['rows']} rows")
print("| student arm (nano, equal wall-clock) | held-out accuracy | " + " | ".join(levels) + " |")
print("| --- | ---: | " + " | ".join("---:" for _ in levels) + " |")
print(row("teacher", "the teacher itself"))
names = {"a-distilled": "(a) SFT on the teacher's verified samples", "b-compiler": "(b) SFT on compiler traces",
         "c-grpo": "(c) small cold start + GRPO", "d-logits": "(d) logit distillation (+ compiler traces)"}
for k, v in names.items():
    print(row(k, v))
PY
