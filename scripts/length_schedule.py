"""The next round's operand widths for scripts/recipe-length.sh, from what the model solved in the round before.
Stdlib only.

usage: python3 scripts/length_schedule.py OUT ROUND   -> prints "LO HI GROWTH" for round ROUND + 1

Round 1 samples 11 .. 10 + GROWTH, just past the compiler's 10 digits (GROWTH 4, or $FIRST_GROWTH). After round r,
which sampled LO .. HI:
- the frontier F is the widest width w in LO .. HI such that every width from LO to w had at least THRESHOLD (0.5, or
  $THRESHOLD) of its problems accepted by the verifier (a problem's width is its wider operand); LO - 1 if none. A width
  drawn fewer than 10 times (the narrow end: both operands must be that narrow) is judged together with the widths above
  it until the group holds 10 problems, so a width that was drawn once, or never, does not stop the frontier;
- GROWTH becomes ceil(1.5 GROWTH) when every width of the round passed, half of it (at least 2) when none did, and
  stays otherwise;
- the next round samples F + 1 .. F + GROWTH.
So the widths grow as fast as the model's own verified work allows (Lee et al. 2025 grow one digit a round), and a
round that kept little is followed by a narrower one instead of a wider one.
"""
import math
import os
import sys
from collections import Counter

from length_report import COMPILER_LIMIT, question, rows, schedule, width

MIN_GROUP = 10


def next_window(out, r):
    threshold = float(os.environ.get("THRESHOLD", "0.5"))
    if r == 0:
        growth = int(os.environ.get("FIRST_GROWTH", "4"))
        return COMPILER_LIMIT + 1, COMPILER_LIMIT + growth, growth
    lo, hi, growth = schedule(out)[r]
    asked = Counter(width(question(x)) for x in rows(f"{out}/data/round-{r}.problems.jsonl"))
    kept = Counter(width(question(x)) for x in rows(f"{out}/data/round-{r}.jsonl"))
    frontier, group_asked, group_kept = lo - 1, 0, 0
    for w in range(lo, hi + 1):
        group_asked, group_kept = group_asked + asked[w], group_kept + kept[w]
        if group_asked < MIN_GROUP and w < hi:
            continue
        if group_asked and group_kept / group_asked >= threshold:
            frontier, group_asked, group_kept = w, 0, 0
        else:
            break
    if frontier == hi:
        growth = math.ceil(1.5 * growth)
    elif frontier < lo:
        growth = max(2, growth // 2)
    return frontier + 1, frontier + growth, growth


if __name__ == "__main__":
    print(*next_window(sys.argv[1], int(sys.argv[2])))
