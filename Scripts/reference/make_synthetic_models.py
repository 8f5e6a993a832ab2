#!/usr/bin/env python3
"""Writes tiny seeded-random GGUF models and the logits an independent NumPy forward pass gives.

Why: no real qwen2/qwen3/llama-3 model fits in the repository, yet the engine must get each
architecture's details right (Q/K/V biases, per-head Q/K RMSNorm, NeoX versus interleaved RoPE,
llama3 and linear RoPE scaling, tied embeddings, GQA, a head size that differs from dim/heads,
quantized weights). Each model here is a few hundred KB at most; the reference forward pass
follows the Hugging Face transformers semantics of each architecture (weights in HF layout,
`rotate_half` RoPE), written independently of the Swift engine. The GGUF files are written the
way llama.cpp's converter writes them (for `llama`, Q and K rows permuted so that RoPE pairs are
adjacent), so the engine is checked against the HF math through the GGUF conventions.

Usage:  pip install gguf==0.19.0 numpy
        python3 Scripts/reference/make_synthetic_models.py [output_dir]
Default output: Tests/InferenceTests/Fixtures/Model/ (relative to the package root).
Outputs per model: <name>.gguf and <name>.logits.json (tokens, logits for every position,
tolerance the test should use).
"""

import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as QT

VOCAB = 256
TOKENS_PER_SEQUENCE = 20


# ---------------------------------------------------------------- reference forward (HF semantics)

def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def silu(x):
    return x / (1.0 + np.exp(-x))


