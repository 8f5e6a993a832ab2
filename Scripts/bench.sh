#!/usr/bin/env bash
# Benchmarks Parley and llama.cpp side by side, in one run, on this machine, and prints markdown
# tables with the ratios of that run:
#   1. pp128 and tg64 at 1 and 2 threads: Parley's detected kernels against llama.cpp built
#      natively (-march=native), and `PARLEY_CPU=avx2` against llama.cpp built for AVX2/FMA/F16C.
#   2. Decoding at depth (tokens already cached; llama-bench's `-d`): tg64 at 0, 512, 2048, 8192.
#   3. Process start to first token and peak RSS (Parley only).
# llama.cpp comes from Scripts/reference/llama-cpp-oracle/build.sh (llama-bench, flash attention
# on, as Parley computes attention). Without it, section 1 compares with the stored reference
# figures (a Zen 1 machine, ../shared/reference/README.md §4) and says so; section 2 shows Parley alone.
#
# Usage: Scripts/bench.sh [MODELS_DIR] [REPETITIONS]   (default ../shared/models, 5)
# Environment: BENCH_THREADS (default 1,2), BENCH_DEPTHS (default 0,512,2048,8192; empty skips 2),
#              BENCH_DEPTH_MODELS (glob of models for section 2, default *Q4_*).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
models_dir="${1:-${PARLEY_MODELS_DIR:-../shared/models}}"
reps="${2:-5}"
threads="${BENCH_THREADS:-1,2}"
depths="${BENCH_DEPTHS-0,512,2048,8192}"
depth_models="${BENCH_DEPTH_MODELS:-*Q4_*}"
parley_bench_binary
oracle=.build/llama-cpp-oracle
native_bench="$oracle/build/bin/llama-bench"
avx2_bench="$oracle/build-avx2/bin/llama-bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
kernels="$("$bin" inspect --json "$(ls "$models_dir"/*.gguf | head -1)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cpu"]["kernels"])')"
echo "machine: $cpu, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "parley: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), detected kernels: $kernels"
if [ -x "$native_bench" ]; then
    have_llama=1
    echo "llama.cpp: llama-cpp-python 0.3.36 sdist, llama-bench -fa 1, native build$([ -x "$avx2_bench" ] && echo ' and AVX2 build' || echo '; no AVX2 build') (same run)"
else
    have_llama=0
    echo "llama.cpp: no local build ($native_bench); ratios use the stored reference figures (Zen 1, AVX2), not this run"
fi
echo

# llama-bench rows as "test threads t/s" lines (test named as Parley names it).
llama_rows() { python3 Scripts/lib/bench_rows.py llama; }
parley_rows() { python3 Scripts/lib/bench_rows.py parley; }

# Stored llama.cpp reference (Zen 1): pp128@1 pp128@2 tg64@1 tg64@2 rss_mib.
reference() {
    case "$1" in
        SmolLM2-135M-Instruct.Q4_1.gguf) echo "74.4 131.0 44.8 69.5 135.3" ;;
        SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf) echo "72.2 132.9 38.0 61.9 149.7" ;;
        stories260K.gguf) echo "8214 21622 2093 3703 15.6" ;;
        *) echo "" ;;
    esac
}
ratio() { [ -n "$2" ] && [ "$2" != "–" ] && python3 -c "print(f'{$1/$2:.2f}×')" || echo "–"; }
lookup() { awk -v t="$2" -v n="$3" '$1 == t && $2 == n { print $3 }' "$1"; }

echo "## 1. Prompt processing and decoding, same run"
echo
echo "| model | test | threads | parley ($kernels) | llama.cpp native | ratio | parley avx2 | llama.cpp AVX2 | ratio |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
summary=""
for model in "$models_dir"/*.gguf; do
    name="$(basename "$model")"
    "$bin" bench -m "$model" -p 128 -n 64 -t "$threads" -r "$reps" --json | parley_rows > "$work/parley"
    PARLEY_CPU=avx2 "$bin" bench -m "$model" -p 128 -n 64 -t "$threads" -r "$reps" --json | parley_rows > "$work/parley-avx2"
    if [ "$have_llama" = 1 ]; then
        "$native_bench" -m "$model" -p 128 -n 64 -t "$threads" -r "$reps" -fa 1 -o json 2>/dev/null | llama_rows > "$work/llama"
        if [ -x "$avx2_bench" ]; then
            "$avx2_bench" -m "$model" -p 128 -n 64 -t "$threads" -r "$reps" -fa 1 -o json 2>/dev/null | llama_rows > "$work/llama-avx2"
        else
            : > "$work/llama-avx2"
        fi
    else
        read -r ref_pp1 ref_pp2 ref_tg1 ref_tg2 _ <<<"$(reference "$name") "
        printf 'pp128 1 %s\npp128 2 %s\ntg64 1 %s\ntg64 2 %s\n' "${ref_pp1:-–}" "${ref_pp2:-–}" "${ref_tg1:-–}" "${ref_tg2:-–}" > "$work/llama"
        cp "$work/llama" "$work/llama-avx2"
    fi
    while read -r test n tps; do
        l="$(lookup "$work/llama" "$test" "$n")"; a="$(lookup "$work/parley-avx2" "$test" "$n")"; la="$(lookup "$work/llama-avx2" "$test" "$n")"
        echo "| $name | $test | $n | $tps | ${l:-–} | $(ratio "$tps" "${l:-}") | ${a:-–} | ${la:-–} | $(ratio "${a:-0}" "${la:-}") |"
    done < "$work/parley"

    # Process start to the first generated token: time to the first byte on stdout (median of 5).
    first_token="$(python3 - "$bin" "$model" <<'PY'
import statistics, subprocess, sys, time
times = []
for _ in range(5):
    start = time.perf_counter()
    p = subprocess.Popen([sys.argv[1], "run", "-m", sys.argv[2], "--temperature", "0", "--max-tokens", "8",
                          "-p", "Write one sentence about the sea."], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.read(1)
    times.append(time.perf_counter() - start)
    p.wait()
print("%.3f" % statistics.median(times))
PY
)"
    rss_kib="$(/usr/bin/time -f %M "$bin" run -m "$model" --ctx 512 --max-tokens 64 --temperature 0 \
        -p "Tell me a story." 2>&1 >/dev/null | tail -1)"
    summary="$summary| $name | $first_token s | $(python3 -c "print(f'{$rss_kib/1024:.1f}')") MiB |
"
done

if [ -n "$depths" ]; then
    echo
    echo "## 2. Decoding at depth (tg64 after d cached tokens, F16 cache, same run)"
    echo
    echo "| model | test | threads | parley ($kernels) | llama.cpp native | ratio | parley / its d0 |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    for model in "$models_dir"/$depth_models; do
        [ -f "$model" ] || continue
        name="$(basename "$model")"
        "$bin" bench -m "$model" -p 0 -n 64 -d "$depths" -t "$threads" -r "$reps" --json | parley_rows > "$work/parley"
        if [ "$have_llama" = 1 ]; then
            "$native_bench" -m "$model" -p 0 -n 64 -d "$depths" -t "$threads" -r "$reps" -fa 1 -o json 2>/dev/null \
                | llama_rows > "$work/llama"
        else
            : > "$work/llama"
        fi
        while read -r test n tps; do
            l="$(lookup "$work/llama" "$test" "$n")"; d0="$(lookup "$work/parley" tg64 "$n")"
            echo "| $name | ${test//_/ } | $n | $tps | ${l:-–} | $(ratio "$tps" "${l:-}") | $(ratio "$tps" "${d0:-}") |"
        done < "$work/parley"
    done
fi

echo
echo "## 3. Start-up and memory (Parley)"
echo
echo "| model | start → first token (median of 5) | peak RSS (64 tokens, ctx 512) |"
echo "| --- | ---: | ---: |"
printf '%s' "$summary"
