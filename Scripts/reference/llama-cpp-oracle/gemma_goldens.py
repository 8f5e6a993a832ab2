#!/usr/bin/env python3
"""Writes Tests/Fixtures/reference/gemma-3-270m.oracle.json: what llama.cpp (built by build.sh from
the llama-cpp-python 0.3.36 sdist) computes on Gemma 3 270M, so the tests need no llama.cpp.

- perplexity: `llama-perplexity -c 256 -b 256` on shared/reference/ppl-text.txt (flash attention on,
  F16 cache), and llama-tokenize's ids of that text (BOS first, as the model's add_bos says);
- greedy: three raw prompts (no template, BOS first), their ids, the first step's top-5 logits and
  24 greedy tokens from `probe-avx2` (flash attention on, llama.cpp built for AVX2 as the other
  references are: its AVX-512 build sums the F16 attention's q·k in another order);
- vectors: llama.cpp's 46 tokenizer test inputs (shared/models/vocab/ggml-vocab-llama-spm.gguf.inp),
  tokenized by `llama-tokenize` with this model's vocabulary (BOS added, special tokens parsed).

Usage: Scripts/reference/llama-cpp-oracle/gemma_goldens.py MODEL.gguf
"""
import hashlib, json, os, re, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "../../.."))
shared = os.environ.get("PARLEY_SHARED", os.path.join(root, "../shared"))
bins = os.path.join(root, ".build/llama-cpp-oracle")
model = sys.argv[1]
PROMPTS = ["The capital of France is", "def fibonacci(n):\n", "Once upon a time, in a small village,"]


def tokenize(text, parse_special=True):
    with tempfile.NamedTemporaryFile("w", delete=False, encoding="utf-8") as f:
        f.write(text)
    args = [f"{bins}/build/bin/llama-tokenize", "-m", model, "-f", f.name, "--no-escape", "--ids", "--log-disable"]
    if not parse_special:
        args.append("--no-parse-special")
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    return json.loads(out.strip().splitlines()[-1])


def greedy(ids, n=24):
    # probe-avx2: llama.cpp's F16 attention rounds differently when built with AVX-512F (16-lane
    # q·k sums); the references and Parley follow the AVX2 (x86-64-v3) build.
    out = subprocess.run([f"{bins}/probe-avx2", model, "on", str(n), ",".join(map(str, ids))],
                         capture_output=True, text=True, check=True).stdout
    top = [(int(a), float(b)) for a, b in (x.split(":") for x in out.split("top5:")[1].split("\n")[0].split())]
    tokens = list(map(int, out.split("greedy:")[1].split()))
    return [{"token": t, "logit": l} for t, l in top], tokens


def main():
    text = open(os.path.join(shared, "reference/ppl-text.txt"), encoding="utf-8").read()
    ppl_out = subprocess.run([f"{bins}/build/bin/llama-perplexity", "-m", model, "-f",
                              os.path.join(shared, "reference/ppl-text.txt"), "-c", "256", "-b", "256",
                              "-t", "2", "-fa", "on"], capture_output=True, text=True).stderr
    ppl = float(re.search(r"Final estimate: PPL = ([0-9.]+)", ppl_out).group(1))
    inputs = open(os.path.join(shared, "models/vocab/ggml-vocab-llama-spm.gguf.inp"), encoding="utf-8").read()
    cases = inputs.split("\n__ggml_vocab_test__\n")
    if inputs.endswith("\n__ggml_vocab_test__\n"):
        cases.pop()  # the empty piece after the closing separator (the third case is a real empty text)
    result = {
        "model": os.path.basename(model),
        "sha256": hashlib.sha256(open(model, "rb").read()).hexdigest(),
        "llama_cpp": "0c1e570 (PyPI llama-cpp-python 0.3.36 sdist), CPU, flash attention on, F16 KV cache; greedy from the AVX2 build",
        "perplexity": {"context": 256, "ppl": ppl, "text": "ppl-text.txt", "tokens": tokenize(text, False)},
        "greedy": [],
        "vectors": [{"text": c, "ids": tokenize(c)} for c in cases],
    }
    for prompt in PROMPTS:
        ids = tokenize(prompt, False)
        top, tokens = greedy(ids)
        result["greedy"].append({"prompt": prompt, "prompt_tokens": ids, "first_step_top5": top, "greedy_tokens": tokens})
    out = os.path.join(root, "Tests/Fixtures/reference/gemma-3-270m.oracle.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {out}: ppl {ppl}, {len(result['vectors'])} vectors")


if __name__ == "__main__":
    main()
