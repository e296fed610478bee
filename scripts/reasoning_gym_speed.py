#!/usr/bin/env python3
"""reasoning-gym's side of scripts/bench-families.sh: items per second for one task generator, generation plus its own
scoring of every item (score_answer on the gold answer; it has no chain of thought to check).
usage: reasoning_gym_speed.py PACKAGE_ROOT TASK COUNT   (TASK: simple_equations, fraction_simplification, gsm_symbolic)"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])
task, count = sys.argv[2], int(sys.argv[3])
if task == "simple_equations":
    from reasoning_gym.algebra.simple_equations import SimpleEquationsConfig as Config, SimpleEquationsDataset as Dataset
elif task == "fraction_simplification":
    from reasoning_gym.arithmetic.fraction_simplification import FractionSimplificationConfig as Config, FractionSimplificationDataset as Dataset
else:
    from reasoning_gym.arithmetic.gsm_symbolic import GSMSymbolicDatasetConfig as Config, GSMSymbolicDataset as Dataset

start = time.perf_counter()
dataset = Dataset(Config(seed=1, size=count))
items = [dataset[i] for i in range(count)]
score = sum(dataset.score_answer(item["answer"], item) for item in items)
seconds = time.perf_counter() - start
print(json.dumps({"task": task, "items": count, "seconds": seconds, "items_per_second": count / seconds, "score": score}))
