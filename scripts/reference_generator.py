#!/usr/bin/env python3
"""Reference for the generator benchmark: a plain Python arithmetic generator in the style of public
procedural generators (random tree, string building, exact answer with fractions.Fraction, one CoT line per
operator, JSON row). It reads the same preset JSON as Reasoner so both run at the same difficulty.
Unlike Reasoner it does not re-verify what it writes. Prints items per second on one core.

usage: reference_generator.py PRESET.json SECONDS"""
import json
import random
import sys
import time
from fractions import Fraction

OPS = {
    "+": (1, lambda a, b: a + b),
    "-": (1, lambda a, b: a - b),
    "*": (2, lambda a, b: a * b),
    "/": (2, lambda a, b: a / b),
    "//": (2, lambda a, b: Fraction(a // b)),
    "%": (2, lambda a, b: a % b),
    "^": (4, lambda a, b: a ** int(b)),
}


def fmt(v):
    if v.denominator == 1:
        return str(v.numerator)
    d = v.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        places = 0
        scaled = v
        while scaled.denominator != 1:
            scaled *= 10
            places += 1
        sign = "-" if scaled < 0 else ""
        digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
        return f"{sign}{digits[:-places]}.{digits[-places:]}"
    return f"{v.numerator}/{v.denominator}"


def rnd_int(rng, digits):
    if digits == 1:
        return rng.randint(0, 9)
    return rng.randint(10 ** (digits - 1), 10 ** digits - 1)


def leaf(rng, spec, digits):
    if rng.random() < spec.get("fraction_rate", 0):
        den = rng.randint(2, 12)
        num = rng.randint(1, 2 * den - 1)
        return (f"{num} / {den}", Fraction(num, den), 2)
    value = Fraction(rnd_int(rng, digits))
    text = str(value.numerator)
    if rng.random() < spec.get("decimal_rate", 0):
        places = rng.randint(spec.get("decimal_places", {}).get("min", 1), spec.get("decimal_places", {}).get("max", 2))
        frac = rng.randint(0, 10 ** places - 1)
        if frac % 10 == 0:
            frac += 1
        value += Fraction(frac, 10 ** places)
        text = f"{text}.{str(frac).rjust(places, '0')}"
    if rng.random() < spec.get("negative_rate", 0):
        return (f"-{text}", -value, 3)
    return (text, value, 5)


def build(rng, spec, ops, steps):
    digits = spec.get("digits", {"min": 1, "max": 2})
    if ops == 0:
        return leaf(rng, spec, rng.randint(digits["min"], digits["max"]))
    op = rng.choice(spec["operators"])
    prec, fn = OPS[op]
    if op == "^":
        e = spec.get("exponent", {"min": 2, "max": 3})
        base = build(rng, spec, ops - 1, steps)
        exp = Fraction(rng.randint(e["min"], e["max"]))
        btext = base[0] if base[2] > prec else f"({base[0]})"
        value = fn(base[1], exp)
        steps.append(f"{fmt(base[1])}^{fmt(exp)} = {fmt(value)}")
        return (f"{btext}^{exp}", value, prec)
    left_ops = rng.randrange(ops) if spec.get("parentheses", True) else ops - 1
    left = build(rng, spec, left_ops, steps)
    right = build(rng, spec, ops - 1 - left_ops, steps)
    ltext = left[0] if left[2] >= prec else f"({left[0]})"
    rtext = right[0] if right[2] > prec else f"({right[0]})"
    value = fn(left[1], right[1])
    steps.append(f"{fmt(left[1])} {op} {fmt(right[1])} = {fmt(value)}")
    return (f"{ltext} {op} {rtext}", value, prec)


def main():
    spec = json.load(open(sys.argv[1]))
    seconds = float(sys.argv[2])
    rng = random.Random(7)
    ops_range = spec.get("operations", {"min": 1, "max": 1})
    seen = set()
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(64):
            steps = []
            try:
                text, value, _ = build(rng, spec, rng.randint(ops_range["min"], ops_range["max"]), steps)
            except ZeroDivisionError:
                continue
            if text in seen:
                continue
            seen.add(text)
            completion = "<think>\n" + "\n".join(steps) + f"\n</think>\n<answer>{fmt(value)}</answer>"
            json.dumps({"messages": [{"role": "user", "content": text}, {"role": "assistant", "content": completion}],
                        "expression": text, "answer": fmt(value)})
            count += 1
    print(f"{count / (time.perf_counter() - start):.0f}")


if __name__ == "__main__":
    main()
