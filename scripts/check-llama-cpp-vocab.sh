#!/usr/bin/env bash
# Our tokenizer.json loader against llama.cpp's tokenizer test vectors: DIR holds models/ggml-vocab-*.gguf with their
# .inp/.out files from llama.cpp's repository (not committed here: third-party data). Byte-level BPE vocabularies whose
# pre-tokenizer we implement are checked case by case; the others are listed as skipped.
# Usage: scripts/check-llama-cpp-vocab.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Reasoner.Bench -- vocab-vectors "${1:?usage: scripts/check-llama-cpp-vocab.sh DIR}"
