#!/usr/bin/env bash
# `reasoner serve` under load and against llama.cpp. Starts the server on a free port with MODEL (default: a random
# `mini` checkpoint written to OUT/model, with its GGUF), then: C concurrent streaming clients for SECONDS each at
# C = 1, 4, 16, 64 (throughput, p50/p95 latency, time to first token, errors, exactly-once checks, server RSS at the
# start and the end of each row); the same 16 requests one after another and all at once (the speed-up ratio, target
# >= 4x) with time to first token, and llama.cpp's batch-1 decode of the same GGUF; then SIGTERM and the exit code.
# Usage: scripts/bench-serve.sh [OUT] [SECONDS] [PRESET]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-/tmp/bench-serve}; SECONDS_EACH=${2:-20}; PRESET=${3:-mini}
B="dotnet run -c Release --project bench/Reasoner.Bench --"
mkdir -p "$OUT"
[ -f "$OUT/model/model.safetensors" ] || $B write-random-model "$OUT/model" "$PRESET"
$R serve --model "bench=$OUT/model" --port 0 --max-batch 64 --max-queue 256 >"$OUT/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do grep -q "serving on" "$OUT/serve.log" && break; sleep 0.5; done
url=$(grep -o 'serving on http://[^/]*' "$OUT/serve.log" | sed 's/serving on //')
echo "# $(grep '^loaded' "$OUT/serve.log"); $url; $(nproc) cores"
echo "# C clients, each sending streamed requests (64 new tokens, greedy) back to back for $SECONDS_EACH s"
echo "| clients | requests | errors | lost | duplicated | server counted | tokens/s | p50 latency (s) | p95 latency (s) | p50 first token (s) | RSS start | RSS end |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
status=0
for c in 1 4 16 64; do
  $B serve-load "$url" bench --clients "$c" --seconds "$SECONDS_EACH" --max-tokens 64 --pid "$pid" || status=1
done
echo
threads=$(( $(nproc) > 1 ? $(nproc) - 1 : 1 )) # the server's default: all cores but one
$B serve-speed "$url" bench --gguf "$OUT/model.gguf" --max-tokens 128 --threads "$threads" || status=1
kill -TERM "$pid"
wait "$pid" && code=0 || code=$?
echo "server exit code after SIGTERM: $code"
exit $status
