#!/usr/bin/env bash
# Runs every test in an optimised build: the engine tests evaluate real models, which debug
# Swift runs far too slowly. Test data is found as Tests/TestSupport/TestPaths.swift finds it:
# PARLEY_MODELS_DIR, then ../shared/models, then the committed Tests/Fixtures; the default model
# last in the folder Scripts/setup.sh installs into, where this script puts it (once) with pip.
set -euo pipefail
cd "$(dirname "$0")/.."
# An empty XDG variable means unset (the XDG spec); SwiftPM instead fails on an empty
# XDG_CONFIG_HOME ("invalid absolute path ''"), so empty ones are removed from the environment.
for xdg in XDG_DATA_HOME XDG_CACHE_HOME XDG_CONFIG_HOME; do
    [ -n "${!xdg:-}" ] || unset "$xdg"
done

# --- Test data: the default model (a fresh clone has only Tests/Fixtures) ---------------------
# Found where the tests look; else installed with pip exactly as Scripts/setup.sh does. If pip
# cannot get it, the tests that need it are skipped (Swift Testing prints why), never failed.
source Scripts/lib/default-model.sh
default_model=""
for folder in "${PARLEY_MODELS_DIR:-}" ../shared/models "$PARLEY_MODELS_DIR_INSTALLED"; do
    if [ -n "$folder" ] && [ -f "$folder/$PARLEY_MODEL_NAME" ]; then
        default_model="$folder/$PARLEY_MODEL_NAME"
        break
    fi
done
if [ -z "$default_model" ]; then
    if parley_install_default_model test.sh; then
        default_model="$PARLEY_MODELS_DIR_INSTALLED/$PARLEY_MODEL_NAME"
    else
        echo "test.sh: no $PARLEY_MODEL_NAME: the tests that need it will be skipped" >&2
    fi
fi
# The Gemma 3 270M base model (issue #16), installed the same way into the same folder; without
# it the Gemma tests are skipped, saying so.
source Scripts/lib/gemma-model.sh
if [ ! -f "${PARLEY_MODELS_DIR:-/nonexistent}/$PARLEY_GEMMA_NAME" ] && [ ! -f "../shared/models/$PARLEY_GEMMA_NAME" ]; then
    parley_install_gemma_model test.sh || echo "test.sh: no $PARLEY_GEMMA_NAME: the Gemma tests will be skipped" >&2
fi
# PyPI gguf 0.19.0 (into .build/python-gguf) and the numpy and pyyaml it imports, for the two
# scripts below that write GGUF files.
install_python_gguf() {
    python3 -c "import numpy, yaml" 2>/dev/null || python3 -m pip install --quiet numpy pyyaml
    [ -d .build/python-gguf/gguf ] || python3 -m pip install --quiet --no-deps --target .build/python-gguf gguf==0.19.0
}
# llama.cpp's test vocabularies (vocabulary-only GGUFs, 18 MB, not committed): five from the
# PyPI llama-cpp-python sdist, SmolLM2's derived from the default model with PyPI gguf, each
# SHA-256 checked (Scripts/lib/fetch_vocabs.py). Without them the tokenizer suites are skipped.
if [ ! -d ../shared/models/vocab ] && [ ! -d "${PARLEY_MODELS_DIR:-/nonexistent}/vocab" ]; then
    if ! (
        set -e
        install_python_gguf
        PYTHONPATH=.build/python-gguf python3 Scripts/lib/fetch_vocabs.py "$PARLEY_MODELS_DIR_INSTALLED/vocab" "$default_model"
    ); then
        echo "test.sh: llama.cpp's test vocabularies are incomplete: the tests that need them will be skipped" >&2
    fi
fi
# ----------------------------------------------------------------------------------------------

# The binary and the test bundle in one release build, before the fuzzing and debug builds below:
# after those, a second `swift test -c release` build recompiled every module (381 s of a 28-min CI
# run), so the test runs at the end take `--skip-build`.
swift build -c release -Xswiftc -enable-testing --build-tests

# The tiny random-weight models for architectures with no real model here (qwen2, qwen3, llama3
# RoPE) are generated, not committed: PyPI gguf writes them deterministically from the script's
# seeds, and only their NumPy reference logits are committed. The committed logits stay the oracle.
fixtures=Tests/InferenceTests/Fixtures/Model
# Without pip their tests are skipped, saying so, rather than failed.
# (Again whenever a committed reference has no model beside it, e.g. after new families were added.)
missing_synthetic=""
for reference in "$fixtures"/synthetic-*.logits.json; do
    [ -f "${reference%.logits.json}.gguf" ] || missing_synthetic=yes
done
if [ -n "$missing_synthetic" ]; then
    if ! (
        set -e
        install_python_gguf
        generated="$(mktemp -d)"
        PYTHONPATH=.build/python-gguf python3 Scripts/reference/make_synthetic_models.py "$generated" >/dev/null
        cp "$generated"/synthetic-*.gguf "$fixtures"/
        rm -rf "$generated"
    ); then
        echo "test.sh: could not generate the synthetic models (pip, numpy or PyPI gguf failed): their tests will be skipped" >&2
    fi
