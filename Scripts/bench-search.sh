#!/usr/bin/env bash
# The Ctrl+O full-text search over 1,000 saved conversations of 20 messages (issue #17):
# time to the first results and to the end of the search, for a word in one answer only, two
# common words, and a word in every file. Target: first results in under 200 ms.
# Usage: Scripts/bench-search.sh [COUNT] [MESSAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/release/parley ] || swift build -c release -Xswiftc -enable-testing --product parley
.build/release/parley bench-search --count "${1:-1000}" --messages "${2:-20}"
