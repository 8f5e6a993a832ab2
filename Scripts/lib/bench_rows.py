#!/usr/bin/env python3
"""Benchmark results of both engines as rows named alike: `parley bench --json` and
`llama-bench -o json`, each read from standard input, printed as "test threads t/s" lines (the
test named as Parley names it: pp128, tg64, tg64 @ d2048, spaces as underscores).

Used by Scripts/bench.sh, bench-depth.sh and bench-pairs.sh (which imports `rows`).
Usage: python3 Scripts/lib/bench_rows.py parley|llama < results.json
"""
import json
import sys


def llama_test_name(record):
    """llama-bench's test as Parley's `bench` names it."""
    name = ("pp%d" % record["n_prompt"]) if record["n_prompt"] else ("tg%d" % record["n_gen"])
    if record.get("n_depth"):
        name += " @ d%d" % record["n_depth"]
    return name


def rows(records, engine):
    """{(test, threads): tokens per second} of one engine's JSON records."""
    if engine == "llama":
        return {(llama_test_name(r), r["n_threads"]): r["avg_ts"] for r in records}
    return {(r["test"], r["threads"]): r["tokens_per_second"] for r in records}


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("parley", "llama"):
        sys.exit("usage: bench_rows.py parley|llama < results.json")
    for (test, threads), speed in rows(json.load(sys.stdin), sys.argv[1]).items():
        print(test.replace(" ", "_"), threads, "%.1f" % speed)
