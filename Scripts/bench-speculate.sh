#!/usr/bin/env bash
# Speculative decoding from the prompt (issue #15 item 4): summarising README.md and the
# transcript examples with greedy decoding, `parley run` with and without `--no-speculate`.
#
# Per input each round runs both, one right after the other, and the speed-up is that round's
# ratio of decode tokens/s: the machine's speed drifts between runs (the same binary's plain
# decode ranged 65-86 t/s in one session), and pairs taken close in time cancel most of it. It
# prints the median ratio with its range, the median tokens/s of each, the drafted and accepted
# tokens, and whether every round's texts were identical (they must be).
#
# Usage: Scripts/bench-speculate.sh [MODEL] [ROUNDS] [MAX_TOKENS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
rounds="${2:-3}"
max_tokens="${3:-256}"
threads="${4:-2}"
parley_bench_binary

bench_machine_line
echo "model: $(basename "$model"), $threads threads, greedy, max $max_tokens tokens, $rounds paired rounds"
python3 - "$bin" "$model" "$rounds" "$max_tokens" "$threads" <<'PY'
import json, statistics, subprocess, sys

binary, model, rounds, max_tokens, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
transcript_prompt = "Summarise this conversation transcript, field by field."
inputs = [
    ("README.md", "Summarise this file in a few paragraphs."),
    ("transcripts/example-multilingual.json", transcript_prompt),
    ("transcripts/example-alternatives.json", transcript_prompt),
    ("transcripts/example-arithmetic.json", transcript_prompt),
]

def run(path, prompt, speculate):
    """One `parley run --json`'s completion object."""
    command = [binary, "run", "-m", model, "-t", threads, "--ctx", "8192", "--temperature", "0",
               "--max-tokens", max_tokens, "--file", path, "-p", prompt, "--json"]
    if not speculate:
        command.append("--no-speculate")
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)

def text(completion):
    return completion["choices"][0]["message"]["content"]

for path, prompt in inputs:
    ratios, plain_speeds, fast_speeds, identical = [], [], [], True
    for _ in range(rounds):
        plain, fast = run(path, prompt, False), run(path, prompt, True)
        identical = identical and text(plain) == text(fast)
        plain_speeds.append(plain["timings"]["decode_tokens_per_second"])
        fast_speeds.append(fast["timings"]["decode_tokens_per_second"])
        ratios.append(fast_speeds[-1] / plain_speeds[-1])
    timings = fast["timings"]
    print(f"\n{path}: {plain['usage']['prompt_tokens']} prompt tokens, "
          f"{fast['usage']['completion_tokens']} generated, identical text in every round: {identical}")
    print(f"  without: {statistics.median(plain_speeds):.1f} t/s, with: {statistics.median(fast_speeds):.1f} t/s "
          f"(medians); drafted {timings.get('drafted_tokens', 0)}, accepted "
          f"{timings.get('accepted_draft_tokens', 0)} ({timings.get('draft_acceptance_rate', 0) * 100:.0f}%)")
    print(f"  speed-up: {statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}) "
          f"over {rounds} paired rounds (target >= 1.5x)")
    if not identical:
        sys.exit(f"{path}: the texts differ")
PY
