#!/usr/bin/env bash
# Training and generation throughput of the model presets, beside PyTorch (Debian python3-torch) on the same
# model and batch. Installs python3-torch and OpenBLAS if missing. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi
dotnet run -c Release --project bench/Reasoner.Bench -- train
