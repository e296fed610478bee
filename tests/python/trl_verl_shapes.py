"""Drives python/reasoner_rewards.py against a running `reasoner serve --rewards`, with the exact call shapes TRL's
GRPOTrainer and verl's reward managers use, and checks every value. Usage: trl_verl_shapes.py URL API_KEY.
Prints one JSON line of what it saw; exits non-zero on the first mismatch. Standard library only."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import reasoner_rewards as rr  # noqa: E402

url, key = sys.argv[1], sys.argv[2]
right = "<think>\n12 * 8 = 96\n96 - 5 = 91\n</think>\n<answer>91</answer>"
wrong_step = "<think>\n12 * 8 = 96\n96 - 5 = 90\n</think>\n<answer>90</answer>"
no_format = "The answer is 91."
system = "<think>\nx + y = 5\n</think>\n<answer>x = 3, y = 2</answer>"

# TRL: GRPOTrainer._calculate_rewards calls each function as
#   reward_func(prompts=prompts, completions=completions, completion_ids=completion_ids_list, **reward_kwargs)
# where reward_kwargs holds every other dataset column (one value per completion) and trainer_state.
funcs = rr.trl_reward_funcs(["accuracy", "format", "steps"], base_url=url, api_key=key)
assert [f.__name__ for f in funcs] == ["accuracy", "format", "steps"], [f.__name__ for f in funcs]
prompts = ["12 boxes of 8 apples, 5 eaten. How many left?"] * 3 + ["Solve x + y = 5, x - y = 1"]
completions = [right, wrong_step, no_format, system]
kwargs = dict(prompts=prompts, completions=completions, completion_ids=[[1, 2, 3]] * 4, answer=["91", "91", "91", "x = 3, y = 2"], trainer_state=None)
seen = {f.__name__: f(**kwargs) for f in funcs}
assert seen["accuracy"] == [1.0, 0.0, 1.0, 1.0], seen
assert seen["format"] == [1.0, 1.0, 0.0, 1.0], seen
assert seen["steps"] == [1.0, 0.5, None, None], seen  # None: no `a op b = c` claim to check (TRL skips it)

# Conversational datasets: each completion is a list of messages.
chat = [[{"role": "assistant", "content": right}], [{"role": "assistant", "content": wrong_step}]]
assert funcs[0](prompts=[[{"role": "user", "content": "q"}]] * 2, completions=chat, completion_ids=[[1], [2]], answer=[91, "91"]) == [1.0, 0.0]

total = rr.trl_total_reward("accuracy:1,format:0.1", base_url=url, api_key=key)
totals = total(prompts=prompts, completions=completions, completion_ids=[[1]] * 4, answer=kwargs["answer"])
assert [round(t, 9) for t in totals] == [1.1, 0.1, 1.0, 1.1], totals

# verl: NaiveRewardManager calls compute_score(data_source=, solution_str=, ground_truth=, extra_info=);
# BatchRewardManager calls compute_score(data_sources=, solution_strs=, ground_truths=, extra_infos=).
one = rr.compute_score(data_source="reasoner/arithmetic", solution_str=right, ground_truth="91", extra_info={"index": 0}, base_url=url, api_key=key)
assert one["score"] == 1.1 and one["acc"] == 1.0 and one["format"] == 1.0, one
batch = rr.compute_score_batch(data_sources=["a", "b"], solution_strs=[wrong_step, system], ground_truths=["91", "x=3,y=2"], extra_infos=[{}, {}], rewards="accuracy:1,steps:0.5", base_url=url, api_key=key)
assert [b["score"] for b in batch] == [0.25, 1.0] and [b["steps"] for b in batch] == [0.5, None], batch

# Refusals carry the server's message, naming the field.
for call, expect in [
    (lambda: funcs[0](completions=[right], answer=["ninety-one"]), "answer[0]"),
    (lambda: rr.RewardClient(url, "sk-wrong-key-000000").score([right], ["91"]), "401"),
    (lambda: funcs[0](completions=[right], solution=["91"]), "no 'answer' column"),
]:
    try:
        call()
    except (rr.RewardServiceError, KeyError) as error:
        assert expect in str(error), (expect, str(error))
    else:
        raise AssertionError(f"expected a refusal mentioning {expect}")

print(json.dumps({"trl": seen, "trl_total": totals, "verl": one, "verl_batch": batch}))
