#!/usr/bin/env python3
"""Independent oracle for every problem family's datasets (arithmetic, equations, fractions, word problems).

Reads Reasoner dataset rows (JSONL) on stdin and checks each from its text alone, sharing no code with Reasoner:
  - the gold answer: the row's `expression` evaluated exactly by sympy (Python's own parser, literals read as
    sympy.Rational), or its `equation` solved by sympy.solveset over the rationals (sympy's implicit-multiplication
    parser); the answer inside <answer></answer> must equal it too;
  - every step of the thinking: each "left = right" pair on a line whose sides are arithmetic is evaluated with
    Python's fractions.Fraction and must agree; "gcd(a, b) = c" and "lcm(a, b) = c" are recomputed with math.gcd; a
    line that is an equation in x must have the same solution set as the equation line before it (each side read as
    a linear form by Python's parser).
Prints one JSON line per row (id, difficulty, value, answer_ok, final_ok, claims, wrong) or, with --summary, one
JSON object with totals by difficulty. --sympy-every N asks sympy for the gold value of every Nth row only (the
steps are always all checked). Used by tests and scripts; never a runtime dependency of Reasoner."""
import ast
import json
import math
import re
import sys
from fractions import Fraction

import sympy
from sympy.parsing.sympy_parser import (implicit_multiplication_application, parse_expr, rationalize,
                                        standard_transformations)

X = sympy.Symbol("x")
TRANSFORMS = standard_transformations + (implicit_multiplication_application, rationalize)
RUN = set("0123456789+-*/(). ^%")
DIVISOR = re.compile(r"\b(gcd|lcm)\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*=\s*(-?\d+)", re.IGNORECASE)
EQUATION_LINE = re.compile(r"^[0-9x+\-*/(). ]+=[0-9x+\-*/(). ]+$")


class NotArithmetic(Exception):
    pass


