"""Reasoner's verifier as rewards for TRL and verl, over `reasoner serve --rewards` (POST /v1/rewards).

Standard library only: copy this one file next to a training script. The server judges every answer exactly
(rational arithmetic) and re-checks every `a op b = c` step; this module only moves text and numbers.

TRL (GRPOTrainer):
    from reasoner_rewards import trl_reward_funcs
    trainer = GRPOTrainer(model=..., reward_funcs=trl_reward_funcs(["accuracy", "format"]),
                          args=GRPOConfig(reward_weights=[1.0, 0.1]), train_dataset=ds)  # ds has an "answer" column

verl (custom_reward_function):
    custom_reward_function.path=reasoner_rewards.py custom_reward_function.name=compute_score
    (or compute_score_batch with reward_model.reward_manager=batch)

Where the server is: REASONER_REWARDS_URL (default http://127.0.0.1:8000) and REASONER_API_KEY, or the arguments.
Rewards are `accuracy` (1 or 0), `format` (the R1 template: 1 or 0), `steps` (share of right claims; None when a
completion makes none) and `length` (DAPO's overlong penalty); None means "does not apply", as in TRL.
"""

import json
import os
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_REWARDS = "accuracy:1,format:0.1"


class RewardServiceError(RuntimeError):
    """The reward service refused the request (the message is the server's, naming the bad field) or is unreachable."""


class RewardClient:
    def __init__(self, base_url=None, api_key=None, timeout=120.0):
        self.base_url = (base_url or os.environ.get("REASONER_REWARDS_URL") or DEFAULT_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("REASONER_API_KEY")
        self.timeout = timeout

    def score(self, completions, answers, reward_funcs=None, reward_weights=None, prompts=None, details=False):
        """One request: {"reward_funcs", "reward_weights", "rewards": {name: [value or None]}, "total": [...]}."""
        body = {"completions": list(completions), "answer": [_gold(a) for a in answers]}
        if reward_funcs is not None:
            body["reward_funcs"] = reward_funcs if isinstance(reward_funcs, str) else list(reward_funcs)
        if reward_weights is not None:
            body["reward_weights"] = [float(w) for w in reward_weights]
        if prompts is not None:
            body["prompts"] = list(prompts)
        if details:
            body["details"] = True
        request = urllib.request.Request(
            self.base_url + "/v1/rewards",
            data=json.dumps(body).encode("utf-8"),
            headers=_headers(self.api_key),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise RewardServiceError(f"{self.base_url}/v1/rewards answered {error.code}: {_message(error)}") from None
        except urllib.error.URLError as error:
            raise RewardServiceError(
                f"cannot reach the reward service at {self.base_url} ({error.reason}): start it with "
                "`reasoner serve --rewards`, or set REASONER_REWARDS_URL"
            ) from None


def trl_reward_funcs(names=("accuracy", "format"), base_url=None, api_key=None, answer_column="answer", timeout=120.0):
    """One TRL reward function per name: f(completions, **kwargs) -> list[float | None], named after the reward.

    TRL passes the dataset's columns as keyword arguments, one value per completion; the gold answers are read from
    `answer_column`. Weights stay in GRPOConfig.reward_weights, as for any TRL reward function.
    """
    client = RewardClient(base_url, api_key, timeout)

    def make(name):
        def reward(completions, **kwargs):
            answers = _column(kwargs, answer_column, len(completions))
            return client.score(completions, answers, reward_funcs=[name])["rewards"][name]

        reward.__name__ = name
        reward.__qualname__ = name
        return reward

    return [make(name) for name in names]


def trl_total_reward(rewards=DEFAULT_REWARDS, base_url=None, api_key=None, answer_column="answer", timeout=120.0):
    """A single TRL reward function: the server's weighted total of `rewards` ("name:weight,..."), one request per batch."""
    client = RewardClient(base_url, api_key, timeout)

    def reasoner(completions, **kwargs):
        answers = _column(kwargs, answer_column, len(completions))
        return client.score(completions, answers, reward_funcs=rewards)["total"]

    return reasoner


def compute_score(data_source, solution_str, ground_truth, extra_info=None, rewards=None, base_url=None, api_key=None, **kwargs):
    """verl's custom reward function: {"score": weighted total, "acc": accuracy, and each reward by name}."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info], rewards, base_url, api_key)[0]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, rewards=None, base_url=None, api_key=None, **kwargs):
    """verl's batch reward manager: one request for the whole batch, one dict per completion."""
    spec = rewards or os.environ.get("REASONER_REWARD_FUNCS") or DEFAULT_REWARDS
    reply = RewardClient(base_url, api_key).score(solution_strs, ground_truths, reward_funcs=spec)
    results = []
    for i, total in enumerate(reply["total"]):
        result = {"score": 0.0 if total is None else float(total)}
        for name, values in reply["rewards"].items():
            result[name] = values[i]
        if "accuracy" in reply["rewards"]:
            result["acc"] = reply["rewards"]["accuracy"][i]
        results.append(result)
    return results


def _gold(answer):
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return str(answer)
    if isinstance(answer, str):
        return answer
    raise TypeError(f"a gold answer must be a string or a number, not {type(answer).__name__}: {answer!r}")


def _column(kwargs, name, count):
    if name not in kwargs:
        raise KeyError(
            f"TRL passed no '{name}' column to the reward function (columns: {sorted(kwargs)}); "
            "give the dataset an answer column or pass answer_column="
        )
    values = list(kwargs[name])
    if len(values) != count:
        raise ValueError(f"'{name}' has {len(values)} values for {count} completions")
    return values


def _headers(api_key):
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = "Bearer " + api_key
    return headers


def _message(error):
    try:
        return json.loads(error.read().decode("utf-8"))["error"]["message"]
    except Exception:  # noqa: BLE001 - any unreadable error body: say what we know
        return error.reason
