#!/usr/bin/env bash
# Runs every test in an optimised build: the engine tests evaluate real models, which debug
# Swift runs far too slowly. Models are read from PARLEY_MODELS_DIR (default ../shared/models).
set -euo pipefail
cd "$(dirname "$0")/.."
models="${PARLEY_MODELS_DIR:-../shared/models}"
swift build -c release -Xswiftc -enable-testing --product parley

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
