#!/usr/bin/env bash
# Claim 1: distilling a stronger teacher beats RL on the small student, at equal student compute. The teacher is any
# run given as TEACHER; with none given, TEACHER_MODEL (a preset such as mini or moe-mini) is trained from scratch
# for TEACHER_S seconds (two threads, bf16) on TEACHER_N compiler traces, or, without TEACHER_MODEL, `reasoner demo`
# makes one (nano, 10 minutes). With TEACHER_GRPO_S > 0 it then gets that many seconds of GRPO (two threads) on
# TEACHER_GRPO_PRESETS, so the teacher is trained with SFT and RL.
# A fresh nano student then gets the same wall-clock budget on one thread, with the demo's SFT settings, in each arm:
#   (a) SFT on the teacher's samples that the verifier accepted (reasoner distill, the teacher run in process),
#   (b) SFT on the compiler's traces of the same problems,
#   (c) GRPO after a small cold start (200 compiler traces, a quarter of the budget),
#   (d) logit distillation: (b) plus forward KL to the teacher (train --teacher, alpha 0.5, T 1),
#   (e) on-policy distillation: (d) with half the micro-batches sampled by the student and scored by the teacher
#       (--kd-lmbda 0.5, GKD).
# Each arm runs once per student seed in STUDENT_SEEDS, two runs at a time. All are scored greedily on the same
# held-out problems. Prints one table, by difficulty, with the mean over seeds, each seed's result, the teacher's
# accuracy and the acceptance rate. Usage: scripts/claim-distill-vs-rl.sh [OUT_DIR] [TEACHER_RUN] [STUDENT_SECONDS]
# Environment (defaults: the demo's problems): PRESETS, LAYOUT (generate's layout flags), MAX_TOKENS (256), TEST_N
# (600), STUDENT_N (5000), SAMPLES (2), STUDENT_SEEDS ("1"), ARMS ("a b c d e"), TEACHER_MODEL, TEACHER_S (2400),
# TEACHER_N (20000), TEACHER_GRPO_S (0), TEACHER_GRPO_PRESETS. The settings of docs/2026-12-02-distill-claims.md:
#   TEACHER_MODEL=mini TEACHER_GRPO_S=300 STUDENT_SEEDS="1 2 3" SAMPLES=1 scripts/claim-distill-vs-rl.sh runs/claim1-mini "" 300
#   PRESETS=mul-3x3,mul-4x4 LAYOUT="--style digit --compact --multiplier-cursor" \
#   MAX_TOKENS=1000 TEST_N=300 STUDENT_N=3000 SAMPLES=1 TEACHER_GRPO_S=300 ARMS="a b c d" \
#   TEACHER_GRPO_PRESETS=mul-5x5 scripts/claim-distill-vs-rl.sh runs/claim1-mul runs/multiply/run 300
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
SEEDS=${STUDENT_SEEDS:-1}
ARMS=${ARMS:-a b c d e}
TEACHER_GRPO_S=${TEACHER_GRPO_S:-0}
mkdir -p "$OUT/data"
$R generate -p $P -n "$STUDENT_N" $L --seed 3 -o "$OUT/data/student.jsonl" >/dev/null
head -n 200 "$OUT/data/student.jsonl" > "$OUT/data/cold.jsonl"
$R generate -p $P -n "$TEST_N" $L --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
if [ -z "$TEACHER" ] && [ -n "${TEACHER_MODEL:-}" ]; then
  echo "teacher: $TEACHER_MODEL from scratch, ${TEACHER_S:-2400} s (two threads, bf16) on ${TEACHER_N:-20000} compiler traces"
  $R generate -p $P -n "${TEACHER_N:-20000}" $L --seed 5 -o "$OUT/data/teacher-sft.jsonl" >/dev/null
  $R train --data "$OUT/data/teacher-sft.jsonl" --model "$TEACHER_MODEL" --max-steps 0 --time-budget "${TEACHER_S:-2400}" \
    --threads 2 --precision bf16 --batch-tokens 2048 --lr 6e-4 --warmup-steps 100 --min-lr-ratio 0.1 --checkpoint-every 200 \
    --out "$OUT/teacher-sft" >"$OUT/teacher-sft.log" 2>&1
  TEACHER="$OUT/teacher-sft"
elif [ -z "$TEACHER" ]; then
  echo "teacher: reasoner demo (about 10 minutes)"
  $R demo --out "$OUT/demo" >"$OUT/demo.log" 2>&1
  TEACHER="$OUT/demo/cot"
