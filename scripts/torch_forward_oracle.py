#!/usr/bin/env python3
"""Reference forward pass for Reasoner's model, in PyTorch (Debian's python3-torch), written from the
Hugging Face Llama / Qwen2 / Qwen3 / Mistral definitions: RMSNorm, rotate_half rotary embedding (with llama3 or
linear rope_scaling), Qwen3's per-head q/k RMSNorm, repeat_kv grouped-query attention with a causal softmax (and
Mistral's sliding window), SwiGLU MLP, tied or separate lm_head. Reads a checkpoint folder (config.json and
model.safetensors or shards named by model.safetensors.index.json, in F32, BF16 or F16, parsed here without the
safetensors package) and token ids from argv, and prints the logits as JSON. Used only by the oracle tests; never a
runtime dependency.

usage: torch_forward_oracle.py CHECKPOINT_DIR ID [ID ...]"""
import json
import math
import struct
import sys

import torch


DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[base + begin:base + end])
        if entry["dtype"] == "F32":
            values = torch.frombuffer(raw, dtype=torch.float32)
        else:
            values = torch.frombuffer(raw, dtype=torch.int16).view(DTYPES[entry["dtype"]]).float()
        tensors[name] = values.reshape(entry["shape"])
    return tensors


def load_weights(folder):
    index = f"{folder}/model.safetensors.index.json"
    try:
        shards = sorted(set(json.load(open(index))["weight_map"].values()))
    except FileNotFoundError:
        return load_safetensors(f"{folder}/model.safetensors")
    weights = {}
    for shard in shards:
        weights.update(load_safetensors(f"{folder}/{shard}"))
    return weights


def inverse_frequencies(config, head_dim):
    inv = 1.0 / (config["rope_theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type"))
    if kind == "linear":
        return inv / scaling["factor"]
    if kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        original = scaling["original_max_position_embeddings"]
        wavelength = 2 * math.pi / inv
        scaled = torch.where(wavelength > original / low, inv / factor, inv)
        smooth = (original / wavelength - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelength < original / high) & ~(wavelength > original / low)
        return torch.where(medium, smoothed, scaled)
    assert kind in (None, "default"), kind
    return inv


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def sparse_moe(config, w, p, h):
    """Token by token, as the Mixtral paper writes it: y = sum over the top-k experts of softmax-renormalized gate * expert(x)."""
    k = config["num_experts_per_tok"]
    out = torch.zeros_like(h)
    for t in range(h.shape[0]):
        probs = torch.softmax(h[t] @ w[p + "block_sparse_moe.gate.weight"].T, dim=-1)
        top = torch.argsort(probs, descending=True)[:k]
        weights = probs[top] / probs[top].sum()
        for weight, e in zip(weights, top.tolist()):
            q = f"{p}block_sparse_moe.experts.{e}."
            hidden = torch.nn.functional.silu(h[t] @ w[q + "w1.weight"].T) * (h[t] @ w[q + "w3.weight"].T)
            out[t] += weight * (hidden @ w[q + "w2.weight"].T)
    return out


def forward(config, w, ids):
    hidden, heads, kv_heads = config["hidden_size"], config["num_attention_heads"], config["num_key_value_heads"]
    head_dim = config.get("head_dim") or hidden // heads
    eps = config["rms_norm_eps"]
    t = len(ids)
    inv_freq = inverse_frequencies(config, head_dim)
    freqs = torch.outer(torch.arange(t, dtype=torch.float64), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().float(), emb.sin().float()
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    causal = torch.full((t, t), float("-inf")).triu(1)
    window = config.get("sliding_window") if config["model_type"] == "mistral" or config.get("use_sliding_window") else None
    if window:  # HF's sliding window: query i sees keys j with i - j < window
        causal = causal + torch.full((t, t), float("-inf")).tril(-window)
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)

        def proj(name, n):
            y = h @ w[p + f"self_attn.{name}.weight"].T
            if p + f"self_attn.{name}.bias" in w:
                y = y + w[p + f"self_attn.{name}.bias"]
            y = y.view(t, n, head_dim)
            if p + f"self_attn.{name[0]}_norm.weight" in w and name != "v_proj":  # Qwen3: RMSNorm over each head
                y = rms_norm(y, w[p + f"self_attn.{name[0]}_norm.weight"], eps)
            return y.transpose(0, 1)

        q, k, v = proj("q_proj", heads), proj("k_proj", kv_heads), proj("v_proj", kv_heads)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(heads // kv_heads, dim=0)
        v = v.repeat_interleave(heads // kv_heads, dim=0)
        scores = q @ k.transpose(-1, -2) / head_dim ** 0.5 + causal
        attn = torch.softmax(scores, dim=-1) @ v
        x = x + attn.transpose(0, 1).reshape(t, heads * head_dim) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        if p + "block_sparse_moe.gate.weight" in w:  # Mixtral: each token through its top-k experts, weights renormalized
            x = x + sparse_moe(config, w, p, h)
        else:
            gate = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
            x = x + (gate * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if config["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.T


def main():
    folder, ids = sys.argv[1], [int(a) for a in sys.argv[2:]]
    config = json.load(open(f"{folder}/config.json"))
    weights = load_weights(folder)
    with torch.no_grad():
        logits = forward(config, weights, ids)
    print(json.dumps(logits.tolist()))


if __name__ == "__main__":
    main()
