#!/usr/bin/env python3
"""Writes a small Hugging Face checkpoint folder with random weights, in the exact layout of a real architecture:
config.json with that architecture's field names (taken from the public configs of Llama-3.2-1B, Qwen2.5-0.5B,
Qwen3-0.6B, Mistral-7B and Mixtral-8x7B, shrunk), model.safetensors or shards with model.safetensors.index.json, in F32, BF16 or
F16. Written here with PyTorch and a hand-rolled safetensors writer, independently of Reasoner's own writer, so the
loader is tested on files it did not make. Used by scripts/record-oracle-fixtures.sh; never a runtime dependency.

usage: make_hf_checkpoint.py ARCH OUT_DIR [--dtype F32|BF16|F16] [--shards N] [--seed S]
ARCH: llama | qwen2 | qwen3 | mistral | mixtral"""
import argparse
import json
import os
import struct

import torch

VOCAB = 128


def config_for(arch):
    common = {
        "vocab_size": VOCAB, "hidden_size": 48, "intermediate_size": 64, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "hidden_act": "silu", "rms_norm_eps": 1e-6,
        "initializer_range": 0.02, "use_cache": True, "transformers_version": "4.51.0",
    }
    if arch == "llama":  # Llama-3.2-1B: tied embeddings, llama3 rope scaling, three eos ids
        return {**common, "architectures": ["LlamaForCausalLM"], "model_type": "llama", "max_position_embeddings": 131072,
                "rope_theta": 500000.0, "tie_word_embeddings": True, "attention_bias": False, "mlp_bias": False,
                "attention_dropout": 0.0, "pretraining_tp": 1, "head_dim": 12, "bos_token_id": 128000,
                "eos_token_id": [128001, 128008, 128009], "torch_dtype": "bfloat16",
                "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                 "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
    if arch == "qwen2":  # Qwen2.5-0.5B: q/k/v bias without an attention_bias field, tied embeddings
        return {**common, "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "max_position_embeddings": 32768,
                "rope_theta": 1000000.0, "tie_word_embeddings": True, "sliding_window": 32768, "use_sliding_window": False,
                "max_window_layers": 21, "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151645,
                "torch_dtype": "bfloat16", "rope_scaling": None}
    if arch == "qwen3":  # Qwen3-0.6B: per-head q/k RMSNorm, head_dim larger than hidden/heads, tied embeddings
        return {**common, "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "max_position_embeddings": 40960,
                "rope_theta": 1000000.0, "tie_word_embeddings": True, "head_dim": 16, "attention_bias": False,
                "sliding_window": None, "use_sliding_window": False, "max_window_layers": 28, "attention_dropout": 0.0,
                "bos_token_id": 151643, "eos_token_id": 151645, "torch_dtype": "bfloat16", "rope_scaling": None}
    if arch == "mistral":  # Mistral-7B-v0.1: untied lm_head, a sliding window (shrunk to 8 so the test reaches it)
        return {**common, "architectures": ["MistralForCausalLM"], "model_type": "mistral", "max_position_embeddings": 32768,
                "rope_theta": 10000.0, "tie_word_embeddings": False, "sliding_window": 8, "attention_dropout": 0.0,
                "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "bfloat16"}
    if arch == "mixtral":  # Mixtral-8x7B-v0.1: sparse MoE MLP (block_sparse_moe), untied lm_head, shrunk to 4 experts, top 2
        return {**common, "architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "max_position_embeddings": 32768,
                "rope_theta": 1000000.0, "tie_word_embeddings": False, "sliding_window": None, "attention_dropout": 0.0,
                "num_local_experts": 4, "num_experts_per_tok": 2, "router_aux_loss_coef": 0.02, "output_router_logits": False,
                "router_jitter_noise": 0.0, "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "bfloat16"}
    raise SystemExit(f"unknown architecture {arch}")


def tensors_for(config, seed):
    torch.manual_seed(seed)
    hidden, heads, kv = config["hidden_size"], config["num_attention_heads"], config["num_key_value_heads"]
    head_dim = config.get("head_dim") or hidden // heads
    inter, vocab = config["intermediate_size"], config["vocab_size"]
    bias = config.get("attention_bias", config["model_type"] == "qwen2")
    w = {"model.embed_tokens.weight": torch.randn(vocab, hidden) * 0.5}
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = 1 + 0.1 * torch.randn(hidden)
        w[p + "post_attention_layernorm.weight"] = 1 + 0.1 * torch.randn(hidden)
        for name, rows in (("q_proj", heads * head_dim), ("k_proj", kv * head_dim), ("v_proj", kv * head_dim)):
            w[p + f"self_attn.{name}.weight"] = torch.randn(rows, hidden) * 0.2
            if bias:
                w[p + f"self_attn.{name}.bias"] = torch.randn(rows) * 0.2
        w[p + "self_attn.o_proj.weight"] = torch.randn(hidden, heads * head_dim) * 0.2
        if config["model_type"] == "qwen3":
            w[p + "self_attn.q_norm.weight"] = 1 + 0.1 * torch.randn(head_dim)
            w[p + "self_attn.k_norm.weight"] = 1 + 0.1 * torch.randn(head_dim)
        if config.get("num_local_experts"):
            w[p + "block_sparse_moe.gate.weight"] = torch.randn(config["num_local_experts"], hidden) * 0.5
            for e in range(config["num_local_experts"]):
                w[p + f"block_sparse_moe.experts.{e}.w1.weight"] = torch.randn(inter, hidden) * 0.2
                w[p + f"block_sparse_moe.experts.{e}.w2.weight"] = torch.randn(hidden, inter) * 0.2
                w[p + f"block_sparse_moe.experts.{e}.w3.weight"] = torch.randn(inter, hidden) * 0.2
        else:
            w[p + "mlp.gate_proj.weight"] = torch.randn(inter, hidden) * 0.2
            w[p + "mlp.up_proj.weight"] = torch.randn(inter, hidden) * 0.2
            w[p + "mlp.down_proj.weight"] = torch.randn(hidden, inter) * 0.2
    w["model.norm.weight"] = 1 + 0.1 * torch.randn(hidden)
    if not config["tie_word_embeddings"]:
        w["lm_head.weight"] = torch.randn(vocab, hidden) * 0.2
    return w


DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in tensors.items():
        t = tensor.to(DTYPES[dtype]).contiguous()
        data = t.view(torch.int16).numpy().tobytes() if dtype != "F32" else t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arch")
    parser.add_argument("out")
    parser.add_argument("--dtype", default="F32", choices=DTYPES)
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config = config_for(args.arch)
    tensors = tensors_for(config, args.seed)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    if args.shards == 1:
        write_safetensors(os.path.join(args.out, "model.safetensors"), tensors, args.dtype)
        return
    names = list(tensors)
    per = -(-len(names) // args.shards)
    weight_map = {}
    for s in range(args.shards):
        shard = f"model-{s + 1:05d}-of-{args.shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[s * per:(s + 1) * per]}
        write_safetensors(os.path.join(args.out, shard), part, args.dtype)
        weight_map.update({n: shard for n in part})
    size = sum(t.numel() * t.to(DTYPES[args.dtype]).element_size() for t in tensors.values())
    with open(os.path.join(args.out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": size}, "weight_map": weight_map}, f, indent=2)


if __name__ == "__main__":
    main()
