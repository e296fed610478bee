#!/usr/bin/env python3
"""Reasoner -> Hugging Face, the device half: transformers and PEFT open what Reasoner wrote (scripts/hf5-out-artifacts.sh)
and decode greedily; the text must equal Reasoner's own greedy completion (its eval.samples.jsonl) on every problem.
Also PEFT's merge_and_unload against `reasoner merge` (max |logit difference|). Prints one JSON object.
Usage: check_out_direction.py ARTIFACTS_DIR BASE_FOLDER_FOR_THE_HF_LORA"""
import json, os, sys
import torch, transformers, peft
from transformers import AutoModelForCausalLM, AutoTokenizer
from peft import PeftModel

root, hf_base = sys.argv[1], os.path.abspath(sys.argv[2])
torch.manual_seed(0)
result = {"versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__}, "runs": {}}

def newest_checkpoint(run):
    ck = os.path.join(run, "checkpoints")
    if not os.path.isdir(ck):
        return run
    names = [n for n in os.listdir(ck) if n.startswith("checkpoint-") and ".tmp" not in n]
    return os.path.join(ck, max(names, key=lambda n: int(n.split("-")[1])))

def samples(name):
    with open(os.path.join(root, "test.jsonl")) as f:
        prompts = {r["id"]: next(m["content"] for m in r["messages"] if m["role"] == "user") for r in map(json.loads, f)}
    with open(os.path.join(root, f"{name}.eval.samples.jsonl")) as f:
        return [dict(json.loads(l), prompt=prompts[json.loads(l)["id"]]) for l in f if l.strip()]

def greedy(model, tok, rows, stop_ids):
    same, first_diff = 0, None
    for row in rows:
        prompt = tok.apply_chat_template([{"role": "user", "content": row["prompt"]}], tokenize=False, add_generation_prompt=True)
        ids = tok(prompt, add_special_tokens=False, return_tensors="pt").input_ids
        with torch.no_grad():
            out = model.generate(ids, max_new_tokens=120, do_sample=False, eos_token_id=stop_ids, pad_token_id=stop_ids[0])
        new = out[0, ids.shape[1]:].tolist()
        new = new[:next((i for i, t in enumerate(new) if t in stop_ids), len(new))]  # up to the end token, as Reasoner's completion
        text = tok.decode(new, skip_special_tokens=False)  # <think> and <answer> are added tokens of the char vocabulary
        ours = row["completion"]
        if text == ours:
            same += 1
        elif first_diff is None:
            first_diff = {"prompt": row["prompt"], "transformers": text, "reasoner": ours}
    return {"problems": len(rows), "greedy_equal": same, "first_difference": first_diff}

def fix_base(adapter_dir, base):
    path = os.path.join(adapter_dir, "adapter_config.json")
    cfg = json.load(open(path)); cfg["base_model_name_or_path"] = base; json.dump(cfg, open(path, "w"))

def stops(tok, folder):
    gen = os.path.join(folder, "generation_config.json")
    eos = json.load(open(gen)).get("eos_token_id") if os.path.exists(gen) else None
    eos = eos if isinstance(eos, list) else [eos] if eos is not None else []
    return eos or [tok.eos_token_id]

for name, kind in (("sft", "full"), ("merged", "full"), ("export", "full"), ("lora", "peft"), ("hf-lora", "peft")):
    try:
        rows = samples(name)
        folder = newest_checkpoint(os.path.join(root, name))
        if kind == "full":
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
            tok = AutoTokenizer.from_pretrained(folder)
        else:
            base = newest_checkpoint(os.path.join(root, "sft")) if name == "lora" else hf_base
            fix_base(folder, base)
            model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32), folder).eval()
            tok = AutoTokenizer.from_pretrained(folder)
        r = greedy(model, tok, rows, stops(tok, folder))
        if name == "lora":
            merged = model.merge_and_unload()
            ours = AutoModelForCausalLM.from_pretrained(newest_checkpoint(os.path.join(root, "merged")), dtype=torch.float32).eval()
            ids = tok(rows[0]["prompt"], add_special_tokens=False, return_tensors="pt").input_ids
            with torch.no_grad():
                r["merge_max_abs_logit_diff"] = (merged(ids).logits - ours(ids).logits).abs().max().item()
        result["runs"][name] = r
    except Exception as e:
        result["runs"][name] = {"error": f"{type(e).__name__}: {e}"[:800]}
print(json.dumps(result, indent=1))
