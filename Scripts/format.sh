#!/usr/bin/env bash
# Formats every tracked Swift file with the toolchain's `swift format` and the checked-in
# `.swift-format`; `Scripts/format.sh --lint` only checks (strict: any finding fails), as
# Scripts/test.sh does in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.swift')
if [ "${1:-}" = "--lint" ]; then
    swift format lint --strict --parallel "${files[@]}"
    echo "swift format lint: ${#files[@]} files clean"
else
    swift format format --in-place --parallel "${files[@]}"
fi
