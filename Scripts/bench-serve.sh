#!/usr/bin/env bash
# Serving benchmark: 1, 2, 4 and 8 concurrent streaming clients of 64 tokens each against the real
# `parley serve` on loopback. Prints aggregate completion tokens/s and time to first token (p50, p99)
# per concurrency, then the time to first token of `parley run` for the same prompt (its prefill
# plus one decode step, from its --json timings) to compare with one client's.
# Usage: Scripts/bench-serve.sh [MODEL] [THREADS] [ROUNDS] [PARALLEL]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
threads="${2:-2}"
rounds="${3:-3}"
parallel="${4:-4}"
binary=.build/release/parley
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }
source Scripts/lib/serve.sh
parley_start_serve "$binary" -m "$model" -t "$threads" --queue 64 --parallel "$parallel"
port="$PARLEY_SERVE_PORT"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ); --parallel $parallel"
python3 - "$port" "$rounds" "$binary" "$model" "$threads" <<'EOF'
import http.client, json, statistics, subprocess, sys, threading, time
port, rounds, binary, model, run_threads = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
counter = iter(range(1 << 30))

def request_body():
    # A number first, so only the template's system prompt can come from the prefix cache: each
    # request evaluates its own prompt, as `parley run` does (which the TTFT is compared with).
    text = f"{next(counter)}. Tell me a long story about a lighthouse keeper."
    return json.dumps({"messages": [{"role": "user", "content": text}], "max_tokens": 64, "temperature": 0.8,
                       "seed": 1, "stream": True, "stream_options": {"include_usage": True}})

def client(out):
    body = request_body()
    start = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    first, tokens = None, 0
    for line in response:
        if not line.startswith(b"data: {"):
            continue
        chunk = json.loads(line[6:])
        if first is None and chunk["choices"] and chunk["choices"][0]["delta"].get("content"):
            first = time.monotonic() - start
        if chunk.get("usage"):
            tokens = chunk["usage"]["completion_tokens"]
    conn.close()
    out.append((first or 0.0, tokens))

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

client([])  # warm-up
print(f"{'clients':>7} {'agg tok/s':>10} {'ttft p50 ms':>12} {'ttft p99 ms':>12}")
for clients in (1, 2, 4, 8):
    rates, ttfts = [], []
    for _ in range(rounds):
        out = []
        threads = [threading.Thread(target=client, args=(out,)) for _ in range(clients)]
        start = time.monotonic()
        for t in threads: t.start()
        for t in threads: t.join()
        rates.append(sum(t for _, t in out) / (time.monotonic() - start))
        ttfts += [f for f, _ in out]
    print(f"{clients:>7} {statistics.median(rates):>10.1f} {pct(ttfts, 50) * 1000:>12.1f} {pct(ttfts, 99) * 1000:>12.1f}")
    if clients == 1:
        one = statistics.median(rates)
    if clients == 4:
        print(f"        4 clients / 1 client aggregate: {statistics.median(rates) / one:.2f}x (target >= 2.2x)")

# parley run, same prompt: prefill time plus one decode step, from its own timings.
run_ttfts = []
for _ in range(max(3, rounds)):
    out = subprocess.run([binary, "run", "-m", model, "-t", run_threads, "--temperature", "0.8", "--seed", "1",
                          "--max-tokens", "64", "--json", "-p", "0. Tell me a long story about a lighthouse keeper."],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    timings, usage = result["timings"], result["usage"]
    run_ttfts.append(usage["prompt_tokens"] / timings["prefill_tokens_per_second"]
                     + 1 / timings["decode_tokens_per_second"])
print(f"parley run ttft (prefill + one step) median {statistics.median(run_ttfts) * 1000:.1f} ms")
EOF
