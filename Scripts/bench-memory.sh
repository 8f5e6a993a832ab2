#!/usr/bin/env bash
# The memory ceiling of decode at depth on this machine: how fast 1 and 2 threads stream a
# working set of N MB (Scripts/lib/read-bandwidth.c, the best of many passes), and from that
# the highest d/d0 speed ratio any engine could reach at each depth if it read the weights and
# the KV cache at that bandwidth, for the Q8_0 and F16 caches.
#
# A token at depth 0 reads the weights W; at depth d also d × (the KV bytes of one position).
# Once W plus the cache outgrows the last-level cache, the bandwidth itself drops, so the
# ceiling is  (W / BW(W)) / ((W + d·kv) / BW(W + d·kv)),  not just W / (W + d·kv).
# W is taken as the model file's size: right for models whose output matrix is the token
# embedding (SmolLM2, Gemma 3), an overestimate otherwise. Every layer is counted at full depth,
# so for sliding-window models (Gemma) the bytes are overestimated and the ceiling is low.
#
# Usage: Scripts/bench-memory.sh [MODEL]   (default SmolLM2-135M-Instruct.Q4_1.gguf in $PARLEY_MODELS_DIR or ../shared/models)
# Environment: DEPTHS (512,2048,8192), THREADS (1,2), SIZES (MB; default 16 ... 1024).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
model="${1:-${PARLEY_MODELS_DIR:-../shared/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
depths="${DEPTHS:-512,2048,8192}"
threads="${THREADS:-1,2}"
sizes="${SIZES:-16 32 64 96 128 160 192 256 384 512 1024}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

parley_bench_binary
cc -O2 -mavx2 -pthread -o "$work/read-bandwidth" Scripts/lib/read-bandwidth.c
"$bin" inspect --json -m "$model" > "$work/model.json"

bench_machine_line
for t in ${threads//,/ }; do
    # shellcheck disable=SC2086 # one argument per size
    "$work/read-bandwidth" "$t" $sizes > "$work/bandwidth.$t"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$depths" "$threads" <<'PY'
import json, sys
work, depths, threads = sys.argv[1], [int(d) for d in sys.argv[2].split(",")], sys.argv[3].split(",")
model = json.load(open(f"{work}/model.json"))
meta = {m["key"]: m.get("value") for m in model["metadata"]}
arch = model["architecture"]
def key(name, default=None):
    return meta.get(f"{arch}.{name}", default)
layers = int(key("block_count"))
heads = int(key("attention.head_count"))
kv_heads = int(key("attention.head_count_kv", heads))
key_dim = int(key("attention.key_length", int(key("embedding_length")) // heads))
value_dim = int(key("attention.value_length", key_dim))
weights = model["fileSize"]
per_position = {
    "q8_0": layers * kv_heads * (key_dim + value_dim) // 32 * 34,
    "f16": layers * kv_heads * (key_dim + value_dim) * 2,
}
MB = 1 << 20
print(f"\nmodel: {model['file'].split('/')[-1]}, W = {weights / MB:.1f} MB; KV per position: "
      + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in per_position.items()))
if key("attention.sliding_window") is not None:
    print("(sliding-window layers counted at full depth: the ceilings below are low for this model)")
for t in threads:
    curve = [tuple(map(float, line.split())) for line in open(f"{work}/bandwidth.{t}")]
    def bandwidth(nbytes):
        mb = nbytes / MB
        if mb <= curve[0][0]:
            return curve[0][1]
        for (m0, b0), (m1, b1) in zip(curve, curve[1:]):
            if mb <= m1:
                return b0 + (b1 - b0) * (mb - m0) / (m1 - m0)
        return curve[-1][1]
    print(f"\n### {t} thread(s): read bandwidth by working set\n")
    print("| MB | " + " | ".join(f"{m:.0f}" for m, _ in curve) + " |")
    print("|---|" + "---|" * len(curve))
    print("| GB/s | " + " | ".join(f"{b:.1f}" for _, b in curve) + " |")
    print(f"\n| cache | depth | bytes a token | ceiling d/d0 |\n|---|---|---|---|")
    base = weights / bandwidth(weights)
    for cache, kv in per_position.items():
        for d in depths:
            total = weights + d * kv
            print(f"| {cache} | {d} | {total / MB:.0f} MB | {base / (total / bandwidth(total)):.2f} |")
PY
