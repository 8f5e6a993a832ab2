#!/usr/bin/env bash
# Speculative decoding from the prompt (issue #15 item 4): summarising README.md and a transcript
# example with greedy decoding, `parley run` with and without `--no-speculate`.
#
# Per input it prints decode tokens/s of both (best of ROUNDS), whether the texts are identical
# (they must be), the drafted and accepted tokens and the speed-up (target >= 1.5x). The machine
# is shared, so it also prints user CPU seconds per generated token of each (the decode's CPU:
# a run's user time minus that of a 1-token run of the same prompt, over the tokens after the
# first), which load from other processes disturbs far less than wall-clock tokens/s.
#
# Usage: Scripts/bench-speculate.sh [MODEL] [ROUNDS] [MAX_TOKENS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
rounds="${2:-2}"
max_tokens="${3:-256}"
threads="${4:-2}"
parley_bench_binary

bench_machine_line
echo "model: $(basename "$model"), $threads threads, greedy, max $max_tokens tokens, best of $rounds"
python3 - "$bin" "$model" "$rounds" "$max_tokens" "$threads" <<'PY'
import json, resource, subprocess, sys

binary, model, rounds, max_tokens, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
inputs = [
    ("README.md", "Summarise this file in a few paragraphs."),
    ("transcripts/example-multilingual.json", "Summarise this conversation transcript, field by field."),
]

def run(path, prompt, tokens, speculate):
    """One `parley run --json`: (completion object, user CPU seconds of the child)."""
    command = [binary, "run", "-m", model, "-t", threads, "--ctx", "8192", "--temperature", "0",
               "--max-tokens", str(tokens), "--file", path, "-p", prompt, "--json"]
    if not speculate:
        command.append("--no-speculate")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    return json.loads(output), after - before

for path, prompt in inputs:
    _, prefill_cpu = run(path, prompt, 1, False)
    results = {}
    for speculate in (False, True):
        best, cpu = None, None
        for _ in range(rounds):
            completion, user = run(path, prompt, max_tokens, speculate)
            tokens = completion["usage"]["completion_tokens"]
            per_token = (user - prefill_cpu) / max(1, tokens - 1)
            if best is None or completion["timings"]["decode_tokens_per_second"] > best["timings"]["decode_tokens_per_second"]:
                best = completion
            cpu = per_token if cpu is None else min(cpu, per_token)
        results[speculate] = (best, cpu)
    plain, fast = results[False][0], results[True][0]
    texts_equal = plain["choices"][0]["message"]["content"] == fast["choices"][0]["message"]["content"]
    timings = fast["timings"]
    plain_tps, fast_tps = plain["timings"]["decode_tokens_per_second"], timings["decode_tokens_per_second"]
    print(f"\n{path}: {plain['usage']['prompt_tokens']} prompt tokens, "
          f"{fast['usage']['completion_tokens']} generated, identical text: {texts_equal}")
    print(f"  without: {plain_tps:.1f} t/s, {results[False][1] * 1000:.2f} ms user CPU per token")
    print(f"  with:    {fast_tps:.1f} t/s, {results[True][1] * 1000:.2f} ms user CPU per token, "
          f"drafted {timings.get('drafted_tokens', 0)}, accepted {timings.get('accepted_draft_tokens', 0)} "
          f"({timings.get('draft_acceptance_rate', 0) * 100:.0f}%)")
    print(f"  speed-up: {fast_tps / plain_tps:.2f}x tokens/s, "
          f"{results[False][1] / results[True][1]:.2f}x CPU per token (target >= 1.5x)")
    if not texts_equal:
        sys.exit(f"{path}: the texts differ")
PY
