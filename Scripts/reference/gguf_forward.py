#!/usr/bin/env python3
"""Float64 NumPy forward pass of a llama-architecture GGUF (weights dequantized with PyPI gguf).

A diagnostic oracle: it shows how far an exact (unquantized-activation) forward pass is from
llama.cpp's reference logits, which bounds what the engine can be expected to match. The
engine's own result should agree with this script to ~1e-3.

Usage: python3 Scripts/reference/gguf_forward.py MODEL.gguf TOKEN_ID[,TOKEN_ID...]
Prints the top-5 tokens and logits of the last position.
"""

import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def main():
    path, token_text = sys.argv[1], sys.argv[2]
    tokens = [int(t) for t in token_text.split(",")]
    reader = GGUFReader(path)
    fields = {name: field.contents() for name, field in reader.fields.items()
              if not name.startswith("tokenizer.")}
    arch = fields["general.architecture"]
    assert arch == "llama", f"only llama is supported here, not {arch}"
    tensors = {t.name: t for t in reader.tensors}

    def weight(name):
        t = tensors[name]
        values = dequantize(t.data, t.tensor_type).astype(np.float64)
        return values.reshape([int(d) for d in reversed(t.shape)])

    dim = fields[f"{arch}.embedding_length"]
    heads = fields[f"{arch}.attention.head_count"]
    kv_heads = fields.get(f"{arch}.attention.head_count_kv", heads)
    layers = fields[f"{arch}.block_count"]
    eps = fields[f"{arch}.attention.layer_norm_rms_epsilon"]
    base = fields.get(f"{arch}.rope.freq_base", 10000.0)
    head_dim = dim // heads
    rope_dims = fields.get(f"{arch}.rope.dimension_count", head_dim)

    def norm(x, w):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w

    n = len(tokens)
    pos = np.arange(n, dtype=np.float64)
    inv = base ** (-np.arange(0, rope_dims, 2, dtype=np.float64) / rope_dims)
    ang = pos[:, None] * inv[None, :]
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]

    def rope(x):  # adjacent pairs (llama.cpp mode 0)
        x = x.copy()
        a, b = x[..., 0:rope_dims:2].copy(), x[..., 1:rope_dims:2].copy()
        x[..., 0:rope_dims:2] = a * cos - b * sin
        x[..., 1:rope_dims:2] = a * sin + b * cos
        return x

    embed = weight("token_embd.weight")
    x = embed[tokens]
    mask = np.triu(np.full((n, n), -np.inf), k=1)
    for i in range(layers):
        p = f"blk.{i}."
        h = norm(x, weight(p + "attn_norm.weight"))
        q = (h @ weight(p + "attn_q.weight").T).reshape(n, heads, head_dim)
        k = (h @ weight(p + "attn_k.weight").T).reshape(n, kv_heads, head_dim)
        v = (h @ weight(p + "attn_v.weight").T).reshape(n, kv_heads, head_dim)
        q, k = rope(q), rope(k)
        out = np.empty((n, heads, head_dim))
        group = heads // kv_heads
        for hh in range(heads):
            s = q[:, hh] @ k[:, hh // group].T / np.sqrt(head_dim) + mask
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            out[:, hh] = s @ v[:, hh // group]
        x = x + out.reshape(n, -1) @ weight(p + "attn_output.weight").T
        h = norm(x, weight(p + "ffn_norm.weight"))
        g = h @ weight(p + "ffn_gate.weight").T
        u = h @ weight(p + "ffn_up.weight").T
        x = x + (g / (1 + np.exp(-g)) * u) @ weight(p + "ffn_down.weight").T
    x = norm(x[-1:], weight("output_norm.weight"))
    head = weight("output.weight") if "output.weight" in tensors else embed
    logits = (x @ head.T)[0]
    top = np.argsort(-logits)[:5]
    print([(int(t), round(float(logits[t]), 4)) for t in top])


if __name__ == "__main__":
    main()