fi
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
sft() { # NAME DATA SECONDS SEED INIT_OR_EMPTY EXTRA...
  local name=$1 data=$2 seconds=$3 seed=$4 init=$5; shift 5
  $R train --data "$data" ${init:+--init-from "$init"} --model nano --max-steps 0 --time-budget "$seconds" --checkpoint-every 1000 \
    --batch-tokens 1024 --lr 1e-3 --warmup-steps 50 --min-lr-ratio 0.1 --seed "$seed" "$@" \
    --out "$OUT/$name" >"$OUT/$name.log" 2>&1
}
arm() { # ARM SEED: one student run, named ARM-sSEED
  local s=$2
  case $1 in
    a) sft "a-s$s" "$OUT/data/distilled.jsonl" "$STUDENT_S" "$s" "" ;;
    b) sft "b-s$s" "$OUT/data/student.jsonl" "$STUDENT_S" "$s" "" ;;
    c) sft "c-cold-s$s" "$OUT/data/cold.jsonl" $((STUDENT_S / 4)) "$s" "" &&
       $R grpo --init-from "$OUT/c-cold-s$s" --data "$OUT/data/student.jsonl" --max-steps 0 --time-budget $((STUDENT_S * 3 / 4)) \
         --max-new-tokens "$MAXTOK" --prompts 4 -G 8 --seed "$s" --out "$OUT/c-s$s" >"$OUT/c-s$s.log" 2>&1 ;;
    d) sft "d-s$s" "$OUT/data/student.jsonl" "$STUDENT_S" "$s" "" --teacher "$TEACHER" --kd-alpha 0.5 --kd-temperature 1 ;;
    e) sft "e-s$s" "$OUT/data/student.jsonl" "$STUDENT_S" "$s" "" --teacher "$TEACHER" --kd-alpha 0.5 --kd-temperature 1 --kd-lmbda 0.5 ;;
    *) echo "unknown arm '$1' in ARMS (a b c d e)" >&2; return 2 ;;
  esac
  score "$OUT/$1-s$s" "$1-s$s"
}
echo "students: nano, $STUDENT_S s each, arms $ARMS, seeds $SEEDS, two at a time"
for s in $SEEDS; do
  for a in $ARMS; do
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
    ( arm "$a" "$s" || echo "arm $a, seed $s failed: see $OUT/$a-s$s.log" | tee -a "$OUT/failed.txt" >&2 ) &
  done
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n; done
python3 - "$OUT" "$SEEDS" "$ARMS" <<'PY'
import json, os, sys
out, seeds, arms = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
card = json.load(open(f"{out}/data/distilled.card.json"))
def evaluation(name):
    return json.load(open(f"{out}/eval-{name}.json"))
levels = sorted(evaluation("teacher")["by_difficulty"])
def accuracies(e):
    return [e["overall"]["accuracy"]] + [e["by_difficulty"][level]["accuracy"] for level in levels]
def row(label, runs):
    missing = [r for r in runs if not os.path.exists(f"{out}/eval-{r}.json")]
    if missing:
        return f"| {label} | no result for {', '.join(missing)}: the run failed (its log is in {out}) |"
    cells = [accuracies(evaluation(r)) for r in runs]
    means = [sum(c[i] for c in cells) / len(cells) for i in range(len(levels) + 1)]
    each = " / ".join(f"{100 * c[0]:.1f}" for c in cells)
    return f"| {label} | " + " | ".join(f"{100 * m:.1f} %" for m in means) + f" | {each} |"
print(f"\nteacher: {100 * evaluation('teacher')['overall']['accuracy']:.1f} % held-out; distill acceptance: "
      f"{100*card['acceptance_rate']:.1f} % of problems, {card['samples_accepted']} of {card['samples']} samples, {card['rows']} rows")
print("| student arm (nano, equal wall-clock) | held-out, mean | " + " | ".join(levels) + " | held-out, each seed (" + ", ".join(seeds) + ") |")
print("| --- | ---: | " + " | ".join("---:" for _ in levels) + " | --- |")
if os.path.exists(f"{out}/eval-teacher-sft.json"):
    print(row("teacher after SFT, before GRPO", ["teacher-sft"]))
print(row("the teacher itself", ["teacher"]))
names = {"a": "(a) SFT on the teacher's verified samples", "b": "(b) SFT on compiler traces",
         "c": "(c) small cold start + GRPO", "d": "(d) logit distillation (+ compiler traces)",
         "e": "(e) on-policy distillation (d, half the batches sampled by the student)"}
for arm in arms:
    print(row(names[arm], [f"{arm}-s{s}" for s in seeds]))
PY
