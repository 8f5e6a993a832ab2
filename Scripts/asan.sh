#!/usr/bin/env bash
# The whole test suite under AddressSanitizer (issue #10's sanitizer run). It builds .build/release
# itself with ASan (the CLI and tmux tests run that `parley`), so run it in a separate worktree or
# clone (`git worktree add ../parley-asan`) to keep the normal build. Release mode: the engine suites then
# finish in minutes; ASan instruments optimised code as well, and every bounds or lifetime error
# still stops the process with a report.
#
#   detect_leaks=0: CLI tests run `parley` children that leave through `exit()` from a task (as
#     ArgumentParser does on a usage error); LeakSanitizer reports their live strings as leaks and
#     changes their exit status, and XCTest's empty run leaks 144 bytes inside libXCTest. Leaks are
#     checked where they mean something: the fuzz targets run with leak detection on.
#   detect_stack_use_after_return=0: with it, ASan moves locals to a heap "fake stack", and Jinja's
#     StackGuard, which measures the native stack it has left from a local's address, then sees it
#     as exhausted and refuses shallow templates ("template nesting exhausted the native stack").
#
# Usage: Scripts/asan.sh [extra swift test arguments]   (build ~45 min on 2 busy cores, tests ~10 min)
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=0:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
flags=(-c release -Xswiftc -enable-testing --sanitize=address)
swift build "${flags[@]}" --build-tests
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# As test.sh: the in-process model-hub imitation runs alone (the 2-thread pool starves beside the rest).
swift test "${flags[@]}" --skip-build --filter "ModelHubTests|RuntimeModelSwitchTests" 2>&1 | tee "$log"
swift test "${flags[@]}" --skip-build --skip "ModelHubTests|RuntimeModelSwitchTests" "$@" 2>&1 | tee -a "$log"
if grep -q "ERROR: AddressSanitizer" "$log"; then
    echo "asan.sh: AddressSanitizer reported an error (see above)" >&2
    exit 1
fi
echo "asan.sh: no AddressSanitizer report"
