#!/usr/bin/env bash
# Serving benchmark: 1, 2, 4 and 8 concurrent streaming clients of 64 tokens each against the real
# `parley serve` on loopback. Prints aggregate completion tokens/s and time to first token (p50, p99)
# per concurrency. Usage: Scripts/bench-serve.sh [MODEL] [THREADS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
threads="${2:-2}"
rounds="${3:-3}"
binary=.build/release/parley
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }
log="$(mktemp)"
"$binary" serve -m "$model" -t "$threads" --port 0 --queue 64 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 200); do grep -q "listening on" "$log" && break; sleep 0.05; done
port="$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$log" | head -1)"
[ -n "$port" ] || { cat "$log" >&2; exit 1; }

python3 - "$port" "$rounds" <<'EOF'
import http.client, json, statistics, sys, threading, time
port, rounds = int(sys.argv[1]), int(sys.argv[2])
body = json.dumps({"messages": [{"role": "user", "content": "Tell me a long story about a lighthouse keeper."}],
                   "max_tokens": 64, "temperature": 0.8, "seed": 1, "stream": True,
                   "stream_options": {"include_usage": True}})

def client(out):
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
EOF