def evaluate(text):
    """The exact value of an arithmetic text, or None when it is not one."""
    text = text.strip()
    if not text or not any(c.isdigit() for c in text):
        return None
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError:
        return None

    def walk(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(ast.get_source_segment(text.replace("^", "**"), node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = walk(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if isinstance(node.op, ast.Div):
                return a / b
            if isinstance(node.op, ast.FloorDiv):
                return Fraction(math.floor(a / b))
            if isinstance(node.op, ast.Mod):
                return a - b * math.floor(a / b)
            if isinstance(node.op, ast.Pow) and b.denominator == 1 and abs(b) <= 1000:
                return a ** int(b)
        raise NotArithmetic(ast.dump(node))

    try:
        return walk(tree.body)
    except (NotArithmetic, ZeroDivisionError, ValueError, OverflowError):
        return None


def trailing_run(text):
    """The arithmetic text at the end of `text`, shortest prefix dropped until it parses."""
    i = len(text)
    while i > 0 and text[i - 1] in RUN:
        i -= 1
    run = text[i:]
    for start in range(len(run)):
        if run[start] == " ":
            continue
        if evaluate(run[start:]) is not None:
            return run[start:].strip()
    return None


def leading_run(text):
    """The arithmetic text at the start of `text`, up to a letter, comma, colon or the sentence's end."""
    i = 0
    while i < len(text) and text[i] in RUN:
        i += 1
    run = text[:i].rstrip(" .")
    while run and evaluate(run) is None:
        run = run[:-1].rstrip(" .")
    return run or None


def linear(side):
    """(a, b) with side = a*x + b, read by Python's parser after writing implicit products out."""
    side = re.sub(r"(\d|\))\s*(x|\()", r"\1*\2", side.strip())
    tree = ast.parse(side, mode="eval")

    def walk(node):
        if isinstance(node, ast.Name) and node.id == "x":
            return (Fraction(1), Fraction(0))
        if isinstance(node, ast.Constant):
            return (Fraction(0), Fraction(ast.get_source_segment(side, node)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            a, b = walk(node.operand)
            return (-a, -b)
        if isinstance(node, ast.BinOp):
            (a1, b1), (a2, b2) = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return (a1 + a2, b1 + b2)
            if isinstance(node.op, ast.Sub):
                return (a1 - a2, b1 - b2)
            if isinstance(node.op, ast.Mult) and (a1 == 0 or a2 == 0):
                return (a1 * b2 + a2 * b1, b1 * b2)
            if isinstance(node.op, ast.Div) and a2 == 0:
                return (a1 / b2, b1 / b2)
        raise NotArithmetic(ast.dump(node))

    return walk(tree.body)


def solution_set(line):
    left, right = line.split("=")
    (a1, b1), (a2, b2) = linear(left), linear(right)
    a, b = a1 - a2, b2 - b1  # a x = b
    if a == 0:
        return "every" if b == 0 else "none"
    return b / a


def parse_answer(text):
    text = text.strip()
    m = re.match(r"^[a-z]\s*=\s*(.+)$", text)
    if m:
        text = m.group(1).strip()
    m = re.match(r"^(-?)(\d+) (\d+)/(\d+)$", text)
    if m:
        value = int(m.group(2)) + Fraction(int(m.group(3)), int(m.group(4)))
        return -value if m.group(1) else value
    return Fraction(text)


def sympy_value(row):
    if row.get("equation"):
        left, right = row["equation"].split("=")
        eq = sympy.Eq(parse_expr(left, local_dict={"x": X}, transformations=TRANSFORMS),
                      parse_expr(right, local_dict={"x": X}, transformations=TRANSFORMS))
        solutions = sympy.solveset(eq, X, domain=sympy.S.Rationals)
        (value,) = list(solutions)
        value = sympy.Rational(value)
    else:
        source = row["expression"].replace("^", "**")
        tree = ast.parse(source, mode="eval")

        def walk(node):
            if isinstance(node, ast.Constant):
                return sympy.Rational(ast.get_source_segment(source, node))
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
                return -walk(node.operand)
            if isinstance(node, ast.BinOp):
                a, b = walk(node.left), walk(node.right)
                ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b, ast.Div: lambda: a / b,
                       ast.FloorDiv: lambda: sympy.floor(a / b), ast.Mod: lambda: a - b * sympy.floor(a / b),
                       ast.Pow: lambda: a ** b}
                return ops[type(node.op)]()
            raise NotArithmetic(ast.dump(node))

        value = sympy.Rational(walk(tree.body))
    return Fraction(int(value.p), int(value.q))


def check_steps(thinking):
    claims, wrong = 0, []
    previous = None
    for line in thinking.split("\n"):
        stripped = line.strip()
        if "x" in stripped and EQUATION_LINE.match(stripped):
            try:
                solutions = solution_set(stripped)
            except (NotArithmetic, SyntaxError, ZeroDivisionError):
                wrong.append(stripped)
                continue
            if previous is not None:
                claims += 1
                if solutions != previous:
                    wrong.append(stripped)
            previous = solutions
            continue
        for m in DIVISOR.finditer(line):
            claims += 1
            a, b, c = int(m.group(2)), int(m.group(3)), int(m.group(4))
            g = math.gcd(a, b)
            actual = g if m.group(1).lower() == "gcd" else (abs(a * b) // g if g else 0)
            if actual != c:
                wrong.append(m.group(0))
        line = DIVISOR.sub(" ; ", line)
        parts = line.split("=")
        for left_part, right_part in zip(parts, parts[1:]):
            left, right = trailing_run(left_part), leading_run(right_part)
            if left is None or right is None:
                continue
            claims += 1
            if evaluate(left) != evaluate(right):
                wrong.append(f"{left} = {right}")
    return claims, wrong


def main():
    summary = "--summary" in sys.argv
    every = int(sys.argv[sys.argv.index("--sympy-every") + 1]) if "--sympy-every" in sys.argv else 1
    totals = {}
    for n, line in enumerate(sys.stdin):
        if not line.strip():
            continue
        row = json.loads(line)
        messages = row.get("messages") or (row.get("prompt", []) + row.get("completion", []))
        completion = [m for m in messages if m["role"] == "assistant"][-1]["content"]
        thinking = completion.split("<think>", 1)[1].split("</think>", 1)[0] if "<think>" in completion else ""
        final = re.search(r"<answer>(.*?)</answer>", completion, re.S)
        gold = parse_answer(row["answer"])
        value = sympy_value(row) if n % every == 0 else None
        claims, wrong = check_steps(thinking)
        result = {"id": row["id"], "difficulty": row["difficulty"], "value": None if value is None else f"{value.numerator}/{value.denominator}",
                  "answer_ok": value is None or gold == value, "final_ok": final is not None and parse_answer(final.group(1)) == gold,
                  "claims": claims, "wrong": wrong}
        if not summary:
            print(json.dumps(result))
            continue
        t = totals.setdefault(row["difficulty"], {"items": 0, "sympy_checked": 0, "wrong_answers": 0, "wrong_steps": 0, "claims": 0, "first_wrong": None})
        t["items"] += 1
        t["sympy_checked"] += value is not None
        t["wrong_answers"] += (not result["answer_ok"]) or (not result["final_ok"])
        t["wrong_steps"] += len(wrong)
        t["claims"] += claims
        if (wrong or not result["answer_ok"] or not result["final_ok"]) and t["first_wrong"] is None:
            t["first_wrong"] = result
    if summary:
        print(json.dumps(totals, indent=1))


if __name__ == "__main__":
    main()
