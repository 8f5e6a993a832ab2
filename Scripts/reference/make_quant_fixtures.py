#!/usr/bin/env python3
"""Golden files for Parley's dequantizers and activation quantizers.

The oracle is PyPI `gguf` (pip install gguf==0.19.0 numpy): `gguf.quants.dequantize` for every
weight type, and `gguf.GGUFReader` for rows of the real shared models. Outputs go to
Tests/InferenceTests/Fixtures/Quants/ (committed; tests never run Python):

  index.json              what each fixture holds (types, counts, files, model size/sha256)
  <TYPE>.bin / .f32       seeded random blocks of TYPE and their dequantized float32 values
  act_<FMT>.json/.f32     activation rows and their Q8_0 / Q8_K codes and scales
  model_<n>.f32           dequantized rows of real tensors from ../shared/models

Run from the package root:  python3 Scripts/reference/make_quant_fixtures.py [models_dir]
"""
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from llama_cpp_sdist import sha256  # noqa: E402  (the one streaming file digest)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "InferenceTests", "Fixtures", "Quants")
rng = np.random.default_rng(20240607)

# Byte offsets of the f16 scale fields of each K-quant block (see BlockLayouts.swift): random
# bytes elsewhere are valid codes/scales; the f16 fields get sane finite values.
K_F16_FIELDS = {T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}
LEGACY_F16_FIELDS = {T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0]}


def sane_f16(count, signed):
    """Random f16 scales of magnitude 1e-4 .. 0.5 (never NaN/Inf)."""
    mag = np.exp(rng.uniform(np.log(1e-4), np.log(0.5), count)).astype(np.float16)
    if signed:
        mag = mag * rng.choice(np.array([-1, 1], dtype=np.float16), count)
    return mag.astype(np.float16)


def random_blocks(qtype, n_blocks, f16_fields):
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    for offset in f16_fields:
        # minimums (second field of Q4_1/Q5_1/K dmin) may be negative in real files
        values = sane_f16(n_blocks, signed=True)
        raw[:, offset:offset + 2] = values.view(np.uint8).reshape(n_blocks, 2)
    return raw


