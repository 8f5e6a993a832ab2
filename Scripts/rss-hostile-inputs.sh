#!/usr/bin/env bash
# Peak memory of parley on hostile inputs (issue #10, findings 3 and 4): a 40 MB metadata array,
# 2M metadata keys, 1M tensors, and one-word texts of 8 MB (accepted) and 20 MB (refused).
# Usage: Scripts/rss-hostile-inputs.sh [MODELS_DIR]   (needs .build/release/parley and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
models="${1:-${PARLEY_MODELS_DIR:-../shared/models}}"
parley=.build/release/parley
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Hand-written GGUF v3 files (the layout of GGUFParser.swift), so the script needs no packages.
python3 - "$work" <<'PY'
import struct, sys
out = sys.argv[1]
def s(text):
    data = text.encode()
    return struct.pack('<Q', len(data)) + data
def header(tensors, keys):
    return b'GGUF' + struct.pack('<IQQ', 3, tensors, keys)
with open(f'{out}/array40.gguf', 'wb') as f:      # one u8 array of 40 MB
    f.write(header(0, 1) + s('hostile.array') + struct.pack('<IIQ', 9, 0, 40_000_000))
    f.write(bytes(40_000_000))
with open(f'{out}/keys2m.gguf', 'wb') as f:       # 2M u8 keys
    f.write(header(0, 2_000_000))
    f.write(b''.join(s(f'k{i:07d}') + struct.pack('<IB', 0, 1) for i in range(2_000_000)))
with open(f'{out}/tensors1m.gguf', 'wb') as f:    # 1M one-element F32 tensors
    f.write(header(1_000_000, 0))
    f.write(b''.join(s(f't{i:07d}') + struct.pack('<IQIQ', 1, 1, 0, 32 * i) for i in range(1_000_000)))
    pad = (32 - f.tell() % 32) % 32
    f.write(bytes(pad) + bytes(32 * 1_000_000))
import random
random.seed(10)
for name, size in (('word8m', 8_000_000), ('word20m', 20_000_000)):
    with open(f'{out}/{name}.txt', 'w') as f:
        f.write(''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(size)))
PY

measure() {  # label, command...
    local label="$1"; shift
    local log="$work/time.log" status=0
    /usr/bin/time -v "$@" >"$work/out" 2>"$log" || status=$?
    local rss secs
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    printf '%-42s exit %d  peak RSS %7.1f MB  %s s\n' "$label" "$status" "$(echo "$rss / 1024" | bc -l)" "$secs"
    grep -v '^\s' "$log" | grep -iv 'command\|exit status' | head -2 | sed 's/^/    /' || true
}

measure "inspect 40 MB u8 array" "$parley" inspect "$work/array40.gguf"
measure "inspect --json 40 MB u8 array" "$parley" inspect --json "$work/array40.gguf"
measure "inspect 2M keys" "$parley" inspect "$work/keys2m.gguf"
measure "inspect 1M tensors" "$parley" inspect "$work/tensors1m.gguf"
# stories260K is in ../shared only; the generated tiny llama (Scripts/test.sh writes it) has the
# same 512-token SentencePiece shape, so a fresh clone still measures a small vocabulary.
for vocab in "$models/SmolLM2-135M-Instruct.Q4_1.gguf" "$models/stories260K.gguf" \
        Tests/InferenceTests/Fixtures/Model/synthetic-llama-spm.gguf; do
    [ -f "$vocab" ] || continue
    name=$(basename "$vocab" .gguf)
    measure "tokenize 8 MB one-word ($name)" "$parley" tokenize -m "$vocab" -f "$work/word8m.txt"
    measure "tokenize 20 MB one-word ($name)" "$parley" tokenize -m "$vocab" -f "$work/word20m.txt"
done
