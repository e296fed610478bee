"""The report of scripts/recipe-length.sh: per-round table, final table, width counts of every training row, and
accuracy.svg (accuracy by size over rounds). Stdlib only.

usage: python3 scripts/length_report.py OUT
Rounds come from OUT/schedule.tsv (written by the recipe), sizes from OUT/eval/round-R/SIZE.json.
Fails (exit 1) if a row the compiler wrote into training data has an operand wider than 10 digits, or if a held-out
problem was trained on.
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict

OPERANDS = re.compile(r"^\s*(\d+)\s*\+\s*(\d+)\s*$")
COMPILER_LIMIT = 10


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def question(row):
    """The user message of a conversational row (TRL messages or prompt/completion)."""
    messages = row.get("messages") or row.get("prompt")
    return next(m["content"] for m in messages if m["role"] == "user")


def width(text):
    m = OPERANDS.match(text)
    if not m:
        raise SystemExit(f"not an addition of two numbers: {text!r}")
    return max(len(m.group(1)), len(m.group(2)))


def schedule(out):
    """The rounds the recipe ran so far, from OUT/schedule.tsv: round -> (lo, hi, growth)."""
    done = {}
    if os.path.exists(f"{out}/schedule.tsv"):
        for line in open(f"{out}/schedule.tsv", encoding="utf-8"):
            r, lo, hi, growth = (int(x) for x in line.split())
            done[r] = (lo, hi, growth)
    return done


def bucket(w):
    return "1-10" if w <= 10 else f"{10 * ((w - 1) // 10) + 1}-{10 * ((w - 1) // 10) + 10}"


def main():
    out = sys.argv[1]
    windows = schedule(out)
    rounds = max(windows, default=0)
    scored = {r: sorted(int(f[:-5]) for f in os.listdir(f"{out}/eval/round-{r}") if f.endswith(".json")) for r in range(rounds + 1)}
    sizes = sorted({s for r in scored for s in scored[r]})
    cpu = defaultdict(float)
    for line in open(f"{out}/cpu.tsv", encoding="utf-8"):
        label, seconds = line.split("\t")
        cpu[label] += float(seconds)
    accuracy = {(r, s): json.load(open(f"{out}/eval/round-{r}/{s}.json"))["overall"]["accuracy"] for r in scored for s in scored[r]}

    print(f"\n## Per round ({out})\n")
    print("| round | widths sampled | problems sampled | kept (accepted share by width) | CPU min (sampling + training + scoring) | " + " | ".join(f"{s}d" for s in sizes) + " |")
    print("| --- | --- | ---: | --- | ---: | " + " | ".join("---:" for _ in sizes) + " |")
    for r in range(rounds + 1):
        if r == 0:
            sampled, kept, widths = "-", "-", "1-10 (compiler traces)"
            minutes = (cpu["generate"] + cpu["train-0"] + cpu["score-0"]) / 60
        else:
            problems = rows(f"{out}/data/round-{r}.problems.jsonl")
            accepted = Counter(width(question(x)) for x in rows(f"{out}/data/round-{r}.jsonl"))
            asked = Counter(width(question(x)) for x in problems)
            widths = "{}-{}".format(*windows[r][:2])
            sampled = str(len(problems))
            kept = f"{sum(accepted.values())}: " + ", ".join(f"{b}d {100 * accepted[b] / asked[b]:.0f} %" for b in sorted(asked))
            minutes = (cpu[f"sample-{r}"] + cpu[f"train-{r}"] + cpu[f"score-{r}"]) / 60
        cells = [f"{100 * accuracy[(r, s)]:.0f} %" if (r, s) in accuracy else "-" for s in sizes]
        print(f"| {r} | {widths} | {sampled} | {kept} | {minutes:.1f} | " + " | ".join(cells) + " |")

    total = sum(cpu.values()) / 60
    print(f"\n## Final ({rounds} rounds), {total:.1f} CPU minutes in all (user + sys of every command, /usr/bin/time)\n")
    print("| size | held-out | greedy accuracy |")
    print("| --- | ---: | ---: |")
    for s in scored[rounds]:
        report = json.load(open(f"{out}/eval/round-{rounds}/{s}.json"))["overall"]
        print(f"| {s}+{s} digits | {report['n']} | {100 * report['accuracy']:.1f} % |")

    # every row any training run of this recipe read: the compiler's file and each round's kept rows
    print("\n## Operand widths of every training row written (by source)\n")
    print("| file | source | rows | widest operand | rows by width |")
    print("| --- | --- | ---: | ---: | --- |")
    trained = set()
    failures = []
    files = [("data/train.jsonl", "compiler")] + [(f"data/round-{r}.jsonl", "model (kept by the verifier)") for r in range(1, rounds + 1)]
    for name, source in files:
        data = rows(f"{out}/{name}")
        ws = Counter(width(question(x)) for x in data)
        trained.update(question(x).replace(" ", "") for x in data)
        if source == "compiler" and max(ws, default=0) > COMPILER_LIMIT:
            failures.append(f"{name}: a compiler row with a {max(ws)}-digit operand")
        if source != "compiler" and any("teacher" not in x for x in data):
            failures.append(f"{name}: a row without the teacher's provenance")
        by = ", ".join(f"{b}: {n}" for b, n in sorted(Counter(bucket(w) for w in ws.elements()).items(), key=lambda kv: int(kv[0].split('-')[0])))
        print(f"| {name} | {source} | {len(data)} | {max(ws, default=0)} | {by or '-'} |")
    overlap = sum(question(x).replace(" ", "") in trained for s in sizes for x in rows(f"{out}/data/test-{s}.jsonl"))
    print(f"\nHeld-out problems found in training rows: {overlap}.")
    if overlap:
        failures.append(f"{overlap} held-out problems were trained on")

    write_svg(f"{out}/accuracy.svg", sizes, rounds, accuracy)
    print("\nPlot: accuracy.svg (accuracy by size over rounds).")
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        sys.exit(1)


def write_svg(path, sizes, rounds, accuracy):
    w, h, left, bottom, top, right = 640, 360, 60, 50, 20, 140
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    x = {s: left + i * (w - left - right) / max(1, len(sizes) - 1) for i, s in enumerate(sizes)}
    y = lambda a: top + (1 - a) * (h - top - bottom)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{w / 2 - 60}" y="14">held-out accuracy by size</text>']
    for a in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(a)}" y2="{y(a)}" stroke="#ddd"/><text x="{left - 40}" y="{y(a) + 4}">{100 * a:.0f} %</text>')
    for s in sizes:
        parts.append(f'<text x="{x[s] - 14}" y="{h - bottom + 20}">{s}+{s}</text>')
    parts.append(f'<text x="{w / 2 - 80}" y="{h - 8}">digits per operand (trained on 1-10)</text>')
    for r in range(rounds + 1):
        color = colors[r % len(colors)]
        points = " ".join(f"{x[s]},{y(accuracy[(r, s)])}" for s in sizes if (r, s) in accuracy)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(f'<text x="{w - right + 10}" y="{top + 16 * r + 10}" fill="{color}">{"supervised" if r == 0 else f"round {r}"}</text>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
