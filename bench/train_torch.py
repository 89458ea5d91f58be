#!/usr/bin/env python3
"""PyTorch twin of the GeoAD reconstructor (pipelines/model/network.ts), for bench/train.mjs only.

Same layers, shapes, loss and optimiser (AdamW + global-norm clipping); prints one JSON line per variant:
{"variant": ..., "samplesPerSecond": ..., "steps": ..., "parameters": ...}. CPU, torch.set_num_threads(threads).
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F
from torch import nn


class Reconstructor(nn.Module):
    def __init__(self, variant, cv, cg, gv, gg, d, dk):
        super().__init__()
        self.attention = variant in ("full", "no-gcn")
        self.gcn = variant in ("full", "no-nla")
        self.gv, self.gg, self.d, self.dk, self.cg = gv, gg, d, dk, cg
        self.embed = nn.Linear(cv, d)
        if self.attention:
            self.q = nn.Linear(d, dk, bias=False)
            self.k = nn.Linear(d, dk, bias=False)
            self.v = nn.Linear(d, d, bias=False)
            self.o = nn.Linear(d, d)
        if self.gcn:
            self.g = nn.Linear(d, d)
        self.head1 = nn.Linear(d, d)
        self.head2 = nn.Linear(d, cg)
        rows = torch.full((gv,), 3.0)
        rows[0] = rows[-1] = 2.0
        self.register_buffer("dinv", (rows[:, None] * rows[None, :]).rsqrt()[None, :, :, None])

    def forward(self, x):  # x [B, g, g, Cv]
        b = x.shape[0]
        h = self.embed(x.reshape(b, self.gv * self.gv, -1))
        if self.attention:
            w = torch.softmax(self.q(h) @ self.k(h).transpose(1, 2) / math.sqrt(self.dk), dim=-1)
            h = h + self.o(w @ self.v(h))
        if self.gcn:
            s = h.reshape(b, self.gv, self.gv, self.d) * self.dinv
            p = F.pad(s, (0, 0, 1, 1, 1, 1))
            agg = sum(p[:, dy:dy + self.gv, dx:dx + self.gv, :] for dy in range(3) for dx in range(3)) * self.dinv
            h = h + F.gelu(self.g(agg.reshape(b, self.gv * self.gv, self.d)))
        out = self.head2(F.gelu(self.head1(h))).reshape(b, self.gv, self.gv, self.cg).permute(0, 3, 1, 2)
        out = F.interpolate(out, size=(self.gg, self.gg), mode="bilinear", align_corners=True)
        return out.permute(0, 2, 3, 1)


def masked_l2(pred, target, mask):
    sq = ((pred - target) ** 2).sum(-1, keepdim=True)
    return (sq * mask).sum() / mask.sum().clamp(min=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cv", type=int, default=25)
    parser.add_argument("--cg", type=int, default=39)
    parser.add_argument("--gv", type=int, default=28)
    parser.add_argument("--gg", type=int, default=56)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--dk", type=int, default=32)
    parser.add_argument("--variants", default="full,no-mfe,no-gcn,no-nla")
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.randn(a.batch, a.gv, a.gv, a.cv)
    t = torch.randn(a.batch, a.gg, a.gg, a.cg)
    m = (torch.rand(a.batch, a.gg, a.gg, 1) > 0.3).float()
    for variant in a.variants.split(","):
        model = Reconstructor(variant, a.cv, a.cg, a.gv, a.gg, a.hidden, a.dk)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)

        def step():
            opt.zero_grad()
            loss = masked_l2(model(x), t, m)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            return loss.item()

        for _ in range(2):
            step()
        start = time.perf_counter()
        for _ in range(a.steps):
            step()
        seconds = time.perf_counter() - start
        print(json.dumps({
            "variant": variant,
            "samplesPerSecond": a.steps * a.batch / seconds,
            "steps": a.steps,
            "parameters": sum(p.numel() for p in model.parameters()),
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
        }), flush=True)


if __name__ == "__main__":
    main()
