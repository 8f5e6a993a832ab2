#!/usr/bin/env bash
# CPU time per generated token (user + sys) of the serving paths (issues #13 and #14), which,
# unlike wall-clock, holds up on a machine other jobs load. On 2 cores every microsecond the
# client or the server spends beside the engine is taken from its 2 compute threads.
#   local : `parley run -m MODEL` alone (the engine, the reference)
#   remote: `parley run --endpoint` to `parley serve` on loopback: client and server CPU
#   serve : K concurrent streaming clients (Python http.client, as bench-serve.sh) against
#           `parley serve --parallel 4`: the server's CPU per token, and its wall-clock tokens/s
# Per-token costs are marginal: (CPU of a MAX-token answer − CPU of a 1-token answer) / (tokens
# difference), so model loading and the prompt cancel out. Server CPU comes from the sum of
# /proc/PID/task/*/schedstat (nanoseconds on CPU, every thread); a client's from wait4's rusage.
# Usage: Scripts/bench-cpu.sh [MODEL] [THREADS] [MAX_TOKENS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
threads="${2:-2}"
max_tokens="${3:-128}"
runs="${4:-3}"
binary="${PARLEY_BINARY:-.build/release/parley}"
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }
source Scripts/lib/serve.sh
parley_start_serve "$binary" -m "$model" -t "$threads" --parallel 4
port="$PARLEY_SERVE_PORT"
server="$PARLEY_SERVE_PID"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "model $(basename "$model"), $threads threads, $max_tokens tokens, medians of $runs"
python3 - "$binary" "$model" "$threads" "$port" "$server" "$max_tokens" "$runs" <<'EOF'
import glob, http.client, json, os, statistics, subprocess, sys, threading, time
binary, model, threads, port, server, max_tokens, runs = sys.argv[1:8]
port, server, max_tokens, runs = int(port), int(server), int(max_tokens), int(runs)
prompt = "Write a short story about a lighthouse keeper who finds a message in a bottle."
counter = iter(range(1 << 30))

def server_cpu():
    total = 0
    for path in glob.glob(f"/proc/{server}/task/*/schedstat"):
        try:
            total += int(open(path).read().split()[0])
        except (OSError, ValueError):
            pass
    return total / 1e9

def run(args, tokens):
    """One `parley run`: (client CPU s, server CPU s, completion tokens)."""
    before = server_cpu()
    process = subprocess.Popen([binary, "run", *args, "-p", f"({next(counter)}) {prompt}", "--temperature", "0",
                                "--max-tokens", str(tokens), "--json"], stdout=subprocess.PIPE, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    assert status == 0, out
    return usage.ru_utime + usage.ru_stime, server_cpu() - before, json.loads(out)["usage"]["completion_tokens"]

def marginal(args):
    client, serve = [], []
    for _ in range(runs):
        c1, s1, t1 = run(args, 1)
        cn, sn, tn = run(args, max_tokens)
        client.append((cn - c1) / (tn - t1) * 1000)
        serve.append((sn - s1) / (tn - t1) * 1000)
    return statistics.median(client), statistics.median(serve)

# The server never drafts, so neither does the local run: the figure compares transports.
local, _ = marginal(["-m", model, "-t", threads, "--no-speculate"])
print(f"local  : {local:6.3f} ms CPU per token (engine, {threads} threads)")
client, serve = marginal(["--endpoint", f"http://127.0.0.1:{port}/v1"])
print(f"remote : client {client:6.3f} + server {serve:6.3f} = {client + serve:6.3f} ms CPU per token "
      f"({100 * (client + serve - local) / local:+.1f}% over local)")

def stream(tokens, out):
    body = json.dumps({"messages": [{"role": "user", "content": f"{next(counter)}. {prompt}"}], "max_tokens": tokens,
                       "temperature": 0.8, "seed": 1, "stream": True, "stream_options": {"include_usage": True}})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    for line in conn.getresponse():
        if line.startswith(b"data: {") and b'"usage":{' in line:
            out.append(json.loads(line[6:])["usage"]["completion_tokens"])
    conn.close()

def clients(k, tokens):
    out = []
    workers = [threading.Thread(target=stream, args=(tokens, out)) for _ in range(k)]
    before, start = server_cpu(), time.monotonic()
    for w in workers: w.start()
    for w in workers: w.join()
    return server_cpu() - before, time.monotonic() - start, sum(out)

for k in (1, 4):
    cpu, rate = [], []
    for _ in range(runs):
        s1, w1, t1 = clients(k, 1)
        sn, wn, tn = clients(k, max_tokens)
        cpu.append((sn - s1) / (tn - t1) * 1000)
        rate.append(tn / wn)
    print(f"serve  : {k} client(s): server {statistics.median(cpu):6.3f} ms CPU per token, "
          f"{statistics.median(rate):6.1f} tok/s aggregate (wall-clock, load-sensitive)")
print(f"load average after: {open('/proc/loadavg').read().split()[0]}")
EOF