fi

# The transcript format, checked by an independent validator (PyPI jsonschema) on the examples and
# on a transcript the real binary writes, continues and saves again.
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema
if [ -n "$default_model" ]; then
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    export XDG_CACHE_HOME="$scratch/cache"
    .build/release/parley run -m "$default_model" --temperature 0 --max-tokens 16 \
        --save "$scratch/t.json" -p "What is 2+2?" >/dev/null
    .build/release/parley run -m "$default_model" --seed 7 --max-tokens 16 \
        --continue "$scratch/t.json" -p "你好 🙂" >/dev/null
    unset XDG_CACHE_HOME
    python3 Scripts/check_transcripts.py transcripts/example-*.json "$scratch/t.json"
else
    python3 Scripts/check_transcripts.py
fi

# ---- parley serve -------------------------------------------------------------------------
# The real server on loopback, driven by the PyPI openai SDK (installed if missing). The script
# skips, saying why, when the openai package is unavailable.
if [ -n "$default_model" ]; then
    python3 Scripts/test-serve.py --binary .build/release/parley --model "$default_model"
else
    echo "test.sh: parley serve tests skipped: the default model $PARLEY_MODEL_NAME could not be installed" >&2
fi
# ---------------------------------------------------------------------------------------------

# ---- Fuzzing (see Fuzz/README.md), before the tests so their closing line stays last ----
# Each libFuzzer target (gguf, jinja, transcript, tokenizer, input) for 20 s, after replaying every
# committed crash input; a crash, leak, timeout or out-of-memory fails the run. It builds the
# separate Fuzz/ package (~5 min the first time). PARLEY_FUZZ_SECONDS=N changes the time per
# target, 0 skips it; it is skipped by default when arguments (e.g. --filter) are passed. 20 s, not
# 30: on an Intel Xeon VM (2 cores) .ci/run took 1,762 s with 30, too near its 30-minute budget.
fuzz_seconds="${PARLEY_FUZZ_SECONDS:-$([ $# -eq 0 ] && echo 20 || echo 0)}"
if [ "$fuzz_seconds" -gt 0 ]; then
    Scripts/fuzz.sh all "$fuzz_seconds"
fi
# ---- end of fuzzing ---------------------------------------------------------------------------

# The suites that parse untrusted bytes (GGUF, tokenizer, Jinja, transcripts) once more in a
# debug build, where unsafe-buffer subscripts are bounds-checked (issue #12; ~6 min building and
# 3 min running on 2 quiet cores). Like fuzzing, only in a full run; PARLEY_DEBUG_SUITES=0 skips it.
if [ "${PARLEY_DEBUG_SUITES:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = 1 ]; then
    Scripts/test-untrusted-debug.sh
fi

# One format (issue #12): `swift format lint --strict` with the checked-in .swift-format.
if command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    Scripts/format.sh --lint
else
    echo "SKIP format lint: not a git work tree (the file list comes from git ls-files)"
fi
# The seam (issue #14): the app and the conversation's values never link the engine.
python3 Scripts/check-seam.py
# AVX-512 code only inside the CPUID-gated InferenceAVX512 module (the binary runs on AVX2-only CPUs).
if command -v objdump >/dev/null; then Scripts/check-evex.sh; else echo "SKIP check-evex: objdump is not installed"; fi
# The engine's public API has no pointers (issue #12): pointer-taking declarations are `package`.
python3 Scripts/count-public-unsafe.py --check Sources/Inference Sources/Tokenizer >/dev/null \
    || { python3 Scripts/count-public-unsafe.py -v Sources/Inference Sources/Tokenizer; exit 1; }

# --- Tests, then a summary of what was skipped and why ----------------------------------------
# swift test's output passes through unchanged (its closing line included); the summary, parsed
# from Swift Testing's "Test X skipped: reason" / "Suite X skipped: reason" lines, comes after.
test_log="$(mktemp)"
set +e
hub_status=0
if [ $# -eq 0 ]; then
    # The model-hub tests serve files from a loopback server inside the test process; beside the
    # whole suite's blocking tests the concurrency pool (two threads on two cores) starved it
    # into the pull's stall timeout. They run alone first, and are skipped in the full run. So
    # does the app's pull-from-the-picker test, whose pull is a task on the same pool.
    alone="ModelHubTests|RuntimeModelSwitchTests"
    swift test -c release -Xswiftc -enable-testing --skip-build --filter "$alone" 2>&1 | tee "$test_log"
    hub_status="${PIPESTATUS[0]}"
    set -- --skip "$alone"
fi
swift test -c release -Xswiftc -enable-testing --skip-build "$@" 2>&1 | tee -a "$test_log"
status="${PIPESTATUS[0]}"
[ "$status" -eq 0 ] && status="$hub_status"
set -e
python3 Scripts/lib/skip_summary.py "$test_log" || true
rm -f "$test_log"
exit "$status"
