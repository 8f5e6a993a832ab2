#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer and AddressSanitizer (both ship with the Swift toolchain).
#
#   Scripts/fuzz.sh TARGET [SECONDS] [LIBFUZZER_FLAG...]
#
# TARGET is gguf, jinja, transcript, tokenizer, input or all; SECONDS (default 60) bounds each
# target's run (0: no time limit, e.g. with -runs=N). Extra flags go to libFuzzer unchanged.
# Builds the separate package in Fuzz/ (release, -sanitize=fuzzer,address; scratch Fuzz/.build-fuzz),
# replays every committed crash input of the target (Fuzz/Crashes/TARGET), then fuzzes from the
# committed seeds (Fuzz/Corpus/TARGET) into a working corpus under the scratch folder. Exits
# non-zero if any target crashed, leaked, timed out or ran out of memory; the input that did it is
# copied to Fuzz/.build-fuzz/artifacts/TARGET/ and named in the output. See Fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

usage() { echo "usage: Scripts/fuzz.sh gguf|jinja|transcript|tokenizer|input|all [SECONDS] [LIBFUZZER_FLAG...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
target="$1"; shift
seconds="${1:-60}"; [ $# -ge 1 ] && shift
case "$seconds" in ''|*[!0-9]*) usage ;; esac
all_targets=(gguf jinja transcript tokenizer input)
case "$target" in
    all) targets=("${all_targets[@]}") ;;
    gguf|jinja|transcript|tokenizer|input) targets=("$target") ;;
    *) usage ;;
esac

scratch="$root/Fuzz/.build-fuzz"
# SwiftPM's --sanitize flags keep libFuzzer's `main` (with -Xswiftc alone, SwiftPM renames the entry
# point and the link fails) but reach swiftc as separate -sanitize= flags, of which only the last
# counts: -Xswiftc -sanitize=fuzzer,address makes Swift code get both coverage and ASan.
# lld: with gold (Swift's default on Linux) libFuzzer finds no coverage tables.
build=(swift build --package-path Fuzz --scratch-path "$scratch" -c release --sanitize=fuzzer --sanitize=address
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
mkdir -p "$scratch"
if ! "${build[@]}" >"$scratch/build.log" 2>&1; then
    grep -vE '^\[[0-9]+/[0-9]+\]|__asan_extra_spill_area' "$scratch/build.log"; echo "fuzz: the build failed"; exit 1
fi
bin="$("${build[@]}" --show-bin-path)"
# The Swift runtime's crash backtracer reads memory ASan guards and reports itself; libFuzzer
# and ASan print the stack instead.
export SWIFT_BACKTRACE=enable=no
# Leaks in the toolchain's own libraries, not ours (each entry says why): see Fuzz/lsan.supp.
export LSAN_OPTIONS="suppressions=$root/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# The tokenizer target needs real vocabularies: llama.cpp's vocab-only GGUF files, from
# PARLEY_FUZZ_VOCABS, else ../shared/models/vocab (or PARLEY_MODELS_DIR/vocab), else where
# Scripts/test.sh installs them (Scripts/lib/fetch_vocabs.py).
find_vocabs() {
    [ -n "${PARLEY_FUZZ_VOCABS:-}" ] && { echo "$PARLEY_FUZZ_VOCABS"; return; }
    local installed="${XDG_DATA_HOME:-$HOME/.local/share}/parley/models/vocab"
    local dirs=("${PARLEY_MODELS_DIR:-$root/../shared/models}/vocab" "$installed") found=() name path
    for name in smollm2 llama-spm llama-bpe qwen2 phi-3 gpt-2; do
        path="$(find "${dirs[@]}" -name "ggml-vocab-$name.gguf" -print -quit 2>/dev/null || true)"
        [ -n "$path" ] && found+=("$path")
    done
    (IFS=:; echo "${found[*]:-}")
}

declare -A max_len=([gguf]=65536 [jinja]=8192 [transcript]=16384 [tokenizer]=4096 [input]=4096)
declare -A extra=()
failed=()
# Scratch files (the transcript target saves with fsync) go to tmpfs where there is one.
tmp_base="$scratch/tmp"; if [ -d /dev/shm ] && [ -w /dev/shm ]; then tmp_base="/dev/shm/parley-fuzz-$$"; fi
for t in "${targets[@]}"; do
    exe="$bin/fuzz-$t"
    if [ "$t" = tokenizer ]; then
        PARLEY_FUZZ_VOCABS="$(find_vocabs)"
        if [ -z "$PARLEY_FUZZ_VOCABS" ]; then
            echo "fuzz tokenizer: SKIPPED, no ggml-vocab-*.gguf found (set PARLEY_FUZZ_VOCABS)"
            continue
        fi
        export PARLEY_FUZZ_VOCABS
    fi
    work="$scratch/corpus/$t"; artifacts="$scratch/artifacts/$t/"; tmp="$tmp_base/$t"
    mkdir -p "$work" "$artifacts" "$tmp"
    log="$scratch/fuzz-$t.log"
    common=(-timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]}" -artifact_prefix="$artifacts" -print_final_stats=1 ${extra[$t]:-})
    [ -f "Fuzz/Dictionaries/$t.dict" ] && common+=(-dict="Fuzz/Dictionaries/$t.dict")

    # Every input that ever crashed must keep passing.
    crashes=()
    [ -d "Fuzz/Crashes/$t" ] && while IFS= read -r -d '' file; do crashes+=("$file"); done \
        < <(find "Fuzz/Crashes/$t" -type f ! -name '*.md' -print0 | sort -z)
    if [ ${#crashes[@]} -gt 0 ] && ! TMPDIR="$tmp" "$exe" "${common[@]}" "${crashes[@]}" >"$log.replay" 2>&1; then
        echo "fuzz $t: a committed crash input fails again:"; grep -E 'Running:|ERROR|Fatal error|SUMMARY' "$log.replay" | tail -5
        failed+=("$t"); continue
    fi

    limit=(); [ "$seconds" -gt 0 ] && limit=(-max_total_time="$seconds")
    echo "fuzz $t: ${seconds}s from $(find "Fuzz/Corpus/$t" -type f | wc -l) seeds (+${#crashes[@]} crash inputs replayed), log $log"
    if TMPDIR="$tmp" "$exe" "${common[@]}" "${limit[@]}" "$@" "$work" "Fuzz/Corpus/$t" >"$log" 2>&1; then
        grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec' "$log" | tr '\n' ' '; echo
    else
        echo "fuzz $t: FAILED (exit $?), artifacts in $artifacts"
        grep -E 'ERROR|Fatal error|SUMMARY|Test unit written|^ +#[0-9]+ 0x' "$log" | head -20
        failed+=("$t")
    fi
    rm -rf "$tmp"
done
rm -rf "$tmp_base"

if [ ${#failed[@]} -gt 0 ]; then echo "fuzz: FAILED: ${failed[*]}"; exit 1; fi
echo "fuzz: ${targets[*]}: no crash"
