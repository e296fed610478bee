#!/usr/bin/env python3
"""Independent oracle for every problem family's datasets (arithmetic, equations, fractions, word problems).

Reads Reasoner dataset rows (JSONL) on stdin and checks each from its text alone, sharing no code with Reasoner:
  - the gold answer: the row's `expression` evaluated exactly by sympy (Python's own parser, literals read as
    sympy.Rational), or its `equation` solved by sympy.solveset over the rationals (sympy's implicit-multiplication
    parser; two equations joined by ';' solved together by sympy.linsolve); the answer inside <answer></answer> must
    equal it too;
  - every step of the thinking: each "left = right" pair on a line whose sides are arithmetic is evaluated with
    Python's fractions.Fraction and must agree; "gcd(a, b) = c" and "lcm(a, b) = c" are recomputed with math.gcd; a
    line that is an equation in x must have the same solution set as the equation line before it (each side read as
    a linear form by Python's parser); when the first two equation lines are a system in x and y, every later
    equation line must hold at its solution.
Prints one JSON line per row (id, difficulty, value, answer_ok, final_ok, claims, wrong) or, with --summary, one
JSON object with totals by difficulty. Every row's gold value is also computed with Python's fractions alone (the
expression evaluated, the equation solved as a linear form) and must agree; --sympy-every N asks sympy for every Nth
row only (every answer and every step are still checked). Used by tests and scripts; never a runtime dependency of Reasoner."""
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
Y = sympy.Symbol("y")
TRANSFORMS = standard_transformations + (implicit_multiplication_application, rationalize)
RUN = set("0123456789+-*/(). ^%")
DIVISOR = re.compile(r"\b(gcd|lcm)\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*=\s*(-?\d+)", re.IGNORECASE)
EQUATION_LINE = re.compile(r"^[0-9xy+\-*/(). ]+=[0-9xy+\-*/(). ]+$")


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
    """{"x": a, "y": b, "": c} with side = a*x + b*y + c, read by Python's parser after writing implicit products out."""
    side = re.sub(r"(\d|\))\s*(x|y|\()", r"\1*\2", side.strip())
    tree = ast.parse(side, mode="eval")

    def combine(p, q, sign=1):
        return {k: p.get(k, Fraction(0)) + sign * q.get(k, Fraction(0)) for k in set(p) | set(q)}

    def constant(form):
        return all(v == 0 for k, v in form.items() if k)

    def walk(node):
        if isinstance(node, ast.Name) and node.id in ("x", "y"):
            return {node.id: Fraction(1)}
        if isinstance(node, ast.Constant):
            return {"": Fraction(ast.get_source_segment(side, node))}
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return {k: -v for k, v in walk(node.operand).items()}
        if isinstance(node, ast.BinOp):
            p, q = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return combine(p, q)
            if isinstance(node.op, ast.Sub):
                return combine(p, q, -1)
            if isinstance(node.op, ast.Mult) and (constant(p) or constant(q)):
                k, form = (p.get("", Fraction(0)), q) if constant(p) else (q.get("", Fraction(0)), p)
                return {key: k * v for key, v in form.items()}
            if isinstance(node.op, ast.Div) and constant(q):
                return {key: v / q.get("", Fraction(0)) for key, v in p.items()}
        raise NotArithmetic(ast.dump(node))

    return walk(tree.body)


def plane(line):
    """(a, b, c) with the line meaning a*x + b*y = c."""
    left, right = line.split("=")
    form = dict(linear(left))
    for k, v in linear(right).items():
        form[k] = form.get(k, Fraction(0)) - v
    return form.get("x", Fraction(0)), form.get("y", Fraction(0)), -form.get("", Fraction(0))


def solution_set(line):
    a, b, c = plane(line)
    if b != 0:
        raise NotArithmetic("two variables")
    if a == 0:
        return "every" if c == 0 else "none"
    return c / a


def parse_answer(text):
    text = text.strip()
    if "," in text and "=" in text:
        return {part.split("=")[0].strip(): parse_answer(part.split("=")[1]) for part in text.split(",")}
    m = re.match(r"^[a-z]\s*=\s*(.+)$", text)
    if m:
        text = m.group(1).strip()
    m = re.match(r"^(-?)(\d+) (\d+)/(\d+)$", text)
    if m:
        value = int(m.group(2)) + Fraction(int(m.group(3)), int(m.group(4)))
        return -value if m.group(1) else value
    return Fraction(text)


def fraction_value(row):
    """The gold value by Python's fractions alone, for every row: the expression evaluated, the equation solved as a
    linear form, a system by Cramer's rule."""
    equation = row.get("equation")
    if equation and ";" in equation:
        (a1, b1, c1), (a2, b2, c2) = (plane(part) for part in equation.split(";"))
        det = a1 * b2 - a2 * b1
        if det == 0:
            raise NotArithmetic(f"the system {equation} has no single solution")
        return {"x": (c1 * b2 - c2 * b1) / det, "y": (a1 * c2 - a2 * c1) / det}
    if equation:
        value = solution_set(equation)
        if not isinstance(value, Fraction):
            raise NotArithmetic(f"{equation} has {value} solution")
        return value
    value = evaluate(row["expression"])
    if value is None:
        raise NotArithmetic(f"the expression {row['expression']} does not evaluate")
    return value


def sympy_value(row):
    if row.get("equation") and ";" in row["equation"]:
        equations = []
        for part in row["equation"].split(";"):
            left, right = part.split("=")
            equations.append(parse_expr(left, local_dict={"x": X, "y": Y}, transformations=TRANSFORMS)
                             - parse_expr(right, local_dict={"x": X, "y": Y}, transformations=TRANSFORMS))
        (point,) = list(sympy.linsolve(equations, [X, Y]))
        return {"x": Fraction(int(sympy.Rational(point[0]).p), int(sympy.Rational(point[0]).q)),
                "y": Fraction(int(sympy.Rational(point[1]).p), int(sympy.Rational(point[1]).q))}
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
    equation_lines = [l.strip() for l in thinking.split("\n") if ("x" in l or "y" in l) and EQUATION_LINE.match(l.strip())]
    point = None
    if len(equation_lines) >= 2 and all("x" in l and "y" in l for l in equation_lines[:2]):
        (a1, b1, c1), (a2, b2, c2) = plane(equation_lines[0]), plane(equation_lines[1])
        det = a1 * b2 - a2 * b1
        if det != 0:
            point = ((c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det)
    seen = 0
    for line in thinking.split("\n"):
        stripped = line.strip()
        if point is not None and ("x" in stripped or "y" in stripped) and EQUATION_LINE.match(stripped):
            seen += 1
            if seen > 2:
                claims += 1
                a, b, c = plane(stripped)
                if a * point[0] + b * point[1] != c:
                    wrong.append(stripped)
            continue
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
        exact = fraction_value(row)
        value = sympy_value(row) if n % every == 0 else None
        shown = ", ".join(f"{k} = {v.numerator}/{v.denominator}" for k, v in sorted(exact.items())) if isinstance(exact, dict) else f"{exact.numerator}/{exact.denominator}"
        claims, wrong = check_steps(thinking)
        result = {"id": row["id"], "difficulty": row["difficulty"], "value": shown, "sympy_agrees": value is None or value == exact,
                  "answer_ok": gold == exact and (value is None or gold == value), "final_ok": final is not None and parse_answer(final.group(1)) == gold,
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