def weight_case(qtype):
    """Bytes and element count for one type: quantized data where gguf can quantize it, plus
    random blocks so every code pattern appears."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    if qtype == T.F32:
        values = rng.standard_normal(96).astype(np.float32)
        values[:4] = [0.0, -0.0, 1e-40, -3.4e38]
        return values.view(np.uint8), 96
    if qtype == T.F16:
        bits = rng.integers(0, 0x7C00, size=192, dtype=np.uint16)  # finite, incl. subnormals
        bits |= (rng.integers(0, 2, size=192, dtype=np.uint16) << 15)
        bits[:4] = [0x0000, 0x8000, 0x0001, 0x7BFF]
        return bits.view(np.uint8), 192
    if qtype == T.BF16:
        data = (rng.standard_normal(96) * 10.0 ** rng.integers(-20, 20, 96)).astype(np.float32)
        return quantize(data, T.BF16).view(np.uint8).reshape(-1), 96
    if qtype in LEGACY_F16_FIELDS:
        data = (rng.standard_normal((4, block_size)) * rng.uniform(0.01, 2.0, (4, 1))).astype(np.float32)
        data[1, :] = 0.0  # an all-zero block (d = 0)
        quantized = quantize(data, qtype).reshape(4, type_size)
        randoms = random_blocks(qtype, 4, LEGACY_F16_FIELDS[qtype])
        blocks = np.concatenate([quantized, randoms], axis=0)
        return blocks.reshape(-1), 8 * block_size
    randoms = random_blocks(qtype, 4, K_F16_FIELDS[qtype])
    return randoms.reshape(-1), 4 * block_size


def write(name, array):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(np.ascontiguousarray(array).tobytes())


def make_weight_fixtures():
    entries = []
    for qtype in [T.F32, T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0,
                  T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]:
        raw, count = weight_case(qtype)
        raw = np.ascontiguousarray(raw, dtype=np.uint8)
        values = dequantize(raw, qtype).astype(np.float32).reshape(-1)
        assert values.size == count, (qtype.name, values.size, count)
        assert np.all(np.isfinite(values)), qtype.name
        write(f"{qtype.name}.bin", raw)
        write(f"{qtype.name}.f32", values)
        entries.append({"type": qtype.name, "ggmlType": int(qtype), "count": count,
                        "bytes": f"{qtype.name}.bin", "values": f"{qtype.name}.f32"})
    return entries


def quantize_q8_0_avx2(x):
    """llama.cpp's AVX2 quantize_row_q8_0/q8_1: d = amax/127, q = rint(x * (127/amax))."""
    blocks = x.reshape(-1, 32)
    amax = np.abs(blocks).max(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        inv = np.where(amax != 0, np.float32(127) / amax, np.float32(0)).astype(np.float32)
    codes = np.rint(blocks * inv).astype(np.int8)
    scales = (amax / np.float32(127)).astype(np.float16).astype(np.float32).reshape(-1)
    return codes.reshape(-1), scales


def quantize_q8_k(x):
    """llama.cpp's quantize_row_q8_K: iscale = -127/max, q = min(127, rint(iscale*x)), d = 1/iscale."""
    codes, scales = [], []
    for block in x.reshape(-1, 256):
        j = int(np.argmax(np.abs(block)))  # first index of the largest magnitude
        mx = block[j]
        if mx == 0:
            codes.append(np.zeros(256, np.int8))
            scales.append(np.float32(0))
            continue
        iscale = np.float32(-127) / mx
        codes.append(np.minimum(127, np.rint(iscale * block)).astype(np.int8))
        scales.append(np.float32(1) / iscale)
    return np.concatenate(codes), np.array(scales, np.float32)


def make_activation_fixtures():
    x = (rng.standard_normal(1024) * rng.uniform(0.1, 5.0, 1024)).astype(np.float32)
    x[32:64] = 0.0                          # zero block
    x[64:96] = np.arange(32, dtype=np.float32) - 15.5  # exact halves: ties in rounding
    x[100] = 200.0                          # an outlier
    x[512 + 7] = -300.0                     # Q8_K negative max
    write("act_input.f32", x)
    c0, s0 = quantize_q8_0_avx2(x)
    ck, sk = quantize_q8_k(x)
    write("act_q8_0_codes.bin", c0)
    write("act_q8_0_scales.f32", s0)
    write("act_q8_k_codes.bin", ck)
    write("act_q8_k_scales.f32", sk)
    return {"count": int(x.size), "input": "act_input.f32",
            "q8_0": {"codes": "act_q8_0_codes.bin", "scales": "act_q8_0_scales.f32"},
            "q8_K": {"codes": "act_q8_k_codes.bin", "scales": "act_q8_k_scales.f32"}}


MODEL_ROWS = [
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "blk.0.attn_q.weight", [0, 1, 575]),
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "blk.0.ffn_down.weight", [0, 300]),
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "token_embd.weight", [0, 1, 49151]),
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "blk.0.attn_norm.weight", [0]),
    ("SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf", "blk.0.attn_q.weight", [0, 7]),
    ("SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf", "blk.3.ffn_down.weight", [0, 575]),
    ("SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf", "blk.0.ffn_down.weight", [0, 100]),
    ("SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf", "blk.0.attn_v.weight", [0, 191]),
]


def make_model_fixtures(models_dir):
    entries, models = [], {}
    readers = {}
    for index, (file, tensor_name, rows) in enumerate(MODEL_ROWS):
        path = os.path.join(models_dir, file)
        if file not in readers:
            readers[file] = gguf.GGUFReader(path)
            models[file] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}
        tensor = next(t for t in readers[file].tensors if t.name == tensor_name)
        columns = int(tensor.shape[0])
        data = np.asarray(tensor.data)
        block_size, type_size = gguf.GGML_QUANT_SIZES[tensor.tensor_type]
        if data.ndim == 1:
            data = data.reshape(1, -1)
        selected = np.ascontiguousarray(data[rows])
        values = dequantize(selected.view(np.uint8) if tensor.tensor_type not in (T.F32,) else selected,
                            tensor.tensor_type).astype(np.float32).reshape(len(rows), columns)
        name = f"model_{index}.f32"
        write(name, values)
        entries.append({"model": file, "tensor": tensor_name, "type": tensor.tensor_type.name,
                        "columns": columns, "rows": rows, "values": name})
    return entries, models


def main():
    os.makedirs(OUT, exist_ok=True)
    # The SmolLM2 files: the argument, else $PARLEY_MODELS_DIR, else ../shared/models beside the clone.
    models_dir = sys.argv[1] if len(sys.argv) > 1 else (
        os.environ.get("PARLEY_MODELS_DIR") or os.path.join(os.path.dirname(ROOT), "shared", "models"))
    index = {"generator": "Scripts/reference/make_quant_fixtures.py", "gguf": gguf.__version__ if hasattr(gguf, "__version__") else "0.19.0",
             "weights": make_weight_fixtures(), "activations": make_activation_fixtures()}
    index["modelRows"], index["models"] = make_model_fixtures(models_dir)
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
