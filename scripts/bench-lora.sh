#!/usr/bin/env bash
# LoRA against full fine-tuning, same data and steps, one thread: trainable parameters, peak RSS (/usr/bin/time) and
# trained tokens/s (the run's metrics.jsonl), on the mini preset and on a random checkpoint of Qwen2.5-0.5B's size.
# Usage: scripts/bench-lora.sh [OUT]   (the 0.5B rows take about 10 minutes and 10 GB of memory for full fine-tuning)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-/tmp/bench-lora}
mkdir -p "$OUT"
$R generate --preset add-upto-4d,sub-upto-4d,mul-upto-2x2 --count 2000 --style digit --compact --pad-width 4 --out "$OUT/data.jsonl" >/dev/null 2>&1
[ -d "$OUT/mini" ] || $R pretrain --model mini --count 200 --max-steps 1 --time-budget 0 --out "$OUT/mini" >/dev/null 2>&1
[ -f "$OUT/qwen-shaped/model.safetensors" ] || dotnet run -c Release --project bench/Reasoner.Bench -- write-qwen-shaped "$OUT/qwen-shaped" >/dev/null
echo "| model | method | trainable params | peak RSS | trained tokens/s |"
echo "| --- | --- | ---: | ---: | ---: |"
for base in mini qwen-shaped; do
  init="$OUT/$base"; steps=8; batch=2048
  [ "$base" = qwen-shaped ] && { steps=3; batch=512; }
  for method in full lora; do
    run="$OUT/run-$base-$method"; rm -rf "$run"
    lora=(); [ "$method" = lora ] && lora=(--lora-r 8 --lora-alpha 16 --lora-targets q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj)
    /usr/bin/time -v $R train --data "$OUT/data.jsonl" --init-from "$init" --max-steps $steps --batch-tokens $batch --log-every 1 \
      --warmup-steps 0 --checkpoint-every 1000 --eval-every 1000 "${lora[@]}" --out "$run" >"$run.log" 2>"$run.time"
    python3 - "$run" "$base" "$method" <<'PY'
import json, sys, re
run, base, method = sys.argv[1:]
rows = [json.loads(l) for l in open(f"{run}/metrics.jsonl") if '"train"' in l]
rate = sum(r["tokens_per_second"] for r in rows[1:]) / max(1, len(rows) - 1)  # after the first step
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{run}.time").read()).group(1)) / 1e6
report = open(f"{run}/report.md").read()
params = re.search(r"([\d,]+) trainable", report)
print(f"| {base} | {method} | {params.group(1) if params else '?'} | {rss:.2f} GB | {rate:.0f} |")
PY
  done
done
