#!/usr/bin/env bash
# Issue 25's R1 measurement: does a new GRPO option reach today's gain in half the CPU minutes? One base model and one
# 1,000-example cold start (the R1 recipe of scripts/grpo-recipes.sh), then GRPO arms, two at a time, one core each:
#   today    the trainer's defaults (dapo loss, token-level ratio), for T seconds and for T/2;
#   filter   + --filter-groups (DAPO's dynamic sampling), T/2;
#   gspo     + --importance-sampling-level sequence --num-iterations 2, GSPO's clip range (3e-4, 4e-4), T/2;
#   cispo    + --loss-type cispo --epsilon-high 5 --num-iterations 2, T/2.
# Every arm is scored greedily on the same 300 held-out problems; CPU seconds are the GRPO run's user + system time
# (bash's times). Prints the table and, per seed, whether each option's gain at T/2 reaches today's gain at T.
# Usage: scripts/grpo-options.sh [OUT_DIR] [RL_SECONDS] [SFT_SECONDS] [BASE_SECONDS] [SEEDS...]
#   (defaults: 600 300 240 1; about 27 minutes per seed)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/grpo-options-$(date -u +%Y%m%d-%H%M%S)}
RL=${2:-600}; SFT=${3:-300}; BASE=${4:-240}
shift $(( $# > 4 ? 4 : $# )) || true
SEEDS=("${@:-1}"); [ ${#SEEDS[@]} -gt 0 ] || SEEDS=(1)
HALF=$(( RL / 2 ))
r1_start "$OUT" "$BASE" "$SFT"
score_run "$OUT/sft" "$OUT/data/test.jsonl" 512 "$OUT/sft/eval.json"

arm() { # NAME SECONDS SEED FLAGS...: one GRPO run from the cold start, then its held-out score
  local name=$1 seconds=$2 seed=$3; shift 3
  ( grpo_run "$OUT/sft" "$OUT/data/prompts.jsonl" "$seconds" 512 "$OUT/$name" --seed "$seed" "$@"; times >"$OUT/$name.times" )
  score_run "$OUT/$name" "$OUT/data/test.jsonl" 512 "$OUT/$name/eval.json"
}
for seed in "${SEEDS[@]}"; do
  echo "seed $seed: today for $RL s beside today and filter_groups for $HALF s each; then GSPO beside CISPO, $HALF s each"
  arm "today-$RL-s$seed" "$RL" "$seed" & { arm "today-$HALF-s$seed" "$HALF" "$seed"; arm "filter-$HALF-s$seed" "$HALF" "$seed" --filter-groups; } & wait -n; wait -n
  arm "gspo-$HALF-s$seed" "$HALF" "$seed" --importance-sampling-level sequence --num-iterations 2 --epsilon 3e-4 --epsilon-high 4e-4 &
  arm "cispo-$HALF-s$seed" "$HALF" "$seed" --loss-type cispo --epsilon-high 5 --num-iterations 2 & wait -n; wait -n
done

python3 - "$OUT" "$RL" "$HALF" "${SEEDS[@]}" <<'PY'
import json, os, sys
out, rl, half, seeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
acc = lambda d: json.load(open(os.path.join(out, d, "eval.json")))["overall"]["accuracy"]
def cpu(d):  # the children's line of bash's `times`: "1m2.500s 0m0.300s"
    line = open(os.path.join(out, d + ".times")).read().splitlines()[-1]
    return sum(float(m) * 60 + float(s.rstrip("s")) for m, s in (t.split("m") for t in line.split()))
def steps(d):
    return sum(1 for l in open(os.path.join(out, d, "metrics.jsonl")) if '"kind":"train"' in l)
start = acc("sft")
print(f"cold start (SFT, 1,000 examples): {start * 100:.1f} % held-out (300 problems)")
print()
print("| arm | seed | GRPO seconds | CPU minutes | steps | held-out | gain | gain per CPU-minute |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
verdicts = []
for seed in seeds:
    rows = [(f"today ({rl} s)", f"today-{rl}-s{seed}"), (f"today ({half} s)", f"today-{half}-s{seed}"),
            (f"filter_groups ({half} s)", f"filter-{half}-s{seed}"), (f"GSPO ({half} s)", f"gspo-{half}-s{seed}"),
            (f"CISPO ({half} s)", f"cispo-{half}-s{seed}")]
    gains = {}
    for name, d in rows:
        a, c = acc(d), cpu(d) / 60
        gains[name] = a - start
        print(f"| {name} | {seed} | {rl if d.startswith(f'today-{rl}') else half} | {c:.1f} | {steps(d)} | {a * 100:.1f} % | {(a - start) * 100:+.1f} | {(a - start) * 100 / c:+.2f} |")
    target = gains[f"today ({rl} s)"]
    for name in (f"filter_groups ({half} s)", f"GSPO ({half} s)", f"CISPO ({half} s)"):
        verdicts.append(f"seed {seed}: {name} gain {gains[name] * 100:+.1f} vs today's {target * 100:+.1f} in twice the time: "
                        + ("today gained nothing to match" if target <= 0 else "met" if gains[name] >= target else "not met"))
print()
print("\n".join(verdicts))
PY
echo "runs: $OUT"
