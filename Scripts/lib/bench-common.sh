# Sourced by the Scripts/bench-*.sh side-by-side benchmarks (from the repository's root).

# The release binary the benchmarks time, built first when it is missing.
bin=.build/release/parley
parley_bench_binary() {
    [ -x "$bin" ] || swift build -c release -Xswiftc -enable-testing --product parley >&2
}

# The line every benchmark starts with: which CPU, how many cores, how busy, when. Figures from
# one machine are stale on another, and a busy machine's are noisy, so each run says both.
bench_machine_line() {
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores," \
        "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
}
