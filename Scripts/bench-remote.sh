#!/usr/bin/env bash
# Time to first token and decode speed through `--endpoint` to `parley serve` on loopback,
# against the same model in-process (issue #14's benchmark: the remote path should add at most
# 5 ms to the first token and 2% to decode). Greedy, the same prompt, RUNS runs each, medians.
# TTFT is prompt tokens / prefill speed as `run --json` reports it: for the local engine the
# prefill alone, for the remote one from sending the request to the first text received.
# The local runs are cold processes (model mapped in, first prefill); the server stays warm, so
# on a quiet machine compare the decode rates above all. Numbers swing with other load.
# Usage: Scripts/bench-remote.sh [MODEL.gguf] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-../shared/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
runs="${2:-5}"
bin=.build/release/parley
threads="${THREADS:-1}"
prompt="Write a short story about a lighthouse keeper who finds a message in a bottle."
source Scripts/lib/serve.sh
parley_start_serve "$bin" -m "$model" -t "$threads"
url="http://127.0.0.1:$PARLEY_SERVE_PORT/v1"
# Decode rates are compared per interval between two tokens. The remote client times the
# completion_tokens − 1 intervals from the first text to the end; the local engine's rate is
# completion_tokens over a time that holds only completion_tokens − 1 forward passes (the first
# token comes from the prompt's logits), so its per-interval rate is rate × (n − 1) / n. Without
# that, local is favoured by n / (n − 1): +0.79% at 128 tokens. `raw` keeps the reported rate.
measure() {  # prints "ttft_ms decode_tps_per_interval raw_decode_tps" per run; $1 is local|remote
    local kind="$1"
    shift
    for i in $(seq "$runs"); do
        # A different first word each run, so the server's KV cache cannot skip the prompt.
        "$bin" run "$@" -p "($i) $prompt" --temperature 0 --max-tokens 128 --json | python3 -c '
import json, sys
o = json.load(sys.stdin)
pre, dec, n = o["timings"]["prefill_tokens_per_second"], o["timings"]["decode_tokens_per_second"], o["usage"]["prompt_tokens"]
out = o["usage"]["completion_tokens"]
per_interval = dec * (out - 1) / out if sys.argv[1] == "local" else dec
print(f"{1000 * n / pre:.2f} {per_interval:.2f} {dec:.2f}")' "$kind"
    done
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# The server's batched slots never draft, so the local run does not either: what is compared is
# the transport, not speculative decoding.
local_rows="$(measure local -m "$model" -t "$threads" --no-speculate)"
remote_rows="$(measure remote --endpoint "$url")"
lt=$(echo "$local_rows" | cut -d' ' -f1 | median); ld=$(echo "$local_rows" | cut -d' ' -f2 | median)
rt=$(echo "$remote_rows" | cut -d' ' -f1 | median); rd=$(echo "$remote_rows" | cut -d' ' -f2 | median)
lraw=$(echo "$local_rows" | cut -d' ' -f3 | median)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "model $(basename "$model"), $threads thread(s), $runs runs, medians"
printf "local : TTFT %8.2f ms  decode %8.2f tok/s per interval (%.2f as run --json reports it)\n" "$lt" "$ld" "$lraw"
printf "remote: TTFT %8.2f ms  decode %8.2f tok/s per interval\n" "$rt" "$rd"
python3 -c "print(f'remote adds {$rt - $lt:+.2f} ms to the first token and {100 * (1 - $rd / $ld):+.2f}% to decode time per token')"
