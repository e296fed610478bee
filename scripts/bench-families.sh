#!/usr/bin/env bash
# Data speed against reasoning-gym, one core, in one run: items per second for generation plus full re-verification.
# Reasoner: `reasoner generate` (draw, trace the chain of thought, re-verify the answer, the format and every step from
# the row's text, write JSONL). reasoning-gym: its nearest generators (simple_equations, fraction_simplification,
# gsm_symbolic), generation plus score_answer on every item (no chain of thought exists to check). reasoning-gym is
# fetched as a checkout (it needs only Python and sympy); the few modules these tasks use are copied out of it, since
# its package __init__ imports every task and their dependencies.
# usage: scripts/bench-families.sh REASONING_GYM_CHECKOUT [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
rg="${1:?path to a reasoning-gym git checkout (github.com/open-thought/reasoning-gym)}"; count="${2:-20000}"
dotnet build src/Reasoner.Cli -c Release -v quiet -nologo >/dev/null
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for f in $(git -C "$rg" ls-tree -r --name-only HEAD reasoning_gym/factory.py reasoning_gym/dataset.py reasoning_gym/utils.py \
    reasoning_gym/coaching/attributes.py reasoning_gym/coaching/base_curriculum.py reasoning_gym/algebra/simple_equations.py \
    reasoning_gym/arithmetic/fraction_simplification.py reasoning_gym/arithmetic/gsm_symbolic); do
  mkdir -p "$work/$(dirname "$f")"; git -C "$rg" show "HEAD:$f" > "$work/$f"
done
touch "$work/reasoning_gym/__init__.py" "$work/reasoning_gym/algebra/__init__.py" "$work/reasoning_gym/arithmetic/__init__.py"
printf 'from .attributes import AttributeDefinition, RangeAttributeDefinition, ScalarAttributeDefinition\nfrom .base_curriculum import BaseCurriculum\n' > "$work/reasoning_gym/coaching/__init__.py"
echo "reasoning-gym $(git -C "$rg" log -1 --format='%h %cs'), $count items per cell, one core (taskset -c 0)"
echo "| Reasoner preset | items/s | reasoning-gym task | items/s | ratio |"
echo "| --- | ---: | --- | ---: | ---: |"
for pair in eq-2:simple_equations eq-4:simple_equations fr-1:fraction_simplification fr-3:fraction_simplification wp-1:gsm_symbolic wp-3:gsm_symbolic; do
  preset="${pair%%:*}"; task="${pair#*:}"
  start=$(date +%s.%N)
  log=$(taskset -c 0 dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll generate --preset "$preset" --count "$count" --seed 1 --out "$work/$preset.jsonl" 2>&1) \
    || { echo "$log" >&2; echo "reasoner generate --preset $preset --count $count failed (a level smaller than COUNT runs out of distinct problems)" >&2; exit 2; }
  ours=$(python3 -c "import sys; print(int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])))" "$count" "$start" "$(date +%s.%N)")
  theirs=$(taskset -c 0 python3 scripts/reasoning_gym_speed.py "$work" "$task" "$count" | python3 -c "import json,sys; print(json.load(sys.stdin)['items_per_second'])")
  python3 -c "import sys; o, t = float(sys.argv[3]), float(sys.argv[5]); print(f'| {sys.argv[1]} | {o:,.0f} | {sys.argv[2]} | {t:,.0f} | {o / t:.1f}x |')" "$preset" "$task" "$ours" "$task" "$theirs"
done
