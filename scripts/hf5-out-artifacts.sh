#!/usr/bin/env bash
# Reasoner -> Hugging Face, the local half: makes what transformers and PEFT must open (a checkpoint, a LoRA run on it,
# its merge, a safetensors export, and a LoRA run on a transformers-5 Qwen2 folder), and Reasoner's own greedy
# completions for each, in OUT (default .device-in/out-direction). scripts/device/check_out_direction.py then opens them
# with transformers and PEFT on a machine that has them and compares the greedy text; see docs/2026-12-04-transformers5.md.
# Usage: scripts/hf5-out-artifacts.sh [OUT] [HF5_QWEN2_FOLDER]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-.device-in/out-direction}
HF=${2:-tests/fixtures/hf5/qwen2-f32}
rm -rf "$OUT"; mkdir -p "$OUT"
$R generate --preset add-upto-4d,sub-upto-4d --count 3000 --style digit --compact --pad-width 4 --seed 1 --out "$OUT/train.jsonl" >/dev/null
$R generate --preset add-upto-4d,sub-upto-4d --count 40 --split test --seed 2 --style digit --compact --pad-width 4 --out "$OUT/test.jsonl" >/dev/null
$R train --data "$OUT/train.jsonl" --max-steps 700 --batch-tokens 1024 --lr 1e-3 --seed 1 --out "$OUT/sft" >/dev/null
$R train --init-from "$OUT/sft" --data "$OUT/train.jsonl" --lora-r 8 --lora-alpha 16 --max-steps 60 --lr 1e-3 --seed 1 --out "$OUT/lora" >/dev/null
$R merge "$OUT/lora" --out "$OUT/merged" >/dev/null
$R export "$OUT/sft" --format safetensors --out "$OUT/export" >/dev/null
$R train --init-from "$HF" --data "$OUT/train.jsonl" --lora-r 4 --lora-alpha 8 --max-steps 20 --lr 1e-2 --seed 1 --out "$OUT/hf-lora" >/dev/null
for m in sft lora merged export hf-lora; do
  $R eval --model "$OUT/$m" --data "$OUT/test.jsonl" --max-new-tokens 120 --out "$OUT/$m.eval.json" >/dev/null
done
echo "artifacts in $OUT"
