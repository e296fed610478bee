#!/usr/bin/env bash
# Peak memory of loading a checkpoint the size of Qwen2.5-0.5B (494M parameters, bf16 on disk, random weights):
# `reasoner solve` loads it (tensor by tensor into fp32) and decodes a few tokens; /usr/bin/time reports the peak RSS,
# printed beside the model's fp32 size. Usage: scripts/bench-load.sh [DIR]   (about 2 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/reasoner-qwen-shaped}
dotnet build -c Release src/Reasoner.Cli >/dev/null
[ -f "$DIR/model.safetensors" ] || dotnet run -c Release --project bench/Reasoner.Bench -- write-qwen-shaped "$DIR"
/usr/bin/time -v dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll solve "1+1" --model "$DIR" --max-new-tokens 4 2>"$DIR.time" >/dev/null || true
rss_kb=$(grep "Maximum resident" "$DIR.time" | awk '{print $NF}')
python3 - "$rss_kb" <<'PY'
import sys
rss = int(sys.argv[1]) / 1e6
fp32 = 494_032_768 * 4 / 1e9
print(f"peak RSS {rss:.2f} GB loading a 494M-parameter checkpoint (bf16 on disk, {fp32:.2f} GB as fp32): {rss / fp32:.2f}x its fp32 bytes")
PY
