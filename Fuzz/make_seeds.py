#!/usr/bin/env python3
"""Writes the committed seed corpora of Fuzz/Corpus/*: run once, commit the output.

    python3 -m pip install --no-deps --target Fuzz/.build-py gguf==0.19.0
    PYTHONPATH=Fuzz/.build-py python3 Fuzz/make_seeds.py [SHARED_DIR]

Sources: hand-made inputs below; GGUF files written by PyPI `gguf` (an independent writer, so the
seeds are real GGUF, not our own idea of it); chat templates and vocab test strings from SHARED_DIR
(default ../shared beside the clone, or the committed Tests/Fixtures copies); the repository's
example transcripts and Jinja snippets. Deterministic: same inputs, same bytes.
"""
import glob
import hashlib
import json
import os
import struct
import sys

import numpy as np
import gguf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared")
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")
QT = gguf.GGMLQuantizationType


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def first_existing(*paths):
    for pattern in paths:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found
    return []


# ------------------------------------------------------------------ gguf

GPT2_BYTES = [chr(b) for b in range(ord("!"), ord("~") + 1)] + [chr(b) for b in range(0xA1, 0xAD)] + \
    [chr(b) for b in range(0xAE, 0x100)]


def gpt2_char(byte):
    """GPT-2's byte-to-character mapping: printable bytes map to themselves, the rest above 255."""
    printable = [b for b in range(256) if chr(b) in GPT2_BYTES]
    if byte in printable:
        return chr(byte)
    return chr(256 + [b for b in range(256) if b not in printable].index(byte))


def add_bpe_vocab(writer, template):
    tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + [gpt2_char(b) for b in range(256)]
    merges = ["Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r", "o n", "Ġ the", "l l", "He ll", "H e", "Hell o"]
    for merge in merges:
        merged = merge.replace(" ", "")
        if merged not in tokens:
            tokens.append(merged)
    types = [gguf.TokenType.CONTROL] * 3 + [gguf.TokenType.NORMAL] * (len(tokens) - 3)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("smollm")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(False)
    writer.add_chat_template(template)
    return len(tokens)


def add_spm_vocab(writer):
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + \
        ["▁", "▁t", "he", "▁the", "▁a", "in", "er", "▁H", "ello", "▁Hello", "▁w", "orld", "▁world", "你", "好"]
    scores = [0.0] * 259 + [-float(i) for i in range(len(tokens) - 259)]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL] + \
        [gguf.TokenType.BYTE] * 256 + [gguf.TokenType.NORMAL] * (len(tokens) - 259)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    writer.add_add_space_prefix(True)
    return len(tokens)


