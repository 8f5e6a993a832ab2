#!/usr/bin/env python3
"""Summarises the skipped tests of a `swift test` log, for the end of Scripts/test.sh.

Swift Testing reports a test or suite whose condition trait is false as
`<symbol> Test name() skipped: "reason"` (or `Suite Name skipped: ...`); a skipped suite's tests
are each reported too, so tests are counted and suites only mentioned. This prints one line per
reason with its count of tests, then the closing summary line:
`test.sh: N tests skipped (S whole suites among them), for R reason(s) listed above`.
"""
import collections
import re
import sys

SKIP = re.compile(r'^\S*\s*(Test|Suite) (.*?) skipped(?:: (.*?))?\.?$')


def main(path):
    with open(path, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()
    seen = set()
    reasons = collections.Counter()
    kinds = collections.Counter()
    for line in lines:
        match = SKIP.match(line.strip())
        if not match:
            continue
        kind, name, reason = match.groups()
        if (kind, name) in seen:
            continue
        seen.add((kind, name))
        reason = (reason or "no reason given").strip()
        if len(reason) >= 2 and reason[0] == reason[-1] == '"':
            reason = reason[1:-1]
        kinds[kind] += 1
        if kind == "Test":
            reasons[reason] += 1
    for reason, count in reasons.most_common():
        print(f"test.sh: {count} skipped: {reason}")
    print(f"test.sh: {kinds['Test']} tests skipped ({kinds['Suite']} whole suites among them), "
          f"for {len(reasons)} reason(s) listed above")


if __name__ == "__main__":
    main(sys.argv[1])
