#!/usr/bin/env python3
"""Finds each chat template's default system prompt with PyPI jinja2 (the HF environment): the oracle for
`PromptBuilder.defaultSystemPrompt`.

A template's default is the text it writes where a system prompt goes when the conversation has none
(SmolLM2: "You are a helpful AI assistant named SmolLM, trained by Hugging Face"). Found by rendering one
user message without a system message (A) and with a marker system message (B = P + marker + S): when A is
P + D + S with D not blank, and rendering with D as the system message gives A again, D is the default.

Templates: the shared chat templates (as render_templates.py finds them) plus SmolLM2's, read from the
vocab-only GGUF `models/vocab/ggml-vocab-smollm2.gguf` (../shared's or the one Scripts/test.sh installs) (the same template as the model's). Writes
`Tests/Fixtures/reference/default-system-prompts.json`: template name -> default, or null (no default, or
the template fails to render one of the messages).

Usage: python3 Scripts/reference/default_system_prompts.py [templates_dir]
"""

import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_env import make_env  # noqa: E402
from render_templates import PACKAGE_ROOT, templates_dir  # noqa: E402

OUTPUT = os.path.join(PACKAGE_ROOT, "Tests", "Fixtures", "reference", "default-system-prompts.json")
SYSTEM_MARKER = "PARLEY_SYSTEM_MARKER_7f3a"
USER_MARKER = "PARLEY_USER_MARKER_2c9e"
BOS, EOS = "<s>", "</s>"


def gguf_string(path, wanted):
    """The string value of metadata key `wanted` in a GGUF (version 2 or 3), or None."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"GGUF":
        raise ValueError(f"{path} is not a GGUF")
    offset = 8
    _tensors, count = struct.unpack_from("<QQ", data, offset)
    offset += 16
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

    def read_string(at):
        (length,) = struct.unpack_from("<Q", data, at)
        return data[at + 8 : at + 8 + length].decode("utf-8"), at + 8 + length

    def skip(kind, at):
        if kind in sizes:
            return at + sizes[kind]
        if kind == 8:
            return read_string(at)[1]
        if kind == 9:
            element, n = struct.unpack_from("<IQ", data, at)
            at += 12
            for _ in range(n):
                at = skip(element, at)
            return at
        raise ValueError(f"unknown GGUF value type {kind}")

    for _ in range(count):
        key, offset = read_string(offset)
        (kind,) = struct.unpack_from("<I", data, offset)
        offset += 4
        if key == wanted and kind == 8:
            return read_string(offset)[0]
        offset = skip(kind, offset)
    return None


def render(source, messages):
    env = make_env()
    return env.from_string(source).render(messages=messages, add_generation_prompt=True, bos_token=BOS, eos_token=EOS)


def default_system_prompt(source):
    user = {"role": "user", "content": USER_MARKER}
    try:
        without = render(source, [user])
        marked = render(source, [{"role": "system", "content": SYSTEM_MARKER}, user])
    except Exception:  # noqa: BLE001 - a template that cannot render both has no default we can know
        return None
    at = marked.find(SYSTEM_MARKER)
    if at < 0:
        return None
    prefix, suffix = marked[:at], marked[at + len(SYSTEM_MARKER) :]
    a, p, s = without.encode(), prefix.encode(), suffix.encode()
    if len(a) < len(p) + len(s) or not a.startswith(p) or not a.endswith(s):
        return None
    candidate = a[len(p) : len(a) - len(s)].decode("utf-8")
    if not candidate.strip():
        return None
    try:
        if render(source, [{"role": "system", "content": candidate}, user]) != without:
            return None
    except Exception:  # noqa: BLE001
        return None
    return candidate


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else templates_dir()
    result = {}
    for file_name in sorted(n for n in os.listdir(source_dir) if n.endswith(".jinja")):
        with open(os.path.join(source_dir, file_name), encoding="utf-8") as f:
            result[file_name[: -len(".jinja")]] = default_system_prompt(f.read())
    # The vocab-only SmolLM2 file: ../shared's, else the one Scripts/test.sh installs.
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    vocab = next(p for p in (os.path.join(PACKAGE_ROOT, "..", "shared", "models", "vocab", "ggml-vocab-smollm2.gguf"),
                             os.path.join(data_home, "parley", "models", "vocab", "ggml-vocab-smollm2.gguf"))
                 if os.path.exists(p))
    result["SmolLM2-135M-Instruct"] = default_system_prompt(gguf_string(vocab, "tokenizer.chat_template"))
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    found = {k: v for k, v in result.items() if v is not None}
    print(f"{len(result)} templates, {len(found)} with a default system prompt:")
    for name, text in sorted(found.items()):
        print(f"  {name}: {text[:100]!r}")


if __name__ == "__main__":
    main()
