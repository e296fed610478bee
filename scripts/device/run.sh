#!/usr/bin/env bash
# One device run (scripts/device/README.md): today's transformers writes the small checkpoints the tests use
# (tests/fixtures/hf5/), opens Reasoner's own outputs (.device-in/out-direction, from scripts/hf5-out-artifacts.sh), and
# renders the real chat templates (tests/fixtures/chat-templates/) for tests/fixtures/chat-templates/expected.py.json.
set -uo pipefail
export PYTHONUNBUFFERED=1
mkdir -p /tmp/hf5
python3 scripts/device/make_transformers5_checkpoints.py /tmp/hf5 1 32 2 qwen-pre > "$OUT/make.log" 2>&1; echo "make: $?"
tar czf "$OUT/hf5.tgz" -C /tmp/hf5 .
python3 scripts/device/check_out_direction.py .device-in/out-direction tests/fixtures/hf5/qwen2-f32 > "$OUT/out-direction.json" 2> "$OUT/out-direction.log"; echo "out: $?"
python3 scripts/device/render_chat_templates.py tests/fixtures/chat-templates > "$OUT/chat-renders.json" 2> "$OUT/chat.log"; echo "chat: $?"
tail -5 "$OUT/make.log"; head -c 3000 "$OUT/out-direction.json"; tail -n 5 "$OUT/out-direction.log" "$OUT/chat.log"
