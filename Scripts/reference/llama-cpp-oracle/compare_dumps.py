#!/usr/bin/env python3
"""Compares Parley's forward-pass intermediates with llama.cpp's, tensor by tensor, in Parley's order.

- PROBE_DUMP: `probe MODEL FA N_GEN IDS PROBE_DUMP` (header line "name ne0 ne1 ne2 ne3 type op tokdim",
  then the last token's values);
- PARLEY_DUMP: `PARLEY_DUMP_INTERMEDIATES=PARLEY_DUMP PARLEY_DUMP_TOKENS=IDS swift test ... --filter
  IntermediateDumpTool` (a "name" line, then the values).

For each of Parley's tensors it finds llama.cpp's tensors of the same name and length (a name can
repeat, e.g. before and after a reshape or with several ops) and prints the closest one's largest
absolute difference, that relative to the tensor's largest magnitude, how many elements differ at
all (both sides are parsed as F32, so equal floats compare equal whatever digits printed them), and
the op. The first
line over `--threshold` (relative) is marked: the first tensor that diverges beyond rounding.

Usage: compare_dumps.py PROBE_DUMP PARLEY_DUMP [--threshold 1e-3] [--only REGEX]
"""
import argparse, re, sys

import numpy as np


def read_probe(path):
    tensors = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i in range(0, len(lines) - 1, 2):
        header = lines[i].split(" ")
        if len(header) < 8:
            continue
        name, op = header[0], header[6]
        values = lines[i + 1].split()
        if values:
            tensors.setdefault(name, []).append((op, np.array(values, dtype=np.float32)))
    return tensors


def read_parley(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    return [(lines[i], np.array(lines[i + 1].split(), dtype=np.float32)) for i in range(0, len(lines) - 1, 2)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("probe")
    parser.add_argument("parley")
    parser.add_argument("--threshold", type=float, default=1e-3)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    theirs = read_probe(args.probe)
    marked = False
    for name, ours in read_parley(args.parley):
        if args.only and not re.search(args.only, name):
            continue
        best = None
        for op, values in theirs.get(name, []):
            if values.size != ours.size:
                continue
            diff = float(np.max(np.abs(values.astype(np.float64) - ours)))
            if best is None or diff < best[0]:
                scale = float(np.max(np.abs(values))) or 1.0
                best = (diff, diff / scale, op, scale, int(np.count_nonzero(values != ours)), values.size)
        if best is None:
            sizes = [v.size for _, v in theirs.get(name, [])]
            print(f"{name:22s} (no llama.cpp tensor of {ours.size} values; sizes {sizes})")
            continue
        flag = ""
        if best[1] > args.threshold and not marked:
            flag, marked = "  <== first over threshold", True
        print(f"{name:22s} max|diff| {best[0]:.3g}  rel {best[1]:.3g}  {best[4]}/{best[5]} differ  "
              f"(max|x| {best[3]:.3g}, {best[2]}){flag}")


if __name__ == "__main__":
    sys.exit(main())
