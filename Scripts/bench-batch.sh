#!/usr/bin/env bash
# Batched decoding and logprobs cost (issue #11), SmolLM2 Q4_1, 2 threads, best of ROUNDS rounds
# (the machine is shared: each round runs every test back to back, and the best of each is kept).
#
#   n=1 vs n=4: `parley bench --parallel 1,4`: a 32-token prompt prefilled once, forked into n
#               sequences, 64 batched steps of one token per sequence. Time of n=4 / n=1 (target
#               <= 1.8x) and aggregate tokens/s of n=4 / single stream (target >= 2.2x).
#   logprobs:   the same single-stream decode with each step's token scored with 20 alternatives
#               (what --logprobs --top-logprobs 20 adds), against without: the log-normalizer every
#               answer computes for its cross-entropy (target <= 3% slower).
#
# Usage: Scripts/bench-batch.sh [MODEL] [ROUNDS] [REPETITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
rounds="${2:-3}"
reps="${3:-5}"
parley_bench_binary

best() { python3 -c "import sys; print(max(float(x) for x in sys.argv[1:]))" "$@"; }
tps() { python3 -c "import json,sys; print(json.load(sys.stdin)[0]['tokens_per_second'])"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
one=() four=() plain=() scored=()
for _ in $(seq "$rounds"); do
    one+=("$("$bin" bench -m "$model" -p 0 -n 64 -t 2 -r "$reps" --parallel 1 --json | tps)")
    four+=("$("$bin" bench -m "$model" -p 0 -n 64 -t 2 -r "$reps" --parallel 4 --json | tps)")
    plain+=("$("$bin" bench -m "$model" -p 0 -n 64 -t 2 -r "$reps" --parallel 1 --top-logprobs 0 --json | tps)")
    scored+=("$("$bin" bench -m "$model" -p 0 -n 64 -t 2 -r "$reps" --parallel 1 --top-logprobs 20 --json | tps)")
done
b1="$(best "${one[@]}")"; b4="$(best "${four[@]}")"; bp="$(best "${plain[@]}")"; bs="$(best "${scored[@]}")"
echo "rounds: n=1 ${one[*]} | n=4 ${four[*]} | logprobs 0 ${plain[*]} | logprobs 20 ${scored[*]} (t/s)"
python3 - "$b1" "$b4" "$bp" "$bs" <<'PY'
import sys
one, four, plain, scored = map(float, sys.argv[1:])
print(f"n=1: {one:.1f} t/s; n=4: {four:.1f} t/s aggregate")
print(f"time of n=4 x 64 tokens / n=1 x 64 tokens: {4 * one / four:.2f}x (target <= 1.8x)")
print(f"aggregate n=4 / single stream: {four / one:.2f}x (target >= 2.2x)")
print(f"logprobs top-20 cost: {(plain / scored - 1) * 100:.1f}% slower than without (target <= 3%)")
print(f"always-on cross-entropy (log-normalizer per token): {(one / plain - 1) * 100:.1f}% of a bare decode step")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
