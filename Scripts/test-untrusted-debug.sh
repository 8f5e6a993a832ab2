#!/usr/bin/env bash
# The suites that parse untrusted bytes (GGUF files, tokenizer input and vocabularies, Jinja
# templates, transcripts) once more in a DEBUG build (issue #12): there Swift checks every
# unsafe-buffer subscript and integer conversion that the optimised build trusts, so an
# out-of-bounds read on a hostile input traps here even where release would read past the end.
# Scripts/test.sh runs it after the release suite; it takes its test data from the same places.
# Usage: Scripts/test-untrusted-debug.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
for xdg in XDG_DATA_HOME XDG_CACHE_HOME XDG_CONFIG_HOME; do
    [ -n "${!xdg:-}" ] || unset "$xdg"
done
suites=(
    'GGUFTests\.'
    'InferenceTests\.(Decoding|LongInput|MergeStrategy|Oracle|ReferenceVector|RoundTrip|SpecialToken|StoppedMidCharacter|TokenStreamDecoder|TokenizerFuzz|TokenizerLoading|TokenizerUnicode|VocabFixture)Tests'
    'JinjaTests\.'
    'ChatTests\.Transcript'
)
filter="$(IFS='|'; echo "${suites[*]}")"
swift build --build-tests 2>&1 | grep -E 'error|warning: [^:]*[^s]|Build complete' | grep -v 'swift-distributed-tracing' || true
swift test --skip-build --filter "$filter" "$@"
