#!/usr/bin/env bash
# Side-by-side ratios that hold on a noisy machine: Parley and llama.cpp's llama-bench take turns,
# ROUNDS times (order swapped each round), on the same tests, and each round's ratio is Parley's
# t/s over llama.cpp's t/s of that round. Prints each test's median, lowest and highest ratio
# and each engine's median t/s. `Scripts/bench.sh` runs each engine once; on a shared VM whose
# speed drifts by 30% within minutes, pairing the runs is what makes a ratio mean something.
#
# Usage: Scripts/bench-pairs.sh MODEL [ROUNDS]   (default 5 rounds)
# Environment: PAIR_ARGS (default "-p 128 -n 64"; any llama-bench/parley bench test flags both
#              take, e.g. "-p 0 -n 64 -d 2048"), THREADS (default 1,2), REPS per run (default 3),
#              PARLEY_ENV (e.g. PARLEY_CPU=avx2, then LLAMA_BENCH should be the AVX2 build),
#              LLAMA_BENCH (default .build/llama-cpp-oracle/build/bin/llama-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${1:?usage: Scripts/bench-pairs.sh MODEL [ROUNDS]}"
rounds="${2:-5}"
llama="${LLAMA_BENCH:-.build/llama-cpp-oracle/build/bin/llama-bench}"
parley_bench_binary
[ -x "$llama" ] || { echo "no llama-bench at $llama: run Scripts/reference/llama-cpp-oracle/build.sh" >&2; exit 1; }
bench_machine_line
echo "model: $(basename "$model"); tests: ${PAIR_ARGS:--p 128 -n 64}, threads ${THREADS:-1,2}," \
    "${REPS:-3} repetitions a run, $rounds rounds${PARLEY_ENV:+, Parley with $PARLEY_ENV}"
python3 - "$bin" "$llama" "$model" "$rounds" <<'PY'
import json, os, shlex, statistics, subprocess, sys

sys.path.insert(0, "Scripts/lib")
from bench_rows import rows

parley, llama, model, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
tests = shlex.split(os.environ.get("PAIR_ARGS", "-p 128 -n 64"))
common = tests + ["-t", os.environ.get("THREADS", "1,2"), "-r", os.environ.get("REPS", "3")]
env = dict(os.environ)
for assignment in shlex.split(os.environ.get("PARLEY_ENV", "")):
    key, _, value = assignment.partition("=")
    env[key] = value

def run_parley():
    out = subprocess.run([parley, "bench", "-m", model, *common, "--json"], check=True, capture_output=True,
                         text=True, env=env).stdout
    return rows(json.loads(out), "parley")

def run_llama():
    out = subprocess.run([llama, "-m", model, *common, "-fa", "1", "-o", "json"], check=True,
                         capture_output=True, text=True).stdout
    return rows(json.loads(out), "llama")

ours, theirs, ratios = {}, {}, {}
for round_ in range(rounds):
    first, second = (run_parley, run_llama) if round_ % 2 == 0 else (run_llama, run_parley)
    a, b = first(), second()
    p, l = (a, b) if round_ % 2 == 0 else (b, a)
    for key in p:
        if key in l:
            ours.setdefault(key, []).append(p[key])
            theirs.setdefault(key, []).append(l[key])
            ratios.setdefault(key, []).append(p[key] / l[key])
    print(f"round {round_ + 1}: " + ", ".join(f"{k[0]}/{k[1]}t {p[k] / l[k]:.2f}×" for k in p if k in l),
          flush=True)
print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
print()
print("| test | threads | Parley t/s (median) | llama.cpp t/s (median) | ratio median | lowest | highest |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for key in ratios:
    r = ratios[key]
    print(f"| {key[0]} | {key[1]} | {statistics.median(ours[key]):.1f} | {statistics.median(theirs[key]):.1f} | "
          f"**{statistics.median(r):.2f}×** | {min(r):.2f}× | {max(r):.2f}× |")
PY
