#!/usr/bin/env bash
# Runs every test in an optimised build: the engine tests evaluate real models, which debug
# Swift runs far too slowly. Models are read from PARLEY_MODELS_DIR (default ../shared/models).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -enable-testing --product parley
swift test -c release -Xswiftc -enable-testing "$@"