def tiny_model(path, arch, vocab, matrix_type, seed):
    """A one-layer model small enough for a seed that still loads as a whole model."""
    rng = np.random.default_rng(seed)
    dim, ffn, heads, kv_heads = 32, 32, 2, 1
    head_dim = dim // heads
    writer = gguf.GGUFWriter(path, arch)
    writer.add_context_length(64)
    writer.add_embedding_length(dim)
    writer.add_feed_forward_length(ffn)
    writer.add_block_count(1)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    rope_dims = head_dim * 3 // 4 if arch == "phi3" else head_dim  # Phi-4-mini's partial RoPE
    writer.add_rope_dimension_count(rope_dims)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    if arch == "phi3":
        writer.add_rope_scaling_orig_ctx_len(32)
        writer.add_rope_scaling_attn_factors(1.19)
    vocab_size = vocab(writer)
    writer.add_vocab_size(vocab_size)

    def tensor(name, shape, qtype=QT.F32):
        values = (rng.standard_normal(shape) * 0.1).astype(np.float32)
        if qtype == QT.F32:
            writer.add_tensor(name, values)
        elif qtype == QT.F16:
            writer.add_tensor(name, values.astype(np.float16))
        else:
            writer.add_tensor(name, gguf.quants.quantize(values, qtype), raw_dtype=qtype)

    tensor("token_embd.weight", (vocab_size, dim), QT.F16)
    tensor("output_norm.weight", (dim,))
    tensor("blk.0.attn_norm.weight", (dim,))
    if arch == "phi3":  # fused Q/K/V and gate/up, LongRoPE factors, no output.weight (tied)
        tensor("blk.0.attn_qkv.weight", ((heads + 2 * kv_heads) * head_dim, dim), matrix_type)
        writer.add_tensor("rope_factors_long.weight", np.linspace(1, 8, rope_dims // 2, dtype=np.float32))
        writer.add_tensor("rope_factors_short.weight", np.linspace(1, 2, rope_dims // 2, dtype=np.float32))
    else:
        tensor("blk.0.attn_q.weight", (heads * head_dim, dim), matrix_type)
        tensor("blk.0.attn_k.weight", (kv_heads * head_dim, dim), matrix_type)
        tensor("blk.0.attn_v.weight", (kv_heads * head_dim, dim), matrix_type)
    tensor("blk.0.attn_output.weight", (dim, heads * head_dim), matrix_type)
    if arch == "qwen2":
        tensor("blk.0.attn_q.bias", (heads * head_dim,))
        tensor("blk.0.attn_k.bias", (kv_heads * head_dim,))
        tensor("blk.0.attn_v.bias", (kv_heads * head_dim,))
    tensor("blk.0.ffn_norm.weight", (dim,))
    if arch == "phi3":
        tensor("blk.0.ffn_up.weight", (2 * ffn, dim), matrix_type)
    else:
        tensor("blk.0.ffn_gate.weight", (ffn, dim), matrix_type)
        tensor("blk.0.ffn_up.weight", (ffn, dim), matrix_type)
    tensor("blk.0.ffn_down.weight", (dim, ffn), matrix_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def every_value_type(path):
    """No model: one key of every GGUF value type, nested arrays, and tensors of several types."""
    writer = gguf.GGUFWriter(path, "test")
    writer.add_uint8("t.u8", 200)
    writer.add_int8("t.i8", -100)
    writer.add_uint16("t.u16", 60000)
    writer.add_int16("t.i16", -30000)
    writer.add_uint32("t.u32", 4_000_000_000)
    writer.add_int32("t.i32", -2_000_000_000)
    writer.add_float32("t.f32", 1.5)
    writer.add_uint64("t.u64", 2**63 + 5)
    writer.add_int64("t.i64", -(2**62))
    writer.add_float64("t.f64", -2.25)
    writer.add_bool("t.bool", True)
    writer.add_string("t.string", "héllo 你好 🙂")
    writer.add_array("t.ints", [1, 2, 3])
    writer.add_array("t.strings", ["a", "", "ccc"])
    writer.add_array("t.nested", [[1, 2], [3]])
    writer.add_custom_alignment(64)
    rng = np.random.default_rng(7)
    writer.add_tensor("f32", rng.standard_normal((2, 8)).astype(np.float32))
    writer.add_tensor("f16", rng.standard_normal((3, 4)).astype(np.float16))
    for qtype in [QT.Q4_0, QT.Q4_1, QT.Q8_0]:
        values = rng.standard_normal((2, 32)).astype(np.float32)
        writer.add_tensor(qtype.name.lower(), gguf.quants.quantize(values, qtype), raw_dtype=qtype)
    for qtype in [QT.Q4_K, QT.Q6_K]:  # gguf-py cannot quantize these: random blocks of the right size
        block_bytes = gguf.GGML_QUANT_SIZES[qtype][1]
        raw = rng.integers(0, 256, (2, block_bytes), dtype=np.uint8)
        writer.add_tensor(qtype.name.lower(), raw, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def gguf_seeds():
    scratch = os.path.join(ROOT, "Fuzz", ".build-py", "seeds")
    os.makedirs(scratch, exist_ok=True)
    chatml = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}" \
             "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
    seeds = {
        "llama-spm-q8_0.gguf": lambda p: tiny_model(p, "llama", add_spm_vocab, QT.Q8_0, 1),
        "llama-bpe-q4_0.gguf": lambda p: tiny_model(p, "llama", lambda w: add_bpe_vocab(w, chatml), QT.Q4_0, 2),
        "qwen2-bpe-f32.gguf": lambda p: tiny_model(p, "qwen2", lambda w: add_bpe_vocab(w, chatml), QT.F32, 3),
        "phi3-spm-q8_0.gguf": lambda p: tiny_model(p, "phi3", add_spm_vocab, QT.Q8_0, 4),
        "every-value-type.gguf": every_value_type,
    }
    for name, make in seeds.items():
        path = os.path.join(scratch, name)
        make(path)
        with open(path, "rb") as f:
            data = f.read()
        # No .gguf suffix: the repository ignores *.gguf so that no model is ever committed.
        stem = name.removesuffix(".gguf")
        put("gguf", stem, data)
        # The same file cut inside the tensor data and inside the metadata: the truncated paths.
        put("gguf", stem + ".cut-half", data[: len(data) // 2])
        put("gguf", stem + ".cut-header", data[:200])
    # Hand-made headers: version 2, no keys; a count that lies; a bad magic.
    put("gguf", "empty-v3", b"GGUF" + struct.pack("<IQQ", 3, 0, 0))
    put("gguf", "empty-v2", b"GGUF" + struct.pack("<IQQ", 2, 0, 0))
    put("gguf", "lying-count", b"GGUF" + struct.pack("<IQQ", 3, 0, 2**40))
    put("gguf", "string-key", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 4) + b"k.ey" +
        struct.pack("<IQ", 8, 3) + b"abc")


# ------------------------------------------------------------------ jinja

def jinja_seeds():
    templates = first_existing(os.path.join(SHARED, "templates", "*.jinja"),
                               os.path.join(ROOT, "Tests", "Fixtures", "**", "*.jinja"))
    for path in templates:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= 8192:  # fuzz.sh's -max_len for jinja
            put("jinja", "template-" + os.path.basename(path), data)
    with open(os.path.join(ROOT, "Tests", "JinjaTests", "Fixtures", "snippets.json")) as f:
        snippets = json.load(f)["snippets"]
    for snippet in snippets[::10]:  # every tenth of the 1,297 snippets keeps the corpus small
        source = snippet.get("template") or snippet.get("source")
        if source:
            digest = hashlib.sha1(source.encode()).hexdigest()[:12]
            put("jinja", f"snippet-{digest}", source)
    # A template with a JSON context after the NUL byte (see FuzzJinja.swift).
    put("jinja", "with-context", "{{ messages[0].content | tojson }}{{ messages | length }}\0"
        + json.dumps([{"role": "user", "content": "hi \u00e9 \U0001F642", "n": [1, 2.5, None, True]}]))
    put("jinja", "macro-recursion", "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
        "{% endmacro %}{{ f(30) }}")
    put("jinja", "string-ops", "{{ ('a' * 4000 ~ 'b') in 'a' * 8000 }}{{ ('ab' * 500).count('b') }}"
        "{{ [1, 2, 2, 3] | unique | list }}{{ 'x' | center(20) }}{{ '%s-%d' % ('a', 3) }}")
    put("jinja", "namespace-loop", "{% set ns = namespace(n=0) %}{% for i in range(10) %}{% set ns.n = ns.n + i %}"
        "{% if loop.last %}{{ ns.n }}{% endif %}{% endfor %}{{ raise_exception('done') }}")


# ------------------------------------------------------------------ transcript

def transcript_seeds():
    examples = sorted(glob.glob(os.path.join(ROOT, "transcripts", "example-*.json")))
    for path in examples:
        with open(path, "rb") as f:
            put("transcript", os.path.basename(path), f.read())
    minimal = {"version": 1, "id": "m", "title": "t", "created": "2026-01-01T00:00:00Z",
               "updated": "2026-01-01T00:00:00Z", "messages": []}
    put("transcript", "minimal.json", json.dumps(minimal))
    rich = dict(minimal, system_prompt="Be brief.\nReally.", messages=[
        {"role": "user", "content": "héllo 你好 🙂 \u0000 \"quoted\" \\ /"},
        {"role": "assistant", "content": "ok", "finish_reason": "length",
         "usage": {"prompt_tokens": 3, "completion_tokens": 1, "cached_tokens": 0}},
        {"role": "system", "content": ""}],
        parameters={"temperature": 1.25, "top_p": 0.5, "top_k": 0, "min_p": 0, "max_tokens": 1,
                    "stop": ["\n\n", "User:"], "seed": 18446744073709551615, "logit_bias": {"42": -100}},
        model={"file": "m.gguf", "size": 1, "sha256": "ab" * 32, "architecture": "qwen2"})
    put("transcript", "rich.json", json.dumps(rich, ensure_ascii=False, indent=1))
    put("transcript", "too-new.json", json.dumps(dict(minimal, version=2)))
    put("transcript", "negative-version.json", json.dumps(dict(minimal, version=-1)))
    put("transcript", "offset-dates.json", json.dumps(dict(minimal, created="2026-01-01T05:00:00+05:00")))
    put("transcript", "truncated.json", json.dumps(rich)[:150])
    put("transcript", "deep.json", "[" * 300 + "]" * 300)


# ------------------------------------------------------------------ tokenizer

def tokenizer_seeds():
    """The llama.cpp vocab test strings, each behind a control byte (see FuzzTokenizer.swift)."""
    inputs = first_existing(os.path.join(SHARED, "models", "vocab", "ggml-vocab-llama-spm.gguf.inp"),
                            os.path.join(ROOT, "Tests", "Fixtures", "**", "ggml-vocab-llama-spm.gguf.inp"))
    strings = []
    if inputs:
        with open(inputs[0], encoding="utf-8") as f:
            strings = [s.strip("\n") for s in f.read().split("\n__ggml_vocab_test__\n")]
    strings += ["<|im_start|>user\nhi<|im_end|>", "<s>[INST] hi [/INST]</s>", "\xff\xfe not utf-8"]
    for index, text in enumerate(strings):
        data = text.encode("utf-8", errors="surrogateescape") if index < len(strings) - 1 else b"\xff\xfe not utf-8"
        # Control byte: vocabulary index (low bits), parse-special, special decode, add-special.
        put("tokenizer", f"inp-{index:02d}", bytes([(index % 6) | (0x70 if index % 4 == 0 else 0x00)]) + data)


# ------------------------------------------------------------------ input

def input_seeds():
    esc = "\x1b"
    seeds = {
        "typing": "hello, world 你好 🙂👩‍💻\r",
        "controls": "\x01\x02\x05\x0b\x15\x17\x19\x7f\x08\t\x00\x1c\x1d\x1e\x1f",
        "arrows-csi": esc + "[A" + esc + "[B" + esc + "[C" + esc + "[D" + esc + "[H" + esc + "[F",
        "arrows-ss3": esc + "OA" + esc + "OB" + esc + "OP" + esc + "OS" + esc + "OM" + esc + "Oz",
        "modifiers": esc + "[1;2A" + esc + "[1;5C" + esc + "[1;3D" + esc + "[1;8H" + esc + "[Z",
        "tilde-keys": "".join(f"{esc}[{n}~" for n in [1, 2, 3, 4, 5, 6, 7, 8, 11, 15, 17, 21, 23, 24, 99])
                      + esc + "[3;5~",
        "alt-keys": esc + "a" + esc + "\r" + esc + "\x7f" + esc + esc + esc + "[" + "x",
        "paste": esc + "[200~line one\r\nline two\rthree " + esc + "[20x" + esc + "[201~",
        "paste-unterminated": esc + "[200~never ends " + esc + "[20",
        "csi-garbage": esc + "[" + "1;" * 20 + "\x7f" + esc + "[?1049h" + esc + "[<0;10;5M",
        "backend-events": "ab\xf8\xf9\x03\xfa\xfb" + esc + "[200~x\xfc\x05bulk!",
    }
    for name, text in seeds.items():
        put("input", name, text.encode("utf-8", errors="surrogateescape") if "\xf8" not in text
            else text.encode("latin-1", errors="ignore"))


if __name__ == "__main__":
    gguf_seeds()
    jinja_seeds()
    transcript_seeds()
    tokenizer_seeds()
    input_seeds()
    for target in sorted(os.listdir(CORPUS)):
        files = glob.glob(os.path.join(CORPUS, target, "*"))
        print(f"{target}: {len(files)} seeds, {sum(os.path.getsize(f) for f in files)} bytes")
