#!/usr/bin/env bash
# What a speculative verification pass costs (issue #15 item 4), in one-token steps.
#
# For each pass size k it runs `parley bench --verify-pass -p k -n 32` (the pass and plain decode
# in one process, near in time) ROUNDS times and prints c(k) = k · tg t/s / verify t/s, median
# and range over the rounds, and k / c(k): the speed-up that drafts of k - 1 tokens give when
# every one is accepted. Whatever the acceptance rate, speculation cannot beat the largest
# k / c(k); on a CPU whose decode is bound by arithmetic, not by reading the weights, that bound
# is low.
#
# Usage: Scripts/bench-pass-cost.sh [MODEL] [THREADS] [DEPTH] [ROUNDS] [SIZES]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
threads="${2:-1}"
depth="${3:-512}"
rounds="${4:-3}"
sizes="${5:-2 3 4 8}"
parley_bench_binary

bench_machine_line
echo "model: $(basename "$model"), $threads threads, depth $depth, $rounds rounds"
python3 - "$bin" "$model" "$threads" "$depth" "$rounds" $sizes <<'PY'
import json, statistics, subprocess, sys

binary, model, threads, depth, rounds = sys.argv[1:5] + [int(sys.argv[5])]
sizes = [int(k) for k in sys.argv[6:]]
costs = {k: [] for k in sizes}
for _ in range(rounds):
    for k in sizes:
        command = [binary, "bench", "-m", model, "-t", threads, "-d", depth, "-p", str(k), "-n", "32",
                   "-r", "10", "--verify-pass", "--json"]
        verify, plain = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        costs[k].append(k * plain["tokens_per_second"] / verify["tokens_per_second"])
print("| k | c(k), one-token steps | k / c(k) |")
print("| ---: | ---: | ---: |")
for k in sizes:
    c = statistics.median(costs[k])
    print(f"| {k} | {c:.2f} ({min(costs[k]):.2f}-{max(costs[k]):.2f}) | {k / c:.2f} |")
PY
