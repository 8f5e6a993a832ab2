#!/usr/bin/env bash
# Tokenizer speed: 1 MiB of prose (ppl-text.txt) and code (this repository's Swift sources),
# model load included, with the SmolLM2 vocabulary. llama.cpp takes 1.83 s here; the goal is 5×
# faster (≤ 0.37 s).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/bench-common.sh
models="${PARLEY_MODELS_DIR:-../shared/models}"
reference="${PARLEY_REFERENCE_DIR:-../shared/reference}"
parley_bench_binary
corpus="$(mktemp)"
trap 'rm -f "$corpus"' EXIT
python3 - "$reference/ppl-text.txt" "$corpus" <<'PY'
import glob, sys
unit = open(sys.argv[1], "rb").read()
for path in sorted(glob.glob("Sources/**/*.swift", recursive=True)):
    unit += open(path, "rb").read()
data = (unit * (1 + (1 << 20) // len(unit)))[: 1 << 20]
data = data.decode("utf-8", "ignore").encode("utf-8")   # do not end inside a UTF-8 sequence
open(sys.argv[2], "wb").write(data)
PY
"$bin" bench-tokenize -m "$models/SmolLM2-135M-Instruct.Q4_1.gguf" -f "$corpus" "$@"
