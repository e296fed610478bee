#!/usr/bin/env bash
# Claim 2: narrow (math) fine-tuning costs general skills, and replaying general data mends it. A nano base is
# pretrained on the general corpus (one-digit facts, worked examples, copy/reverse/sort); then fine-tuned from it on
# the demo's math chain of thought for the same budget twice: on math alone, and with 20 % of the rows replayed from
# the base's own corpus (--mix). Each model gets the general suite (eval --suite general) and the math held-out set.
# Prints one table. Usage: scripts/claim-general-skills.sh [OUT_DIR] [BASE_SECONDS] [SFT_SECONDS] (defaults 240, 240)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-runs/claim-general-$(date -u +%Y%m%d-%H%M%S)}
BASE_S=${2:-240}
SFT_S=${3:-240}
mkdir -p "$OUT/data"
P=add-upto-4d,sub-upto-4d,mul-upto-2x2
$R generate -p $P -n 20000 --style digit --compact --pad-width 4 --seed 1 -o "$OUT/data/math.jsonl" >/dev/null
$R generate -p $P -n 600 --style digit --compact --pad-width 4 --seed 2 --split test -o "$OUT/data/test.jsonl" >/dev/null
echo "base: pretraining nano for $BASE_S s"
$R pretrain --time-budget "$BASE_S" --out "$OUT/base" >"$OUT/base.log" 2>&1
sft() { # NAME EXTRA...
  local name=$1; shift
  $R train --data "$OUT/data/math.jsonl" --init-from "$OUT/base" --max-steps 0 --time-budget "$SFT_S" --lr 1e-3 --batch-tokens 1024 \
    --checkpoint-every 1000 "$@" --out "$OUT/$name" >"$OUT/$name.log" 2>&1
}
echo "math SFT from the base, $SFT_S s each: math only, and with 20 % replay of the base's corpus (side by side)"
sft math-only & a=$!
sft math-replay --mix "$OUT/base/data/pretrain.jsonl:0.2" & b=$!
wait $a $b
general() { $R eval --model "$1" --suite general --per-task 100 --json --out "$OUT/general-$2.json" >/dev/null; }
math() { $R eval --model "$1" --data "$OUT/data/test.jsonl" --max-new-tokens 256 --out "$OUT/math-$2.json" >/dev/null; }
for m in base math-only math-replay; do general "$OUT/$m" "$m"; math "$OUT/$m" "$m"; done
echo
echo "| model | general suite (copy / reverse / sort) | general, all | math held-out (greedy) |"
echo "| --- | --- | ---: | ---: |"
for m in base math-only math-replay; do
  g="$OUT/general-$m.json"
  by=$(python3 -c "import json; d=json.load(open('$g'))['by_task']; print(' / '.join(f'{100*d[t]:.0f} %' for t in ('copy','reverse','sort')))")
  all=$(python3 -c "import json; print(f\"{100*json.load(open('$g'))['accuracy']:.1f} %\")")
  acc=$(python3 -c "import json; print(f\"{100*json.load(open('$OUT/math-$m.json'))['overall']['accuracy']:.1f} %\")")
  echo "| $m | $by | $all | $acc |"
done
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
g = {m: json.load(open(f"{out}/general-{m}.json"))["accuracy"] for m in ("base", "math-only", "math-replay")}
lost = g["base"] - g["math-only"]
print(f"\ngeneral skill lost by math-only: {100*lost:.1f} points; recovered by replay: " + (f"{100*(g['math-replay']-g['math-only'])/lost:.0f} % of it" if lost > 0 else "n/a (nothing lost)"))
PY
