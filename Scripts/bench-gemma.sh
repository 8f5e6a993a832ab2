#!/usr/bin/env bash
# Gemma 3 270M (issue #16) beside llama.cpp built from the same sdist (Scripts/reference/
# llama-cpp-oracle/build.sh): pp128 and tg64 at 1 and 2 threads (`parley bench` and `llama-bench`,
# flash attention on, F16 cache), process start to the first generated token (`parley run --raw`;
# llama-bench reports no such figure), and peak RSS while generating 64 tokens with a 512-token
# context (llama-bench's own peak RSS beside it). SmolLM2's speed too, to compare runs before and
# after a change in one session.
#
# Usage: Scripts/bench-gemma.sh [REPETITIONS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
reps="${1:-5}"
bench_llama=.build/llama-cpp-oracle/build/bin/llama-bench
source Scripts/lib/default-model.sh
source Scripts/lib/gemma-model.sh
gemma=""
for folder in "${PARLEY_MODELS_DIR:-}" ../shared/models "$PARLEY_MODELS_DIR_INSTALLED"; do
    [ -n "$folder" ] && [ -f "$folder/$PARLEY_GEMMA_NAME" ] && gemma="$folder/$PARLEY_GEMMA_NAME" && break
done
[ -n "$gemma" ] || { parley_install_gemma_model bench; gemma="$PARLEY_MODELS_DIR_INSTALLED/$PARLEY_GEMMA_NAME"; }
smol=../shared/models/$PARLEY_MODEL_NAME
[ -f "$smol" ] || smol="$PARLEY_MODELS_DIR_INSTALLED/$PARLEY_MODEL_NAME"
parley_bench_binary

bench_machine_line
echo
echo "| model | test | threads | parley t/s | llama.cpp t/s | ratio |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for model in "$gemma" "$smol"; do
    name="$(basename "$model")"
    parley_json="$("$bin" bench -m "$model" -p 128 -n 64 -t 1,2 -r "$reps" --json)"
    llama_json="[]"
    if [ -x "$bench_llama" ]; then
        llama_json="$("$bench_llama" -m "$model" -p 128 -n 64 -t 1,2 -r "$reps" -fa 1 -o json 2>/dev/null)"
    fi
    python3 - "$name" "$parley_json" "$llama_json" <<'PY'
import json, sys
name, ours, theirs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
ref = {}
for r in theirs:
    test = f"pp{r['n_prompt']}" if r["n_prompt"] else f"tg{r['n_gen']}"
    ref[(test, r["n_threads"])] = r["avg_ts"]
for r in ours:
    other = ref.get((r["test"], r["threads"]))
    ratio = f"{r['tokens_per_second'] / other:.2f}×" if other else "–"
    print(f"| {name} | {r['test']} | {r['threads']} | {r['tokens_per_second']:.1f} | "
          f"{other and round(other, 1) or '–'} | {ratio} |")
PY
done

# Process start to the first generated token (median of 5) and peak RSS (64 tokens, ctx 512).
first_token="$(python3 - "$bin" "$gemma" <<'PY'
import statistics, subprocess, sys, time
times = []
for _ in range(5):
    start = time.perf_counter()
    p = subprocess.Popen([sys.argv[1], "run", "--raw", "-m", sys.argv[2], "--temperature", "0", "--max-tokens", "8",
                          "-p", "The sea is"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.read(1)
    times.append(time.perf_counter() - start)
    p.wait()
print("%.3f" % statistics.median(times))
PY
)"
rss_kib="$(/usr/bin/time -f %M "$bin" run --raw -m "$gemma" --ctx 512 --max-tokens 64 --temperature 0 \
    -p "Once upon a time" 2>&1 >/dev/null | tail -1)"
llama_rss="–"
if [ -x "$bench_llama" ]; then
    llama_kib="$(/usr/bin/time -f %M "$bench_llama" -m "$gemma" -p 0 -n 64 -t 2 -r 1 -fa 1 2>&1 >/dev/null | tail -1)"
    llama_rss="$(python3 -c "print(f'{$llama_kib/1024:.1f}')") MiB (llama-bench tg64)"
fi
echo
echo "| model | start → first token (median of 5) | peak RSS (64 tokens, ctx 512) | llama.cpp peak RSS |"
echo "| --- | ---: | ---: | ---: |"
echo "| $(basename "$gemma") | $first_token s | $(python3 -c "print(f'{$rss_kib/1024:.1f}')") MiB | $llama_rss |"
