#!/usr/bin/env python3
"""Counts the public (or open) declarations under folders whose signature mentions `Unsafe`
(issue #12: Inference exposes an engine, not its pointers; pointer APIs are `package`).

    Scripts/count-public-unsafe.py [-v] [--check] FOLDER...

Prints the count (with -v, each declaration first); with --check exits 1 when it is not zero.
A declaration is read from its `public`/`open` line up to its body's `{` (multi-line signatures
included); comments and bodies are ignored."""
import os
import re
import sys

DECLARATION = re.compile(r"\s*(@\w+(\([^)]*\))?\s+)*(public|open)\b")


def declarations(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    for index, line in enumerate(lines):
        if line.strip().startswith("//") or not DECLARATION.match(line):
            continue
        text, depth, end = line, line.count("(") - line.count(")"), index
        while (depth > 0 or text.rstrip().endswith((",", "->", "("))) and end + 1 < len(lines):
            end += 1
            text += lines[end]
            depth += lines[end].count("(") - lines[end].count(")")
        yield index + 1, text.split("{")[0].split("//")[0].strip()


def main():
    args = sys.argv[1:]
    verbose, check = "-v" in args, "--check" in args
    folders = [a for a in args if not a.startswith("-")]
    count = 0
    for folder in folders:
        for directory, _, files in sorted(os.walk(folder)):
            for name in sorted(files):
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(directory, name)
                for line, declaration in declarations(path):
                    if "Unsafe" in declaration:
                        count += 1
                        if verbose:
                            print(f"{path}:{line}: {declaration[:160]}")
    print(count)
    sys.exit(1 if check and count else 0)


if __name__ == "__main__":
    main()
