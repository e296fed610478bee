#!/usr/bin/env bash
# Does bf16 training (bf16 compute, fp32 master weights and optimizer state) keep the final accuracy?
# The demo's chain-of-thought training (compact CoT, from scratch unless BASE_SECONDS > 0; on the 3-digit set of
# lib.sh, the demo's until 2026-11-29) run twice for the SAME
# number of optimizer steps, fp32 and bf16 side by side (one core each), both scored on the same 300 held-out
# problems. Prints accuracy, steps/s and the bf16/fp32 speed ratio at the demo's batch size (scripts/bench-train.sh
# measures it at B=32, T=256).
# Usage: scripts/bf16-accuracy.sh [OUT_DIR] [STEPS] [BASE_SECONDS] [LAYOUT]
#   defaults: 4500 steps (about what the demo's 540 s buy), no base, --compact; about 10 minutes.
#   The measurement before 2026-11-29 was: scripts/bf16-accuracy.sh OUT 3000 180 --terse
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/bf16-accuracy-$(date -u +%Y%m%d-%H%M%S)}
STEPS=${2:-4500}
BASE=${3:-0}
LAYOUT=${4:---compact}
mkdir -p "$OUT/data"
$R generate -p $PRESETS -n 20000 --style digit --pad-width 3 $LAYOUT --seed 1 -o "$OUT/data/train-cot.jsonl" >/dev/null
$R generate -p $PRESETS -n 300 --style digit --pad-width 3 $LAYOUT --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
INIT=""
if [ "$BASE" != "0" ]; then
  if [ -d "$OUT/base/checkpoints" ]; then
    echo "base: reusing $OUT/base"
  else
    echo "base: pretraining for $BASE s"
    $R pretrain --time-budget "$BASE" --out "$OUT/base" >"$OUT/base.log" 2>&1
  fi
  INIT="$OUT/base"
fi

sft() { # PRECISION
  python3 - "$OUT" "$1" "$STEPS" "$INIT" <<'PY'
import json, os, sys
out, precision, steps, init = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
config = {  # the demo's CoT training (DemoRunner.SftConfig), by steps instead of seconds
    "data": f"{out}/data/train-cot.jsonl", "init_from": init or None, "model": "nano", "mode": "sft", "seed": 1,
    "max_steps": steps, "time_budget_seconds": 0, "batch_tokens": 1024, "learning_rate": 0.001, "min_lr_ratio": 0.1,
    "warmup_steps": 50, "checkpoint_every": 1000, "eval_every": 1000, "log_every": 50, "precision": precision, "threads": 1,
}
with open(f"{out}/sft-{precision}.json", "w") as f:
    json.dump(config, f, indent=2)
PY
  $R train --config "$OUT/sft-$1.json" --out "$OUT/sft-$1" >"$OUT/sft-$1.log" 2>&1
  $R eval --model "$OUT/sft-$1" --data "$OUT/data/test.jsonl" --max-new-tokens 512 --out "$OUT/sft-$1/eval.json" >/dev/null 2>&1
}
echo "CoT training ($LAYOUT, ${INIT:-from scratch}), $STEPS steps, fp32 and bf16 side by side"
sft fp32 & fp32=$!
sft bf16 & bf16=$!
wait $fp32 || { echo "fp32 run failed: $OUT/sft-fp32.log"; exit 1; }
wait $bf16 || { echo "bf16 run failed: $OUT/sft-bf16.log"; exit 1; }

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = {}
for p in ("fp32", "bf16"):
    report = json.load(open(os.path.join(out, f"sft-{p}", "eval.json")))
    train = [json.loads(l) for l in open(os.path.join(out, f"sft-{p}", "metrics.jsonl")) if '"kind":"train"' in l]
    last = train[-1]
    rows[p] = (report, last["step"], last["elapsed_seconds"])
levels = sorted(rows["fp32"][0]["by_difficulty"])
print("| precision | " + " | ".join(levels) + " | all | steps | seconds | steps/s |")
print("| --- |" + " ---: |" * (len(levels) + 4))
for p, (r, steps, seconds) in rows.items():
    cells = [f'{r["by_difficulty"][l]["accuracy"] * 100:.1f} %' for l in levels]
    print(f'| {p} | ' + " | ".join(cells) + f' | **{r["overall"]["accuracy"] * 100:.1f} %** | {steps} | {seconds:.0f} | {steps / seconds:.2f} |')
ratio = (rows["bf16"][1] / rows["bf16"][2]) / (rows["fp32"][1] / rows["fp32"][2])
print(f"\nbf16 / fp32 speed at 1,024-token batches: {ratio:.2f}x")
PY
echo "runs: $OUT"
