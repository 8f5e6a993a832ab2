#!/usr/bin/env bash
# Benchmarks every model in a folder and prints a markdown table: `parley bench` (pp128, tg64) at 1
# and 2 threads, process start to first generated token, and peak RSS while generating 64 tokens
# with a 512-token context. Where llama.cpp's reference figure for the same model and machine class
# is known (../shared/reference/README.md §4), the ratio parley/llama.cpp is shown beside it.
#
# Usage: Scripts/bench.sh [MODELS_DIR] [REPETITIONS]   (default ../shared/models, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
models_dir="${1:-${PARLEY_MODELS_DIR:-../shared/models}}"
reps="${2:-5}"
bin=.build/release/parley
[ -x "$bin" ] || swift build -c release -Xswiftc -enable-testing --product parley >&2

# llama.cpp reference: pp128@1 pp128@2 tg64@1 tg64@2 rss_mib
reference() {
    case "$1" in
        SmolLM2-135M-Instruct.Q4_1.gguf) echo "74.4 131.0 44.8 69.5 135.3" ;;
        SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf) echo "72.2 132.9 38.0 61.9 149.7" ;;
        stories260K.gguf) echo "8214 21622 2093 3703 15.6" ;;
        *) echo "" ;;
    esac
}

ratio() { [ -n "$2" ] && python3 -c "print(f'{$1/$2:.2f}×')" || echo "–"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| model | test | threads | parley t/s | llama.cpp t/s | ratio |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
summary=""
for model in "$models_dir"/*.gguf; do
    name="$(basename "$model")"
    read -r ref_pp1 ref_pp2 ref_tg1 ref_tg2 ref_rss <<<"$(reference "$name") "
    json="$("$bin" bench -m "$model" -p 128 -n 64 -t 1,2 -r "$reps" --json)"
    while read -r test threads tps; do
        case "$test/$threads" in
            pp128/1) ref="$ref_pp1" ;; pp128/2) ref="$ref_pp2" ;; tg64/1) ref="$ref_tg1" ;; tg64/2) ref="$ref_tg2" ;; *) ref="" ;;
        esac
        echo "| $name | $test | $threads | $tps | ${ref:-–} | $(ratio "$tps" "$ref") |"
    done < <(python3 -c 'import json,sys
for r in json.load(sys.stdin): print(r["test"], r["threads"], "%.1f" % r["tokens_per_second"])' <<<"$json")

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
    rss_mib="$(python3 -c "print(f'{$rss_kib/1024:.1f}')")"
    summary="$summary| $name | $first_token s | $rss_mib MiB | ${ref_rss:-–} MiB | $(ratio "$rss_mib" "$ref_rss") |
"
done
echo
echo "| model | start → first token (median of 5) | peak RSS (64 tokens, ctx 512) | llama.cpp RSS | ratio |"
echo "| --- | ---: | ---: | ---: | ---: |"
printf '%s' "$summary"
