#!/usr/bin/env bash
# Builds a local llama.cpp (CPU, -march=native) and `probe`, an oracle for the engine: it decodes
# token ids like the shared references and can dump every tensor of the prompt's forward pass.
# The llama.cpp source is the one vendored in PyPI's llama-cpp-python 0.3.36 sdist (commit
# 0c1e570); it reproduces ../shared/reference/*.greedy.json exactly with flash attention on.
# A developer tool: not run by CI. Needs g++, make and PyPI access (~5 minutes on 2 cores).
# Also builds llama-perplexity and llama-tokenize (build/bin/, the Gemma oracle), and llama-bench and
# llama-batched-bench twice, for Scripts/bench.sh: native (build/bin/) and AVX2/FMA/F16C only
# (build-avx2/bin/, the x86-64-v3 baseline Parley's AVX2 path targets).
# Usage: Scripts/reference/llama-cpp-oracle/build.sh   → .build/llama-cpp-oracle/probe, probe-avx2
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../../.build/llama-cpp-oracle"
mkdir -p "$out" && cd "$out"
python3 -m pip install --quiet cmake
if [ ! -d llama_cpp_python-0.3.36 ]; then
    # From the package index, SHA-256 checked (pip download would build llama.cpp to read its metadata).
    tarball="$(python3 "$here/../../lib/llama_cpp_sdist.py" .)"
    tar xzf "$tarball"
fi
src=llama_cpp_python-0.3.36/vendor/llama.cpp
cmake -S "$src" -B build -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_OPENSSL=OFF > /dev/null
bench_targets=(llama-bench llama-batched-bench)
cmake --build build --target llama llama-perplexity llama-tokenize "${bench_targets[@]}" -j2 > /dev/null
cmake -S "$src" -B build-avx2 -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON \
    -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_OPENSSL=OFF > /dev/null
cmake --build build-avx2 --target "${bench_targets[@]}" -j2 > /dev/null
g++ -O2 -std=c++17 "$here/probe.cpp" -o probe -I"$src/include" -I"$src/ggml/include" \
    build/src/libllama.a build/ggml/src/libggml.a build/ggml/src/libggml-cpu.a build/ggml/src/libggml-base.a \
    -fopenmp -lpthread -ldl -lm
# The same probe on the AVX2-only libraries: llama.cpp's F16 attention sums q·k in 16-lane
# accumulators when built with AVX-512F and in 8-lane ones with AVX2, and the references (and
# Parley's F16 attention) follow the AVX2 build, so the Gemma goldens come from this one.
g++ -O2 -std=c++17 "$here/probe.cpp" -o probe-avx2 -I"$src/include" -I"$src/ggml/include" \
    build-avx2/src/libllama.a build-avx2/ggml/src/libggml.a build-avx2/ggml/src/libggml-cpu.a \
    build-avx2/ggml/src/libggml-base.a -fopenmp -lpthread -ldl -lm
echo "built $out/probe and $out/probe-avx2"