def inverse_frequencies(head_dim, base, scaling):
    """HF `rope_init_fn`: default, linear or llama3 inverse frequencies."""
    inv = 1.0 / (base ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
    kind = scaling.get("type", "none")
    if kind == "linear":
        # HF divides the positions by the factor; dividing the frequencies is the same angle.
        return inv / scaling["factor"]
    if kind == "llama3":
        factor = scaling["factor"]
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        original = scaling["original_context_length"]
        low_wavelen, high_wavelen = original / low, original / high
        out = np.empty_like(inv)
        for i, f in enumerate(inv):
            wavelen = 2 * np.pi / f
            if wavelen < high_wavelen:
                out[i] = f
            elif wavelen > low_wavelen:
                out[i] = f / factor
            else:
                smooth = (original / wavelen - low) / (high - low)
                out[i] = (1 - smooth) * f / factor + smooth * f
        return out
    return inv


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def apply_rope(x, positions, inv_freq):
    """x: (tokens, heads, head_dim); HF `apply_rotary_pos_emb`."""
    freqs = positions[:, None] * inv_freq[None, :]
    angles = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
    return x * cos + rotate_half(x) * sin


def forward(spec, weights, tokens):
    """Logits for every position of `tokens`, float64, from HF-layout weights."""
    n = len(tokens)
    heads, kv_heads, head_dim = spec["heads"], spec["kv_heads"], spec["head_dim"]
    eps = spec["eps"]
    inv_freq = inverse_frequencies(head_dim, spec["rope_base"], spec["scaling"])
    positions = np.arange(n, dtype=np.float64)
    x = weights["embed"][tokens]                                   # (n, dim)
    mask = np.triu(np.full((n, n), -np.inf), k=1)
    for layer in weights["layers"]:
        h = rms_norm(x, layer["input_norm"], eps)
        q = h @ layer["q"].T
        k = h @ layer["k"].T
        v = h @ layer["v"].T
        if "q_bias" in layer:
            q, k, v = q + layer["q_bias"], k + layer["k_bias"], v + layer["v_bias"]
        q = q.reshape(n, heads, head_dim)
        k = k.reshape(n, kv_heads, head_dim)
        v = v.reshape(n, kv_heads, head_dim)
        if "q_norm" in layer:
            q = rms_norm(q, layer["q_norm"], eps)
            k = rms_norm(k, layer["k_norm"], eps)
        q = apply_rope(q, positions, inv_freq)
        k = apply_rope(k, positions, inv_freq)
        group = heads // kv_heads
        out = np.empty((n, heads, head_dim))
        for hh in range(heads):
            kv = hh // group
            scores = q[:, hh, :] @ k[:, kv, :].T / np.sqrt(head_dim) + mask
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            out[:, hh, :] = scores @ v[:, kv, :]
        x = x + out.reshape(n, heads * head_dim) @ layer["o"].T
        h = rms_norm(x, layer["post_norm"], eps)
        x = x + (silu(h @ layer["gate"].T) * (h @ layer["up"].T)) @ layer["down"].T
    x = rms_norm(x, weights["final_norm"], eps)
    head = weights["embed"] if spec["tied"] else weights["lm_head"]
    return x @ head.T


# ---------------------------------------------------------------- weights and GGUF writing

def stored(array, qtype):
    """(bytes-or-array to write, float64 values the reference must use) for a storage type."""
    array = np.asarray(array, dtype=np.float32)
    if qtype == QT.F32:
        return array, array.astype(np.float64)
    if qtype == QT.F16:
        half = array.astype(np.float16)
        return half, half.astype(np.float64)
    packed = gguf.quants.quantize(array, qtype)
    return packed, gguf.quants.dequantize(packed, qtype).astype(np.float64)


def permute_for_llama(w, heads):
    """llama.cpp's converter reorders Q/K rows so each RoPE pair (i, i + d/2) becomes adjacent."""
    rows = w.shape[0]
    return w.reshape(heads, 2, rows // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def build(spec, path):
    rng = np.random.default_rng(spec["seed"])
    arch, dim, ffn = spec["arch"], spec["dim"], spec["ffn"]
    heads, kv_heads, head_dim = spec["heads"], spec["kv_heads"], spec["head_dim"]
    matrix_type, embed_type = spec["matrix_type"], spec["embed_type"]

    writer = gguf.GGUFWriter(path, arch)
    writer.add_name(spec["name"])
    writer.add_context_length(spec["context"])
    writer.add_embedding_length(dim)
    writer.add_feed_forward_length(ffn)
    writer.add_block_count(spec["layers"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    if head_dim != dim // heads:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(spec["rope_base"])
    writer.add_layer_norm_rms_eps(spec["eps"])
    writer.add_vocab_size(VOCAB)
    scaling = spec["scaling"]
    if scaling.get("type") == "linear":
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(scaling["factor"])

    def matrix(rows, cols, scale=None):
        return rng.standard_normal((rows, cols)) * (scale if scale is not None else 1 / np.sqrt(cols))

    def vector(n, mean, spread):
        return mean + spread * rng.standard_normal(n)

    def put(name, values, qtype, llama_permute_heads=None):
        """Writes `values` (HF layout); returns the values the reference must use (HF layout)."""
        to_write = values
        if llama_permute_heads is not None:
            to_write = permute_for_llama(values, llama_permute_heads)
        data, exact = stored(to_write, qtype)
        if qtype in (QT.F32, QT.F16):
            writer.add_tensor(name, data)
        else:
            writer.add_tensor(name, data, raw_dtype=qtype)
        if llama_permute_heads is not None:
            # Undo the permutation on the exact stored values: inverse of reshape/swap/reshape.
            rows = exact.shape[0]
            exact = exact.reshape(llama_permute_heads, rows // llama_permute_heads // 2, 2,
                                  *exact.shape[1:]).swapaxes(1, 2).reshape(exact.shape)
        return exact

    weights = {"layers": []}
    weights["embed"] = put("token_embd.weight", matrix(VOCAB, dim, 1.0), embed_type)
    weights["final_norm"] = put("output_norm.weight", vector(dim, 1.0, 0.1), QT.F32)
    if not spec["tied"]:
        weights["lm_head"] = put("output.weight", matrix(VOCAB, dim), matrix_type)
    if scaling.get("type") == "llama3":
        # What llama.cpp's converter stores: per-frequency divisors of the angle.
        base = 1.0 / (spec["rope_base"] ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
        scaled = inverse_frequencies(head_dim, spec["rope_base"], scaling)
        writer.add_tensor("rope_freqs.weight", (base / scaled).astype(np.float32))
    is_llama = arch == "llama"
    for i in range(spec["layers"]):
        p = f"blk.{i}."
        layer = {}
        layer["input_norm"] = put(p + "attn_norm.weight", vector(dim, 1.0, 0.1), QT.F32)
        layer["q"] = put(p + "attn_q.weight", matrix(heads * head_dim, dim), matrix_type,
                         heads if is_llama else None)
        layer["k"] = put(p + "attn_k.weight", matrix(kv_heads * head_dim, dim), matrix_type,
                         kv_heads if is_llama else None)
        layer["v"] = put(p + "attn_v.weight", matrix(kv_heads * head_dim, dim), matrix_type)
        layer["o"] = put(p + "attn_output.weight", matrix(dim, heads * head_dim), matrix_type)
        if spec.get("qkv_bias"):
            layer["q_bias"] = put(p + "attn_q.bias", vector(heads * head_dim, 0.0, 0.3), QT.F32)
            layer["k_bias"] = put(p + "attn_k.bias", vector(kv_heads * head_dim, 0.0, 0.3), QT.F32)
            layer["v_bias"] = put(p + "attn_v.bias", vector(kv_heads * head_dim, 0.0, 0.3), QT.F32)
        if spec.get("qk_norm"):
            layer["q_norm"] = put(p + "attn_q_norm.weight", vector(head_dim, 1.0, 0.2), QT.F32)
            layer["k_norm"] = put(p + "attn_k_norm.weight", vector(head_dim, 1.0, 0.2), QT.F32)
        layer["post_norm"] = put(p + "ffn_norm.weight", vector(dim, 1.0, 0.1), QT.F32)
        layer["gate"] = put(p + "ffn_gate.weight", matrix(ffn, dim), matrix_type)
        layer["up"] = put(p + "ffn_up.weight", matrix(ffn, dim), matrix_type)
        layer["down"] = put(p + "ffn_down.weight", matrix(dim, ffn), matrix_type)
        weights["layers"].append(layer)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return weights


SPECS = [
    # llama with llama3 RoPE scaling stored as a rope_freqs tensor (as llama.cpp converts Llama 3),
    # a separate output matrix. head_dim 8 and original context 64 put one frequency in each
    # regime: kept, smoothed, divided by the factor (twice).
    dict(name="synthetic-llama3", arch="llama", seed=1, dim=32, ffn=64, layers=2, heads=4,
         kv_heads=2, head_dim=8, context=128, rope_base=10000.0, eps=1e-5, tied=False,
         matrix_type=QT.F32, embed_type=QT.F32, tolerance=1e-3,
         scaling=dict(type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                      original_context_length=64)),
    # qwen2: Q/K/V biases, NeoX RoPE, tied embeddings.
    dict(name="synthetic-qwen2", arch="qwen2", seed=2, dim=32, ffn=64, layers=2, heads=4,
         kv_heads=2, head_dim=8, context=128, rope_base=1000000.0, eps=1e-6, tied=True,
         qkv_bias=True, matrix_type=QT.F32, embed_type=QT.F32, tolerance=1e-3, scaling={}),
    # qwen3: per-head Q/K RMSNorm, head_dim (16) larger than dim/heads (8), NeoX RoPE, no biases.
    dict(name="synthetic-qwen3", arch="qwen3", seed=3, dim=32, ffn=64, layers=2, heads=4,
         kv_heads=2, head_dim=16, context=128, rope_base=1000000.0, eps=1e-6, tied=False,
         qk_norm=True, matrix_type=QT.F32, embed_type=QT.F32, tolerance=1e-3, scaling={}),
    # llama with linear RoPE scaling, Q8_0 matrices and an F16 tied embedding: the quantized path.
    # Tolerance is looser because the engine may round activations to 8 bits like llama.cpp.
    dict(name="synthetic-llama-q8", arch="llama", seed=4, dim=64, ffn=128, layers=2, heads=4,
         kv_heads=2, head_dim=16, context=128, rope_base=10000.0, eps=1e-5, tied=True,
         matrix_type=QT.Q8_0, embed_type=QT.F16, tolerance=2e-2,
         scaling=dict(type="linear", factor=2.0)),
]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests/InferenceTests/Fixtures/Model")
    os.makedirs(out_dir, exist_ok=True)
    for spec in SPECS:
        path = os.path.join(out_dir, spec["name"] + ".gguf")
        weights = build(spec, path)
        rng = np.random.default_rng(spec["seed"] + 1000)
        tokens = rng.integers(0, VOCAB, TOKENS_PER_SEQUENCE)
        logits = forward(spec, weights, tokens)
        result = {
            "model": spec["name"] + ".gguf",
            "tokens": [int(t) for t in tokens],
            "tolerance": spec["tolerance"],
            "logits": [[float(np.float32(v)) for v in row] for row in logits],
        }
        with open(os.path.join(out_dir, spec["name"] + ".logits.json"), "w") as f:
            json.dump(result, f, separators=(",", ":"))
            f.write("\n")
        size = os.path.getsize(path)
        assert size < 200_000, f"{path} is {size} bytes"
        print(f"{spec['name']}: {size} bytes, logits range [{logits.min():.3f}, {logits.max():.3f}]")


if __name__ == "__main__":
    main()
