#!/usr/bin/env bash
# The oracle table: generates N items (default 100,000) of every level of every family with `reasoner generate`
# and checks every answer and every step with scripts/family_oracle.py (sympy and Python's fractions; no code shared
# with Reasoner). A level whose problem space holds fewer distinct training problems than N is generated whole (the
# count `generate` reports when it runs out), and the table says so. Prints a Markdown table; exits 1 on any wrong
# answer or step. Needs python3 with sympy. Takes about 25 minutes for 100,000 per level on 2 cores.
# usage: [FAMILIES="equations fractions"] scripts/oracle-families.sh [N] [SEED] [--sympy-every K]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; seed="${2:-2026}"; shift $(( $# > 2 ? 2 : $# )) || true
dotnet build src/Reasoner.Cli -c Release -v quiet -nologo >/dev/null
reasoner() { dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll "$@"; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
presets=$(reasoner presets | awk '/^[a-z-]+ \(/ { family=$1 } /^  / { if (family != "arithmetic" || $1 ~ /^level-/) print family ":" $1 }')
if [ -n "${FAMILIES:-}" ]; then  # FAMILIES="fractions word-problems": only these families
  presets=$(for entry in $presets; do if [[ " $FAMILIES " == *" ${entry%%:*} "* ]]; then echo "$entry"; fi; done)
fi
echo "| family | level | items | wrong answers | wrong steps | steps checked | gold by sympy | note |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
status=0
for entry in $presets; do
  family="${entry%%:*}"; preset="${entry#*:}"; count="$n"; note=""
  # A smaller count also gets a smaller budget of draws, so it can run out again a little earlier: ask again.
  while ! out=$(reasoner generate --preset "$preset" --count "$count" --seed "$seed" --style digit --out "$work/$preset.jsonl" 2>&1); do
    count=$(sed -n 's/.*ran out of distinct train problems after \([0-9]*\) items.*/\1/p' <<<"$out")
    [ -n "$count" ] && [ "$count" -gt 0 ] || { echo "$out" >&2; exit 2; }
    note="all $count distinct training problems"
  done
  python3 scripts/family_oracle.py --summary "$@" < "$work/$preset.jsonl" > "$work/$preset.json"
  read -r items wrong_answers wrong_steps claims sympy < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1]))[sys.argv[2]]; print(d['items'], d['wrong_answers'], d['wrong_steps'], d['claims'], d['sympy_checked'])" "$work/$preset.json" "$preset")
  echo "| $family | $preset | $items | $wrong_answers | $wrong_steps | $claims | $sympy | $note |"
  if [ "$wrong_answers" != 0 ] || [ "$wrong_steps" != 0 ]; then status=1; python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]['first_wrong'])" "$work/$preset.json" "$preset" >&2; fi
  rm -f "$work/$preset.jsonl"
done
exit $status
