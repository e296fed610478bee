#!/usr/bin/env python3
"""PyTorch side of the training benchmark: the same Llama-style model (RMSNorm, rotary, GQA, SwiGLU, tied
embeddings) and the same step (forward, backward, clip 1.0, AdamW) on the same batch shape as
bench/Reasoner.Bench. Prints training tokens per second. Debian's python3-torch; for a fair fp32 run,
libopenblas0-pthread must be installed and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for this command.

usage: torch_train_bench.py HIDDEN LAYERS HEADS KV_HEADS INTERMEDIATE VOCAB BATCH SEQ STEPS THREADS"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Norm(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.weight


class Layer(nn.Module):
    def __init__(self, c, heads, kv, inter):
        super().__init__()
        self.heads, self.kv, self.d = heads, kv, c // heads
        self.n1, self.n2 = Norm(c), Norm(c)
        self.q = nn.Linear(c, c, bias=False)
        self.k = nn.Linear(c, kv * self.d, bias=False)
        self.v = nn.Linear(c, kv * self.d, bias=False)
        self.o = nn.Linear(c, c, bias=False)
        self.gate = nn.Linear(c, inter, bias=False)
        self.up = nn.Linear(c, inter, bias=False)
        self.down = nn.Linear(inter, c, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, c = x.shape
        h = self.n1(x)
        q = self.q(h).view(b, t, self.heads, self.d).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv, self.d).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv, self.d).transpose(1, 2)
        half = self.d // 2
        rot = lambda z: torch.cat((-z[..., half:], z[..., :half]), -1)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        k = k.repeat_interleave(self.heads // self.kv, 1)
        v = v.repeat_interleave(self.heads // self.kv, 1)
        att = torch.softmax(q @ k.transpose(-1, -2) / self.d ** 0.5 + mask, -1) @ v  # no SDPA in torch 1.13
        x = x + self.o(att.transpose(1, 2).reshape(b, t, c))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(nn.Module):
    def __init__(self, c, layers, heads, kv, inter, vocab, t):
        super().__init__()
        self.embed = nn.Embedding(vocab, c)
        self.layers = nn.ModuleList(Layer(c, heads, kv, inter) for _ in range(layers))
        self.norm = Norm(c)
        d = c // heads
        inv = 1.0 / (10000 ** (torch.arange(0, d, 2).double() / d))
        ang = torch.outer(torch.arange(t).double(), inv)
        emb = torch.cat((ang, ang), -1)
        self.cos, self.sin = emb.cos().float(), emb.sin().float()
        self.mask = torch.full((t, t), float("-inf")).triu(1)

    def forward(self, ids):
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin, self.mask)
        return self.norm(x) @ self.embed.weight.T


def main():
    c, layers, heads, kv, inter, vocab, batch, seq, steps, threads = map(int, sys.argv[1:11])
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    model = Model(c, layers, heads, kv, inter, vocab, seq)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
    ids = torch.randint(0, vocab, (batch, seq + 1))
    x, y = ids[:, :-1], ids[:, 1:]

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(3):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    print(f"{batch * seq * steps / (time.perf_counter() - start):.0f}")


if __name__ == "__main__":
    main()
