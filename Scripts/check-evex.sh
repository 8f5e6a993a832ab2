#!/usr/bin/env bash
# Checks that AVX-512 code cannot run on an AVX2-only CPU: every function of the release
# `parley` binary that contains an EVEX-encoded instruction (AVX-512, including its 256-bit
# forms such as `vpdpbusd ymm`) must belong to the InferenceAVX512 module, whose entry points
# only `KernelPath.avx512` reaches, after CPUID. A generic specialization or inlined helper
# compiled there and deduplicated by the linker would show up here under another name.
# BoringSSL's hand-written AVX10 AES-GCM assembly checks CPUID itself: allowed, both swift-crypto's
# copy (CCryptoBoringSSL) and swift-nio-ssl's (CNIOBoringSSL, through async-http-client).
#
# Usage: Scripts/check-evex.sh [BINARY]   (default .build/release/parley); exit 1 on a leak.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/parley}"
[ -x "$bin" ] || { echo "check-evex: $bin not built" >&2; exit 2; }
objdump -d --no-addresses --insn-width=16 -M att "$bin" | python3 -c '
import re, sys
function, evex, leaks, allowed = None, {}, [], "15InferenceAVX512"
legacy = {0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x3E, 0x26, 0x64, 0x65, 0x36, 0xF0}
for line in sys.stdin:
    header = re.match(r"^<(.+)>:$", line.strip())
    if header:
        function = header.group(1)
        continue
    parts = line.strip().split("\t")  # "bytes<TAB>mnemonic operands"
    if function is None or len(parts) < 2 or not re.fullmatch(r"[0-9a-f]{2}( [0-9a-f]{2})*", parts[0].strip()):
        continue
    raw = [int(b, 16) for b in parts[0].split()]
    i = 0
    while i < len(raw) and raw[i] in legacy:
        i += 1
    if i < len(raw) and raw[i] == 0x62:  # 0x62 opens an EVEX prefix in 64-bit mode
        evex[function] = evex.get(function, 0) + 1
for name, count in sorted(evex.items()):
    if allowed not in name and not name.startswith(("CCryptoBoringSSL_", "CNIOBoringSSL_")):
        leaks.append(f"{name}: {count} EVEX instructions")
inside = sum(c for n, c in evex.items() if allowed in n)
print(f"check-evex: {inside} EVEX instructions in {sum(1 for n in evex if allowed in n)} InferenceAVX512 functions")
if leaks:
    print("check-evex: EVEX code outside InferenceAVX512 (would crash on AVX2-only CPUs):")
    print("\n".join("  " + l for l in leaks))
    sys.exit(1)
print("check-evex: no EVEX instruction outside InferenceAVX512")
'
