#!/usr/bin/env python3
"""Independent oracle for the equations family: reads one equation per line as Reasoner writes it
("3(x - 2) + 5 = 2x + 7": implicit multiplication, one variable x), turns it into sympy with sympy's own
parser (implicit multiplication transformations), solves it exactly and prints the solution as 'p/q', or
'none' / 'every' / 'error'. Shares no code with Reasoner; never a runtime dependency."""
import sys

import sympy
from sympy.parsing.sympy_parser import (parse_expr, standard_transformations,
                                        implicit_multiplication_application, rationalize)

TRANSFORMS = standard_transformations + (implicit_multiplication_application, rationalize)
x = sympy.Symbol("x")

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        left, right = line.split("=")
        equation = sympy.Eq(parse_expr(left, local_dict={"x": x}, transformations=TRANSFORMS),
                            parse_expr(right, local_dict={"x": x}, transformations=TRANSFORMS))
        solutions = sympy.solveset(equation, x, domain=sympy.S.Rationals)
        if solutions == sympy.S.Rationals:
            print("every")
        elif solutions == sympy.S.EmptySet:
            print("none")
        else:
            (value,) = list(solutions)
            value = sympy.Rational(value)
            print(f"{value.p}/{value.q}")
    except Exception as error:  # noqa: BLE001 - report, keep going
        print("error")
