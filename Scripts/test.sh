#!/usr/bin/env bash
# Runs every test in an optimised build: the engine tests evaluate real models, which debug
# Swift runs far too slowly. Models are read from PARLEY_MODELS_DIR (default ../shared/models).
set -euo pipefail
cd "$(dirname "$0")/.."
models="${PARLEY_MODELS_DIR:-../shared/models}"
swift build -c release -Xswiftc -enable-testing --product parley

# The tiny random-weight models for architectures with no real model here (qwen2, qwen3, llama3
# RoPE) are generated, not committed: PyPI gguf writes them deterministically from the script's
# seeds, and only their NumPy reference logits are committed. The committed logits stay the oracle.
fixtures=Tests/InferenceTests/Fixtures/Model
if ! ls "$fixtures"/synthetic-*.gguf >/dev/null 2>&1; then
    python3 -c "import numpy, yaml" 2>/dev/null || python3 -m pip install --quiet numpy pyyaml
    python3 -m pip install --quiet --no-deps --target .build/python-gguf gguf==0.19.0
    generated="$(mktemp -d)"
    PYTHONPATH=.build/python-gguf python3 Scripts/reference/make_synthetic_models.py "$generated" >/dev/null
    cp "$generated"/synthetic-*.gguf "$fixtures"/
    rm -rf "$generated"
fi

# The transcript format, checked by an independent validator (PyPI jsonschema) on the examples and
# on a transcript the real binary writes, continues and saves again.
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema
if [ -f "$models/SmolLM2-135M-Instruct.Q4_1.gguf" ]; then
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    export XDG_CACHE_HOME="$scratch/cache"
    .build/release/parley run -m "$models/SmolLM2-135M-Instruct.Q4_1.gguf" --temperature 0 --max-tokens 16 \
        --save "$scratch/t.json" -p "What is 2+2?" >/dev/null
    .build/release/parley run -m "$models/SmolLM2-135M-Instruct.Q4_1.gguf" --seed 7 --max-tokens 16 \
        --continue "$scratch/t.json" -p "你好 🙂" >/dev/null
    unset XDG_CACHE_HOME
    python3 Scripts/check_transcripts.py transcripts/example-*.json "$scratch/t.json"
else
    python3 Scripts/check_transcripts.py
fi

swift test -c release -Xswiftc -enable-testing "$@"

# ---- Fuzzing (see Fuzz/README.md) -------------------------------------------------------------
# Each libFuzzer target (gguf, jinja, transcript, tokenizer, input) for 30 s, after replaying every
# committed crash input; a crash, leak, timeout or out-of-memory fails the run. It builds the
# separate Fuzz/ package (~5 min the first time). PARLEY_FUZZ_SECONDS=N changes the time per
# target, 0 skips it; it is skipped by default when arguments (e.g. --filter) are passed.
fuzz_seconds="${PARLEY_FUZZ_SECONDS:-$([ $# -eq 0 ] && echo 30 || echo 0)}"
if [ "$fuzz_seconds" -gt 0 ]; then
    Scripts/fuzz.sh all "$fuzz_seconds"
fi
# ---- end of fuzzing ---------------------------------------------------------------------------
