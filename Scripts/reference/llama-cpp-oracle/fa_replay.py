#!/usr/bin/env python3
"""Replays llama.cpp's one-row F16 flash attention (`ggml_compute_forward_flash_attn_ext_f16_one_chunk`)
in NumPy on llama.cpp's OWN inputs of one layer, taken from a `probe` dump, with the q·k reduction
order of its AVX-512 build (16-lane accumulators, 64-element steps) and of its AVX2 build (8-lane,
32-element steps, the order `HalfAttentionKernels.dot` follows), and prints how far each is from
llama.cpp's `kqv_out` of that layer. The dump's build is the one whose order gives 0.0.

Assumes Gemma 3 270M's shapes (head 256, 4 query heads, 1 KV head) and a Q pre-scaled by the graph
(the SCALE node before the attention, so the kernel's own scale is 1).

Usage: fa_replay.py PROBE_DUMP LAYER PROMPT_TOKENS
"""
import sys

import numpy as np

f32 = np.float32


def read(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    return [(lines[i].split(" "), np.array(lines[i + 1].split(), dtype=np.float32)) for i in range(0, len(lines) - 1, 2)]


def h16(x):
    return np.asarray(x, dtype=np.float32).astype(np.float16).astype(np.float32)


def fma(a, b, c):  # one rounding to F32, as vfmadd
    return f32(np.float64(a) * np.float64(b) + np.float64(c))


def dot_avx512(x, y):
    acc = np.zeros((4, 16), np.float32)
    for i in range(0, x.size, 64):
        for j in range(4):
            acc[j] = fma(x[i + 16 * j:i + 16 * j + 16], y[i + 16 * j:i + 16 * j + 16], acc[j])
    a = (acc[0] + acc[2]) + (acc[1] + acc[3])
    t3 = a[8:] + a[:8]  # _mm512_reduce_add_ps: halves, quarters, then (0+2) + (1+3)
    t6 = t3[4:] + t3[:4]
    return f32((t6[2] + t6[0]) + (t6[3] + t6[1]))


def dot_avx2(x, y):
    acc = np.zeros((4, 8), np.float32)
    for i in range(0, x.size, 32):
        for j in range(4):
            acc[j] = fma(x[i + 8 * j:i + 8 * j + 8], y[i + 8 * j:i + 8 * j + 8], acc[j])
    s = (acc[0] + acc[2]) + (acc[1] + acc[3])
    t = s[:4] + s[4:]
    return f32((t[0] + t[1]) + (t[2] + t[3]))


def attend(q, keys, values, dot):
    q16 = h16(q)
    acc = np.zeros(values.shape[1], np.float32)
    m, total = -np.inf, f32(0)
    for k, v in zip(keys, values):
        s = dot(q16, k)
        ms, vs = f32(1), f32(1)
        if s > m:
            ms = f32(0) if m == -np.inf else f32(np.exp(f32(m - s)))
            m = s
            acc = h16(acc * ms)
        else:
            vs = f32(np.exp(f32(s - m)))
        acc = h16(fma(v, vs, acc))
        total = fma(total, ms, vs)
    return acc * (f32(1) / total)


def main():
    dump, layer, n = read(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    at = next(i for i, (h, _) in enumerate(dump) if h[0] == f"kqv_out-{layer}")
    q = next(v for h, v in reversed(dump[:at]) if h[-2] == "SCALE" and h[1] == "256").reshape(4, 256)
    keys = next(v for h, v in dump if h[0] == f"cache_k_l{layer}" and h[-2] == "SET_ROWS").reshape(-1, 256)[:n]
    values = next(v for h, v in dump if h[0] == f"cache_v_l{layer}" and h[-2] == "SET_ROWS").reshape(-1, 256)[:n]
    expected = dump[at][1].reshape(4, 256)
    for name, dot in (("avx512", dot_avx512), ("avx2", dot_avx2)):
        ours = np.stack([attend(q[h], keys, values, dot) for h in range(4)])
        print(f"{name}: max|diff| {np.max(np.abs(ours - expected)):.3g}, {np.count_nonzero(ours != expected)} of {ours.size} differ")


if __name__ == "__main__":
    main()
