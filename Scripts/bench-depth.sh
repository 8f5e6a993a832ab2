#!/usr/bin/env bash
# Decode at depth (issue #15 item 3), in one run: tg64 at 0 and 2,048 cached tokens, 1 and 2
# threads, F16 and Q8_0 caches, for one or more Parley binaries (e.g. main's and this branch's)
# beside llama.cpp's llama-bench (-fa 1; -ctk/-ctv q8_0 for the Q8_0 cache). Prints markdown
# tables with each Parley binary's ratio to llama.cpp and its d2048/d0 ratio.
#
# Usage: Scripts/bench-depth.sh [LABEL=BINARY ...]   (default: this=.build/release/parley)
# Environment: MODEL (default ../shared/models/SmolLM2-135M-Instruct.Q4_1.gguf), REPS (3),
#              DEPTHS (0,2048), THREADS (1,2), LLAMA_BENCH (default .build/llama-cpp-oracle/build/bin/llama-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${MODEL:-../shared/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
reps="${REPS:-3}"
depths="${DEPTHS:-0,2048}"
threads="${THREADS:-1,2}"
llama="${LLAMA_BENCH:-.build/llama-cpp-oracle/build/bin/llama-bench}"
[ "$#" -gt 0 ] || set -- "this=.build/release/parley"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bench_machine_line
echo "model: $(basename "$model"), tg64, best of $reps repetitions each (mean t/s as reported)"
for cache in f16 q8_0; do
    for spec in "$@"; do
        label="${spec%%=*}"
        bin="${spec#*=}"
        "$bin" bench -m "$model" -p 0 -n 64 -d "$depths" -t "$threads" -r "$reps" --cache-type "$cache" --json \
            | python3 Scripts/lib/bench_rows.py parley > "$work/$label.$cache"
    done
    if [ -x "$llama" ]; then
        extra=()
        [ "$cache" = q8_0 ] && extra=(-ctk q8_0 -ctv q8_0)
        "$llama" -m "$model" -p 0 -n 64 -d "$depths" -t "$threads" -r "$reps" -fa 1 "${extra[@]}" -o json 2>/dev/null \
            | python3 Scripts/lib/bench_rows.py llama > "$work/llama.$cache"
    fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$@" <<'EOF'
import sys, os
work, specs = sys.argv[1], sys.argv[2:]
labels = [s.split("=", 1)[0] for s in specs]
def rows(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            test, threads, tps = line.split()
            out[(test, int(threads))] = float(tps)
    return out
for cache in ("f16", "q8_0"):
    llama = rows(f"{work}/llama.{cache}")
    ours = {l: rows(f"{work}/{l}.{cache}") for l in labels}
    print(f"\n### cache {cache}\n")
    head = "| test | t | llama.cpp | " + " | ".join(f"{l} | {l}/llama | {l} dN/d0" for l in labels) + " |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    keys = sorted({k for r in ours.values() for k in r}, key=lambda k: (k[1], len(k[0]), k[0]))
    for test, t in keys:
        cells = [test.replace("_", " "), str(t), "%.1f" % llama[(test, t)] if (test, t) in llama else "-"]
        for l in labels:
            v = ours[l].get((test, t))
            d0 = ours[l].get(("tg64", t))
            cells += ["%.1f" % v if v else "-",
                      "%.2f×" % (v / llama[(test, t)]) if v and (test, t) in llama else "-",
                      "%.2f" % (v / d0) if v and d0 else "-"]
        print("| " + " | ".join(cells) + " |")
EOF
