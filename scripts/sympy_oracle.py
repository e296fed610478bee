#!/usr/bin/env python3
"""Independent oracle for Reasoner's evaluator.

Reads one expression per line (Reasoner syntax, '^' for power), parses it with Python's own parser
(so precedence is checked too) and evaluates it exactly with sympy. Number literals are read from their
source text with sympy.Rational, never as Python floats. Prints 'p/q' or 'error' per line.
Used by the oracle test and scripts; never a runtime dependency of Reasoner."""
import ast
import sys

import sympy


class Refused(Exception):
    """Arithmetic that has no value: division by zero, non-integer exponents."""


def value(node, source):
    if isinstance(node, ast.Constant):
        return sympy.Rational(ast.get_source_segment(source, node))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -value(node.operand, source)
    if isinstance(node, ast.BinOp):
        return apply(node.op, value(node.left, source), value(node.right, source))
    raise ValueError(f"unexpected syntax {ast.dump(node)}")


def apply(op, left, right):
    if isinstance(op, ast.Add):
        return left + right
    if isinstance(op, ast.Sub):
        return left - right
    if isinstance(op, ast.Mult):
        return left * right
    if isinstance(op, (ast.Div, ast.FloorDiv, ast.Mod)):
        if right == 0:
            raise Refused("division by zero")
        if isinstance(op, ast.Div):
            return left / right
        if isinstance(op, ast.FloorDiv):
            return sympy.floor(left / right)
        return sympy.Mod(left, right)
    if isinstance(op, ast.Pow):
        if not right.is_integer:
            raise Refused("non-integer exponent")
        if left == 0 and right < 0:
            raise Refused("zero to a negative power")
        return sympy.Pow(left, right)
    raise ValueError(f"unexpected operator {ast.dump(op)}")


def main():
    out = []
    for line in sys.stdin:
        source = line.strip().replace("^", "**")
        if not source:
            continue
        try:
            result = sympy.Rational(value(ast.parse(source, mode="eval").body, source))
            out.append(f"{result.p}/{result.q}")
        except Refused:
            out.append("error")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
